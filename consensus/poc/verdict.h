// Verdicts on the beacon and each witness of a coverage proof.
//
// Every validator computes them with the same rules (coverage_verifier.h); the block records
// them so explorers can show why a report earned nothing, and a block whose recorded verdicts
// differ from the computed ones is invalid. Codes are stable: they are part of block encoding.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace cairn::consensus {

enum class BeaconVerdict : uint8_t {
    kValid = 0,
    kEntropyOutOfWindow = 1,
    kUnknownDevice = 2,
    kNotRadio = 3,
    kNoLocation = 4,
    kBucketUsed = 5,
    kBadPayload = 6,
    kBadFrequency = 7,
    kTxPowerTooHigh = 8,
};

enum class WitnessVerdict : uint8_t {
    kValid = 0,        // valid and selected: earns
    kNotSelected = 1,  // valid, but more valid witnesses than the reward cap
    kBeaconInvalid = 2,
    kDuplicate = 3,
    kSelfWitness = 4,
    kUnknownDevice = 5,
    kNotRadio = 6,
    kNoLocation = 7,
    kWrongRegion = 8,
    kBadFrequency = 9,
    kTooClose = 10,
    kTooFar = 11,
    kRssiTooHigh = 12,
    kNoReciprocity = 13,
};

std::string_view BeaconVerdictCode(BeaconVerdict v);
std::string_view WitnessVerdictCode(WitnessVerdict v);
std::optional<BeaconVerdict> BeaconVerdictFromByte(uint8_t b);
std::optional<WitnessVerdict> WitnessVerdictFromByte(uint8_t b);

}  // namespace cairn::consensus
