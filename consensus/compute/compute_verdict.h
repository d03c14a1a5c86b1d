// Verdicts of proof of compute: on each compute report a block includes, and on each device's
// bucket when it is settled.
//
// Every validator computes them with the same rules (compute_verifier.h); the block records an
// entry's verdict, so explorers can show why a device failed, and a block whose recorded verdicts
// differ is invalid. A settlement's outcome is kValid (passed) or the reason the bucket failed.
// Codes are stable: they are part of block encoding.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace cairn::consensus {

enum class ComputeVerdict : uint8_t {
    kValid = 0,            // a counted commit, a passing open, a passed bucket
    kUnknownDevice = 1,    // no device has this key
    kNotCompute = 2,       // the device is not of class compute
    kInactive = 3,         // deactivated after missed buckets: not challenged
    kNotChallenged = 4,    // active, but not in this bucket (registered or reactivated after h0)
    kWrongBucket = 5,      // the report names a bucket other than the current one
    kWrongTier = 6,        // the commit names a tier other than the device's in this bucket
    kLateCommit = 7,       // included after h0 + D
    kDuplicateCommit = 8,  // the device already committed in this bucket
    kNoCommit = 9,         // an open without a counted commit; a bucket with no commit
    kOpenTooEarly = 10,    // included before the spot-check block's hash is known
    kLateOpen = 11,        // included after the open window
    kDuplicateOpen = 12,   // the device already opened in this bucket
    kRootMismatch = 13,    // the open names a root other than the committed one
    kWrongTiles = 14,      // the opened tiles are not exactly the spotted cells' tiles
    kBadPath = 15,         // a tile does not lead to the committed root (detail: spot number)
    kWrongValue = 16,      // a spotted cell is not A·B's (detail: spot number)
    kNoOpen = 17,          // a bucket committed but never opened
};

std::string_view ComputeVerdictCode(ComputeVerdict v);
std::optional<ComputeVerdict> ComputeVerdictFromByte(uint8_t b);

}  // namespace cairn::consensus
