#include "tx_check.h"

#include "consensus/tx/tx_type.h"

namespace cairn::consensus {

std::optional<Amount> MinimumFee(size_t encoded_size, const ChainParams& params) {
    return CheckedMul(encoded_size, params.min_fee_per_byte);
}

CheckResult<> CheckTransaction(const Transaction& tx, const ChainParams& params) {
    // The network id is signed, so a transaction cannot be replayed across networks.
    if (tx.network_id != params.network_id) {
        return Rejected(RejectReason::kTxWrongNetwork,
                        "network id " + std::to_string(tx.network_id) + ", expected " +
                            std::to_string(params.network_id));
    }
    size_t size = tx.ToBytes().size();
    // Both bounds of the decoder: whatever passes here must decode on every node.
    if (size > kMaxTxSize || tx.payload.size() > kMaxTxPayload) {
        return Rejected(RejectReason::kTxTooLarge);
    }
    if (!tx.sender.IsValid()) return Rejected(RejectReason::kTxBadSender);
    const TxType* type = FindTxType(tx.type);
    if (type == nullptr) {
        return Rejected(RejectReason::kTxUnknownType, "type " + std::to_string(tx.type));
    }
    if (auto r = type->CheckPayload(tx, params); !r) return r;
    auto min_fee = MinimumFee(size, params);
    if (!min_fee || tx.fee < *min_fee) {
        return Rejected(RejectReason::kTxFeeTooLow,
                        "fee " + std::to_string(tx.fee) + " < minimum " +
                            std::to_string(min_fee.value_or(0)) + " units");
    }
    return {};
}

bool SignatureChecker::Verify(const Transaction& tx) const {
    return VerifySchnorr(tx.sender, tx.SigHash(), tx.signature);
}

bool SignatureChecker::VerifyReports(const CoverageProof& proof, uint32_t network_id) const {
    if (!VerifySchnorr(proof.beacon.beaconer, proof.beacon.SigHash(network_id),
                       proof.beacon.signature)) {
        return false;
    }
    const Hash256 beacon_id = proof.beacon.Id();
    for (const ProofWitness& w : proof.witnesses) {
        const WitnessReport r = w.ToReport(beacon_id);
        if (!VerifySchnorr(r.witness, r.SigHash(network_id), r.signature)) return false;
    }
    return true;
}

bool SignatureChecker::VerifyComputeReport(const ComputeReport& report, uint32_t network_id) const {
    return VerifySchnorr(ComputeReportDevice(report), ComputeReportSigHash(report, network_id),
                         ComputeReportSignature(report));
}

std::vector<compute::OpenCheck> SignatureChecker::CheckOpens(
    std::span<const compute::OpenCheckInput> inputs) const {
    std::vector<compute::OpenCheck> out;
    out.reserve(inputs.size());
    for (const compute::OpenCheckInput& in : inputs) out.push_back(compute::CheckOpenCells(in));
    return out;
}

CheckResult<> SignatureChecker::CheckContextFree(const Transaction& tx,
                                                 const ChainParams& params) const {
    if (auto r = CheckTransaction(tx, params); !r) return r;
    if (!Verify(tx)) return Rejected(RejectReason::kTxBadSignature);
    return {};
}

CheckResult<> ApplyTransaction(const Transaction& tx, const ChainParams& params, uint64_t height,
                               StateDelta& state) {
    const TxType* type = FindTxType(tx.type);
    if (type == nullptr) return Rejected(RejectReason::kTxUnknownType);
    Account sender = state.Get(tx.sender);
    // Exactly the next nonce: no replay of an old transaction, no gaps.
    if (tx.nonce < sender.nonce) {
        return Rejected(
            RejectReason::kTxNonceTooLow,
            "nonce " + std::to_string(tx.nonce) + ", expected " + std::to_string(sender.nonce));
    }
    if (tx.nonce > sender.nonce) {
        return Rejected(
            RejectReason::kTxNonceTooHigh,
            "nonce " + std::to_string(tx.nonce) + ", expected " + std::to_string(sender.nonce));
    }
    // An account at the last nonce can send no more (unreachable in practice: 2^64 txs).
    if (sender.nonce == UINT64_MAX)
        return Rejected(RejectReason::kTxNonceTooHigh, "nonce space exhausted");
    if (sender.balance < tx.fee) {
        return Rejected(
            RejectReason::kTxInsufficientFunds,
            "balance " + FormatAmount(sender.balance) + " < fee " + FormatAmount(tx.fee));
    }
    StateDelta::Checkpoint cp = state.MakeCheckpoint();
    sender.balance -= tx.fee;
    sender.nonce += 1;
    state.Set(tx.sender, sender);
    if (auto r = type->Apply(tx, params, height, state); !r) {
        state.Rollback(cp);
        return r;
    }
    return {};
}

}  // namespace cairn::consensus
