// Integer fixed-point math for the Proof-of-Coverage rules.
//
// Coverage checks (distances, path loss, grid cells) decide rewards, so every node must compute
// bit-identical results: floating point and libm differ between compilers, CPUs and flags, so
// nothing here uses them. Each function is a fixed sequence of integer operations on 64- and
// 128-bit values; its accuracy is measured against double references in poc_geo_tests.cpp and
// recorded in doc/depin.md (section 4).
#pragma once

#include <cstdint>

namespace cairn::consensus::poc {

// floor(sqrt(x)) for every 128-bit x, by the bit-by-bit (digit) method: exact, 64 steps.
uint64_t ISqrt(unsigned __int128 x);

// floor(log2(x) * 2^32), i.e. log2(x) in Q32. REQUIRES x >= 1.
// The integer part is the index of the top set bit; the 32 fraction bits come from repeatedly
// squaring the mantissa (a Q62 value in [1, 2)) and halving it whenever it reaches 2. Truncation
// only ever rounds down, so the result is exact for powers of two, monotonic in x, and otherwise at
// most one unit (2^-32) below the true floor. x == 0 (log = -infinity) returns INT64_MIN rather
// than a value that could pass for a real logarithm.
int64_t Log2Q32(unsigned __int128 x);

// cos(angle) * 2^30, rounded, for an angle in units of 1e-7 degrees. Any int64 angle is
// accepted (the angle is reduced mod 360 degrees); the intended range is +-3'600'000'000.
// Symmetry reduces the angle to [0, 90] degrees, it is converted to radians in Q62 with a
// 94-bit pi, and the Taylor series to x^20 (truncation error < 2e-17 at pi/2) is evaluated by
// Horner's rule in Q62 with 128-bit products. The absolute error is the final rounding (at most
// 2^-31, 4.7e-10) plus < 1e-17; cos(0) is exactly 2^30.
int64_t CosQ30(int64_t angle_e7);

}  // namespace cairn::consensus::poc
