#include "state.h"

namespace cairn::consensus {

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
    while (m_journal.size() > cp) {
        JournalEntry& e = m_journal.back();
        if (e.previous) {
            m_changes[e.key] = *e.previous;
        } else {
            m_changes.erase(e.key);
        }
        m_journal.pop_back();
    }
}

}  // namespace cairn::consensus
