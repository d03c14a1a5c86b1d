#include "block_check.h"

#include <algorithm>
#include <unordered_set>

#include "consensus/merkle.h"
#include "consensus/rewards/accounting.h"

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
    if (block.proofs.size() > params.poc.max_proofs_per_block) {
        return Rejected(RejectReason::kBlockTooManyProofs, std::to_string(block.proofs.size()));
    }
    std::unordered_set<Hash256> beacons;
    for (const CoverageProof& p : block.proofs) {
        // One proof per beacon: a second would book the same beacon's rewards twice.
        if (!beacons.insert(p.beacon.Id()).second) {
            return Rejected(RejectReason::kBlockDuplicateBeacon, p.beacon.Id().Hex());
        }
        if (p.witnesses.size() > params.poc.max_witnesses_per_proof) {
            return Rejected(RejectReason::kBlockBadProof,
                            std::to_string(p.witnesses.size()) + " witnesses");
        }
    }
    if (ComputeProofRoot(block.proofs) != block.header.proof_root) {
        return Rejected(RejectReason::kBlockBadProofRoot);
    }
    if (block.compute.size() > params.compute.max_entries_per_block) {
        return Rejected(RejectReason::kBlockTooManyComputeEntries,
                        std::to_string(block.compute.size()));
    }
    if (ComputeEntriesRoot(block.compute) != block.header.compute_root) {
        return Rejected(RejectReason::kBlockBadComputeRoot);
    }
    return txids;
}

// Each transaction's context-free rules and signature, and every report signature in the
// coverage proofs, through the checker.
CheckResult<> CheckBlockSignatures(const Block& block, const ChainParams& params,
                                   const SignatureChecker& sig_checker) {
    for (size_t i = 0; i < block.txs.size(); ++i) {
        if (auto r = sig_checker.CheckContextFree(block.txs[i], params); !r) {
            return Rejected(RejectReason::kBlockBadTx,
                            "tx " + std::to_string(i) + ": " + r.error().ToString());
        }
    }
    for (size_t i = 0; i < block.proofs.size(); ++i) {
        if (!sig_checker.VerifyReports(block.proofs[i], params.network_id)) {
            return Rejected(RejectReason::kBlockBadReportSignature,
                            "proof " + std::to_string(i) + " (beacon " +
                                block.proofs[i].beacon.Id().Hex() + ")");
        }
    }
    for (size_t i = 0; i < block.compute.size(); ++i) {
        if (!sig_checker.VerifyComputeReport(block.compute[i].report, params.network_id)) {
            return Rejected(RejectReason::kBlockBadReportSignature,
                            "compute entry " + std::to_string(i));
        }
    }
    return {};
}

}  // namespace

CheckResult<> CheckBlockContextFree(const Block& block, const ChainParams& params,
                                    const SignatureChecker& sig_checker) {
    if (auto r = CheckBlockShape(block, params); !r) return MakeError(r.error());
    return CheckBlockSignatures(block, params, sig_checker);
}

Hash256 ComputeProofRoot(const std::vector<CoverageProof>& proofs) {
    std::vector<Hash256> leaves;
    leaves.reserve(proofs.size());
    for (const CoverageProof& p : proofs) leaves.push_back(p.Hash());
    return ComputeMerkleRoot(leaves);
}

Hash256 ComputeEntriesRoot(const std::vector<ComputeEntry>& entries) {
    std::vector<Hash256> leaves;
    leaves.reserve(entries.size());
    for (const ComputeEntry& e : entries) leaves.push_back(e.Hash());
    return ComputeMerkleRoot(leaves);
}

