// Device classes: what kind of hardware a registered device is.
//
// The class decides what a device proves (radio: coverage; compute: capacity), what registering it
// costs, and which extra data its registration carries. Adding a class means one new entry here and
// the rules of its proof module; the registry transactions themselves do not change.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "consensus/params.h"
#include "consensus/reject.h"
#include "primitives/serialize.h"

namespace cairn::consensus {

enum class DeviceClass : uint8_t {
    kRadio = 1,
    kCompute = 2,
};

// nullopt for an id no class has.
std::optional<DeviceClass> DeviceClassFromId(uint64_t id);
std::optional<DeviceClass> DeviceClassFromName(std::string_view name);
std::string_view DeviceClassName(DeviceClass c);

// The fee register_device burns for a device of this class.
Amount OnboardingFee(DeviceClass c, const ChainParams& params);
// Whether devices of this class assert a location (and so may beacon and witness).
bool HasLocation(DeviceClass c);
// The class-specific registration data, checked context-free: empty for radios, one byte (the
// tier id) for compute devices.
CheckResult<> CheckClassData(DeviceClass c, ByteSpan data, const ChainParams& params);

inline constexpr size_t kMaxClassDataBytes = 64;

}  // namespace cairn::consensus
