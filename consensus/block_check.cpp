#include "block_check.h"

#include <algorithm>
#include <unordered_set>

#include "consensus/merkle.h"

namespace cairn::consensus {

bool NeedsEmptyCommit(uint64_t height) {
    return height <= 1;
}

namespace {

// Version, network, count and size limits, the Merkle root and duplicate transactions: cheap
// checks on the block's shape, done before anything costs a state read or a signature.
// Returns the transaction ids, in block order.
CheckResult<std::vector<Hash256>> CheckBlockShape(const Block& block, const ChainParams& params) {
    if (block.header.version != kBlockVersion) {
        return Rejected(RejectReason::kBlockBadVersion,
                        "version " + std::to_string(block.header.version));
    }
    if (block.header.network_id != params.network_id) {
        return Rejected(RejectReason::kBlockWrongNetwork);
    }
    if (block.txs.size() > params.max_block_txs) {
        return Rejected(RejectReason::kBlockTooManyTxs, std::to_string(block.txs.size()));
    }
    size_t size = block.ToBytes().size();
    if (size > params.max_block_bytes) {
        return Rejected(RejectReason::kBlockTooLarge, std::to_string(size) + " bytes");
    }
    std::vector<Hash256> txids;
    txids.reserve(block.txs.size());
    std::unordered_set<Hash256> seen;
    for (const Transaction& tx : block.txs) {
        Hash256 id = tx.TxId();
        // The same transaction twice would fail on its nonce anyway; rejecting it here keeps
        // the transaction index (txid -> position) unambiguous.
        if (!seen.insert(id).second) return Rejected(RejectReason::kBlockDuplicateTx, id.Hex());
        txids.push_back(id);
    }
    if (ComputeMerkleRoot(txids) != block.header.tx_root) {
        return Rejected(RejectReason::kBlockBadTxRoot);
    }
    return txids;
}

// Each transaction's context-free rules and signature, through the checker.
CheckResult<> CheckBlockTransactions(const Block& block, const ChainParams& params,
                                     const SignatureChecker& sig_checker) {
    for (size_t i = 0; i < block.txs.size(); ++i) {
        if (auto r = sig_checker.CheckContextFree(block.txs[i], params); !r) {
            return Rejected(RejectReason::kBlockBadTx,
                            "tx " + std::to_string(i) + ": " + r.error().ToString());
        }
    }
    return {};
}

}  // namespace

CheckResult<> CheckBlockContextFree(const Block& block, const ChainParams& params,
                                    const SignatureChecker& sig_checker) {
    if (auto r = CheckBlockShape(block, params); !r) return MakeError(r.error());
    return CheckBlockTransactions(block, params, sig_checker);
}

CheckResult<ConnectedBlock> FinishBlockState(StateDelta& delta, Amount fees, const PubKey& proposer,
                                             const StateCommitment& commitment) {
    if (fees > 0) {
        Account p = delta.Get(proposer);
        auto credited = CheckedAdd(p.balance, fees);
        if (!credited) return Rejected(RejectReason::kTxBalanceOverflow, "proposer fees");
        p.balance = *credited;
        delta.Set(proposer, p);
    }
    ConnectedBlock out;
    out.changes = delta.Changes();
    out.commitment = commitment;
    out.fees = fees;
    UpdateCommitment(out.commitment, delta);
    return out;
}

CheckResult<ConnectedBlock> ApplyBlockTransactions(const std::vector<Transaction>& txs,
                                                   const PubKey& proposer,
                                                   const ChainParams& params,
                                                   const AccountView& state,
                                                   const StateCommitment& commitment) {
    StateDelta delta{state};
    Amount fees = 0;
    for (size_t i = 0; i < txs.size(); ++i) {
        if (auto r = ApplyTransaction(txs[i], params, delta); !r) {
            return Rejected(RejectReason::kBlockBadTx,
                            "tx " + std::to_string(i) + ": " + r.error().ToString());
        }
        auto sum = CheckedAdd(fees, txs[i].fee);
        if (!sum) return Rejected(RejectReason::kBlockBadTx, "fee total overflows");
        fees = *sum;
    }
    return FinishBlockState(delta, fees, proposer, commitment);
}

CheckResult<AssembledBlock> AssembleBlock(std::vector<Transaction> txs, const Commit& last_commit,
                                          const PubKey& proposer, uint64_t time_ms,
                                          const ChainParams& params, const BlockHeader& prev,
                                          const ValidatorSet& validators, const AccountView& state,
                                          const StateCommitment& commitment) {
    AssembledBlock out;
    Block& block = out.block;
    block.txs = std::move(txs);
    auto connected = ApplyBlockTransactions(block.txs, proposer, params, state, commitment);
    if (!connected) return MakeError(connected.error());
    BlockHeader& h = block.header;
    h.network_id = params.network_id;
    h.height = prev.height + 1;
    h.time_ms = std::max(time_ms, prev.time_ms + 1);
    h.prev_hash = prev.Hash();
    std::vector<Hash256> txids;
    txids.reserve(block.txs.size());
    for (const Transaction& tx : block.txs) txids.push_back(tx.TxId());
    h.tx_root = ComputeMerkleRoot(txids);
    h.state_root = connected->commitment.Root();
    h.validator_set_hash = validators.Hash();
    h.proposer = proposer;
    if (!NeedsEmptyCommit(h.height)) block.last_commit = last_commit;
    h.last_commit_hash = block.last_commit.Hash();
    out.connected = std::move(connected).value();
    return out;
}

CheckResult<ConnectedBlock> ConnectBlock(const Block& block, const BlockContext& ctx) {
    const BlockHeader& h = block.header;
    auto txids = CheckBlockShape(block, ctx.params);
    if (!txids) return MakeError(txids.error());
    if (h.height != ctx.prev.height + 1) {
        return Rejected(RejectReason::kBlockBadHeight, "height " + std::to_string(h.height) +
                                                           ", expected " +
                                                           std::to_string(ctx.prev.height + 1));
    }
    Hash256 prev_hash = ctx.prev.Hash();
    if (h.prev_hash != prev_hash) return Rejected(RejectReason::kBlockBadPrevHash);
    if (h.time_ms <= ctx.prev.time_ms) {
        return Rejected(
            RejectReason::kBlockTimeTooEarly,
            std::to_string(h.time_ms) + " <= parent " + std::to_string(ctx.prev.time_ms));
    }
    if (h.validator_set_hash != ctx.validators.Hash()) {
        return Rejected(RejectReason::kBlockBadValidatorSetHash);
    }
    if (h.proposer != ctx.validators.ProposerFor(h.height).key) {
        return Rejected(RejectReason::kBlockWrongProposer, h.proposer.Hex());
    }
    if (h.last_commit_hash != block.last_commit.Hash()) {
        return Rejected(RejectReason::kBlockBadLastCommitHash);
    }
    if (NeedsEmptyCommit(h.height)) {
        if (block.last_commit != Commit{}) {
            return Rejected(RejectReason::kBlockBadCommit, "height 1 carries the empty commit");
        }
    } else if (auto r = VerifyCommit(block.last_commit, ctx.prev_validators, ctx.params.network_id,
                                     ctx.prev.height, prev_hash);
               !r) {
        return MakeError(r.error());
    }
    // Applying comes before the per-transaction checks so that a checker that verifies
    // signatures in the background (the node's) overlaps them with this serial work. The
    // outcome is the same either way: nothing is kept unless every check passes.
    auto connected =
        ApplyBlockTransactions(block.txs, h.proposer, ctx.params, ctx.state, ctx.commitment);
    if (!connected) return connected;
    if (auto r = CheckBlockTransactions(block, ctx.params, ctx.sig_checker); !r) {
        return MakeError(r.error());
    }
    if (connected->commitment.Root() != h.state_root) {
        return Rejected(RejectReason::kBlockBadStateRoot);
    }
    connected->txids = std::move(txids).value();
    return connected;
}

}  // namespace cairn::consensus
