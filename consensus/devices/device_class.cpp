#include "consensus/devices/device_class.h"

namespace cairn::consensus {

std::optional<DeviceClass> DeviceClassFromId(uint64_t id) {
    switch (id) {
        case static_cast<uint64_t>(DeviceClass::kRadio):
            return DeviceClass::kRadio;
    }
    return std::nullopt;
}

std::optional<DeviceClass> DeviceClassFromName(std::string_view name) {
    if (name == "radio") return DeviceClass::kRadio;
    return std::nullopt;
}

std::string_view DeviceClassName(DeviceClass c) {
    switch (c) {
        case DeviceClass::kRadio:
            return "radio";
    }
    return "unknown";
}

Amount OnboardingFee(DeviceClass c, const ChainParams& params) {
    switch (c) {
        case DeviceClass::kRadio:
            return params.poc.radio_onboarding_fee;
    }
    return 0;
}

bool HasLocation(DeviceClass c) {
    switch (c) {
        case DeviceClass::kRadio:
            return true;
    }
    return false;
}

CheckResult<> CheckClassData(DeviceClass c, ByteSpan data, const ChainParams&) {
    switch (c) {
        case DeviceClass::kRadio:
            if (!data.empty()) {
                return Rejected(RejectReason::kTxMalformed, "radio devices carry no class data");
            }
            return {};
    }
    return Rejected(RejectReason::kTxMalformed, "unknown device class");
}

}  // namespace cairn::consensus
