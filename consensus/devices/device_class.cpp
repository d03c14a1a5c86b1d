#include "consensus/devices/device_class.h"

namespace cairn::consensus {

std::optional<DeviceClass> DeviceClassFromId(uint64_t id) {
    switch (id) {
        case static_cast<uint64_t>(DeviceClass::kRadio):
            return DeviceClass::kRadio;
        case static_cast<uint64_t>(DeviceClass::kCompute):
            return DeviceClass::kCompute;
    }
    return std::nullopt;
}

std::optional<DeviceClass> DeviceClassFromName(std::string_view name) {
    if (name == "radio") return DeviceClass::kRadio;
    if (name == "compute") return DeviceClass::kCompute;
    return std::nullopt;
}

std::string_view DeviceClassName(DeviceClass c) {
    switch (c) {
        case DeviceClass::kRadio:
            return "radio";
        case DeviceClass::kCompute:
            return "compute";
    }
    return "unknown";
}

Amount OnboardingFee(DeviceClass c, const ChainParams& params) {
    switch (c) {
        case DeviceClass::kRadio:
            return params.poc.radio_onboarding_fee;
        case DeviceClass::kCompute:
            return params.compute.onboarding_fee;
    }
    return 0;
}

bool HasLocation(DeviceClass c) {
    switch (c) {
        case DeviceClass::kRadio:
            return true;
        case DeviceClass::kCompute:
            return false;
    }
    return false;
}

CheckResult<> CheckClassData(DeviceClass c, ByteSpan data, const ChainParams& params) {
    switch (c) {
        case DeviceClass::kRadio:
            if (!data.empty()) {
                return Rejected(RejectReason::kTxMalformed, "radio devices carry no class data");
            }
            return {};
        case DeviceClass::kCompute:
            if (data.size() != 1) {
                return Rejected(RejectReason::kTxMalformed, "compute devices carry one tier byte");
            }
            if (!FindComputeTier(params.compute, data[0])) {
                return Rejected(RejectReason::kTxUnknownTier, std::to_string(data[0]));
            }
            return {};
    }
    return Rejected(RejectReason::kTxMalformed, "unknown device class");
}

}  // namespace cairn::consensus
