#include "consensus/poc/verdict.h"

namespace cairn::consensus {

std::string_view BeaconVerdictCode(BeaconVerdict v) {
    switch (v) {
        case BeaconVerdict::kValid:
            return "valid";
        case BeaconVerdict::kEntropyOutOfWindow:
            return "beacon-entropy-out-of-window";
        case BeaconVerdict::kUnknownDevice:
            return "beacon-unknown-device";
        case BeaconVerdict::kNotRadio:
            return "beacon-not-radio";
        case BeaconVerdict::kNoLocation:
            return "beacon-no-location";
        case BeaconVerdict::kBucketUsed:
            return "beacon-bucket-used";
        case BeaconVerdict::kBadPayload:
            return "beacon-bad-payload";
        case BeaconVerdict::kBadFrequency:
            return "beacon-bad-frequency";
        case BeaconVerdict::kTxPowerTooHigh:
            return "beacon-tx-power-too-high";
    }
    return "unknown";
}

std::string_view WitnessVerdictCode(WitnessVerdict v) {
    switch (v) {
        case WitnessVerdict::kValid:
            return "valid";
        case WitnessVerdict::kNotSelected:
            return "witness-not-selected";
        case WitnessVerdict::kBeaconInvalid:
            return "witness-beacon-invalid";
        case WitnessVerdict::kDuplicate:
            return "witness-duplicate";
        case WitnessVerdict::kSelfWitness:
            return "witness-self";
        case WitnessVerdict::kUnknownDevice:
            return "witness-unknown-device";
        case WitnessVerdict::kNotRadio:
            return "witness-not-radio";
        case WitnessVerdict::kNoLocation:
            return "witness-no-location";
        case WitnessVerdict::kWrongRegion:
            return "witness-wrong-region";
        case WitnessVerdict::kBadFrequency:
            return "witness-bad-frequency";
        case WitnessVerdict::kTooClose:
            return "witness-too-close";
        case WitnessVerdict::kTooFar:
            return "witness-too-far";
        case WitnessVerdict::kRssiTooHigh:
            return "witness-rssi-too-high";
        case WitnessVerdict::kNoReciprocity:
            return "witness-no-reciprocity";
    }
    return "unknown";
}

std::optional<BeaconVerdict> BeaconVerdictFromByte(uint8_t b) {
    if (b > static_cast<uint8_t>(BeaconVerdict::kTxPowerTooHigh)) return std::nullopt;
    return static_cast<BeaconVerdict>(b);
}

std::optional<WitnessVerdict> WitnessVerdictFromByte(uint8_t b) {
    if (b > static_cast<uint8_t>(WitnessVerdict::kNoReciprocity)) return std::nullopt;
    return static_cast<WitnessVerdict>(b);
}

}  // namespace cairn::consensus
