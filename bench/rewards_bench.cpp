// Coverage rewards at network scale: ComputeCoveragePayout and the density clipping
// (ComputeDensityMap, ComputeDensityScales, DensityScale) for 100,000 and 1,000,000 devices. The
// density benchmarks run on a square stand-in for the proof-of-coverage grid (the real grid plugs
// in through CellGrid).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "consensus/rewards/density.h"
#include "consensus/rewards/payout.h"
#include "crypto/keys.h"

namespace cairn::bench {
namespace {

using namespace consensus::rewards;

// ---- ComputeCoveragePayout ----

// Keys only need to be distinct and ordered here, not curve points: random bytes.
PubKey RandomKey(std::mt19937_64& rng) {
    PubKey k;
    for (size_t i = 0; i < k.bytes.size(); i += 8) {
        const uint64_t v = rng();
        for (size_t b = 0; b < 8; ++b) k.bytes[i + b] = static_cast<uint8_t>(v >> (8 * b));
    }
    return k;
}

// n devices with random HIP-15-sized units, owned by n / 4 owners (a few own many).
const std::vector<DeviceShare>& PayoutShares(size_t n) {
    static std::map<size_t, std::vector<DeviceShare>> cache;
    auto [it, fresh] = cache.try_emplace(n);
    if (!fresh) return it->second;
    std::mt19937_64 rng{n};
    std::vector<PubKey> owners(std::max<size_t>(n / 4, 1));
    for (PubKey& o : owners) o = RandomKey(rng);
    it->second.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        // Skewed ownership: half of the devices belong to the first tenth of the owners.
        const size_t owner =
            rng() % 2 == 0 ? rng() % (owners.size() / 10 + 1) : rng() % owners.size();
        const uint64_t beacon = rng() % 8 == 0 ? 0 : rng() % (2 * kUnitOne);
        const uint64_t witness = rng() % 4 == 0 ? 0 : rng() % (30 * kUnitOne);
        it->second.push_back(DeviceShare{RandomKey(rng), owners[owner], beacon, witness});
    }
    return it->second;
}

void BM_CoveragePayout(benchmark::State& state) {
    const auto& shares = PayoutShares(static_cast<size_t>(state.range(0)));
    for (auto _ : state) {
        CoveragePayout p = ComputeCoveragePayout(1'000'000 * kCoin, 3'000'000 * kCoin, shares);
        benchmark::DoNotOptimize(p);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CoveragePayout)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// ---- Density clipping ----

// The unit tests' square grid: (x, y) at level L has the parent (x >> 1, y >> 1) at level L - 1
// and the 3x3 block as its ring (9 cells, more than H3's 7). Id: level, then 28 bits each.
class SquareGrid final : public CellGrid {
public:
    static constexpr uint64_t kMask = (uint64_t{1} << 28) - 1;
    static CellId Id(int level, uint64_t x, uint64_t y) {
        return (static_cast<uint64_t>(level) << 56) | (x << 28) | y;
    }
    CellId Parent(CellId cell, int level) const override {
        const int shift = static_cast<int>(cell >> 56) - level;
        return Id(level, ((cell >> 28) & kMask) >> shift, (cell & kMask) >> shift);
    }
    std::vector<CellId> Ring(CellId cell) const override {
        const int level = static_cast<int>(cell >> 56);
        const uint64_t x = (cell >> 28) & kMask, y = cell & kMask;
        std::vector<CellId> out;
        out.reserve(9);
        for (uint64_t nx = x == 0 ? 0 : x - 1; nx <= std::min(x + 1, kMask); ++nx) {
            for (uint64_t ny = y == 0 ? 0 : y - 1; ny <= std::min(y + 1, kMask); ++ny) {
                out.push_back(Id(level, nx, ny));
            }
        }
        return out;  // ascending: x-major, then y, as the id orders them
    }
};

// HIP-17's table: devices counted at level 12, clipped from 10 down to 4.
DensityParams Hip17Params() {
    return DensityParams{12,
                         {{10, 2, 1, 1},
                          {9, 2, 1, 2},
                          {8, 2, 1, 4},
                          {7, 2, 5, 20},
                          {6, 1, 25, 100},
                          {5, 1, 100, 400},
                          {4, 1, 250, 800}}};
}

// n devices at level 12: 80% in 2,000 towns of various spreads, 20% scattered.
const std::vector<CellId>& DensityDevices(size_t n) {
    static std::map<size_t, std::vector<CellId>> cache;
    auto [it, fresh] = cache.try_emplace(n);
    if (!fresh) return it->second;
    std::mt19937_64 rng{n + 17};
    constexpr uint64_t kWorld = uint64_t{1} << 22;
    std::vector<std::pair<uint64_t, uint64_t>> towns(2000);
    for (auto& [x, y] : towns) x = rng() % kWorld, y = rng() % kWorld;
    it->second.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        if (rng() % 5 == 0) {
            it->second.push_back(SquareGrid::Id(12, rng() % kWorld, rng() % kWorld));
            continue;
        }
        const auto& [x, y] = towns[rng() % towns.size()];
        const uint64_t spread = uint64_t{1} << (rng() % 10);
        it->second.push_back(
            SquareGrid::Id(12, (x + rng() % spread) % kWorld, (y + rng() % spread) % kWorld));
    }
    return it->second;
}

void BM_DensityMap(benchmark::State& state) {
    const SquareGrid grid;
    const DensityParams params = Hip17Params();
    const auto& devices = DensityDevices(static_cast<size_t>(state.range(0)));
    size_t cells = 0;
    for (auto _ : state) {
        DensityMap map = ComputeDensityMap(grid, params, devices);
        cells = map.size();
        benchmark::DoNotOptimize(map);
    }
    state.counters["cells"] = static_cast<double>(cells);
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_DensityMap)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// Every device's scale in one pass (ComputeDensityScales: the levels without the map).
void BM_DensityScales(benchmark::State& state) {
    const SquareGrid grid;
    const DensityParams params = Hip17Params();
    const auto& devices = DensityDevices(static_cast<size_t>(state.range(0)));
    for (auto _ : state) {
        std::vector<uint64_t> scales = ComputeDensityScales(grid, params, devices);
        benchmark::DoNotOptimize(scales);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_DensityScales)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// Every device's scale one DensityScale call at a time, once the map is built: one map lookup
// per level per device, which is why ComputeDensityScales exists (100,000 only: 1,000,000 takes
// over ten seconds).
void BM_DensityScaleEach(benchmark::State& state) {
    const SquareGrid grid;
    const DensityParams params = Hip17Params();
    const auto& devices = DensityDevices(static_cast<size_t>(state.range(0)));
    const DensityMap map = ComputeDensityMap(grid, params, devices);
    for (auto _ : state) {
        uint64_t sum = 0;
        for (CellId d : devices) sum += DensityScale(grid, params, map, d);
        benchmark::DoNotOptimize(sum);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_DensityScaleEach)->Arg(100'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cairn::bench
