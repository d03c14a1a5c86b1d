// Cairn's hierarchical cell grid: the definition (rows, width multipliers, columns, encoding),
// nesting, centres, rings, the antimeridian and the poles. The multiplier table is recomputed
// here with double std::cos; the resolutions printed by ResolutionTable are quoted in
// doc/depin.md (section 4).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <random>
#include <set>
#include <vector>

#include "consensus/poc/geo.h"
#include "consensus/poc/grid.h"

namespace cairn::consensus::poc {
namespace {

constexpr double kEarthRadiusM = 6371008.8;

CellId MakeCell(int level, int64_t row, int64_t col) {
    return (uint64_t(level) << 56) | (uint64_t(row) << 28) | uint64_t(col);
}
int64_t RowOf(CellId c) {
    return int64_t((c >> 28) & ((1u << 28) - 1));
}
int64_t ColOf(CellId c) {
    return int64_t(c & ((1u << 28) - 1));
}

// m_r recomputed from its definition: round(8 / cos(centre latitude of level-0 row r)), capped
// at 512 (also where the centre lies beyond the pole).
int64_t RefMultiplier(int64_t r) {
    const int64_t centre_e7 = r * (int64_t{1} << 24) + (int64_t{1} << 23) - 900'000'000;
    const double c = std::cos(centre_e7 * 1e-7 * M_PI / 180.0);
    if (c <= 0) return 512;
    return std::min<int64_t>(512, std::llround(8.0 / c));
}
int64_t MaxRow(int level) {
    return int64_t{1'800'000'000} >> (24 - level);
}
int64_t Width(int level, int64_t row) {
    return (int64_t{1} << (21 - level)) * RefMultiplier(row >> level);
}
int64_t NumCols(int level, int64_t row) {
    const int64_t w = Width(level, row);
    return (3'600'000'000 + w - 1) / w;
}

LatLon RandomLocation(std::mt19937_64& rng) {
    std::uniform_int_distribution<int32_t> lat(-kMaxLatE7, kMaxLatE7);
    std::uniform_int_distribution<int32_t> lon(-kMaxLonE7, kMaxLonE7 - 1);
    LatLon p{lat(rng), lon(rng)};
    switch (rng() % 8) {  // over-represent the edges
        case 0:
            p.lat_e7 = (rng() % 2 ? 1 : -1) * (kMaxLatE7 - int32_t(rng() % 20'000'000));
            break;
        case 1:
            p.lon_e7 = rng() % 2 ? kMaxLonE7 - 1 - int32_t(rng() % 5'000'000)
                                 : -kMaxLonE7 + int32_t(rng() % 5'000'000);
            break;
        default:
            break;
    }
    return p;
}

TEST(PocGrid, MultiplierTable) {
    // The table in grid.cpp, read back through the API: level-0 cell width = 2^21 * m_r.
    for (int64_t r = 0; r <= MaxRow(0); ++r) {
        const int64_t w =
            CellCenter(MakeCell(0, r, 1)).lon_e7 - CellCenter(MakeCell(0, r, 0)).lon_e7;
        EXPECT_EQ(w, (int64_t{1} << 21) * RefMultiplier(r)) << "row " << r;
        // The same multiplier at level 12: width 2^9 * m_r.
        const int64_t w12 = CellCenter(MakeCell(12, r << 12, 1)).lon_e7 -
                            CellCenter(MakeCell(12, r << 12, 0)).lon_e7;
        EXPECT_EQ(w12, (int64_t{1} << 9) * RefMultiplier(r)) << "row " << r;
    }
    EXPECT_EQ(MaxRow(0), 107);
    EXPECT_EQ(RefMultiplier(0), 512);
    EXPECT_EQ(RefMultiplier(53), 8);
    EXPECT_EQ(RefMultiplier(107), 512);
}

TEST(PocGrid, CellAtFollowsDefinition) {
    std::mt19937_64 rng(41);
    for (int i = 0; i < 20'000; ++i) {
        const LatLon p = RandomLocation(rng);
        for (int level = 0; level < kGridLevels; ++level) {
            const CellId c = CellAt(p, level);
            const int64_t row = (int64_t{p.lat_e7} + 900'000'000) >> (24 - level);
            const int64_t col = (int64_t{p.lon_e7} + 1'800'000'000) / Width(level, row);
            ASSERT_EQ(c, MakeCell(level, row, col));
            ASSERT_EQ(CellLevel(c), level);
            ASSERT_TRUE(IsValidCell(c));
        }
    }
    // Latitude +90 is in the last row, -90 in the first; longitude -180 in column 0.
    for (int level = 0; level < kGridLevels; ++level) {
        EXPECT_EQ(RowOf(CellAt({kMaxLatE7, 0}, level)), MaxRow(level));
        EXPECT_EQ(RowOf(CellAt({-kMaxLatE7, 0}, level)), 0);
        EXPECT_EQ(ColOf(CellAt({0, -kMaxLonE7}, level)), 0);
        EXPECT_EQ(ColOf(CellAt({0, kMaxLonE7 - 1}, level)), NumCols(level, MaxRow(level) / 2) - 1);
    }
}

TEST(PocGrid, ParentMatchesCellAtOnRandomPoints) {
    std::mt19937_64 rng(42);
    for (int i = 0; i < 20'000; ++i) {
        const LatLon p = RandomLocation(rng);
        for (int level = 0; level < kGridLevels; ++level) {
            const CellId c = CellAt(p, level);
            for (int up = 0; up <= level; ++up) ASSERT_EQ(CellParent(c, up), CellAt(p, up));
        }
    }
}

TEST(PocGrid, CellContainsItsCentre) {
    std::mt19937_64 rng(43);
    std::vector<CellId> cells;
    for (int i = 0; i < 20'000; ++i) {
        const LatLon p = RandomLocation(rng);
        for (int level = 0; level < kGridLevels; ++level) cells.push_back(CellAt(p, level));
    }
    // Every first/last row and column, where cells are partial.
    for (int level = 0; level < kGridLevels; ++level) {
        for (int64_t row : {int64_t{0}, int64_t{1}, MaxRow(level) - 1, MaxRow(level)}) {
            cells.push_back(MakeCell(level, row, 0));
            cells.push_back(MakeCell(level, row, NumCols(level, row) - 1));
        }
    }
    for (int64_t r = 0; r <= MaxRow(4); ++r) cells.push_back(MakeCell(4, r, NumCols(4, r) - 1));
    for (CellId c : cells) {
        ASSERT_TRUE(IsValidCell(c));
        const LatLon centre = CellCenter(c);
        ASSERT_TRUE(IsValidLocation(centre));
        ASSERT_EQ(CellAt(centre, CellLevel(c)), c);
    }
    // A full cell's centre is the exact middle.
    const CellId c = MakeCell(12, 220'000, 1000);
    EXPECT_EQ(CellCenter(c).lat_e7, 220'000 * 4096 + 2048 - 900'000'000);
    EXPECT_EQ(CellCenter(c).lon_e7,
              1000 * Width(12, 220'000) + Width(12, 220'000) / 2 - 1'800'000'000);
}

TEST(PocGrid, IsValidCell) {
    EXPECT_TRUE(IsValidCell(MakeCell(0, 0, 0)));
    EXPECT_TRUE(IsValidCell(MakeCell(12, MaxRow(12), NumCols(12, MaxRow(12)) - 1)));
    EXPECT_FALSE(IsValidCell(MakeCell(13, 0, 0)));
    EXPECT_FALSE(IsValidCell(MakeCell(255, 0, 0)));
    for (int level = 0; level < kGridLevels; ++level) {
        EXPECT_FALSE(IsValidCell(MakeCell(level, MaxRow(level) + 1, 0)));
        EXPECT_FALSE(IsValidCell(MakeCell(level, 60 << level, NumCols(level, 60 << level))));
        EXPECT_TRUE(IsValidCell(MakeCell(level, 60 << level, NumCols(level, 60 << level) - 1)));
    }
    // Invalid inputs: documented fallbacks, no crash.
    const CellId bad = MakeCell(13, 5, 5);
    EXPECT_EQ(CellParent(bad, 0), bad);
    EXPECT_EQ(CellCenter(bad), LatLon{});
    EXPECT_TRUE(CellRing(bad).empty());
    const CellId c = CellAt({123'456'789, 23'456'789}, 5);
    EXPECT_EQ(CellParent(c, 6), c);
    EXPECT_EQ(CellParent(c, -1), c);
    EXPECT_EQ(CellParent(c, 5), c);
    // Out-of-range CellAt arguments are clamped/wrapped into a valid cell.
    EXPECT_EQ(CellAt({kMaxLatE7 + 5, 0}, 7), CellAt({kMaxLatE7, 0}, 7));
    EXPECT_EQ(CellAt({0, kMaxLonE7}, 7), CellAt({0, -kMaxLonE7}, 7));
    EXPECT_EQ(CellAt({0, 0}, 40), CellAt({0, 0}, 12));
    EXPECT_TRUE(IsValidCell(CellAt({INT32_MIN, INT32_MIN}, -3)));
}

void CheckRingBasics(CellId c, const std::vector<CellId>& ring) {
    ASSERT_TRUE(std::is_sorted(ring.begin(), ring.end()));
    ASSERT_TRUE(std::adjacent_find(ring.begin(), ring.end()) == ring.end());
    ASSERT_TRUE(std::binary_search(ring.begin(), ring.end(), c));
    ASSERT_GE(ring.size(), 4u);
    ASSERT_LE(ring.size(), 9u);
    for (CellId n : ring) {
        ASSERT_TRUE(IsValidCell(n));
        ASSERT_EQ(CellLevel(n), CellLevel(c));
        ASSERT_LE(std::abs(RowOf(n) - RowOf(c)), 1);
    }
}

TEST(PocGrid, ArbitraryIdsAreHandled) {
    // Consensus code sees ids from the wire: every 64-bit value must be classified without UB,
    // and the functions keep their documented fallbacks for invalid ones.
    std::mt19937_64 rng(46);
    int valid = 0;
    for (int i = 0; i < 100'000; ++i) {
        CellId c = rng();
        if (i % 2) {  // plausible ids: small level, row and column near their ranges
            const int level = int(rng() % 14);
            const int64_t max_row = MaxRow(std::min(level, kGridLevels - 1));
            c = MakeCell(level, int64_t(rng() % uint64_t(max_row + 2)),
                         int64_t(rng() % (uint64_t(1) << (level + 8))));
        }
        if (IsValidCell(c)) {
            ++valid;
            ASSERT_EQ(CellAt(CellCenter(c), CellLevel(c)), c);
            const auto ring = CellRing(c);
            CheckRingBasics(c, ring);
            ASSERT_EQ(CellParent(c, 0), CellAt(CellCenter(c), 0));
        } else {
            ASSERT_EQ(CellCenter(c), LatLon{});
            ASSERT_TRUE(CellRing(c).empty());
            ASSERT_EQ(CellParent(c, 0), c);
        }
    }
    EXPECT_GT(valid, 10'000);
}

TEST(PocGrid, RingOfOrdinaryCells) {
    std::mt19937_64 rng(44);
    int ordinary = 0, point_checked = 0;
    for (int i = 0; i < 20'000; ++i) {
        const LatLon p = RandomLocation(rng);
        for (int level = 0; level < kGridLevels; ++level) {
            const CellId c = CellAt(p, level);
            const auto ring = CellRing(c);
            CheckRingBasics(c, ring);
            const int64_t row = RowOf(c), col = ColOf(c);
            if (row == 0 || row == MaxRow(level)) continue;
            if (Width(level, row - 1) != Width(level, row) ||
                Width(level, row + 1) != Width(level, row))
                continue;
            ++ordinary;
            // Exactly the 3x3 block, wrapping mod ncols.
            const int64_t n = NumCols(level, row);
            std::vector<CellId> expect;
            for (int64_t dr = -1; dr <= 1; ++dr)
                for (int64_t dc = -1; dc <= 1; ++dc)
                    expect.push_back(MakeCell(level, row + dr, ((col + dc) % n + n) % n));
            std::sort(expect.begin(), expect.end());
            ASSERT_EQ(ring, expect);
            // Away from the antimeridian and the partial last row, the same as the cells holding
            // the 8 points one cell height / width from the centre.
            if (col < 1 || col + 2 >= n || row + 1 >= MaxRow(level)) continue;
            ++point_checked;
            const LatLon ctr = CellCenter(c);
            const int32_t h = int32_t{1} << (24 - level), w = int32_t(Width(level, row));
            std::set<CellId> by_points;
            for (int32_t dy : {-h, 0, h})
                for (int32_t dx : {-w, 0, w})
                    by_points.insert(CellAt({ctr.lat_e7 + dy, ctr.lon_e7 + dx}, level));
            ASSERT_EQ(ring, std::vector<CellId>(by_points.begin(), by_points.end()));
        }
    }
    EXPECT_GT(ordinary, 150'000);
    EXPECT_GT(point_checked, 100'000);
}

TEST(PocGrid, RingIsSymmetricBetweenSameWidthRows) {
    std::mt19937_64 rng(45);
    int checked = 0;
    for (int i = 0; i < 10'000; ++i) {
        const LatLon p = RandomLocation(rng);
        for (int level = 0; level < kGridLevels; ++level) {
            const CellId a = CellAt(p, level);
            for (CellId b : CellRing(a)) {
                if (Width(level, RowOf(b)) != Width(level, RowOf(a))) continue;
                const auto rb = CellRing(b);
                ASSERT_TRUE(std::binary_search(rb.begin(), rb.end(), a));
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 500'000);
}

TEST(PocGrid, RingWrapsAtAntimeridian) {
    for (int level = 0; level < kGridLevels; ++level) {
        for (int32_t lat : {0, 450'000'000, -600'000'000, 880'000'000}) {
            const CellId west = CellAt({lat, -kMaxLonE7}, level);     // column 0
            const CellId east = CellAt({lat, kMaxLonE7 - 1}, level);  // last, partial column
            ASSERT_EQ(ColOf(west), 0);
            ASSERT_EQ(ColOf(east), NumCols(level, RowOf(west)) - 1);
            const auto rw = CellRing(west), re = CellRing(east);
            EXPECT_TRUE(std::binary_search(rw.begin(), rw.end(), east)) << level << " " << lat;
            EXPECT_TRUE(std::binary_search(re.begin(), re.end(), west)) << level << " " << lat;
            CheckRingBasics(west, rw);
            CheckRingBasics(east, re);
            const int64_t row = RowOf(west);
            if (Width(level, row - 1) == Width(level, row) &&
                Width(level, row + 1) == Width(level, row)) {
                // Columns n-1, 0 and 1 in each row (and n-2, n-1, 0): 9 cells.
                EXPECT_EQ(rw.size(), 9u) << level << " " << lat;
                EXPECT_EQ(re.size(), 9u) << level << " " << lat;
                for (CellId c : rw) EXPECT_TRUE(ColOf(c) <= 1 || ColOf(c) == ColOf(east));
            } else {
                std::cout << "  level " << level << " lat " << lat << ": rows of different width,"
                          << " ring sizes " << rw.size() << ", " << re.size() << "\n";
            }
        }
    }
}

TEST(PocGrid, RingAtThePoles) {
    for (int level = 0; level < kGridLevels; ++level) {
        for (int32_t lon : {-kMaxLonE7, 0, 1'234'567'890}) {
            const CellId north = CellAt({kMaxLatE7, lon}, level);
            const CellId south = CellAt({-kMaxLatE7, lon}, level);
            ASSERT_EQ(RowOf(north), MaxRow(level));
            ASSERT_EQ(RowOf(south), 0);
            for (CellId c : {north, south}) {
                const auto ring = CellRing(c);
                CheckRingBasics(c, ring);
                // Nothing beyond the pole: only the cell's own row and the one towards the equator.
                EXPECT_EQ(ring.size(), 6u) << level;
                const LatLon ctr = CellCenter(c);
                EXPECT_TRUE(IsValidLocation(ctr));
                EXPECT_EQ(CellAt(ctr, level), c);
            }
        }
        // The last row is partial but real: its neighbour row sees it.
        const auto below = CellRing(CellAt({kMaxLatE7 - (int32_t{1} << (24 - level)), 0}, level));
        EXPECT_EQ(RowOf(below.back()), MaxRow(level));
    }
}

TEST(PocGrid, ResolutionTable) {
    // Cell height, and the width and exact spherical area of the cells containing (0, 0) and
    // (45, 0): the table in doc/depin.md (section 4).
    const double m_per_deg = kEarthRadiusM * M_PI / 180.0;
    std::printf(
        "| level | height (m) | width @0 (m) | area @0 (km^2) | width @45 (m) | area @45 (km^2) "
        "|\n");
    for (int level = 0; level < kGridLevels; ++level) {
        const double h_deg = double(int64_t{1} << (24 - level)) * 1e-7;
        double width[2], area[2];
        int i = 0;
        for (int32_t lat : {0, 450'000'000}) {
            const CellId c = CellAt({lat, 0}, level);
            const double lat_lo = (RowOf(c) * (int64_t{1} << (24 - level)) - 900'000'000) * 1e-7;
            const double w_deg = double(Width(level, RowOf(c))) * 1e-7;
            const double mid = (lat_lo + h_deg / 2) * M_PI / 180;
            width[i] = w_deg * m_per_deg * std::cos(mid);
            area[i] = kEarthRadiusM * kEarthRadiusM * (w_deg * M_PI / 180) *
                      (std::sin((lat_lo + h_deg) * M_PI / 180) - std::sin(lat_lo * M_PI / 180)) /
                      1e6;
            ++i;
        }
        std::printf("| %2d | %.1f | %.1f | %.6g | %.1f | %.6g |\n", level, h_deg * m_per_deg,
                    width[0], area[0], width[1], area[1]);
        // Roughly square: width within 10% of height at both latitudes.
        EXPECT_NEAR(width[0] / (h_deg * m_per_deg), 1.0, 0.1);
        EXPECT_NEAR(width[1] / (h_deg * m_per_deg), 1.0, 0.1);
    }
    EXPECT_NEAR(double(int64_t{1} << 24) * 1e-7 * m_per_deg, 186'554, 1);
    EXPECT_NEAR(double(int64_t{1} << 12) * 1e-7 * m_per_deg, 45.5, 0.1);
}

}  // namespace
}  // namespace cairn::consensus::poc
