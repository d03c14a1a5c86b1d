// HIP-17-style density clipping over a hand-built square grid: hand-computed maps and scales,
// occupancy, several levels, order independence, and a naive reference on random layouts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "consensus/rewards/density.h"
#include "consensus/rewards/reward_units.h"

namespace cairn::consensus::rewards {
namespace {

// A square grid: the cell (x, y) at level L has the parent (x >> d, y >> d) at level L - 1
// (higher levels are finer, as H3 resolutions), and its ring is the 3x3 block around it.
// Id: level in the top 8 bits, then 28 bits of x and 28 of y.
class SquareGrid : public CellGrid {
public:
    explicit SquareGrid(int bits_per_level = 1) : m_bits{bits_per_level} {}

    static constexpr uint64_t kCoordMask = (uint64_t{1} << 28) - 1;
    static CellId Id(int level, uint64_t x, uint64_t y) {
        return (static_cast<uint64_t>(level) << 56) | (x << 28) | y;
    }
    static int Level(CellId c) { return static_cast<int>(c >> 56); }
    static uint64_t X(CellId c) { return (c >> 28) & kCoordMask; }
    static uint64_t Y(CellId c) { return c & kCoordMask; }

    CellId Parent(CellId cell, int level) const override {
        const int shift = (Level(cell) - level) * m_bits;
        return Id(level, X(cell) >> shift, Y(cell) >> shift);
    }
    std::vector<CellId> Ring(CellId cell) const override {
        std::vector<CellId> out;
        const uint64_t x = X(cell), y = Y(cell);
        for (uint64_t nx = x == 0 ? 0 : x - 1; nx <= std::min(x + 1, kCoordMask); ++nx) {
            for (uint64_t ny = y == 0 ? 0 : y - 1; ny <= std::min(y + 1, kCoordMask); ++ny) {
                out.push_back(Id(Level(cell), nx, ny));
            }
        }
        std::sort(out.begin(), out.end());
        return out;
    }

private:
    int m_bits;
};

// The same grid listing every ring cell twice: each must still count once.
class DuplicatingGrid final : public SquareGrid {
public:
    std::vector<CellId> Ring(CellId cell) const override {
        std::vector<CellId> out;
        for (CellId c : SquareGrid::Ring(cell)) out.insert(out.end(), {c, c});
        return out;
    }
};

CellId C(int level, uint64_t x, uint64_t y) {
    return SquareGrid::Id(level, x, y);
}

std::vector<CellId> Repeat(CellId c, size_t n) {
    return std::vector<CellId>(n, c);
}

std::vector<CellId> Concat(std::initializer_list<std::vector<CellId>> parts) {
    std::vector<CellId> out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

// ComputeDensityScales gives every device exactly its DensityScale.
void ExpectBulkScalesMatch(const CellGrid& grid, const DensityParams& params,
                           const std::vector<CellId>& devices) {
    const DensityMap map = ComputeDensityMap(grid, params, devices);
    const std::vector<uint64_t> bulk = ComputeDensityScales(grid, params, devices);
    ASSERT_EQ(bulk.size(), devices.size());
    for (size_t i = 0; i < devices.size(); ++i) {
        ASSERT_EQ(bulk[i], DensityScale(grid, params, map, devices[i])) << i;
    }
}

TEST(DensityTest, LoneDeviceIsNotScaled) {
    const SquareGrid grid;
    const DensityParams params{3, {{2, 2, 1, 1}, {1, 1, 1, 1}}};
    const std::vector<CellId> devices{C(3, 100, 100)};
    const DensityMap map = ComputeDensityMap(grid, params, devices);
    EXPECT_EQ(map, (DensityMap{{C(2, 50, 50), {1, 1}}, {C(1, 25, 25), {1, 1}}}));
    EXPECT_EQ(DensityScale(grid, params, map, devices[0]), kUnitOne);
    EXPECT_EQ(ComputeDensityScales(grid, params, devices), (std::vector<uint64_t>{kUnitOne}));
}

TEST(DensityTest, TenDevicesInOneCellShareOne) {
    const SquareGrid grid;
    const DensityParams params{3, {{2, 2, 1, 1}}};
    const std::vector<CellId> devices = Repeat(C(3, 100, 100), 10);
    const DensityMap map = ComputeDensityMap(grid, params, devices);
    EXPECT_EQ(map, (DensityMap{{C(2, 50, 50), {10, 1}}}));
    EXPECT_EQ(DensityScale(grid, params, map, devices[0]), 100'000'000u);

    // A coarser level that clips nothing more leaves the scale at 0.1.
    const DensityParams two{3, {{2, 2, 1, 1}, {1, 1, 1, 4}}};
    const DensityMap map2 = ComputeDensityMap(grid, two, devices);
    EXPECT_EQ(map2, (DensityMap{{C(2, 50, 50), {10, 1}}, {C(1, 25, 25), {1, 1}}}));
    EXPECT_EQ(DensityScale(grid, two, map2, devices[0]), 100'000'000u);
    EXPECT_EQ(ComputeDensityScales(grid, two, devices), std::vector<uint64_t>(10, 100'000'000));
}

TEST(DensityTest, DevicesInSiblingCellsAddUp) {
    // The four level-3 children of level-2 cell (50, 50) hold 1, 2, 3 and 4 devices.
    const SquareGrid grid;
    const DensityParams params{3, {{2, 1, 1, 5}}};
    const std::vector<CellId> devices =
        Concat({Repeat(C(3, 100, 100), 1), Repeat(C(3, 101, 100), 2), Repeat(C(3, 100, 101), 3),
                Repeat(C(3, 101, 101), 4)});
    const DensityMap map = ComputeDensityMap(grid, params, devices);
    // One occupied cell, n = 1: limit = min(5, 1 * 1) = 1.
    EXPECT_EQ(map, (DensityMap{{C(2, 50, 50), {10, 1}}}));
    for (CellId d : devices) EXPECT_EQ(DensityScale(grid, params, map, d), 100'000'000u);
    ExpectBulkScalesMatch(grid, params, devices);
}

// Level-4 cells (count level 5, d = 1): A = (50,50), B = (51,50), C = (50,51), D = (52,50),
// E = (49,49). A, B and C are all neighbours; D neighbours B only, E neighbours A only.
const CellId kA = C(4, 50, 50), kB = C(4, 51, 50), kC = C(4, 50, 51), kD = C(4, 52, 50),
             kE = C(4, 49, 49);
// A device in a level-5 child of a level-4 cell.
CellId In(CellId level4) {
    return C(5, 2 * SquareGrid::X(level4) + 1, 2 * SquareGrid::Y(level4));
}

TEST(DensityTest, OccupiedNeighboursRaiseTheLimit) {
    const SquareGrid grid;
    // n = 2, target = 2, max = 10: limit = 2 * max(occupied - 1, 1).
    const DensityParams params{5, {{4, 2, 2, 10}}};

    // A = 5, B = 3, C = 1 (below target). A's, B's and C's rings each see two occupied cells
    // (A and B): limit 2 * max(2 - 2 + 1, 1) = 2.
    std::vector<CellId> devices = Concat({Repeat(In(kA), 5), Repeat(In(kB), 3), Repeat(In(kC), 1)});
    DensityMap map = ComputeDensityMap(grid, params, devices);
    EXPECT_EQ(map, (DensityMap{{kA, {5, 2}}, {kB, {3, 2}}, {kC, {1, 1}}}));
    EXPECT_EQ(DensityScale(grid, params, map, In(kA)), 400'000'000u);
    EXPECT_EQ(DensityScale(grid, params, map, In(kB)), 666'666'666u);
    EXPECT_EQ(DensityScale(grid, params, map, In(kC)), kUnitOne);

    // D = 2 is occupied and neighbours B only: B sees A, B, D (3 -> limit 4, keeps its 3);
    // D sees B, D (2 -> limit 2). A and C do not see D.
    devices = Concat({devices, Repeat(In(kD), 2)});
    map = ComputeDensityMap(grid, params, devices);
    EXPECT_EQ(map, (DensityMap{{kA, {5, 2}}, {kB, {3, 3}}, {kC, {1, 1}}, {kD, {2, 2}}}));
    EXPECT_EQ(DensityScale(grid, params, map, In(kB)), kUnitOne);
    ExpectBulkScalesMatch(grid, params, devices);

    // E = 4 neighbours A only: A sees A, B, E (3 -> limit 4); E sees A, E (limit 2).
    devices = Concat({devices, Repeat(In(kE), 4)});
    map = ComputeDensityMap(grid, params, devices);
    EXPECT_EQ(map,
              (DensityMap{{kA, {5, 4}}, {kB, {3, 3}}, {kC, {1, 1}}, {kD, {2, 2}}, {kE, {4, 2}}}));
    EXPECT_EQ(DensityScale(grid, params, map, In(kA)), 800'000'000u);
    EXPECT_EQ(DensityScale(grid, params, map, In(kE)), 500'000'000u);
    ExpectBulkScalesMatch(grid, params, devices);

    // max still binds: max = 3 caps A's limit of 4.
    const DensityParams capped{5, {{4, 2, 2, 3}}};
    map = ComputeDensityMap(grid, capped, devices);
    EXPECT_EQ(map.at(kA), (CellCount{5, 3}));
    EXPECT_EQ(map.at(kE), (CellCount{4, 2}));
}

TEST(DensityTest, ThresholdN) {
    const SquareGrid grid;
    const std::vector<CellId> devices =
        Concat({Repeat(In(kA), 5), Repeat(In(kB), 3), Repeat(In(kC), 1), Repeat(In(kE), 4)});
    // A sees A, B, E occupied (3 cells with >= 2). limit = 2 * max(3 - n + 1, 1).
    const std::pair<uint32_t, uint64_t> cases[] = {
        {0, 5},  // 2 * 4 = 8, A keeps 5
        {1, 5},  // 2 * 3 = 6
        {2, 4},  // 2 * 2
        {3, 2},  // 2 * 1
        {4, 2},  // below the threshold the factor stays 1
        {100, 2},
    };
    for (const auto& [n, clipped] : cases) {
        const DensityParams params{5, {{4, n, 2, 100}}};
        const DensityMap map = ComputeDensityMap(grid, params, devices);
        EXPECT_EQ(map.at(kA), (CellCount{5, clipped})) << n;
    }
}

TEST(DensityTest, MultiLevelProduct) {
    const SquareGrid grid;
    // Level 3: n = 1, target = 1, max = 2. Level 2: n = 1, target = 1, max = 3.
    const DensityParams params{4, {{3, 1, 1, 2}, {2, 1, 1, 3}}};
    // 4 devices under level-3 cell (50,50) and 1 under its neighbour (51,50).
    const std::vector<CellId> devices =
        Concat({Repeat(C(4, 100, 100), 4), Repeat(C(4, 102, 100), 1)});
    const DensityMap map = ComputeDensityMap(grid, params, devices);
    // Level 3: both cells occupied, limit min(2, 1 * 2) = 2: (50,50) 4 -> 2, (51,50) keeps 1.
    // Level 2: (25,25) = 2 + 1 = 3 clipped, alone: limit min(3, 1) = 1.
    EXPECT_EQ(map,
              (DensityMap{{C(3, 50, 50), {4, 2}}, {C(3, 51, 50), {1, 1}}, {C(2, 25, 25), {3, 1}}}));
    // 1 * 2/4 = 0.5, then * 1/3, floored.
    EXPECT_EQ(DensityScale(grid, params, map, C(4, 100, 100)), 166'666'666u);
    // 1 * 1/1, then * 1/3.
    EXPECT_EQ(DensityScale(grid, params, map, C(4, 102, 100)), 333'333'333u);
    // Any cell under the same ancestors gets the same scale; an unoccupied area clips nothing.
    EXPECT_EQ(DensityScale(grid, params, map, C(4, 101, 101)), 166'666'666u);
    EXPECT_EQ(DensityScale(grid, params, map, C(4, 1000, 1000)), kUnitOne);
    EXPECT_EQ(
        ComputeDensityScales(grid, params, devices),
        (std::vector<uint64_t>{166'666'666, 166'666'666, 166'666'666, 166'666'666, 333'333'333}));
}

TEST(DensityTest, DeeperHierarchy) {
    // Four children per side per level (d = 2), three levels.
    const SquareGrid grid{2};
    const DensityParams params{6, {{5, 1, 1, 1}, {4, 1, 2, 4}, {3, 1, 10, 100}}};
    // Level 5: (10,10) gets 3, (10,11) 1 (neighbours): each clipped to max 1.
    // Level 4: both are under (2,2): 1 + 1 = 2 >= target 2, alone: limit min(4, 2) = 2.
    // Level 3: (0,0) = 2 < target 10, so limit min(100, 10 * 1) = 10 keeps 2.
    const std::vector<CellId> devices =
        Concat({Repeat(C(6, 40, 40), 2), Repeat(C(6, 41, 43), 1), Repeat(C(6, 40, 44), 1)});
    const DensityMap map = ComputeDensityMap(grid, params, devices);
    EXPECT_EQ(map, (DensityMap{{C(5, 10, 10), {3, 1}},
                               {C(5, 10, 11), {1, 1}},
                               {C(4, 2, 2), {2, 2}},
                               {C(3, 0, 0), {2, 2}}}));
    EXPECT_EQ(DensityScale(grid, params, map, C(6, 40, 40)), 333'333'333u);
    EXPECT_EQ(DensityScale(grid, params, map, C(6, 40, 44)), kUnitOne);
    ExpectBulkScalesMatch(grid, params, devices);
}

TEST(DensityTest, ZeroTargetClipsEverything) {
    const SquareGrid grid;
    const DensityParams params{3, {{2, 1, 0, 5}, {1, 1, 1, 1}}};
    const std::vector<CellId> devices = Repeat(C(3, 100, 100), 3);
    const DensityMap map = ComputeDensityMap(grid, params, devices);
    EXPECT_EQ(map, (DensityMap{{C(2, 50, 50), {3, 0}}, {C(1, 25, 25), {0, 0}}}));
    EXPECT_EQ(DensityScale(grid, params, map, devices[0]), 0u);
    EXPECT_EQ(ComputeDensityScales(grid, params, devices), (std::vector<uint64_t>{0, 0, 0}));
}

TEST(DensityTest, EmptyInputs) {
    const SquareGrid grid;
    const DensityParams params{3, {{2, 2, 1, 1}}};
    EXPECT_TRUE(ComputeDensityMap(grid, params, {}).empty());
    EXPECT_TRUE(ComputeDensityScales(grid, params, {}).empty());
    EXPECT_EQ(DensityScale(grid, params, {}, C(3, 1, 1)), kUnitOne);
    const DensityParams no_levels{3, {}};
    const std::vector<CellId> devices = Repeat(C(3, 100, 100), 3);
    EXPECT_TRUE(ComputeDensityMap(grid, no_levels, devices).empty());
    EXPECT_EQ(DensityScale(grid, no_levels, {}, devices[0]), kUnitOne);
    EXPECT_EQ(ComputeDensityScales(grid, no_levels, devices), std::vector<uint64_t>(3, kUnitOne));
}

TEST(DensityTest, ScaleIgnoresRatiosAboveOneAndEmptyCells) {
    const SquareGrid grid;
    const DensityParams params{3, {{2, 2, 1, 1}, {1, 2, 1, 1}}};
    // Not a map ComputeDensityMap makes: the scale stays within [0, 1].
    const DensityMap map{{C(2, 50, 50), {2, 5}}, {C(1, 25, 25), {0, 0}}};
    EXPECT_EQ(DensityScale(grid, params, map, C(3, 100, 100)), kUnitOne);
}

TEST(DensityTest, RingDuplicatesCountOnce) {
    const SquareGrid grid;
    const DuplicatingGrid dup;
    const DensityParams params{5, {{4, 2, 2, 10}}};
    const std::vector<CellId> devices =
        Concat({Repeat(In(kA), 5), Repeat(In(kB), 3), Repeat(In(kE), 4), Repeat(In(kD), 2)});
    EXPECT_EQ(ComputeDensityMap(dup, params, devices), ComputeDensityMap(grid, params, devices));
    EXPECT_EQ(ComputeDensityScales(dup, params, devices),
              ComputeDensityScales(grid, params, devices));
}

// ---- Random layouts ----

// HIP-17-like levels on the square grid: count level 10, clipping from 9 (finest) to 4.
DensityParams Hip17Like() {
    return DensityParams{10,
                         {{9, 2, 1, 1},
                          {8, 2, 1, 2},
                          {7, 2, 1, 4},
                          {6, 2, 5, 20},
                          {5, 1, 25, 100},
                          {4, 1, 100, 400}}};
}

// n devices in clusters: dense towns and scattered singles, with many shared cells.
std::vector<CellId> RandomDevices(std::mt19937_64& rng, size_t n) {
    std::vector<CellId> out;
    std::vector<std::pair<uint64_t, uint64_t>> centres;
    for (int i = 0; i < 30; ++i) centres.emplace_back(5000 + rng() % 2000, 5000 + rng() % 2000);
    while (out.size() < n) {
        const auto& [cx, cy] = centres[rng() % centres.size()];
        const uint64_t spread = uint64_t{1} << (rng() % 8);
        out.push_back(C(10, cx + rng() % spread, cy + rng() % spread));
    }
    return out;
}

// The algorithm as the header states it, with maps and no cleverness.
DensityMap Reference(const CellGrid& grid, const DensityParams& params,
                     const std::vector<CellId>& devices) {
    std::map<CellId, uint64_t> clipped;
    for (CellId d : devices) ++clipped[d];
    DensityMap out;
    for (const DensityLevel& lvl : params.levels) {
        std::map<CellId, uint64_t> unclipped;
        for (const auto& [cell, count] : clipped) unclipped[grid.Parent(cell, lvl.level)] += count;
        clipped.clear();
        for (const auto& [cell, count] : unclipped) {
            int64_t occupied = 0;
            for (CellId r : grid.Ring(cell)) {
                auto it = unclipped.find(r);
                if (it != unclipped.end() && it->second >= lvl.target) ++occupied;
            }
            const int64_t factor = std::max<int64_t>(occupied - lvl.n + 1, 1);
            const uint64_t limit = std::min<uint64_t>(lvl.max, lvl.target * factor);
            clipped[cell] = std::min(limit, count);
            out[cell] = CellCount{count, clipped[cell]};
        }
    }
    return out;
}

TEST(DensityTest, MatchesReferenceOnRandomLayouts) {
    std::mt19937_64 rng{17};
    const SquareGrid grid;
    const DensityParams params = Hip17Like();
    for (int iter = 0; iter < 10; ++iter) {
        const std::vector<CellId> devices = RandomDevices(rng, 500 + rng() % 3000);
        const DensityMap map = ComputeDensityMap(grid, params, devices);
        ASSERT_EQ(map, Reference(grid, params, devices));

        // Each scale is the product of the ratios, floored once per level.
        uint64_t top_clipped = 0;
        for (const auto& [cell, count] : map) {
            if (SquareGrid::Level(cell) == params.levels.back().level) top_clipped += count.clipped;
        }
        const std::vector<uint64_t> bulk = ComputeDensityScales(grid, params, devices);
        ASSERT_EQ(bulk.size(), devices.size());
        uint64_t sum = 0;
        for (size_t i = 0; i < devices.size(); ++i) {
            const CellId d = devices[i];
            double exact = 1;
            for (const DensityLevel& lvl : params.levels) {
                const CellCount& c = map.at(grid.Parent(d, lvl.level));
                if (c.unclipped != 0) exact *= static_cast<double>(c.clipped) / c.unclipped;
            }
            const uint64_t scale = DensityScale(grid, params, map, d);
            ASSERT_EQ(bulk[i], scale) << i;
            ASSERT_LE(scale, kUnitOne);
            ASSERT_NEAR(static_cast<double>(scale) / kUnitOne, exact, 1e-8);
            sum += scale;
        }
        // The scales under each top-level cell add up to its clipped count, less the floors.
        EXPECT_LE(sum, top_clipped * kUnitOne);
        EXPECT_GE(sum + devices.size() * params.levels.size(), top_clipped * kUnitOne);
        EXPECT_LT(top_clipped, devices.size());  // the layouts are dense enough to clip
    }
}

TEST(DensityTest, IndependentOfInputOrder) {
    std::mt19937_64 rng{4242};
    const SquareGrid grid;
    const DensityParams params = Hip17Like();
    std::vector<CellId> devices = RandomDevices(rng, 5000);
    const DensityMap expect = ComputeDensityMap(grid, params, devices);
    std::vector<uint64_t> scales;
    for (CellId d : devices) scales.push_back(DensityScale(grid, params, expect, d));

    for (int i = 0; i < 5; ++i) {
        std::vector<size_t> perm(devices.size());
        for (size_t j = 0; j < perm.size(); ++j) perm[j] = j;
        std::shuffle(perm.begin(), perm.end(), rng);
        std::vector<CellId> shuffled;
        for (size_t j : perm) shuffled.push_back(devices[j]);
        const DensityMap map = ComputeDensityMap(grid, params, shuffled);
        ASSERT_EQ(map, expect);
        const std::vector<uint64_t> bulk = ComputeDensityScales(grid, params, shuffled);
        for (size_t k = 0; k < perm.size(); ++k) {
            ASSERT_EQ(DensityScale(grid, params, map, shuffled[k]), scales[perm[k]]);
            ASSERT_EQ(bulk[k], scales[perm[k]]);
        }
    }
    std::sort(devices.begin(), devices.end());
    EXPECT_EQ(ComputeDensityMap(grid, params, devices), expect);
    std::reverse(devices.begin(), devices.end());
    EXPECT_EQ(ComputeDensityMap(grid, params, devices), expect);
}

}  // namespace
}  // namespace cairn::consensus::rewards
