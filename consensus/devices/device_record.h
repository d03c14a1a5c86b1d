// DeviceRecord: a registered device as the ledger holds it.
//
// Keyed by the device's own public key ('D' || key): the key signs the device's reports, so
// reports name devices without any other index. The owner (an account) receives the device's
// rewards and alone may assert its location or transfer it.
#pragma once

#include <cstdint>
#include <optional>

#include "consensus/devices/device_class.h"
#include "consensus/poc/geo.h"
#include "consensus/state.h"

namespace cairn::consensus {

struct AssertedLocation {
    poc::LatLon position;
    uint16_t gain_ddbi{0};  // antenna gain, dBi x 10
    uint8_t region{0};      // index into PocParams::regions
    uint64_t height{0};     // block of the assertion
    bool operator==(const AssertedLocation&) const = default;
};

struct DeviceRecord {
    DeviceClass device_class{DeviceClass::kRadio};
    PubKey owner;
    uint64_t registered_height{0};
    Bytes class_data;
    std::optional<AssertedLocation> location;
    uint32_t location_asserts{0};
    // Coverage history, kept by the proof-of-coverage rules:
    std::optional<uint64_t> last_beacon_bucket;  // bucket of the device's latest counted beacon
    // Height of the block that included the device's latest valid beacon with at least one
    // witness that passed the physical rules (reciprocity and interactivity look at this).
    std::optional<uint64_t> witnessed_height;

    void Serialize(Writer& w) const;
    bool operator==(const DeviceRecord&) const = default;
};

DecodeResult<DeviceRecord> DecodeDeviceRecord(ByteSpan data);

// Reads and writes through the state. Throws std::runtime_error on an undecodable record
// (corrupt state, never a consensus outcome).
std::optional<DeviceRecord> ReadDevice(const StateView& state, const PubKey& device);
void WriteDevice(StateDelta& state, const PubKey& device, const DeviceRecord& record);

// The message a device key signs to consent to its registration by `owner`, covering the class
// data too (a compute device's tier), so nobody can register a device under terms it did not sign.
Hash256 DeviceRegistrationHash(uint32_t network_id, const PubKey& owner, const PubKey& device,
                               DeviceClass c, ByteSpan class_data);

}  // namespace cairn::consensus
