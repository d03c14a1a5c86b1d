// The device registry's transactions.
//
// register_device (2): the sender becomes the owner of a new device. Payload:
//   varint class || fixed32 device key || fixed64 device signature || bytes class data
//   The device key signs DeviceRegistrationHash(network id, owner, device key, class, class
//   data), so
//   nobody can register (and so squat or hijack the rewards of) a key they do not hold. The
//   class's onboarding fee is burned.
// assert_location (3): the owner sets a device's location, antenna and radio region. Payload:
//   fixed32 device || varint zigzag(lat_e7) || varint zigzag(lon_e7) || varint gain_ddbi ||
//   varint region
//   The location fee is burned; a device may assert again only after assert_location_interval
//   blocks, so moving a hotspot around to chase rewards costs time and coins.
// transfer_device (4): the owner hands the device to a new owner. Payload:
//   fixed32 device || fixed32 new owner
#pragma once

#include "consensus/devices/device_record.h"
#include "consensus/tx/tx_type.h"

namespace cairn::consensus {

struct RegisterDevicePayload {
    DeviceClass device_class{DeviceClass::kRadio};
    PubKey device;
    Signature device_signature;
    Bytes class_data;

    Bytes Encode() const;
    static DecodeResult<RegisterDevicePayload> Decode(ByteSpan payload);
};

struct AssertLocationPayload {
    PubKey device;
    poc::LatLon position;
    uint16_t gain_ddbi{0};
    uint8_t region{0};

    Bytes Encode() const;
    static DecodeResult<AssertLocationPayload> Decode(ByteSpan payload);
};

struct TransferDevicePayload {
    PubKey device;
    PubKey new_owner;

    Bytes Encode() const;
    static DecodeResult<TransferDevicePayload> Decode(ByteSpan payload);
};

class RegisterDeviceTx final : public TxType {
public:
    static constexpr uint64_t kId = 2;
    uint64_t Id() const override { return kId; }
    std::string_view Name() const override { return "register_device"; }
    CheckResult<> CheckPayload(const Transaction& tx, const ChainParams& params) const override;
    CheckResult<> Apply(const Transaction& tx, const ChainParams& params, uint64_t height,
                        StateDelta& state) const override;
    nlohmann::json PayloadToJson(const Transaction& tx, Network net) const override;
    std::vector<PubKey> OtherAccounts(const Transaction& tx) const override;
};

class AssertLocationTx final : public TxType {
public:
    static constexpr uint64_t kId = 3;
    uint64_t Id() const override { return kId; }
    std::string_view Name() const override { return "assert_location"; }
    CheckResult<> CheckPayload(const Transaction& tx, const ChainParams& params) const override;
    CheckResult<> Apply(const Transaction& tx, const ChainParams& params, uint64_t height,
                        StateDelta& state) const override;
    nlohmann::json PayloadToJson(const Transaction& tx, Network net) const override;
    std::vector<PubKey> OtherAccounts(const Transaction& tx) const override;
};

class TransferDeviceTx final : public TxType {
public:
    static constexpr uint64_t kId = 4;
    uint64_t Id() const override { return kId; }
    std::string_view Name() const override { return "transfer_device"; }
    CheckResult<> CheckPayload(const Transaction& tx, const ChainParams& params) const override;
    CheckResult<> Apply(const Transaction& tx, const ChainParams& params, uint64_t height,
                        StateDelta& state) const override;
    nlohmann::json PayloadToJson(const Transaction& tx, Network net) const override;
    std::vector<PubKey> OtherAccounts(const Transaction& tx) const override;
};

}  // namespace cairn::consensus
