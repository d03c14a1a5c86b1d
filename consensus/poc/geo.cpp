#include "consensus/poc/geo.h"

#include "consensus/poc/fixed_math.h"

namespace cairn::consensus::poc {

namespace {

using u128 = unsigned __int128;

constexpr int64_t kFullTurnE7 = 3'600'000'000;
// Millimetres per 1e-7 degree of arc on the 6,371,008.8 m sphere, in Q40:
// round(6'371'008'800 * pi / 1.8e9 * 2^40), from mpmath at 80 digits (11.1195080233... mm).
constexpr u128 kMmPerE7Q40 = 12'226'028'366'825;

}  // namespace

bool IsValidLocation(const LatLon& p) {
    return p.lat_e7 >= -kMaxLatE7 && p.lat_e7 <= kMaxLatE7 && p.lon_e7 >= -kMaxLonE7 &&
           p.lon_e7 < kMaxLonE7;
}

uint64_t DistanceMm(const LatLon& a, const LatLon& b) {
    const int64_t dlat = int64_t{b.lat_e7} - a.lat_e7;
    // Short way round: reduce the longitude difference into [-180, 180] degrees.
    int64_t dlon = (int64_t{b.lon_e7} - a.lon_e7) % kFullTurnE7;
    if (dlon > kFullTurnE7 / 2) dlon -= kFullTurnE7;
    if (dlon < -kFullTurnE7 / 2) dlon += kFullTurnE7;
    // cos of the mean latitude; halving the sum truncates by at most 0.5e-7 degree.
    const int64_t cos_q30 = CosQ30((int64_t{a.lat_e7} + b.lat_e7) / 2);
    // Both legs in units of 1e-7 degree * 2^30. For int32 inputs |dlat| < 2^33 and
    // |dlon| <= 1.8e9, so each leg is below 2^63 and the sum of squares below 2^127.
    const uint64_t x = static_cast<uint64_t>(dlon < 0 ? -dlon : dlon) *
                       static_cast<uint64_t>(cos_q30 < 0 ? -cos_q30 : cos_q30);
    const uint64_t y = static_cast<uint64_t>(dlat < 0 ? -dlat : dlat) << 30;
    const uint64_t s = ISqrt(u128{x} * x + u128{y} * y);
    // s * kMmPerE7Q40 < 2^63 * 2^44: fits; result scaled by 2^(30 + 40), rounded.
    return static_cast<uint64_t>((u128{s} * kMmPerE7Q40 + (u128{1} << 69)) >> 70);
}

}  // namespace cairn::consensus::poc
