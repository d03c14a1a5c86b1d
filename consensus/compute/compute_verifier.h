// ComputeVerifier: the proof-of-compute rules (doc/depin.md, "Proof of compute").
//
// ApplyComputeEntries judges the compute reports a block includes, in block order, against the
// ledger and the schedule (schedule.h): a commit counts if its device is an active compute device
// challenged in the current bucket, names its tier, is its first, and is in time; an open counts
// if it follows a counted commit, arrives in its window, names the committed root, and its tiles
// lead to that root with every spotted cell equal to A·B's (open_check.h). Every other case has
// its own verdict. In "record" mode the block's recorded verdicts must equal the computed ones
// (else kBlockBadVerdict); in "fill" mode (block assembly) the computed ones are returned.
// StartComputeBucket challenges every active device at a bucket start; SettleComputeBucket closes
// the bucket at h0 + settle_offset: passed or the reason it failed, reward units for a pass,
// deactivation after max_missed_buckets failures in a row.
// Signatures are checked separately, context-free (block_check.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "consensus/compute/compute_state.h"
#include "consensus/params.h"
#include "consensus/poc/coverage_verifier.h"
#include "consensus/reject.h"
#include "consensus/state.h"
#include "consensus/tx_check.h"
#include "primitives/compute_report.h"

namespace cairn::consensus::compute {

struct ComputeEvaluation {
    ComputeVerdict verdict{ComputeVerdict::kValid};
    uint32_t detail{0};
    bool operator==(const ComputeEvaluation&) const = default;
};

enum class VerdictMode { kRecord, kFill };

// `height` is the including block's. Returns one evaluation per entry, in order.
CheckResult<std::vector<ComputeEvaluation>> ApplyComputeEntries(
    const std::vector<ComputeEntry>& entries, VerdictMode mode, uint64_t height,
    const ChainParams& params, const BlockHashView& hashes, const SignatureChecker& checker,
    StateDelta& state);

// Challenges every active compute device (applying pending tier changes) if a bucket starts at
// `height`. Returns how many were challenged (0 at other heights).
uint64_t StartComputeBucket(const ChainParams& params, uint64_t height, StateDelta& state);

struct ComputeSettlement {
    PubKey device;
    uint64_t bucket{0};
    uint8_t tier{0};
    ComputeVerdict outcome{ComputeVerdict::kValid};  // kValid: passed
    uint32_t detail{0};
    uint64_t units{0};        // reward units earned (the tier's weight on a pass)
    bool deactivated{false};  // this failure was the max_missed_buckets-th in a row
};

// Settles the bucket whose settle height is `height`, if any; devices in key order.
std::vector<ComputeSettlement> SettleComputeBucket(const ChainParams& params, uint64_t height,
                                                   StateDelta& state);

// What a prover needs for its device's challenge in the current bucket, as of the state after
// block `tip_height` (nullopt if the device is not challenged now or block h0's hash is unknown).
struct ChallengeInfo {
    uint64_t bucket{0};
    uint8_t tier{0};
    const ComputeTier* tier_params = nullptr;
    Hash256 seed;
    uint64_t commit_deadline{0};  // last height a counted commit may be included at
    uint64_t spot_height{0};
    uint64_t open_deadline{0};
    uint64_t settle_height{0};
};
std::optional<ChallengeInfo> CurrentChallenge(const ChainParams& params, uint64_t tip_height,
                                              const BlockHashView& hashes, const StateView& state,
                                              const PubKey& device);

}  // namespace cairn::consensus::compute
