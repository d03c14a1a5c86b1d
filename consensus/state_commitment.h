// StateCommitment: the state root every header carries, updated in O(accounts touched).
//
// The root commits to the set of all (key, account) pairs and all (key, record) entries with a
// lattice multiset hash (LtHash, Bellare–Micciancio; as used by Facebook's and Solana's account
// hashing): each pair expands to 1024 16-bit lanes via ChaCha20 keyed by
// TaggedHash("Cairn/StateLeaf", key || account) (records: "Cairn/StateEntry", length-prefixed key
// || value); the accumulator is their lane-wise sum mod 2^16. Changing an account subtracts the old
// element and adds the new one, so a block's cost is proportional to the accounts it touches, never
// to the total. root = TaggedHash("Cairn/StateRoot", accumulator).
//
// Two nodes that differ in any account have different accumulators except with negligible
// probability. An authenticated tree with inclusion proofs can replace this class behind the
// same interface (Add/Remove/Root) later.
#pragma once

#include <array>
#include <cstdint>

#include "consensus/state.h"
#include "crypto/hash.h"

namespace cairn::consensus {

class StateCommitment {
public:
    static constexpr size_t kLanes = 1024;
    static constexpr size_t kBytes = kLanes * 2;

    StateCommitment() = default;

    void Add(const PubKey& key, const Account& account);
    void Remove(const PubKey& key, const Account& account);
    void AddEntry(ByteSpan key, ByteSpan value);
    void RemoveEntry(ByteSpan key, ByteSpan value);
    Hash256 Root() const;

    Bytes Serialize() const;
    // nullopt unless exactly kBytes bytes.
    static std::optional<StateCommitment> Deserialize(ByteSpan data);
    bool operator==(const StateCommitment&) const = default;

private:
    void AddElement(const Hash256& seed);
    void RemoveElement(const Hash256& seed);

    std::array<uint16_t, kLanes> m_lanes{};
};

// Applies a block's changes to a commitment: each changed key's old value (from `before`, if it
// existed) is removed and its new value added. Empty accounts are not part of the set.
void UpdateCommitment(StateCommitment& c, const StateView& before,
                      const std::map<PubKey, Account>& changes);
// The same for a delta's account and record changes, taking old values from the delta's own
// base reads.
void UpdateCommitment(StateCommitment& c, const StateDelta& delta);

}  // namespace cairn::consensus
