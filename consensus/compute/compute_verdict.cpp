#include "consensus/compute/compute_verdict.h"

namespace cairn::consensus {

std::string_view ComputeVerdictCode(ComputeVerdict v) {
    switch (v) {
        case ComputeVerdict::kValid:
            return "valid";
        case ComputeVerdict::kUnknownDevice:
            return "compute-unknown-device";
        case ComputeVerdict::kNotCompute:
            return "compute-not-compute";
        case ComputeVerdict::kInactive:
            return "compute-inactive";
        case ComputeVerdict::kNotChallenged:
            return "compute-not-challenged";
        case ComputeVerdict::kWrongBucket:
            return "compute-wrong-bucket";
        case ComputeVerdict::kWrongTier:
            return "compute-wrong-tier";
        case ComputeVerdict::kLateCommit:
            return "compute-late-commit";
        case ComputeVerdict::kDuplicateCommit:
            return "compute-duplicate-commit";
        case ComputeVerdict::kNoCommit:
            return "compute-no-commit";
        case ComputeVerdict::kOpenTooEarly:
            return "compute-open-too-early";
        case ComputeVerdict::kLateOpen:
            return "compute-late-open";
        case ComputeVerdict::kDuplicateOpen:
            return "compute-duplicate-open";
        case ComputeVerdict::kRootMismatch:
            return "compute-root-mismatch";
        case ComputeVerdict::kWrongTiles:
            return "compute-wrong-tiles";
        case ComputeVerdict::kBadPath:
            return "compute-bad-path";
        case ComputeVerdict::kWrongValue:
            return "compute-wrong-value";
        case ComputeVerdict::kNoOpen:
            return "compute-no-open";
    }
    return "unknown";
}

std::optional<ComputeVerdict> ComputeVerdictFromByte(uint8_t b) {
    if (b > static_cast<uint8_t>(ComputeVerdict::kNoOpen)) return std::nullopt;
    return static_cast<ComputeVerdict>(b);
}

}  // namespace cairn::consensus
