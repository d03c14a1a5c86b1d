// Shared helpers for the benchmarks: deterministic keys, cheap valid filler public keys, signed
// transfers, an in-memory account view and a valid-block builder (the same steps as
// BlockProducer::ProduceBlock).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

#include "consensus/block_check.h"
#include "consensus/memory_state.h"
#include "consensus/params.h"
#include "consensus/state.h"
#include "consensus/state_commitment.h"
#include "consensus/validator_set.h"
#include "crypto/keys.h"
#include "primitives/block.h"
#include "primitives/transaction.h"

namespace cairn::bench {

inline constexpr Amount kBenchBalance = 1'000 * kCoin;
inline constexpr Amount kBenchFee = 10'000;  // above the minimum for a memo-less transfer
// Every benchmark takes its senders from the first kSenderPool keys of SenderKeys().
inline constexpr size_t kSenderPool = 10'000;

consensus::ChainParams BenchParams();

// SecretKey::FromBytes(Sha256("cairn-bench/key" || index)).
SecretKey BenchKey(uint64_t index);

// The first n deterministic sender keys (BenchKey(0..n-1)) and their public keys, derived once
// (in parallel) and cached for the process. Asking for more later reallocates the vectors, so
// callers ask for kSenderPool.
struct KeyPool {
    std::vector<SecretKey> secret;
    std::vector<PubKey> pub;
};
const KeyPool& SenderKeys(size_t n);

// n distinct valid x-only public keys nobody holds the secret of (Sha256 outputs that parse as
// curve points), disjoint from the sender keys. Cached for the process; computed in parallel.
const std::vector<PubKey>& FillerPubKeys(size_t n);

// Runs f(i) for i in [0, n) on `threads` threads (hardware concurrency if 0).
void ParallelFor(size_t n, const std::function<void(size_t)>& f, unsigned threads = 0);

// An unsigned transfer; Sign() fills the signature (fixed aux randomness: reproducible txids).
Transaction MakeTransfer(const PubKey& from, const PubKey& to, Amount amount, uint64_t nonce,
                         const consensus::ChainParams& params, Amount fee = kBenchFee);
void SignTx(Transaction& tx, const SecretKey& sk);
// Signs txs[i] with *keys[i], in parallel.
void SignAll(std::vector<Transaction>& txs, const std::vector<const SecretKey*>& keys);

// Committed state in memory, as the node's LevelDB view would answer it.
using MapView = consensus::MemoryState;

// A single-validator set (power 1) for key BenchKey(kValidatorKeyIndex).
inline constexpr uint64_t kValidatorKeyIndex = 0xFFFF'FFFF'0000'0001ULL;
const SecretKey& ValidatorKey();
const consensus::ValidatorSet& BenchValidators();

struct BuiltBlock {
    Block block;
    Commit commit;  // the finalizing commit, signed by the single validator
    consensus::ConnectedBlock connected;
};

// A valid block at prev.height + 1 on top of `prev` (hash prev_hash, finalized by prev_commit)
// carrying `txs`, built as BlockProducer::ProduceBlock does: state root from
// ApplyBlockState over `state` and `commitment` (no proofs). Throws if the transactions do not
// apply.
BuiltBlock MakeBlock(const consensus::ChainParams& params, const BlockHeader& prev,
                     const Commit& prev_commit, std::vector<Transaction> txs,
                     const consensus::StateView& state,
                     const consensus::StateCommitment& commitment, uint64_t time_ms);

}  // namespace cairn::bench
