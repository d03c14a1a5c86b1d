#include "consensus/tx/device_txs.h"

#include "consensus/compute/compute_state.h"
#include "consensus/rewards/accounting.h"
#include "primitives/address.h"

namespace cairn::consensus {
namespace {

// The device, which must exist and belong to `sender`.
CheckResult<DeviceRecord> OwnedDevice(const StateView& state, const PubKey& device,
                                      const PubKey& sender) {
    auto d = ReadDevice(state, device);
    if (!d) return Rejected(RejectReason::kTxUnknownDevice, device.Hex());
    if (d->owner != sender) return Rejected(RejectReason::kTxNotDeviceOwner, device.Hex());
    return std::move(d).value();
}

}  // namespace

// --- register_device ---

Bytes RegisterDevicePayload::Encode() const {
    Writer w;
    w.VarInt(static_cast<uint64_t>(device_class));
    w.Fixed(device.bytes);
    w.Fixed(device_signature.bytes);
    w.ByteVec(class_data);
    return w.Take();
}

DecodeResult<RegisterDevicePayload> RegisterDevicePayload::Decode(ByteSpan payload) {
    Reader r{payload};
    RegisterDevicePayload p;
    uint64_t c = 0;
    r.VarIntMax(c, UINT8_MAX, "register_device.class");
    p.device_class = static_cast<DeviceClass>(c);  // CheckPayload rejects unknown classes
    r.Fixed(p.device.bytes, "register_device.device");
    r.Fixed(p.device_signature.bytes, "register_device.device_signature");
    r.ByteVec(p.class_data, kMaxClassDataBytes, "register_device.class_data");
    if (!r.ExpectEnd("register_device")) return MakeError(r.Error());
    return p;
}

CheckResult<> RegisterDeviceTx::CheckPayload(const Transaction& tx,
                                             const ChainParams& params) const {
    auto p = DecodeTxPayload<RegisterDevicePayload>(tx);
    if (!p) return MakeError(p.error());
    if (!DeviceClassFromId(static_cast<uint64_t>(p->device_class))) {
        return Rejected(RejectReason::kTxUnknownDeviceClass,
                        std::to_string(static_cast<int>(p->device_class)));
    }
    if (!p->device.IsValid()) return Rejected(RejectReason::kTxBadDeviceKey);
    if (auto r = CheckClassData(p->device_class, p->class_data, params); !r) return r;
    const Hash256 msg = DeviceRegistrationHash(params.network_id, tx.sender, p->device,
                                               p->device_class, p->class_data);
    if (!VerifySchnorr(p->device, msg, p->device_signature)) {
        return Rejected(RejectReason::kTxBadDeviceSignature);
    }
    return {};
}

CheckResult<> RegisterDeviceTx::Apply(const Transaction& tx, const ChainParams& params,
                                      uint64_t height, StateDelta& state) const {
    auto p = DecodeTxPayload<RegisterDevicePayload>(tx);
    if (!p) return MakeError(p.error());
    if (!DeviceClassFromId(static_cast<uint64_t>(p->device_class))) {
        return Rejected(RejectReason::kTxUnknownDeviceClass);
    }
    if (ReadDevice(state, p->device)) return Rejected(RejectReason::kTxDeviceExists);
    if (auto r = BurnFrom(state, tx.sender, OnboardingFee(p->device_class, params)); !r) return r;
    DeviceRecord d;
    d.device_class = p->device_class;
    d.owner = tx.sender;
    d.registered_height = height;
    d.class_data = p->class_data;
    if (d.device_class == DeviceClass::kCompute) {
        // CheckPayload validated the tier byte; Apply must still be safe without it.
        if (d.class_data.size() != 1 || !FindComputeTier(params.compute, d.class_data[0])) {
            return Rejected(RejectReason::kTxUnknownTier);
        }
        ComputeState cs;
        cs.tier = d.class_data[0];
        WriteComputeState(state, p->device, cs);
    }
    WriteDevice(state, p->device, d);
    return {};
}

nlohmann::json RegisterDeviceTx::PayloadToJson(const Transaction& tx, Network) const {
    auto p = RegisterDevicePayload::Decode(tx.payload);
    if (!p) return nlohmann::json::object();
    return {{"device", p->device.Hex()},
            {"class", DeviceClassName(p->device_class)},
            {"class_data_hex", HexStr(p->class_data)}};
}

std::vector<PubKey> RegisterDeviceTx::OtherAccounts(const Transaction&) const {
    return {};
}

// --- assert_location ---

Bytes AssertLocationPayload::Encode() const {
    Writer w;
    w.Fixed(device.bytes);
    w.VarInt(ZigZagEncode(position.lat_e7));
    w.VarInt(ZigZagEncode(position.lon_e7));
    w.VarInt(gain_ddbi);
    w.VarInt(region);
    return w.Take();
}

DecodeResult<AssertLocationPayload> AssertLocationPayload::Decode(ByteSpan payload) {
    Reader r{payload};
    AssertLocationPayload p;
    uint64_t lat = 0, lon = 0, gain = 0, region = 0;
    r.Fixed(p.device.bytes, "assert_location.device");
    r.VarIntMax(lat, UINT32_MAX, "assert_location.lat");
    r.VarIntMax(lon, UINT32_MAX, "assert_location.lon");
    r.VarIntMax(gain, UINT16_MAX, "assert_location.gain");
    r.VarIntMax(region, UINT8_MAX, "assert_location.region");
    if (!r.ExpectEnd("assert_location")) return MakeError(r.Error());
    p.position = {static_cast<int32_t>(ZigZagDecode(lat)), static_cast<int32_t>(ZigZagDecode(lon))};
    p.gain_ddbi = static_cast<uint16_t>(gain);
    p.region = static_cast<uint8_t>(region);
    return p;
}

CheckResult<> AssertLocationTx::CheckPayload(const Transaction& tx,
                                             const ChainParams& params) const {
    auto p = DecodeTxPayload<AssertLocationPayload>(tx);
    if (!p) return MakeError(p.error());
    if (!poc::IsValidLocation(p->position)) {
        return Rejected(RejectReason::kTxBadLocation, std::to_string(p->position.lat_e7) + "," +
                                                          std::to_string(p->position.lon_e7));
    }
    if (p->gain_ddbi < params.poc.min_antenna_gain_ddbi ||
        p->gain_ddbi > params.poc.max_antenna_gain_ddbi) {
        return Rejected(RejectReason::kTxBadAntennaGain, std::to_string(p->gain_ddbi));
    }
    if (!FindRegion(params.poc, p->region)) {
        return Rejected(RejectReason::kTxUnknownRegion, std::to_string(p->region));
    }
    return {};
}

CheckResult<> AssertLocationTx::Apply(const Transaction& tx, const ChainParams& params,
                                      uint64_t height, StateDelta& state) const {
    auto p = DecodeTxPayload<AssertLocationPayload>(tx);
    if (!p) return MakeError(p.error());
    auto d = OwnedDevice(state, p->device, tx.sender);
    if (!d) return MakeError(d.error());
    if (!HasLocation(d->device_class)) return Rejected(RejectReason::kTxDeviceHasNoLocation);
    if (d->location && height < d->location->height + params.poc.assert_location_interval) {
        return Rejected(
            RejectReason::kTxAssertTooSoon,
            "last at " + std::to_string(d->location->height) + ", next at " +
                std::to_string(d->location->height + params.poc.assert_location_interval));
    }
    if (auto r = BurnFrom(state, tx.sender, params.poc.assert_location_fee); !r) return r;
    d->location = AssertedLocation{p->position, p->gain_ddbi, p->region, height};
    d->location_asserts += 1;
    WriteDevice(state, p->device, *d);
    return {};
}

nlohmann::json AssertLocationTx::PayloadToJson(const Transaction& tx, Network) const {
    auto p = AssertLocationPayload::Decode(tx.payload);
    if (!p) return nlohmann::json::object();
    return {{"device", p->device.Hex()},
            {"lat_e7", p->position.lat_e7},
            {"lon_e7", p->position.lon_e7},
            {"gain_ddbi", p->gain_ddbi},
            {"region", p->region}};
}

std::vector<PubKey> AssertLocationTx::OtherAccounts(const Transaction&) const {
    return {};
}

// --- transfer_device ---

Bytes TransferDevicePayload::Encode() const {
    Writer w;
    w.Fixed(device.bytes);
    w.Fixed(new_owner.bytes);
    return w.Take();
}

DecodeResult<TransferDevicePayload> TransferDevicePayload::Decode(ByteSpan payload) {
    Reader r{payload};
    TransferDevicePayload p;
    r.Fixed(p.device.bytes, "transfer_device.device");
    r.Fixed(p.new_owner.bytes, "transfer_device.new_owner");
    if (!r.ExpectEnd("transfer_device")) return MakeError(r.Error());
    return p;
}

CheckResult<> TransferDeviceTx::CheckPayload(const Transaction& tx, const ChainParams&) const {
    auto p = DecodeTxPayload<TransferDevicePayload>(tx);
    if (!p) return MakeError(p.error());
    // Rewards paid to bytes that are not a key could never be spent.
    if (!p->new_owner.IsValid()) return Rejected(RejectReason::kTxBadRecipient);
    if (p->new_owner == tx.sender) return Rejected(RejectReason::kTxSameOwner);
    return {};
}

CheckResult<> TransferDeviceTx::Apply(const Transaction& tx, const ChainParams&, uint64_t,
                                      StateDelta& state) const {
    auto p = DecodeTxPayload<TransferDevicePayload>(tx);
    if (!p) return MakeError(p.error());
    auto d = OwnedDevice(state, p->device, tx.sender);
    if (!d) return MakeError(d.error());
    d->owner = p->new_owner;
    WriteDevice(state, p->device, *d);
    return {};
}

nlohmann::json TransferDeviceTx::PayloadToJson(const Transaction& tx, Network net) const {
    auto p = TransferDevicePayload::Decode(tx.payload);
    if (!p) return nlohmann::json::object();
    return {{"device", p->device.Hex()}, {"new_owner", EncodeAddress(net, p->new_owner)}};
}

std::vector<PubKey> TransferDeviceTx::OtherAccounts(const Transaction& tx) const {
    auto p = TransferDevicePayload::Decode(tx.payload);
    if (!p) return {};
    return {p->new_owner};
}

}  // namespace cairn::consensus
