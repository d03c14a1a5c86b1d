// MemoryState: committed state held in memory, for tests, benchmarks and tools.
//
// The node keeps state in LevelDB (storage/chain_db.h); this is the same StateView over hash
// maps, with Apply() to commit a block's changes the way the node's batch write does.
#pragma once

#include <map>
#include <unordered_map>

#include "consensus/poc/coverage_verifier.h"
#include "consensus/state.h"

namespace cairn::consensus {

class MemoryState final : public StateView {
public:
    MemoryState() = default;
    explicit MemoryState(const std::map<PubKey, Account>& initial)
        : accounts{initial.begin(), initial.end()} {}

    std::optional<Account> GetAccount(const PubKey& key) const override;
    std::optional<Bytes> GetEntry(ByteSpan key) const override;
    void ForEachEntry(ByteSpan prefix, const EntryVisitor& visit) const override;

    // Writes a block's changes (new values; erased records are removed).
    void Apply(const std::map<PubKey, Account>& changes, const EntryChanges& entry_changes = {});

    std::unordered_map<PubKey, Account> accounts;
    std::map<Bytes, Bytes, BytesLess> entries;
};

// Block hashes by height, in memory.
class MemoryBlockHashes final : public BlockHashView {
public:
    std::optional<Hash256> HashAtHeight(uint64_t height) const override;
    std::map<uint64_t, Hash256> hashes;
};

}  // namespace cairn::consensus
