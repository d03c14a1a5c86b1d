// ComputeState: a compute device's standing in proof of compute, next to its DeviceRecord.
//
// Kept in its own record ('K' || device key) so the bucket start and settlement scan only compute
// devices, and a radio's record never carries compute fields. It holds the tier, whether the
// device is challenged at all (a device that missed max_missed_buckets in a row is not, until
// its owner reactivates it, so dead devices cost validators nothing), the progress of the bucket
// in flight, the last settled outcome, and the reward units of the epoch they were earned in
// (reset by the next credit, like coverage shares, so closing an epoch rewrites nothing).
#pragma once

#include <cstdint>
#include <optional>

#include "consensus/compute/compute_verdict.h"
#include "consensus/state.h"

namespace cairn::consensus {

// Where a device stands in the bucket it is challenged in.
enum class BucketProgress : uint8_t {
    kChallenged = 0,  // no commit counted yet
    kCommitted = 1,   // a commit counted (root, commit_height)
    kLateCommit = 2,  // only a late commit arrived
    kOpened = 3,      // the open was judged (open_verdict, open_detail)
};

struct ComputeState {
    uint8_t tier{0};                   // in force
    std::optional<uint8_t> next_tier;  // set_compute_tier: in force from the next bucket start
    bool active{true};
    uint32_t missed{0};  // buckets failed in a row

    // The bucket in flight; bucket == 0 when the device is not challenged now.
    uint64_t bucket{0};
    uint8_t bucket_tier{0};
    BucketProgress progress{BucketProgress::kChallenged};
    Hash256 root;  // the counted commit's root
    uint64_t commit_height{0};
    ComputeVerdict open_verdict{ComputeVerdict::kValid};
    uint32_t open_detail{0};

    // The last settled bucket (last_bucket == 0: none yet).
    uint64_t last_bucket{0};
    ComputeVerdict last_outcome{ComputeVerdict::kValid};
    uint32_t last_detail{0};
    uint64_t buckets_passed{0};  // lifetime
    uint64_t buckets_failed{0};  // lifetime

    // Reward units of passed buckets, counted only for epoch `share_epoch`.
    uint64_t share_epoch{0};
    uint64_t units{0};
    uint64_t share_buckets{0};

    bool operator==(const ComputeState&) const = default;
};

DecodeResult<ComputeState> DecodeComputeState(ByteSpan data);
Bytes EncodeComputeState(const ComputeState& s);

// Reads and writes through the state. Throws std::runtime_error on an undecodable record
// (corrupt state, never a consensus outcome).
std::optional<ComputeState> ReadComputeState(const StateView& state, const PubKey& device);
void WriteComputeState(StateDelta& state, const PubKey& device, const ComputeState& s);

}  // namespace cairn::consensus
