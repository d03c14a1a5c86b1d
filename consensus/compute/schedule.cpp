#include "consensus/compute/schedule.h"

#include <algorithm>

namespace cairn::consensus::compute {

bool IsBucketStart(const ComputeParams& p, uint64_t height) {
    return height >= p.bucket_length && height % p.bucket_length == 0;
}

uint64_t CurrentBucket(const ComputeParams& p, uint64_t height) {
    if (height == 0) return 0;
    return (height - 1) / p.bucket_length * p.bucket_length;
}

uint64_t SettleOffset(const ComputeParams& p) {
    uint64_t d = 0;
    for (const ComputeTier& t : p.tiers) d = std::max(d, t.deadline);
    return d + 1 + p.open_window;
}

uint64_t SpotHeight(const ComputeTier& t, uint64_t bucket) {
    return bucket + t.deadline + 1;
}

uint64_t OpenDeadline(const ComputeParams& p, const ComputeTier& t, uint64_t bucket) {
    return SpotHeight(t, bucket) + p.open_window;
}

}  // namespace cairn::consensus::compute
