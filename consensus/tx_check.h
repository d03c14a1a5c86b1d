// Transaction validity rules shared by every type.
//
// CheckTransaction:  context-free (network, size, sender key, type, payload, minimum fee).
// SignatureChecker:  BIP340 over SigHash(), and the two context-free checks together for blocks,
//                    and the state-free cell checks of compute opens; the node runs them for a
//                    whole block on all cores and answers from its results, which is why this
//                    is an interface.
// ApplyTransaction:  against state (nonce, fee, then the type's own effects). All-or-nothing.
#pragma once

#include <span>
#include <vector>

#include "consensus/compute/open_check.h"
#include "consensus/params.h"
#include "consensus/reject.h"
#include "consensus/state.h"
#include "primitives/report.h"
#include "primitives/transaction.h"

namespace cairn::consensus {

// The minimum fee for a transaction of this encoded size; nullopt on overflow.
std::optional<Amount> MinimumFee(size_t encoded_size, const ChainParams& params);

CheckResult<> CheckTransaction(const Transaction& tx, const ChainParams& params);

class SignatureChecker {
public:
    virtual ~SignatureChecker() = default;
    [[nodiscard]] virtual bool Verify(const Transaction& tx) const;
    // CheckTransaction, then the signature (kTxBadSignature). Blocks are checked through this.
    [[nodiscard]] virtual CheckResult<> CheckContextFree(const Transaction& tx,
                                                         const ChainParams& params) const;
    // Every report signature in a coverage proof (the beacon's and each witness's).
    [[nodiscard]] virtual bool VerifyReports(const CoverageProof& proof, uint32_t network_id) const;
    // The device's signature on a compute report.
    [[nodiscard]] virtual bool VerifyComputeReport(const ComputeReport& report,
                                                   uint32_t network_id) const;
    // compute::CheckOpenCells for each input, in order (this default: one after another).
    [[nodiscard]] virtual std::vector<compute::OpenCheck> CheckOpens(
        std::span<const compute::OpenCheckInput> inputs) const;
};

// Nonce, fee and the type's effects. The result counts only for a transaction that also passes
// CheckTransaction and its signature, but it is safe on any decoded transaction.
// On error the state is exactly as before the call.
// `height` is the height of the block the transaction goes into.
CheckResult<> ApplyTransaction(const Transaction& tx, const ChainParams& params, uint64_t height,
                               StateDelta& state);

}  // namespace cairn::consensus
