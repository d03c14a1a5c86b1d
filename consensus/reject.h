// Why a transaction or block is invalid.
//
// Each reason has a stable string code ("tx-bad-signature") that RPC errors, logs and tests use.
// The enum has no default case anywhere, so adding a reason without naming it fails to compile
// warnings-clean.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace cairn::consensus {

enum class RejectReason {
    // Transactions, context-free.
    kTxMalformed,
    kTxTooLarge,
    kTxWrongNetwork,
    kTxUnknownType,
    kTxBadSender,
    kTxBadSignature,
    kTxFeeTooLow,
    kTxZeroAmount,
    kTxBadRecipient,
    kTxMemoTooLong,
    // Transactions, against state.
    kTxNonceTooLow,
    kTxNonceTooHigh,
    kTxInsufficientFunds,
    kTxBalanceOverflow,
    // Device registry transactions.
    kTxBadDeviceKey,
    kTxBadDeviceSignature,
    kTxUnknownDeviceClass,
    kTxBadLocation,
    kTxBadAntennaGain,
    kTxUnknownRegion,
    kTxDeviceExists,
    kTxUnknownDevice,
    kTxNotDeviceOwner,
    kTxDeviceHasNoLocation,
    kTxAssertTooSoon,
    kTxSameOwner,
    kTxUnknownTier,
    kTxNotCompute,
    kTxSameTier,
    kTxDeviceActive,
    // Blocks.
    kBlockBadVersion,
    kBlockWrongNetwork,
    kBlockBadHeight,
    kBlockBadPrevHash,
    kBlockTimeTooEarly,
    kBlockTimeTooNew,
    kBlockTooLarge,
    kBlockTooManyTxs,
    kBlockBadTxRoot,
    kBlockDuplicateTx,
    kBlockBadTx,
    kBlockBadStateRoot,
    kBlockBadValidatorSetHash,
    kBlockWrongProposer,
    kBlockBadLastCommitHash,
    kBlockBadCommit,
    kBlockCommitBadSignature,
    kBlockCommitInsufficientPower,
    // Coverage proofs in blocks.
    kBlockTooManyProofs,
    kBlockBadProofRoot,
    kBlockBadReportSignature,
    kBlockBadProof,
    kBlockBadVerdict,
    kBlockDuplicateBeacon,
    // Compute entries in blocks.
    kBlockTooManyComputeEntries,
    kBlockBadComputeRoot,
};

std::string_view RejectCode(RejectReason r);

struct Reject {
    RejectReason reason;
    std::string detail;
    std::string ToString() const;
};

inline Unexpected<Reject> Rejected(RejectReason r, std::string detail = {}) {
    return Unexpected<Reject>{Reject{r, std::move(detail)}};
}

template <typename T = void>
using CheckResult = Result<T, Reject>;

}  // namespace cairn::consensus
