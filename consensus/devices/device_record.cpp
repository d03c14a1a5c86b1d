#include "consensus/devices/device_record.h"

#include <stdexcept>

#include "consensus/state_keys.h"

namespace cairn::consensus {
namespace {

void WriteOptional(Writer& w, const std::optional<uint64_t>& v) {
    // 0 encodes "none", n + 1 the value n.
    w.VarInt(v ? *v + 1 : 0);
}

bool ReadOptional(Reader& r, std::optional<uint64_t>& v, std::string_view field) {
    uint64_t raw = 0;
    if (!r.VarInt(raw, field)) return false;
    v = raw == 0 ? std::nullopt : std::optional<uint64_t>{raw - 1};
    return true;
}

}  // namespace

void DeviceRecord::Serialize(Writer& w) const {
    w.VarInt(static_cast<uint64_t>(device_class));
    w.Fixed(owner.bytes);
    w.VarInt(registered_height);
    w.ByteVec(class_data);
    w.VarInt(location ? 1 : 0);
    if (location) {
        w.VarInt(ZigZagEncode(location->position.lat_e7));
        w.VarInt(ZigZagEncode(location->position.lon_e7));
        w.VarInt(location->gain_ddbi);
        w.VarInt(location->region);
        w.VarInt(location->height);
    }
    w.VarInt(location_asserts);
    WriteOptional(w, last_beacon_bucket);
    WriteOptional(w, witnessed_height);
}

DecodeResult<DeviceRecord> DecodeDeviceRecord(ByteSpan data) {
    Reader r{data};
    DeviceRecord d;
    uint64_t v = 0;
    r.VarInt(v, "device.class");
    if (r.ok()) {
        auto c = DeviceClassFromId(v);
        if (!c) return MakeError(DecodeError{DecodeErrorCode::kUnknownEnum, "device.class"});
        d.device_class = *c;
    }
    r.Fixed(d.owner.bytes, "device.owner");
    r.VarInt(d.registered_height, "device.registered_height");
    r.ByteVec(d.class_data, kMaxClassDataBytes, "device.class_data");
    uint64_t has_location = 0;
    r.VarIntMax(has_location, 1, "device.has_location");
    if (has_location) {
        AssertedLocation loc;
        uint64_t lat = 0, lon = 0, gain = 0, region = 0;
        r.VarIntMax(lat, UINT32_MAX, "device.lat");
        r.VarIntMax(lon, UINT32_MAX, "device.lon");
        r.VarIntMax(gain, UINT16_MAX, "device.gain");
        r.VarIntMax(region, UINT8_MAX, "device.region");
        r.VarInt(loc.height, "device.location_height");
        loc.position = {static_cast<int32_t>(ZigZagDecode(lat)),
                        static_cast<int32_t>(ZigZagDecode(lon))};
        loc.gain_ddbi = static_cast<uint16_t>(gain);
        loc.region = static_cast<uint8_t>(region);
        d.location = loc;
    }
    r.VarIntMax(v, UINT32_MAX, "device.location_asserts");
    d.location_asserts = static_cast<uint32_t>(v);
    ReadOptional(r, d.last_beacon_bucket, "device.last_beacon_bucket");
    ReadOptional(r, d.witnessed_height, "device.witnessed_height");
    if (!r.ExpectEnd("device")) return MakeError(r.Error());
    return d;
}

std::optional<DeviceRecord> ReadDevice(const StateView& state, const PubKey& device) {
    auto raw = state.GetEntry(keys::WithKey(keys::kDevice, device));
    if (!raw) return std::nullopt;
    auto d = DecodeDeviceRecord(*raw);
    if (!d) throw std::runtime_error("corrupt device record " + device.Hex());
    return std::move(d).value();
}

void WriteDevice(StateDelta& state, const PubKey& device, const DeviceRecord& record) {
    Writer w;
    record.Serialize(w);
    state.SetEntry(keys::WithKey(keys::kDevice, device), w.Take());
}

Hash256 DeviceRegistrationHash(uint32_t network_id, const PubKey& owner, const PubKey& device,
                               DeviceClass c, ByteSpan class_data) {
    Writer w;
    w.Int(network_id);
    w.Fixed(owner.bytes);
    w.Fixed(device.bytes);
    w.Int(static_cast<uint8_t>(c));
    w.ByteVec(class_data);
    return TaggedHash(tags::kDeviceRegistration, w.Data());
}

}  // namespace cairn::consensus
