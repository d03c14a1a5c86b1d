// Proof-of-compute verification: what one validator spends judging opens.
//
// BM_VerifyOpen/<tier>: compute::CheckOpenCells on one honest open with s = 32 spot cells, one
//   core: 32 Merkle paths and 32 cells recomputed (two k-byte ChaCha20 segments and a k-term int8
//   dot product each). Target: < 2 ms at k = 65,536 (the GPU tiers).
// BM_VerifyBucket/<devices>/<threads>: CheckOpensInParallel (the node's block checker) over a
//   bucket of opens of the h100 tier, e.g. 10,000 devices on 2 threads. The opens are copies of one
//   honest open (the work per open is identical; memory stays small); nothing is cached between
//   them. Target: well within the open window (mainnet 900 blocks of 2 s).
//
// A GPU-tier open cannot come from a full proof here (its output is 1,688 × 1 GiB). The spotted
// tiles' cells are computed exactly from their rows and columns, and the tree around them is a
// "virtual" tree whose other subtrees are filler hashes: the paths are valid for the root it
// gives, which is all a verifier can see, so the verification work is the real one.
#include <benchmark/benchmark.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "consensus/compute/open_check.h"
#include "consensus/compute/spot_check.h"
#include "consensus/params.h"
#include "node/signature_cache.h"

namespace cairn::bench {
namespace {

namespace cc = consensus::compute;

// A Merkle tree over `leaf_count` leaves of which only `known` are real; every subtree without a
// known leaf is a filler hash. Node values follow TileRoot's rule (odd last node carried up).
class VirtualTree {
public:
    VirtualTree(uint64_t leaf_count, std::map<uint64_t, Hash256> known)
        : m_known{std::move(known)} {
        for (uint64_t w = leaf_count;; w = (w + 1) / 2) {
            m_widths.push_back(w);
            if (w == 1) break;
        }
    }
    Hash256 Root() const { return Node(m_widths.size() - 1, 0); }
    std::vector<Hash256> Path(uint64_t index) const {
        std::vector<Hash256> path;
        for (size_t level = 0; level + 1 < m_widths.size(); ++level, index /= 2) {
            if ((index ^ 1) < m_widths[level]) path.push_back(Node(level, index ^ 1));
        }
        return path;
    }

private:
    Hash256 Node(size_t level, uint64_t index) const {
        const uint64_t first = index << level;
        const auto it = m_known.lower_bound(first);
        if (it == m_known.end() || it->first >= first + (uint64_t{1} << level)) {
            std::array<uint8_t, 16> id{};
            for (size_t b = 0; b < 8; ++b) id[b] = static_cast<uint8_t>(index >> (8 * b));
            id[8] = static_cast<uint8_t>(level);
            return TaggedHash("Cairn/BenchFiller", id);
        }
        if (level == 0) return it->second;
        const uint64_t left = 2 * index;
        if (left + 1 >= m_widths[level - 1]) return Node(level - 1, left);  // carried up
        return cc::TileNode(Node(level - 1, left), Node(level - 1, left + 1));
    }