CheckResult<ConnectedBlock> ApplyBlockState(const std::vector<Transaction>& txs,
                                            const std::vector<CoverageProof>& proofs,
                                            const std::vector<ComputeEntry>& compute,
                                            compute::VerdictMode mode, const BlockEnv& env,
                                            const StateView& state,
                                            const StateCommitment& commitment) {
    StateDelta delta{state};
    ConnectedBlock out;
    const ChainAccounting before = ReadAccounting(delta);
    // Proofs first: they are judged on the state their beacons' window saw, which is also the
    // state the proposer's report pool evaluated them on, so no transaction in the same block
    // (a device moving or changing hands) can change a verdict.
    out.proofs.reserve(proofs.size());
    for (const CoverageProof& p : proofs) {
        auto ev = ApplyCoverageProof(p, env.height, env.params, env.hashes, delta);
        if (!ev) return MakeError(ev.error());
        out.proofs.push_back(std::move(ev).value());
    }
    // Compute reports likewise come before transactions: a set_compute_tier or transfer in the
    // same block cannot change how they are judged.
    auto evals = compute::ApplyComputeEntries(compute, mode, env.height, env.params, env.hashes,
                                              env.checker, delta);
    if (!evals) return MakeError(evals.error());
    out.compute = std::move(evals).value();
    for (size_t i = 0; i < txs.size(); ++i) {
        if (auto r = ApplyTransaction(txs[i], env.params, env.height, delta); !r) {
            return Rejected(RejectReason::kBlockBadTx,
                            "tx " + std::to_string(i) + ": " + r.error().ToString());
        }
        auto sum = CheckedAdd(out.fees, txs[i].fee);
        if (!sum) return Rejected(RejectReason::kBlockBadTx, "fee total overflows");
        out.fees = *sum;
    }
    // Fees go to the validator pool, paid at the epoch's end.
    if (out.fees > 0) {
        ChainAccounting acc = ReadAccounting(delta);
        auto pooled = CheckedAdd(acc.epoch_fees, out.fees);
        if (!pooled) return Rejected(RejectReason::kTxBalanceOverflow, "epoch fees");
        acc.epoch_fees = *pooled;
        WriteAccounting(delta, acc);
    }
    // Settle before starting: bucket_length > settle offset, so a bucket is settled before the
    // next starts, and before an epoch end in the same block pays its units.
    out.settlements = compute::SettleComputeBucket(env.params, env.height, delta);
    out.challenged = compute::StartComputeBucket(env.params, env.height, delta);
    if (rewards::IsEpochEnd(env.params, env.height)) {
        auto epoch = rewards::CloseEpoch(env.params, env.height, env.validators, delta);
        if (!epoch) return MakeError(epoch.error());
        out.epoch = std::move(epoch).value();
    }
    const ChainAccounting after = ReadAccounting(delta);
    out.minted = after.minted - before.minted;
    out.burned = after.burned - before.burned;
    out.changes = delta.Changes();
    out.entry_changes = delta.EntryChanges();
    out.commitment = commitment;
    UpdateCommitment(out.commitment, delta);
    return out;
}

CheckResult<AssembledBlock> AssembleBlock(BlockTemplate t, const ChainParams& params,
                                          const BlockHeader& prev, const ValidatorSet& validators,
                                          const BlockHashView& hashes, const StateView& state,
                                          const StateCommitment& commitment,
                                          const SignatureChecker& checker) {
    AssembledBlock out;
    Block& block = out.block;
    block.txs = std::move(t.txs);
    block.proofs = std::move(t.proofs);
    block.compute = std::move(t.compute);
    BlockHeader& h = block.header;
    h.height = prev.height + 1;
    const BlockEnv env{params, h.height, t.proposer, validators, hashes, checker};
    auto connected = ApplyBlockState(block.txs, block.proofs, block.compute,
                                     compute::VerdictMode::kFill, env, state, commitment);
    if (!connected) return MakeError(connected.error());
    for (size_t i = 0; i < block.compute.size(); ++i) {
        block.compute[i].verdict = static_cast<uint8_t>(connected->compute[i].verdict);
        block.compute[i].detail = connected->compute[i].detail;
    }
    h.network_id = params.network_id;
    h.time_ms = std::max(t.time_ms, prev.time_ms + 1);
    h.prev_hash = prev.Hash();
    std::vector<Hash256> txids;
    txids.reserve(block.txs.size());
    for (const Transaction& tx : block.txs) txids.push_back(tx.TxId());
    h.tx_root = ComputeMerkleRoot(txids);
    h.proof_root = ComputeProofRoot(block.proofs);
    h.compute_root = ComputeEntriesRoot(block.compute);
    h.state_root = connected->commitment.Root();
    h.validator_set_hash = validators.Hash();
    h.proposer = t.proposer;
    if (!NeedsEmptyCommit(h.height)) block.last_commit = std::move(t.last_commit);
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
    const BlockEnv env{ctx.params,     h.height,   h.proposer,
                       ctx.validators, ctx.hashes, ctx.sig_checker};
    auto connected = ApplyBlockState(block.txs, block.proofs, block.compute,
                                     compute::VerdictMode::kRecord, env, ctx.state, ctx.commitment);
    if (!connected) return connected;
    if (auto r = CheckBlockSignatures(block, ctx.params, ctx.sig_checker); !r) {
        return MakeError(r.error());
    }
    if (connected->commitment.Root() != h.state_root) {
        return Rejected(RejectReason::kBlockBadStateRoot);
    }
    connected->txids = std::move(txids).value();
    return connected;
}

}  // namespace cairn::consensus
