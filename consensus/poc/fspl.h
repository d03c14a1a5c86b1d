// Free-space path loss for Proof-of-Coverage.
//
// A witness report claims a received signal strength; the loss expected over the claimed
// distance bounds what is physically plausible. FSPL = 20*log10(d) + 20*log10(f) + 20*log10(4*pi/c)
// (d in metres, f in hertz, c = 299,792,458 m/s) is computed here in integers (see
// fixed_math.h) from one base-2 logarithm of d*f, so every node gets the same millidecibels.
#pragma once

#include <cstdint>

namespace cairn::consensus::poc {

// FSPL in millidecibels, rounded to the nearest (half up). Distances below 1 m are treated as
// 1 m and a frequency of 0 as 1 Hz, so the function is total.
//   FsplMdb = round((Log2Q32(d_mm * f_hz) * kA + kB) / 2^64), where
//   kA = round(20000 * log10(2) * 2^32)                        (mdB per bit of log2, Q32)
//   kB = round(1000 * (20*log10(4*pi/c) - 60) * 2^64)          (-60 dB converts mm to m; Q64)
// Both constants were computed with mpmath at 80 significant digits. The error is the final
// rounding (<= 0.5 mdB) plus < 1e-5 mdB from the logarithm and the constants.
// Reference: 915 MHz gives 91,676 mdB at 1 km and 111,676 mdB at 10 km.
int64_t FsplMdb(uint64_t distance_mm, uint64_t frequency_hz);

}  // namespace cairn::consensus::poc
