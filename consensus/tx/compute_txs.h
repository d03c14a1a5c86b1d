// Compute devices' transactions (the device is registered with register_device, class compute).
//
// set_compute_tier (5): the owner changes the device's tier. Payload: fixed32 device || u8 tier.
//   It takes effect at the next bucket start, so the bucket in flight keeps the challenge its
//   device was given.
// reactivate_compute (6): the owner puts a device that was deactivated after missing
//   max_missed_buckets in a row back into the challenges, from the next bucket. Payload:
//   fixed32 device.
#pragma once

#include "consensus/tx/tx_type.h"

namespace cairn::consensus {

struct SetComputeTierPayload {
    PubKey device;
    uint8_t tier{0};

    Bytes Encode() const;
    static DecodeResult<SetComputeTierPayload> Decode(ByteSpan payload);
};

struct ReactivateComputePayload {
    PubKey device;

    Bytes Encode() const;
    static DecodeResult<ReactivateComputePayload> Decode(ByteSpan payload);
};

class SetComputeTierTx final : public TxType {
public:
    static constexpr uint64_t kId = 5;
    uint64_t Id() const override { return kId; }
    std::string_view Name() const override { return "set_compute_tier"; }
    CheckResult<> CheckPayload(const Transaction& tx, const ChainParams& params) const override;
    CheckResult<> Apply(const Transaction& tx, const ChainParams& params, uint64_t height,
                        StateDelta& state) const override;
    nlohmann::json PayloadToJson(const Transaction& tx, Network net) const override;
    std::vector<PubKey> OtherAccounts(const Transaction& tx) const override;
};

class ReactivateComputeTx final : public TxType {
public:
    static constexpr uint64_t kId = 6;
    uint64_t Id() const override { return kId; }
    std::string_view Name() const override { return "reactivate_compute"; }
    CheckResult<> CheckPayload(const Transaction& tx, const ChainParams& params) const override;
    CheckResult<> Apply(const Transaction& tx, const ChainParams& params, uint64_t height,
                        StateDelta& state) const override;
    nlohmann::json PayloadToJson(const Transaction& tx, Network net) const override;
    std::vector<PubKey> OtherAccounts(const Transaction& tx) const override;
};

}  // namespace cairn::consensus