    std::map<uint64_t, Hash256> m_known;
    std::vector<uint64_t> m_widths;  // leaves per level, bottom-up
};

struct HonestOpen {
    ComputeOpen open;
    cc::OpenCheckInput input;
};

// An honest open for `tier` with the chain's spot-cell count.
HonestOpen MakeHonestOpen(const consensus::ComputeTier& tier, uint32_t spot_cells) {
    const cc::ChallengeShape& s = tier.shape;
    const Hash256 seed = TaggedHash("Cairn/BenchSeed", Bytes{1});
    const Hash256 spot = TaggedHash("Cairn/BenchSpot", Bytes{2});
    PubKey device;
    device.bytes.fill(7);
    HonestOpen h;
    h.input.seed = seed;
    h.input.shape = s;
    h.input.cells = cc::SpotCells(spot, device, Hash256{}, s, spot_cells);
    const uint64_t side = s.n / s.tile;
    std::map<uint64_t, Hash256> leaves;
    std::map<uint64_t, std::vector<int32_t>> cells;
    std::vector<int8_t> row(s.k), col(s.k);
    for (uint64_t t : cc::SpottedTiles(s, h.input.cells)) {
        const auto g = static_cast<uint32_t>(t / (side * side));
        const auto tr = static_cast<uint32_t>(t / side % side);
        const auto tc = static_cast<uint32_t>(t % side);
        std::vector<int32_t> c(size_t{s.tile} * s.tile);
        std::vector<std::vector<int8_t>> cols(s.tile, std::vector<int8_t>(s.k));
        for (uint32_t x = 0; x < s.tile; ++x) cc::ColumnOfB(seed, s, g, tc * s.tile + x, cols[x]);
        for (uint32_t r = 0; r < s.tile; ++r) {
            cc::RowOfA(seed, s, g, tr * s.tile + r, row);
            for (uint32_t x = 0; x < s.tile; ++x) c[r * s.tile + x] = cc::DotInt8(row, cols[x]);
        }
        leaves[t] = cc::TileLeaf(g, tr, tc, c);
        cells[t] = std::move(c);
    }
    const VirtualTree tree{cc::TileCount(s), leaves};
    h.input.root = tree.Root();
    h.open.root = h.input.root;
    for (auto& [t, c] : cells) h.open.tiles.push_back({t, std::move(c), tree.Path(t)});
    return h;
}

const consensus::ComputeTier& TierNamed(const std::string& name) {
    static const auto devnet = consensus::DefaultParams(Network::kDevnet);
    static const auto mainnet = consensus::DefaultParams(Network::kMain);
    for (const auto* p : {&devnet, &mainnet}) {
        for (const auto& t : p->compute.tiers) {
            if (t.name == name) return t;
        }
    }
    throw std::invalid_argument("no tier " + name);
}

const HonestOpen& OpenFor(const std::string& tier) {
    static std::map<std::string, HonestOpen> cache;
    auto it = cache.find(tier);
    if (it == cache.end()) {
        const uint32_t s = consensus::DefaultParams(Network::kMain).compute.spot_cells;
        it = cache.emplace(tier, MakeHonestOpen(TierNamed(tier), s)).first;
        it->second.input.open = &it->second.open;
        if (cc::CheckOpenCells(it->second.input).verdict != consensus::ComputeVerdict::kValid) {
            throw std::logic_error("bench open does not verify");
        }
    }
    return it->second;
}

void BM_VerifyOpen(benchmark::State& state, const std::string& tier) {
    const HonestOpen& h = OpenFor(tier);
    for (auto _ : state) {
        auto r = cc::CheckOpenCells(h.input);
        benchmark::DoNotOptimize(r);
    }
    Writer w;
    h.open.Serialize(w);
    state.counters["open_bytes"] = static_cast<double>(w.Data().size());
    state.counters["tiles"] = static_cast<double>(h.open.tiles.size());
}
BENCHMARK_CAPTURE(BM_VerifyOpen, cpu_dev, std::string{"cpu-dev"})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_VerifyOpen, rtx4090, std::string{"rtx4090"})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_VerifyOpen, h100, std::string{"h100"})->Unit(benchmark::kMicrosecond);

void BM_VerifyBucket(benchmark::State& state) {
    const HonestOpen& h = OpenFor("h100");
    const std::vector<cc::OpenCheckInput> inputs(static_cast<size_t>(state.range(0)), h.input);
    const auto threads = static_cast<unsigned>(state.range(1));
    for (auto _ : state) {
        auto r = CheckOpensInParallel(inputs, threads);
        if (r.back().verdict != consensus::ComputeVerdict::kValid) state.SkipWithError("invalid");
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_VerifyBucket)
    ->Args({1'000, 1})
    ->Args({1'000, 2})
    ->Args({10'000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace
}  // namespace cairn::bench
