#include "consensus/memory_state.h"

namespace cairn::consensus {

std::optional<Account> MemoryState::GetAccount(const PubKey& key) const {
    auto it = accounts.find(key);
    if (it == accounts.end()) return std::nullopt;
    return it->second;
}

std::optional<Bytes> MemoryState::GetEntry(ByteSpan key) const {
    auto it = entries.find(key);
    if (it == entries.end()) return std::nullopt;
    return it->second;
}

void MemoryState::ForEachEntry(ByteSpan prefix, const EntryVisitor& visit) const {
    for (auto it = entries.lower_bound(prefix); it != entries.end(); ++it) {
        const Bytes& k = it->first;
        if (k.size() < prefix.size() || !std::equal(prefix.begin(), prefix.end(), k.begin())) break;
        if (!visit(k, it->second)) break;
    }
}

void MemoryState::Apply(const std::map<PubKey, Account>& changes,
                        const EntryChanges& entry_changes) {
    for (const auto& [k, a] : changes) accounts[k] = a;
    for (const auto& [k, v] : entry_changes) {
        if (v) {
            entries[k] = *v;
        } else {
            entries.erase(k);
        }
    }
}

std::optional<Hash256> MemoryBlockHashes::HashAtHeight(uint64_t height) const {
    auto it = hashes.find(height);
    if (it == hashes.end()) return std::nullopt;
    return it->second;
}

}  // namespace cairn::consensus
