// Integer fixed-point math, distances and free-space path loss for Proof-of-Coverage, checked
// against long double references. The measured worst errors are printed and recorded as test
// properties; doc/depin.md (section 4) quotes them.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <limits>
#include <random>
#include <sstream>
#include <string>

#include "consensus/poc/fixed_math.h"
#include "consensus/poc/fspl.h"
#include "consensus/poc/geo.h"

namespace cairn::consensus::poc {
namespace {

using u128 = unsigned __int128;
using ld = long double;

constexpr ld kPi = 3.141592653589793238462643383279502884L;
constexpr ld kEarthRadiusMm = 6371008800.0L;

void Report(const std::string& key, ld value) {
    std::ostringstream text;
    text << std::setprecision(6) << static_cast<double>(value);
    ::testing::Test::RecordProperty(key, text.str());
    std::cout << "  [measured] " << key << " = " << text.str() << "\n";
}

// ---------------------------------------------------------------------------------------------
// ISqrt

bool IsFloorSqrt(u128 x, uint64_t r) {
    const u128 rr = u128{r} * r;
    if (rr > x) return false;
    if (r == std::numeric_limits<uint64_t>::max()) return true;  // (r + 1)^2 = 2^128 > x
    return (u128{r} + 1) * (u128{r} + 1) > x;
}

TEST(PocFixedMath, ISqrtEdgeCases) {
    const uint64_t max64 = std::numeric_limits<uint64_t>::max();
    const u128 max128 = ~u128{0};
    EXPECT_EQ(ISqrt(0), 0u);
    EXPECT_EQ(ISqrt(1), 1u);
    EXPECT_EQ(ISqrt(2), 1u);
    EXPECT_EQ(ISqrt(3), 1u);
    EXPECT_EQ(ISqrt(4), 2u);
    EXPECT_EQ(ISqrt(99), 9u);
    EXPECT_EQ(ISqrt(100), 10u);
    EXPECT_EQ(ISqrt(u128{max64} * max64), max64);
    EXPECT_EQ(ISqrt(u128{max64} * max64 - 1), max64 - 1);
    EXPECT_EQ(ISqrt(max128), max64);
    EXPECT_EQ(ISqrt(max128 >> 1), uint64_t{0xb504f333f9de6484ULL});  // floor(2^63.5)
    EXPECT_EQ(ISqrt(u128{1} << 126), uint64_t{1} << 63);
    EXPECT_EQ(ISqrt(u128{1} << 127), uint64_t{0xb504f333f9de6484ULL});
    for (uint64_t k : {uint64_t{2}, uint64_t{12345}, uint64_t{1} << 32, (uint64_t{1} << 32) + 1,
                       uint64_t{3037000499}, uint64_t{1} << 63, max64 - 1}) {
        const u128 sq = u128{k} * k;
        EXPECT_EQ(ISqrt(sq), k);
        EXPECT_EQ(ISqrt(sq - 1), k - 1);
        EXPECT_EQ(ISqrt(sq + 1), k);
    }
}

TEST(PocFixedMath, ISqrtRandom) {
    std::mt19937_64 rng(11);
    for (int i = 0; i < 100'000; ++i) {
        u128 x = (u128{rng()} << 64) | rng();
        x >>= rng() % 128;  // all magnitudes
        ASSERT_TRUE(IsFloorSqrt(x, ISqrt(x))) << i;
        const uint64_t k = rng() >> (rng() % 64);
        ASSERT_EQ(ISqrt(u128{k} * k), k);
    }
    for (uint64_t x = 0; x < 100'000; ++x) ASSERT_TRUE(IsFloorSqrt(x, ISqrt(x))) << x;
}

// ---------------------------------------------------------------------------------------------
// Log2Q32

TEST(PocFixedMath, Log2Q32PowersOfTwoAreExact) {
    for (int k = 0; k < 128; ++k) EXPECT_EQ(Log2Q32(u128{1} << k), int64_t{k} << 32) << k;
}

TEST(PocFixedMath, Log2Q32KnownValues) {
    // floor(log2(x) * 2^32) from mpmath at 60 digits.
    EXPECT_EQ(Log2Q32(3), 6807362105);
    EXPECT_EQ(Log2Q32(10), 14267572527);
    EXPECT_EQ(Log2Q32(1'000'000'007), 128408152788);
    EXPECT_EQ(Log2Q32(1'000'000'000'000'000'000ULL), 256816305489);
    EXPECT_EQ(Log2Q32(std::numeric_limits<uint64_t>::max()), 274877906943);
    EXPECT_EQ(Log2Q32(~u128{0}), 549755813887);
    EXPECT_EQ(Log2Q32(0), std::numeric_limits<int64_t>::min());
}

TEST(PocFixedMath, Log2Q32MatchesReferenceAndIsMonotonic) {
    std::mt19937_64 rng(12);
    int64_t worst_below = 0, worst_above = 0;
    for (int i = 0; i < 100'000; ++i) {
        const uint64_t x = (rng() >> (rng() % 64)) | 1;
        const int64_t got = Log2Q32(x);
        const ld ref = std::log2(static_cast<ld>(x)) * 4294967296.0L;
        const int64_t ref_floor = static_cast<int64_t>(std::floor(ref));
        worst_below = std::max(worst_below, ref_floor - got);
        worst_above = std::max(worst_above, got - ref_floor);
        // Monotonic: neighbours and a random larger value.
        ASSERT_LE(Log2Q32(x - 1 + (x == 1)), got);
        ASSERT_LE(got, Log2Q32(u128{x} + 1));
        const u128 y = u128{x} + (rng() >> (rng() % 64));
        ASSERT_LE(got, Log2Q32(y));
        // 128-bit inputs: monotonic across the whole range.
        const u128 big = (u128{rng()} << 64 | rng()) >> (rng() % 64);
        const u128 bigger = big + 1 + (big >> (1 + rng() % 127));
        if (bigger > big) {
            ASSERT_LE(Log2Q32(big), Log2Q32(bigger));
        }
    }
    // The long double reference itself is good to ~2^-64 relative, i.e. < 0.01 units here.
    EXPECT_LE(worst_below, 1);
    EXPECT_LE(worst_above, 1);
    Report("log2q32_worst_units_below_reference_floor", worst_below);
    Report("log2q32_worst_units_above_reference_floor", worst_above);
    for (uint64_t x = 1; x < 100'000; ++x) ASSERT_LE(Log2Q32(x), Log2Q32(x + 1)) << x;
}

// ---------------------------------------------------------------------------------------------
// CosQ30

constexpr int64_t kTwo30 = int64_t{1} << 30;

TEST(PocFixedMath, CosQ30ExactPoints) {
    EXPECT_EQ(CosQ30(0), kTwo30);
    EXPECT_EQ(CosQ30(3'600'000'000), kTwo30);
    EXPECT_EQ(CosQ30(-3'600'000'000), kTwo30);
    EXPECT_EQ(CosQ30(1'800'000'000), -kTwo30);
    EXPECT_EQ(CosQ30(-1'800'000'000), -kTwo30);
    EXPECT_EQ(CosQ30(900'000'000), 0);
    EXPECT_EQ(CosQ30(-900'000'000), 0);
    EXPECT_EQ(CosQ30(2'700'000'000), 0);
    EXPECT_EQ(CosQ30(600'000'000), kTwo30 / 2);     // cos 60
    EXPECT_EQ(CosQ30(1'200'000'000), -kTwo30 / 2);  // cos 120
    // Any int64 is reduced mod 360 degrees without overflow.
    EXPECT_EQ(CosQ30(std::numeric_limits<int64_t>::min()),
              CosQ30(std::numeric_limits<int64_t>::min() % 3'600'000'000));
    EXPECT_EQ(CosQ30(std::numeric_limits<int64_t>::max()),
              CosQ30(std::numeric_limits<int64_t>::max() % 3'600'000'000));
}

TEST(PocFixedMath, CosQ30MatchesStdCos) {
    std::mt19937_64 rng(13);
    std::uniform_int_distribution<int64_t> angle(-3'600'000'000, 3'600'000'000);
    ld worst = 0;
    int64_t worst_angle = 0;
    for (int i = 0; i < 200'000; ++i) {
        // Half uniform over the whole range, half near the multiples of 90 degrees.
        int64_t a = angle(rng);
        if (i % 2) a = (a / 900'000'000) * 900'000'000 + static_cast<int64_t>(rng() % 2001) - 1000;
        const int64_t got = CosQ30(a);
        ASSERT_EQ(got, CosQ30(-a));
        const ld rad = static_cast<ld>(a % 3'600'000'000) * kPi / 1'800'000'000.0L;
        const ld err = std::fabs(static_cast<ld>(got) / kTwo30 - std::cos(rad));
        if (err > worst) worst = err, worst_angle = a;
    }
    EXPECT_LT(worst, 1e-8L) << worst_angle;
    EXPECT_LE(worst, 4.7e-10L) << worst_angle;  // the final rounding, 2^-31 = 4.66e-10
    Report("cosq30_worst_abs_error", worst);
}

// ---------------------------------------------------------------------------------------------
// DistanceMm

ld HaversineMm(const LatLon& a, const LatLon& b) {
    const ld p1 = a.lat_e7 * 1e-7L * kPi / 180, p2 = b.lat_e7 * 1e-7L * kPi / 180;
    const ld dp = p2 - p1;
    const ld dl = (static_cast<ld>(b.lon_e7) - a.lon_e7) * 1e-7L * kPi / 180;
    const ld s1 = std::sin(dp / 2), s2 = std::sin(dl / 2);
    const ld h = s1 * s1 + std::cos(p1) * std::cos(p2) * s2 * s2;
    return 2 * kEarthRadiusMm * std::asin(std::min(1.0L, std::sqrt(h)));
}

int32_t ToE7(double deg) {
    return static_cast<int32_t>(std::llround(deg * 1e7));
}

// A longitude in degrees as a valid lon_e7 (+180 becomes -180).
int32_t LonE7(double deg) {
    int64_t v = std::llround(deg * 1e7) % 3'600'000'000;
    if (v >= kMaxLonE7) v -= 3'600'000'000;
    if (v < -kMaxLonE7) v += 3'600'000'000;
    return static_cast<int32_t>(v);
}

// The point `dist_m` from (lat, lon) along `bearing` (radians), on the sphere, in double.
LatLon Destination(double lat, double lon, double bearing, double dist_m) {
    const double p1 = lat * M_PI / 180, l1 = lon * M_PI / 180, dd = dist_m / 6371008.8;
    const double p2 =
        std::asin(std::sin(p1) * std::cos(dd) + std::cos(p1) * std::sin(dd) * std::cos(bearing));
    const double l2 = l1 + std::atan2(std::sin(bearing) * std::sin(dd) * std::cos(p1),
                                      std::cos(dd) - std::sin(p1) * std::sin(p2));
    return LatLon{ToE7(p2 * 180 / M_PI), LonE7(l2 * 180 / M_PI)};
}

TEST(PocGeo, IsValidLocation) {
    EXPECT_TRUE(IsValidLocation({0, 0}));
    EXPECT_TRUE(IsValidLocation({kMaxLatE7, -kMaxLonE7}));
    EXPECT_TRUE(IsValidLocation({-kMaxLatE7, kMaxLonE7 - 1}));
    EXPECT_FALSE(IsValidLocation({kMaxLatE7 + 1, 0}));
    EXPECT_FALSE(IsValidLocation({-kMaxLatE7 - 1, 0}));
    EXPECT_FALSE(IsValidLocation({0, kMaxLonE7}));
    EXPECT_FALSE(IsValidLocation({0, -kMaxLonE7 - 1}));
}

TEST(PocGeo, KnownDistances) {
    EXPECT_EQ(DistanceMm({0, 0}, {0, 0}), 0u);
    EXPECT_EQ(DistanceMm({523'000'000, 133'000'000}, {523'000'000, 133'000'000}), 0u);
    // 0.001 degree of latitude = 111.195 m; 1 degree = 111.195 km, anywhere.
    EXPECT_EQ(DistanceMm({0, 0}, {10'000, 0}), 111'195u);
    EXPECT_EQ(DistanceMm({450'000'000, 70'000'000}, {450'010'000, 70'000'000}), 111'195u);
    EXPECT_EQ(DistanceMm({0, 0}, {10'000'000, 0}), 111'195'080u);
    // 1 degree of longitude on the equator is the same arc.
    EXPECT_EQ(DistanceMm({0, 0}, {0, 10'000'000}), 111'195'080u);
    // 1e-7 degree (the coordinate resolution) is 11 mm.
    EXPECT_EQ(DistanceMm({0, 0}, {1, 0}), 11u);
    // 1 degree of longitude at 60 degrees: half, to within the Q30 cosine.
    EXPECT_NEAR(static_cast<double>(DistanceMm({600'000'000, 0}, {600'000'000, 10'000'000})),
                111'195'080 / 2.0, 1.0);
    // Symmetric, and the long way round is never taken.
    EXPECT_EQ(DistanceMm({0, 1'799'999'999}, {0, -kMaxLonE7}), 11u);
    EXPECT_EQ(DistanceMm({0, -kMaxLonE7}, {0, 1'799'999'999}), 11u);
}

TEST(PocGeo, DistanceMatchesHaversineUpTo200Km) {
    std::mt19937_64 rng(21);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    // Worst |relative error| for pairs of >= 1 km whose latitudes are within each band.
    const int bands[] = {30, 45, 60, 75, 85};
    ld band_worst[5] = {};
    ld worst_rel = 0, worst_under = 0, worst_abs = 0, worst_abs_short = 0, worst_abs_60 = 0;
    LatLon worst_a, worst_b;
    int n = 0;
    while (n < 200'000) {
        const double lat = -85 + 170 * unit(rng), lon = -180 + 360 * unit(rng);
        // Half the distances log-uniform from 1 m (short ones matter), half uniform to 200 km.
        const double dist = (n % 2) ? std::exp(std::log(200e3) * unit(rng)) : 200e3 * unit(rng);
        const LatLon a{ToE7(lat), LonE7(lon)};
        const LatLon b = Destination(lat, lon, 2 * M_PI * unit(rng), dist);
        if (std::abs(b.lat_e7) > 850'000'000) continue;
        const ld ref = HaversineMm(a, b);
        if (ref < 1000 || ref > 200e6) continue;
        ++n;
        const uint64_t got = DistanceMm(a, b);
        ASSERT_EQ(got, DistanceMm(b, a));
        const ld err = static_cast<ld>(got) - ref, rel = err / ref;
        if (std::fabs(rel) > worst_rel) worst_rel = std::fabs(rel), worst_a = a, worst_b = b;
        worst_under = std::min(worst_under, err);
        worst_abs = std::max(worst_abs, std::fabs(err));
        if (ref <= 1e6) worst_abs_short = std::max(worst_abs_short, std::fabs(err));
        const int max_lat = std::max(std::abs(a.lat_e7), std::abs(b.lat_e7));
        if (max_lat <= 600'000'000) worst_abs_60 = std::max(worst_abs_60, std::fabs(err));
        for (int i = 0; i < 5; ++i) {
            if (ref >= 1e6 && max_lat <= bands[i] * 10'000'000)
                band_worst[i] = std::max(band_worst[i], std::fabs(rel));
        }
    }
    Report("distance_worst_rel_error", worst_rel);
    Report("distance_worst_abs_error_mm", worst_abs);
    Report("distance_worst_underestimate_mm", -worst_under);
    Report("distance_worst_abs_error_mm_up_to_1km", worst_abs_short);
    Report("distance_worst_abs_error_mm_lat_le_60", worst_abs_60);
    for (int i = 0; i < 5; ++i)
        Report("distance_worst_rel_error_ge_1km_lat_le_" + std::to_string(bands[i]), band_worst[i]);
    EXPECT_LE(worst_rel, 0.0055L) << worst_a.lat_e7 << "," << worst_a.lon_e7 << " "
                                  << worst_b.lat_e7 << "," << worst_b.lon_e7;
    EXPECT_LE(worst_abs, 1.1e6L);  // 0.55% of 200 km
    // Never below the great-circle distance by more than the final rounding.
    EXPECT_GE(worst_under, -0.51L);
    // Up to 1 km: little more than the rounding to whole millimetres.
    EXPECT_LE(worst_abs_short, 10.0L);
    EXPECT_LE(band_worst[2], 2e-4L);  // |lat| <= 60
}

TEST(PocGeo, ErrorByLatitudeAt100And200Km) {
    // East-west pairs are the worst case for the equirectangular approximation.
    for (int lat : {0, 30, 45, 60, 75, 85}) {
        for (double km : {10.0, 100.0, 200.0}) {
            const LatLon a{lat * 10'000'000, 0};
            const LatLon b = Destination(lat, 0, M_PI / 2, km * 1000);
            const ld ref = HaversineMm(a, b);
            const ld rel = (static_cast<ld>(DistanceMm(a, b)) - ref) / ref;
            Report("distance_rel_error_east_lat" + std::to_string(lat) + "_" +
                       std::to_string(static_cast<int>(km)) + "km",
                   rel);
            EXPECT_LT(std::fabs(rel), 0.0055L);
        }
    }
}

TEST(PocGeo, WorstCaseUpTo200Km) {
    // The largest overestimate with |lat| <= 85 and d <= 200 km, found by numerical search
    // (double): 200 km roughly east-west, both ends near 85 degrees; +0.540% in theory.
    const LatLon a{849'599'239, 22'676}, b{850'000'000, -206'586'314};
    const ld ref = HaversineMm(a, b);
    const ld rel = (static_cast<ld>(DistanceMm(a, b)) - ref) / ref;
    Report("distance_worst_case_rel_error", rel);
    EXPECT_NEAR(static_cast<double>(ref), 200e6, 1e3);
    EXPECT_GT(rel, 0.0053L);
    EXPECT_LT(rel, 0.0055L);
}

TEST(PocGeo, AntimeridianPairs) {
    std::mt19937_64 rng(22);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    ld worst = 0;
    for (int i = 0; i < 20'000; ++i) {
        const double lat = -85 + 170 * unit(rng);
        const double lon = 179.5 + 0.5 * unit(rng);
        const LatLon a{ToE7(lat), std::min(ToE7(lon), kMaxLonE7 - 1)};
        // A point east of the antimeridian, up to ~100 km away.
        const LatLon b{ToE7(lat + (unit(rng) - 0.5)), ToE7(-180 + 0.5 * unit(rng))};
        const ld ref = HaversineMm(a, b);
        const uint64_t got = DistanceMm(a, b);
        EXPECT_EQ(got, DistanceMm(b, a));
        EXPECT_LT(got, 200'000'000u);
        worst = std::max(worst, std::fabs((static_cast<ld>(got) - ref) / ref));
    }
    EXPECT_LT(worst, 0.0055L);
    Report("distance_antimeridian_worst_rel_error", worst);
    // Exactly across: -180 and 179.9999999 are one unit apart.
    EXPECT_EQ(DistanceMm({0, -kMaxLonE7}, {0, kMaxLonE7 - 10'000'000}), 111'195'080u);
}

TEST(PocGeo, FarPairsNeverLookNear) {
    std::mt19937_64 rng(23);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    ld min_rel = 10;
    int far = 0;
    for (int i = 0; i < 200'000; ++i) {
        LatLon a, b;
        const int kind = i % 4;
        if (kind == 0) {  // anywhere on the globe (uniform by area)
            a = {ToE7(std::asin(2 * unit(rng) - 1) * 180 / M_PI), LonE7(-180 + 360 * unit(rng))};
            b = {ToE7(std::asin(2 * unit(rng) - 1) * 180 / M_PI), LonE7(-180 + 360 * unit(rng))};
        } else {  // 200..400 km apart, in any direction, polar caps over-represented
            const double lat =
                kind == 1 ? -90 + 180 * unit(rng) : (kind == 2 ? 1 : -1) * (80 + 10 * unit(rng));
            a = {ToE7(lat), LonE7(-180 + 360 * unit(rng))};
            b = Destination(lat, a.lon_e7 * 1e-7, 2 * M_PI * unit(rng), 200e3 + 200e3 * unit(rng));
        }
        ASSERT_TRUE(IsValidLocation(a) && IsValidLocation(b));
        const ld ref = HaversineMm(a, b);
        if (ref <= 200e6) continue;
        ++far;
        const uint64_t got = DistanceMm(a, b);
        ASSERT_GT(got, 150'000'000u)
            << a.lat_e7 << "," << a.lon_e7 << " " << b.lat_e7 << "," << b.lon_e7;
        min_rel = std::min(min_rel, static_cast<ld>(got) / ref - 1);
    }
    EXPECT_GT(far, 100'000);
    Report("distance_far_pairs_min_rel_error", min_rel);
    EXPECT_GT(min_rel, -1e-6L);
    // Across a pole: 88.5N 0E to 88.5N 180E is 3 degrees (333.6 km) over the pole.
    EXPECT_GT(DistanceMm({885'000'000, 0}, {885'000'000, -kMaxLonE7}), 200'000'000u);
    EXPECT_GT(DistanceMm({-885'000'000, 100'000'000}, {-885'000'000, -1'700'000'000}),
              200'000'000u);
}

TEST(PocGeo, NoOverflowAtExtremes) {
    const int32_t lo = std::numeric_limits<int32_t>::min(),
                  hi = std::numeric_limits<int32_t>::max();
    // Valid extremes: pole to pole is half the circumference (pi * R).
    EXPECT_NEAR(static_cast<double>(DistanceMm({-kMaxLatE7, 0}, {kMaxLatE7, 0})),
                static_cast<double>(kPi * kEarthRadiusMm), 1.0);
    EXPECT_GT(DistanceMm({0, -kMaxLonE7}, {0, 0}), 20'000'000'000u);
    // Invalid int32 inputs still give a finite, symmetric answer (no overflow, no UB).
    EXPECT_EQ(DistanceMm({lo, lo}, {hi, hi}), DistanceMm({hi, hi}, {lo, lo}));
    EXPECT_GT(DistanceMm({lo, 0}, {hi, 0}), DistanceMm({-kMaxLatE7, 0}, {kMaxLatE7, 0}));
}

// ---------------------------------------------------------------------------------------------
// FsplMdb

ld FsplRefMdb(ld d_mm, ld f_hz) {
    const ld d_m = std::max(d_mm / 1000, 1.0L);
    return 1000 * (20 * std::log10(d_m) + 20 * std::log10(f_hz) +
                   20 * std::log10(4 * kPi / 299'792'458.0L));
}

TEST(PocFspl, ReferencePoints) {
    EXPECT_EQ(FsplMdb(1'000'000, 915'000'000), 91'676);    // 91.6762 dB
    EXPECT_EQ(FsplMdb(10'000'000, 915'000'000), 111'676);  // 111.6762 dB
    EXPECT_EQ(FsplMdb(1'000, 868'000'000), 31'218);        // 1 m at 868 MHz: 31.2182 dB
    // Below 1 m counts as 1 m; 0 Hz as 1 Hz.
    EXPECT_EQ(FsplMdb(0, 915'000'000), FsplMdb(1'000, 915'000'000));
    EXPECT_EQ(FsplMdb(999, 915'000'000), FsplMdb(1'000, 915'000'000));
    EXPECT_EQ(FsplMdb(1'000, 0), FsplMdb(1'000, 1));
    EXPECT_EQ(FsplMdb(1'000, 1), -147'552);
    // Doubling the distance adds 20*log10(2) = 6.0206 dB.
    EXPECT_NEAR(FsplMdb(2'000'000, 915'000'000) - FsplMdb(1'000'000, 915'000'000), 6'021, 1);
    // The extreme inputs do not overflow.
    const uint64_t max64 = std::numeric_limits<uint64_t>::max();
    EXPECT_NEAR(static_cast<double>(FsplMdb(max64, max64)),
                static_cast<double>(FsplRefMdb(max64, max64)), 1.0);
}

TEST(PocFspl, MatchesFormula) {
    std::mt19937_64 rng(31);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    ld worst = 0;
    uint64_t worst_d = 0, worst_f = 0;
    for (int i = 0; i < 200'000; ++i) {
        const uint64_t d =
            static_cast<uint64_t>(std::exp(std::log(1000.0) + std::log(200e3) * unit(rng)));
        const uint64_t f = 100'000'000 + rng() % 5'900'000'001ULL;
        const int64_t got = FsplMdb(d, f);
        const ld err = std::fabs(static_cast<ld>(got) - FsplRefMdb(d, f));
        if (err > worst) worst = err, worst_d = d, worst_f = f;
        // Monotonic in distance and frequency.
        ASSERT_LE(got, FsplMdb(d + 1 + d / 1000, f));
        ASSERT_LE(got, FsplMdb(d, f + 1 + f / 1000));
    }
    EXPECT_LE(worst, 0.5001L) << worst_d << " mm, " << worst_f << " Hz";
    Report("fspl_worst_abs_error_mdb", worst);
}

}  // namespace
}  // namespace cairn::consensus::poc
