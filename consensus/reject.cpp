#include "reject.h"

namespace cairn::consensus {

std::string_view RejectCode(RejectReason r) {
    switch (r) {
        case RejectReason::kTxBadDeviceKey:
            return "tx-bad-device-key";
        case RejectReason::kTxBadDeviceSignature:
            return "tx-bad-device-signature";
        case RejectReason::kTxUnknownDeviceClass:
            return "tx-unknown-device-class";
        case RejectReason::kTxBadLocation:
            return "tx-bad-location";
        case RejectReason::kTxBadAntennaGain:
            return "tx-bad-antenna-gain";
        case RejectReason::kTxUnknownRegion:
            return "tx-unknown-region";
        case RejectReason::kTxDeviceExists:
            return "tx-device-exists";
        case RejectReason::kTxUnknownDevice:
            return "tx-unknown-device";
        case RejectReason::kTxNotDeviceOwner:
            return "tx-not-device-owner";
        case RejectReason::kTxDeviceHasNoLocation:
            return "tx-device-has-no-location";
        case RejectReason::kTxAssertTooSoon:
            return "tx-assert-too-soon";
        case RejectReason::kTxSameOwner:
            return "tx-same-owner";
        case RejectReason::kTxUnknownTier:
            return "tx-unknown-tier";
        case RejectReason::kTxNotCompute:
            return "tx-not-compute";
        case RejectReason::kTxSameTier:
            return "tx-same-tier";
        case RejectReason::kTxDeviceActive:
            return "tx-device-active";
        case RejectReason::kBlockTooManyProofs:
            return "block-too-many-proofs";
        case RejectReason::kBlockBadProofRoot:
            return "block-bad-proof-root";
        case RejectReason::kBlockBadReportSignature:
            return "block-bad-report-signature";
        case RejectReason::kBlockBadProof:
            return "block-bad-proof";
        case RejectReason::kBlockBadVerdict:
            return "block-bad-verdict";
        case RejectReason::kBlockDuplicateBeacon:
            return "block-duplicate-beacon";
        case RejectReason::kBlockTooManyComputeEntries:
            return "block-too-many-compute-entries";
        case RejectReason::kBlockBadComputeRoot:
            return "block-bad-compute-root";
        case RejectReason::kTxMalformed:
            return "tx-malformed";
        case RejectReason::kTxTooLarge:
            return "tx-too-large";
        case RejectReason::kTxWrongNetwork:
            return "tx-wrong-network";
        case RejectReason::kTxUnknownType:
            return "tx-unknown-type";
        case RejectReason::kTxBadSender:
            return "tx-bad-sender";
        case RejectReason::kTxBadSignature:
            return "tx-bad-signature";
        case RejectReason::kTxFeeTooLow:
            return "tx-fee-too-low";
        case RejectReason::kTxZeroAmount:
            return "tx-zero-amount";
        case RejectReason::kTxBadRecipient:
            return "tx-bad-recipient";
        case RejectReason::kTxMemoTooLong:
            return "tx-memo-too-long";
        case RejectReason::kTxNonceTooLow:
            return "tx-nonce-too-low";
        case RejectReason::kTxNonceTooHigh:
            return "tx-nonce-too-high";
        case RejectReason::kTxInsufficientFunds:
            return "tx-insufficient-funds";
        case RejectReason::kTxBalanceOverflow:
            return "tx-balance-overflow";
        case RejectReason::kBlockBadVersion:
            return "block-bad-version";
        case RejectReason::kBlockWrongNetwork:
            return "block-wrong-network";
        case RejectReason::kBlockBadHeight:
            return "block-bad-height";
        case RejectReason::kBlockBadPrevHash:
            return "block-bad-prev-hash";
        case RejectReason::kBlockTimeTooEarly:
            return "block-time-too-early";
        case RejectReason::kBlockTimeTooNew:
            return "block-time-too-new";
        case RejectReason::kBlockTooLarge:
            return "block-too-large";
        case RejectReason::kBlockTooManyTxs:
            return "block-too-many-txs";
        case RejectReason::kBlockBadTxRoot:
            return "block-bad-tx-root";
        case RejectReason::kBlockDuplicateTx:
            return "block-duplicate-tx";
        case RejectReason::kBlockBadTx:
            return "block-bad-tx";
        case RejectReason::kBlockBadStateRoot:
            return "block-bad-state-root";
        case RejectReason::kBlockBadValidatorSetHash:
            return "block-bad-validator-set-hash";
        case RejectReason::kBlockWrongProposer:
            return "block-wrong-proposer";
        case RejectReason::kBlockBadLastCommitHash:
            return "block-bad-last-commit-hash";
        case RejectReason::kBlockBadCommit:
            return "block-bad-commit";
        case RejectReason::kBlockCommitBadSignature:
            return "block-commit-bad-signature";
        case RejectReason::kBlockCommitInsufficientPower:
            return "block-commit-insufficient-power";
    }
    return "unknown";
}

std::string Reject::ToString() const {
    std::string out{RejectCode(reason)};
    if (!detail.empty()) out += ": " + detail;
    return out;
}

}  // namespace cairn::consensus
