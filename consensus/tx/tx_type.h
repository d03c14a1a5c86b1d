// TxType: the rules of one transaction type, registered by id.
//
// Each type lives in its own file under consensus/tx/ and implements this interface; the
// registry (registry.cpp) lists them. Adding a type means one new file and one line there:
// no switch elsewhere in the code names transaction types.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "consensus/params.h"
#include "consensus/reject.h"
#include "consensus/state.h"
#include "primitives/transaction.h"

namespace cairn::consensus {

class TxType {
public:
    virtual ~TxType() = default;

    virtual uint64_t Id() const = 0;
    virtual std::string_view Name() const = 0;

    // Context-free: the payload decodes canonically and meets the type's limits.
    virtual CheckResult<> CheckPayload(const Transaction& tx, const ChainParams& params) const = 0;

    // Applies the type's effects after the generic rules charged the fee and advanced the
    // sender's nonce. On error the caller discards the transaction's writes. Must be safe on any
    // decoded transaction, even one whose CheckPayload fails (reject, never misbehave): blocks
    // are applied while their context-free checks still run.
    // `height` is the height of the block the transaction goes into.
    virtual CheckResult<> Apply(const Transaction& tx, const ChainParams& params, uint64_t height,
                                StateDelta& state) const = 0;

    // The payload as JSON for RPC (addresses in the network's format).
    // REQUIRES: CheckPayload passed.
    virtual nlohmann::json PayloadToJson(const Transaction& tx, Network net) const = 0;

    // Accounts other than the sender that the transaction credits, for indexes and wallets.
    virtual std::vector<PubKey> OtherAccounts(const Transaction& tx) const = 0;
};

// The transaction's payload decoded as `Payload` (which has a static Decode(ByteSpan)), or
// kTxMalformed with the decoder's message.
template <typename Payload>
CheckResult<Payload> DecodeTxPayload(const Transaction& tx) {
    auto p = Payload::Decode(tx.payload);
    if (!p) return Rejected(RejectReason::kTxMalformed, p.error().ToString());
    return std::move(p).value();
}

// nullptr if no type has this id / name.
const TxType* FindTxType(uint64_t id);
const TxType* FindTxType(std::string_view name);
const std::vector<const TxType*>& AllTxTypes();

}  // namespace cairn::consensus
