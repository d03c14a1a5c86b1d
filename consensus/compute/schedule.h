// The compute bucket schedule: which heights start, commit, spot-check, open and settle a bucket.
//
// Bucket b >= 1 starts at h0 = b * bucket_length. At the end of block h0 every active compute
// device is challenged, seeded by block h0's hash. For a device of tier t with deadline D:
//   commit: in a block at height h0 < h <= h0 + D (later ones are recorded as late);
//   spot:   the hash of block h0 + D + 1, produced after the last counted commit, picks the cells;
//   open:   in a block at height h0 + D + 1 < h <= h0 + D + 1 + open_window;
//   settle: every device of the bucket, at h0 + settle_offset (the latest tier's open deadline),
//           before the next bucket starts (CheckDepinParams requires bucket_length > offset).
// One shared start for all devices is what makes the proof a capacity proof: one machine cannot
// answer for several devices in turn unless it is that many times faster.
#pragma once

#include <cstdint>

#include "consensus/params.h"

namespace cairn::consensus::compute {

// True iff a bucket starts at `height` (height >= bucket_length and a multiple of it).
bool IsBucketStart(const ComputeParams& p, uint64_t height);
// The start of the latest bucket that started before `height`, or 0 if none has.
uint64_t CurrentBucket(const ComputeParams& p, uint64_t height);
// max over tiers of D, plus 1 (the spot block), plus the open window.
uint64_t SettleOffset(const ComputeParams& p);
uint64_t SpotHeight(const ComputeTier& t, uint64_t bucket);
uint64_t OpenDeadline(const ComputeParams& p, const ComputeTier& t, uint64_t bucket);

}  // namespace cairn::consensus::compute
