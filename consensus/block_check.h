// Block validity rules.
//
// CheckBlockContextFree: what a block must satisfy on its own (size, count, Merkle root, no
//   duplicate transaction, each transaction context-free valid and signed).
// ConnectBlock: everything above, and the block against its parent, validator sets and state
//   (height, parent hash, time, validator-set hash, proposer, last commit, every coverage
//   proof's and compute entry's verdicts and effects, every transaction applied in order, the
//   compute bucket's settlement and start, the epoch's rewards at an epoch end, the state root
//   after all that). Returns the state changes to write on success. When
//   a block breaks several rules, which one is reported is not part of the rules: only whether the
//   block is valid is.
// The bound on how far a block's time may run ahead of the local clock is checked by the node:
// consensus has no clock.
#pragma once

#include <map>

#include "consensus/compute/compute_verifier.h"
#include "consensus/params.h"
#include "consensus/poc/coverage_verifier.h"
#include "consensus/reject.h"
#include "consensus/rewards/epoch_rewards.h"
#include "consensus/state.h"
#include "consensus/state_commitment.h"
#include "consensus/tx_check.h"
#include "consensus/validator_set.h"
#include "primitives/block.h"

namespace cairn::consensus {

struct BlockContext {
    const ChainParams& params;
    const BlockHeader& prev;              // the parent's header
    const ValidatorSet& validators;       // the set that must finalize this block
    const ValidatorSet& prev_validators;  // the set that signed the parent (last commit)
    const StateView& state;               // state after the parent
    const StateCommitment& commitment;    // commitment after the parent
    const SignatureChecker& sig_checker;
    const BlockHashView& hashes;  // committed block hashes (beacon entropy)
};

struct ConnectedBlock {
    std::map<PubKey, Account> changes;
    consensus::EntryChanges entry_changes;
    StateCommitment commitment;
    Amount fees{0};
    Amount minted{0};                     // new coins this block created (epoch rewards)
    Amount burned{0};                     // coins this block destroyed (device fees)
    std::vector<Hash256> txids;           // set by ConnectBlock, in block order
    std::vector<ProofEvaluation> proofs;  // in block order
    std::vector<compute::ComputeEvaluation> compute;      // in block order
    std::vector<compute::ComputeSettlement> settlements;  // at a bucket's settle height
    uint64_t challenged{0};                               // devices challenged (at a bucket start)
    std::optional<rewards::EpochOutcome> epoch;           // set at an epoch's last block
};

// What the state transition needs to know about the block besides its contents.
struct BlockEnv {
    const ChainParams& params;
    uint64_t height;
    const PubKey& proposer;
    const ValidatorSet& validators;  // paid the validator pool at epoch ends
    const BlockHashView& hashes;
    const SignatureChecker& checker;  // judges compute opens' cells (CheckOpens)
};

CheckResult<> CheckBlockContextFree(const Block& block, const ChainParams& params,
                                    const SignatureChecker& sig_checker);

CheckResult<ConnectedBlock> ConnectBlock(const Block& block, const BlockContext& ctx);

// The state part of block connection, shared by validation and block production so both
// compute the same root: applies the coverage proofs (recorded verdicts must match), the compute
// entries (recorded verdicts must match in kRecord mode; computed in kFill mode), then `txs` in
// order (any failure rejects), adds the fees to the epoch's validator pool, settles the compute
// bucket due at this height, starts a compute bucket at a bucket height, closes the epoch at its
// last block, and updates the commitment.
CheckResult<ConnectedBlock> ApplyBlockState(const std::vector<Transaction>& txs,
                                            const std::vector<CoverageProof>& proofs,
                                            const std::vector<ComputeEntry>& compute,
                                            compute::VerdictMode mode, const BlockEnv& env,
                                            const StateView& state,
                                            const StateCommitment& commitment);

struct AssembledBlock {
    Block block;
    ConnectedBlock connected;
};

// The block a proposer makes on top of `prev`: version, network, height, time (at least one ms
// after the parent), parent hash, Merkle roots, the state root after applying `proofs` (with
// correct verdicts), `compute` (whose verdicts it fills in) and `txs` (every one must apply, in
// order), validator-set hash,
// proposer and last commit with its hash. What ConnectBlock accepts is exactly what this
// builds, so producers and tests share it.
struct BlockTemplate {
    std::vector<Transaction> txs;
    std::vector<CoverageProof> proofs;
    std::vector<ComputeEntry> compute;
    Commit last_commit;
    PubKey proposer;
    uint64_t time_ms{0};
};
// `checker` judges the compute opens (the node passes one that runs them on all cores).
CheckResult<AssembledBlock> AssembleBlock(BlockTemplate t, const ChainParams& params,
                                          const BlockHeader& prev, const ValidatorSet& validators,
                                          const BlockHashView& hashes, const StateView& state,
                                          const StateCommitment& commitment,
                                          const SignatureChecker& checker);

// The Merkle root over the proofs' hashes.
Hash256 ComputeProofRoot(const std::vector<CoverageProof>& proofs);
// The Merkle root over the compute entries' hashes.
Hash256 ComputeEntriesRoot(const std::vector<ComputeEntry>& entries);

// True if a block at `height` carries the empty last commit: height 1 does, since the genesis
// block is agreed by configuration, not signed.
bool NeedsEmptyCommit(uint64_t height);

}  // namespace cairn::consensus
