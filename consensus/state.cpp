#include "state.h"

#include <algorithm>

#include <cstring>

namespace cairn::consensus {

bool BytesLess::operator()(ByteSpan a, ByteSpan b) const {
    const size_t n = std::min(a.size(), b.size());
    const int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
    return c != 0 ? c < 0 : a.size() < b.size();
}

void Account::Serialize(Writer& w) const {
    w.VarInt(balance);
    w.VarInt(nonce);
}

DecodeResult<Account> DecodeAccount(ByteSpan data) {
    Reader r{data};
    Account a;
    r.VarInt(a.balance, "account.balance");
    r.VarInt(a.nonce, "account.nonce");
    if (!r.ExpectEnd("account")) return MakeError(r.Error());
    return a;
}

std::optional<Account> StateDelta::GetAccount(const PubKey& key) const {
    if (auto it = m_changes.find(key); it != m_changes.end()) return it->second;
    return Original(key);
}

std::optional<Account> StateDelta::Original(const PubKey& key) const {
    auto it = m_base_reads.find(key);
    if (it == m_base_reads.end()) it = m_base_reads.emplace(key, m_base.GetAccount(key)).first;
    return it->second;
}

void StateDelta::Set(const PubKey& key, const Account& account) {
    auto it = m_changes.find(key);
    if (it == m_changes.end()) {
        m_journal.push_back({key, std::nullopt});
        m_changes.emplace(key, account);
    } else {
        m_journal.push_back({key, it->second});
        it->second = account;
    }
}

void StateDelta::Rollback(Checkpoint cp) {
    while (m_entry_journal.size() > cp.entries) {
        EntryJournalEntry& e = m_entry_journal.back();
        if (e.previous) {
            m_entry_changes[e.key] = std::move(*e.previous);
        } else {
            m_entry_changes.erase(e.key);
        }
        m_entry_journal.pop_back();
    }
    while (m_journal.size() > cp.accounts) {
        JournalEntry& e = m_journal.back();
        if (e.previous) {
            m_changes[e.key] = *e.previous;
        } else {
            m_changes.erase(e.key);
        }
        m_journal.pop_back();
    }
}

std::optional<Bytes> StateDelta::GetEntry(ByteSpan key) const {
    if (auto it = m_entry_changes.find(key); it != m_entry_changes.end()) {
        return it->second;
    }
    return OriginalEntry(key);
}

std::optional<Bytes> StateDelta::OriginalEntry(ByteSpan key) const {
    auto it = m_entry_base_reads.find(key);
    if (it == m_entry_base_reads.end()) {
        it = m_entry_base_reads.emplace(Bytes{key.begin(), key.end()}, m_base.GetEntry(key)).first;
    }
    return it->second;
}

void StateDelta::PutEntry(ByteSpan key, std::optional<Bytes> value) {
    Bytes k{key.begin(), key.end()};
    auto it = m_entry_changes.find(key);
    if (it == m_entry_changes.end()) {
        m_entry_journal.push_back({k, std::nullopt});
        m_entry_changes.emplace(std::move(k), std::move(value));
    } else {
        m_entry_journal.push_back({std::move(k), std::move(it->second)});
        it->second = std::move(value);
    }
}

void StateDelta::SetEntry(ByteSpan key, Bytes value) {
    PutEntry(key, std::move(value));
}

void StateDelta::EraseEntry(ByteSpan key) {
    PutEntry(key, std::nullopt);
}

namespace {
bool HasPrefix(const Bytes& key, ByteSpan prefix) {
    return key.size() >= prefix.size() &&
           (prefix.empty() || std::memcmp(key.data(), prefix.data(), prefix.size()) == 0);
}
bool SameBytes(ByteSpan a, ByteSpan b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}
}  // namespace

void StateDelta::ForEachEntry(ByteSpan prefix, const EntryVisitor& visit) const {
    // Merge the base scan with the changed keys of the same prefix, both in key order.
    auto next = m_entry_changes.lower_bound(prefix);
    auto end = m_entry_changes.end();
    bool stopped = false;
    // Emits changed keys that sort before `limit` (all remaining if null); false if stopped.
    auto flush_before = [&](const Bytes* limit) {
        while (next != end && HasPrefix(next->first, prefix) &&
               (limit == nullptr || BytesLess{}(next->first, *limit))) {
            const auto& [k, v] = *next++;
            if (v && !visit(k, *v)) return false;
        }
        return true;
    };
    m_base.ForEachEntry(prefix, [&](ByteSpan key, ByteSpan value) {
        Bytes k{key.begin(), key.end()};
        if (!flush_before(&k)) {
            stopped = true;
            return false;
        }
        if (next != end && SameBytes(next->first, k)) {
            const auto& v = (next++)->second;
            if (v && !visit(k, *v)) {
                stopped = true;
                return false;
            }
            return true;
        }
        if (!visit(key, value)) {
            stopped = true;
            return false;
        }
        return true;
    });
    if (!stopped) flush_before(nullptr);
}

}  // namespace cairn::consensus
