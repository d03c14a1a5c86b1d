// Locations and distances for Proof-of-Coverage.
//
// Coordinates are fixed-point degrees (1e-7 degree, ~1.1 cm), as in GPS receivers and OSM, so a
// location is two int32s with one exact encoding. Distances are integer millimetres computed
// without floating point (see fixed_math.h for why).
#pragma once

#include <cstdint>

namespace cairn::consensus::poc {

// Degrees * 1e7.
struct LatLon {
    int32_t lat_e7{0};
    int32_t lon_e7{0};
    bool operator==(const LatLon&) const = default;
};

inline constexpr int32_t kMaxLatE7 = 900'000'000;    // lat in [-kMaxLatE7, kMaxLatE7]
inline constexpr int32_t kMaxLonE7 = 1'800'000'000;  // lon in [-kMaxLonE7, kMaxLonE7)

// Latitude within [-90, 90] and longitude within [-180, 180): +180 is spelled -180, so every
// point except the poles has one encoding.
bool IsValidLocation(const LatLon& p);

// Great-circle distance in millimetres on a sphere of radius 6,371,008.8 m (the IUGG mean
// Earth radius), rounded to the nearest millimetre.
//
// Equirectangular approximation: the longitude difference (taken the short way round the
// antimeridian) is scaled by cos(mean latitude) and combined with the latitude difference by
// Pythagoras, using CosQ30 and ISqrt. It ignores the convergence of meridians, so it
// overestimates: by at most 0.54% for distances up to 200 km with |lat| <= 85 degrees, far less
// at lower latitudes and shorter distances (figures in doc/depin.md, section 4). In testing it was
// never below the great-circle distance by more than the millimetre rounding (nor by more than
// 2e-9 relative for pairs over 200 km), so a pair more than 200 km apart always comes out above
// 150 km and comparisons against a 100 km limit are right in both directions. Total for all
// int32 inputs: no intermediate exceeds 128 bits.
uint64_t DistanceMm(const LatLon& a, const LatLon& b);

}  // namespace cairn::consensus::poc
