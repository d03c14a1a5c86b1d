#include "consensus/poc/fixed_math.h"

#include <bit>
#include <limits>

namespace cairn::consensus::poc {

namespace {

using u128 = unsigned __int128;
using i128 = __int128;

// Index of the highest set bit. REQUIRES x != 0.
int BitLength(u128 x) {
    const uint64_t hi = static_cast<uint64_t>(x >> 64);
    if (hi != 0) return 128 - std::countl_zero(hi);
    return 64 - std::countl_zero(static_cast<uint64_t>(x));
}

// round(pi * 2^94), from mpmath at 80 digits.
constexpr u128 kPiQ94 = (u128{0xc90fdaa2} << 64) | u128{0x2168c234c4c6628cULL};
// Units of 1e-7 degree in half a turn.
constexpr int64_t kHalfTurnE7 = 1'800'000'000;
constexpr int64_t kQuarterTurnE7 = 900'000'000;
constexpr int64_t kFullTurnE7 = 3'600'000'000;
constexpr i128 kOneQ62 = i128{1} << 62;
// Terms up to x^(2 * kCosTerms); the first omitted term is x^22 / 22! < 2e-17 for x <= pi/2.
constexpr int kCosTerms = 10;

// cos(a) in Q62 for a in [0, 90] degrees (units of 1e-7 degree).
i128 CosQ62FirstQuadrant(int64_t a_e7) {
    // x = a * pi / 180 degrees, in Q62: a * (pi * 2^94) / (1.8e9 * 2^32), rounded.
    // a * kPiQ94 <= 9e8 * 6.3e28 < 2^127.
    const u128 den = u128{kHalfTurnE7} << 32;
    const u128 x = (static_cast<u128>(a_e7) * kPiQ94 + den / 2) / den;  // < 1.571 * 2^62
    const i128 x2 = static_cast<i128>((x * x) >> 62);                   // < 2.47 * 2^62
    // Horner: t_k = 1 - x^2 / ((2k)(2k-1)) * t_{k+1}, t_{N+1} = 1; every t_k stays in [0, 1].
    i128 t = kOneQ62;
    for (int k = kCosTerms; k >= 1; --k) {
        t = kOneQ62 - ((x2 * t) >> 62) / (2 * k * (2 * k - 1));
    }
    return t;
}

}  // namespace

uint64_t ISqrt(u128 x) {
    // Digit-by-digit square root in base 4: `bit` walks the even powers of two from the top,
    // `res` accumulates the root shifted so that no step overflows 128 bits.
    u128 rem = x;
    u128 res = 0;
    u128 bit = u128{1} << 126;
    while (bit > x) bit >>= 2;
    while (bit != 0) {
        if (rem >= res + bit) {
            rem -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    return static_cast<uint64_t>(res);
}

int64_t Log2Q32(u128 x) {
    if (x == 0) return std::numeric_limits<int64_t>::min();
    const int n = BitLength(x) - 1;  // floor(log2(x)), 0..127
    // Mantissa x / 2^n in Q62: in [2^62, 2^63).
    uint64_t m =
        n >= 62 ? static_cast<uint64_t>(x >> (n - 62)) : static_cast<uint64_t>(x) << (62 - n);
    int64_t frac = 0;
    for (int i = 0; i < 32; ++i) {
        // m^2 is in [1, 4): Q62 needs at most 64 bits.
        m = static_cast<uint64_t>((static_cast<u128>(m) * m) >> 62);
        frac <<= 1;
        if (m >= (uint64_t{1} << 63)) {
            m >>= 1;
            frac |= 1;
        }
    }
    return (static_cast<int64_t>(n) << 32) | frac;
}

int64_t CosQ30(int64_t angle_e7) {
    // cos is even and 360-periodic: fold into [0, 180], then cos(a) = -cos(180 - a) on (90, 180].
    int64_t a = angle_e7 % kFullTurnE7;  // no overflow even for INT64_MIN
    if (a < 0) a = -a;
    if (a > kHalfTurnE7) a = kFullTurnE7 - a;
    bool negate = false;
    if (a > kQuarterTurnE7) {
        a = kHalfTurnE7 - a;
        negate = true;
    }
    // Q62 -> Q30, rounding half up (arithmetic shift floors; cos(90 deg) may be a tiny negative).
    const int64_t c = static_cast<int64_t>((CosQ62FirstQuadrant(a) + (i128{1} << 31)) >> 32);
    return negate ? -c : c;
}

}  // namespace cairn::consensus::poc
