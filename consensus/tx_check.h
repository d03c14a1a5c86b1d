// Transaction validity rules shared by every type.
//
// CheckTransaction:  context-free (network, size, sender key, type, payload, minimum fee).
// SignatureChecker:  BIP340 over SigHash(), and the two context-free checks together for blocks;
//                    the node runs them for a whole block on all cores ahead of time and
//                    answers from its results, which is why this is an interface.
// ApplyTransaction:  against state (nonce, fee, then the type's own effects). All-or-nothing.
#pragma once

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
};

// Nonce, fee and the type's effects. The result counts only for a transaction that also passes
// CheckTransaction and its signature, but it is safe on any decoded transaction.
// On error the state is exactly as before the call.
// `height` is the height of the block the transaction goes into.
CheckResult<> ApplyTransaction(const Transaction& tx, const ChainParams& params, uint64_t height,
                               StateDelta& state);

}  // namespace cairn::consensus
