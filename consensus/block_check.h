// Block validity rules.
//
// CheckBlockContextFree: what a block must satisfy on its own (size, count, Merkle root, no
//   duplicate transaction, each transaction context-free valid and signed).
// ConnectBlock: everything above, and the block against its parent, validator sets and state
//   (height, parent hash, time, validator-set hash, proposer, last commit, every transaction
//   applied in order, the state root after applying). Returns the state changes to write on
//   success. When a block breaks several rules, which one is reported is not part of the
//   rules: only whether the block is valid is.
// The bound on how far a block's time may run ahead of the local clock is checked by the node:
// consensus has no clock.
#pragma once

#include <map>

#include "consensus/params.h"
#include "consensus/reject.h"
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
    const AccountView& state;             // state after the parent
    const StateCommitment& commitment;    // commitment after the parent
    const SignatureChecker& sig_checker;
};

struct ConnectedBlock {
    std::map<PubKey, Account> changes;
    StateCommitment commitment;
    Amount fees{0};
    std::vector<Hash256> txids;  // set by ConnectBlock, in block order
};

CheckResult<> CheckBlockContextFree(const Block& block, const ChainParams& params,
                                    const SignatureChecker& sig_checker);

CheckResult<ConnectedBlock> ConnectBlock(const Block& block, const BlockContext& ctx);

// The state part of block connection, shared by validation and block production so both
// compute the same root: applies `txs` in order (any failure rejects), credits the fees to the
// proposer and updates the commitment.
CheckResult<ConnectedBlock> ApplyBlockTransactions(const std::vector<Transaction>& txs,
                                                   const PubKey& proposer,
                                                   const ChainParams& params,
                                                   const AccountView& state,
                                                   const StateCommitment& commitment);

// Credits `fees` to the proposer in `delta` and returns the updated commitment (old values
// come from the delta's own base reads). Used by ApplyBlockTransactions.
CheckResult<ConnectedBlock> FinishBlockState(StateDelta& delta, Amount fees, const PubKey& proposer,
                                             const StateCommitment& commitment);

struct AssembledBlock {
    Block block;
    ConnectedBlock connected;
};

// The block a proposer makes on top of `prev`: version, network, height, time (at least one ms
// after the parent), parent hash, Merkle root, the state root after applying `txs` (every one
// must apply, in order), validator-set hash, proposer and last commit with its hash. What
// ConnectBlock accepts is exactly what this builds, so producers and tests share it.
CheckResult<AssembledBlock> AssembleBlock(std::vector<Transaction> txs, const Commit& last_commit,
                                          const PubKey& proposer, uint64_t time_ms,
                                          const ChainParams& params, const BlockHeader& prev,
                                          const ValidatorSet& validators, const AccountView& state,
                                          const StateCommitment& commitment);

// True if a block at `height` carries the empty last commit: height 1 does, since the genesis
// block is agreed by configuration, not signed.
bool NeedsEmptyCommit(uint64_t height);

}  // namespace cairn::consensus
