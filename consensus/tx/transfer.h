// transfer: moves `amount` from the sender to `recipient`, with an optional memo.
//
// Payload encoding: fixed32 recipient || varint amount || bytes memo (<= max_memo_bytes).
// Exchanges identify deposits by memo, so it is carried verbatim (any bytes, not only UTF-8).
#pragma once

#include "consensus/tx/tx_type.h"

namespace cairn::consensus {

struct TransferPayload {
    PubKey recipient;
    Amount amount{0};
    Bytes memo;

    Bytes Encode() const;
    static DecodeResult<TransferPayload> Decode(ByteSpan payload);
};

class TransferTx final : public TxType {
public:
    static constexpr uint64_t kId = 1;

    uint64_t Id() const override { return kId; }
    std::string_view Name() const override { return "transfer"; }
    CheckResult<> CheckPayload(const Transaction& tx, const ChainParams& params) const override;
    CheckResult<> Apply(const Transaction& tx, const ChainParams& params, uint64_t height,
                        StateDelta& state) const override;
    nlohmann::json PayloadToJson(const Transaction& tx, Network net) const override;
    std::vector<PubKey> OtherAccounts(const Transaction& tx) const override;
};

}  // namespace cairn::consensus
