#include "prover/challenge_prover.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <limits>
#include <stdexcept>

#include "prover/parallel.h"

namespace cairn::prover {

using consensus::compute::ChallengeShape;

namespace {

// ChaCha20 block size: threads split the keystream at block boundaries.
constexpr uint64_t kBlockBytes = 64;
// Below this many nodes a tree level is hashed on the calling thread (thread start-up would cost
// more than the hashing).
constexpr size_t kParallelLevel = 4096;

// A_g into `a` and B_g into `b` (equal sizes, multiples of 64): the 64-byte blocks of both, A's
// then B's, are split across the threads in contiguous ranges.
void GenerateBoth(const Hash256& seed, uint32_t g, std::span<int8_t> a, std::span<int8_t> b,
                  unsigned threads) {
    const uint64_t blocks = a.size() / kBlockBytes;
    ParallelFor(2 * blocks, threads, [&](size_t begin, size_t end) {
        if (begin < blocks) {  // the part of the range inside A
            const size_t stop = std::min<size_t>(end, blocks);
            consensus::compute::MatrixStream(
                seed, g, consensus::compute::kStreamA, begin * kBlockBytes,
                a.subspan(begin * kBlockBytes, (stop - begin) * kBlockBytes));
        }
        if (end > blocks) {  // the part inside B
            const size_t start = std::max<size_t>(begin, blocks) - blocks;
            consensus::compute::MatrixStream(
                seed, g, consensus::compute::kStreamB, start * kBlockBytes,
                b.subspan(start * kBlockBytes, (end - blocks - start) * kBlockBytes));
        }
    });
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void CheckShape(const ChallengeShape& s) {
    if (!consensus::compute::IsValidShape(s)) {
        throw std::invalid_argument("invalid compute challenge shape");
    }
}

}  // namespace

void GenerateChallengeMatrices(const Hash256& seed, const ChallengeShape& s, uint32_t g,
                               std::span<int8_t> a, std::span<int8_t> b, unsigned threads) {
    CheckShape(s);
    if (g >= s.g) throw std::invalid_argument("compute challenge product index out of range");
    const uint64_t bytes = uint64_t{s.n} * s.k;
    if (a.size() != bytes || b.size() != bytes) {
        throw std::invalid_argument("challenge matrix spans must hold n*k bytes");
    }
    GenerateBoth(seed, g, a, b, threads);
}

ChallengeProof ProveChallenge(const Hash256& seed, const ChallengeShape& s, GemmBackend& backend,
                              unsigned threads) {
    CheckShape(s);
    const uint64_t n = s.n, k = s.k, t = s.tile, side = n / t;
    const uint64_t cells_per_product = n * n;  // n < 2^32, so no overflow
    if (cells_per_product > std::numeric_limits<size_t>::max() / sizeof(int32_t) / s.g) {
        throw std::invalid_argument("compute challenge shape too large for the in-memory prover");
    }

    ChallengeProof proof;
    proof.m_shape = s;
    proof.m_cells.resize(cells_per_product * s.g);
    std::vector<Hash256>& leaves = proof.m_levels.emplace_back(s.g * side * side);
    ProverTimings& timings = proof.m_timings;
    timings.int8_ops = 2 * uint64_t{s.g} * n * n * k;

    std::vector<int8_t> a(n * k), b(n * k);
    for (uint32_t g = 0; g < s.g; ++g) {
        auto start = std::chrono::steady_clock::now();
        GenerateChallengeMatrices(seed, s, g, a, b, threads);
        timings.keystream_s += SecondsSince(start);

        start = std::chrono::steady_clock::now();
        const std::span<int32_t> c =
            std::span<int32_t>(proof.m_cells).subspan(g * cells_per_product, cells_per_product);
        backend.Multiply(a, b, s.n, s.k, c);
        timings.gemm_s += SecondsSince(start);

        start = std::chrono::steady_clock::now();
        ParallelFor(side * side, threads, [&](size_t begin, size_t end) {
            std::vector<int32_t> tile(t * t);
            for (size_t idx = begin; idx < end; ++idx) {
                const uint64_t tr = idx / side, tc = idx % side;
                for (uint64_t r = 0; r < t; ++r) {
                    const int32_t* src = c.data() + (tr * t + r) * n + tc * t;
                    std::copy(src, src + t, tile.begin() + r * t);
                }
                leaves[g * side * side + idx] = consensus::compute::TileLeaf(
                    g, static_cast<uint32_t>(tr), static_cast<uint32_t>(tc), tile);
            }
        });
        timings.hash_s += SecondsSince(start);
    }

    // The tree, level by level, with TileRoot's rule: pairs hashed, an odd last node carried up.
    const auto start = std::chrono::steady_clock::now();
    while (proof.m_levels.back().size() > 1) {
        const size_t below = proof.m_levels.back().size();
        std::vector<Hash256> next((below + 1) / 2);
        const std::vector<Hash256>& level = proof.m_levels.back();
        ParallelFor(below / 2, below / 2 >= kParallelLevel ? threads : 1,
                    [&](size_t begin, size_t end) {
                        for (size_t i = begin; i < end; ++i) {
                            next[i] = consensus::compute::TileNode(level[2 * i], level[2 * i + 1]);
                        }
                    });
        if (below % 2 == 1) next.back() = level.back();
        proof.m_levels.push_back(std::move(next));
    }
    timings.hash_s += SecondsSince(start);
    return proof;
}

void ChallengeProof::CheckIndex(uint64_t tile_index) const {
    if (tile_index >= TileCount()) throw std::invalid_argument("tile index out of range");
}

std::vector<int32_t> ChallengeProof::TileCells(uint64_t tile_index) const {
    CheckIndex(tile_index);
    const uint64_t n = m_shape.n, t = m_shape.tile, side = n / t;
    const uint64_t g = tile_index / (side * side), tr = tile_index / side % side,
                   tc = tile_index % side;
    std::vector<int32_t> cells(t * t);
    for (uint64_t r = 0; r < t; ++r) {
        const int32_t* src = m_cells.data() + g * n * n + (tr * t + r) * n + tc * t;
        std::copy(src, src + t, cells.begin() + r * t);
    }
    return cells;
}

const Hash256& ChallengeProof::Leaf(uint64_t tile_index) const {
    CheckIndex(tile_index);
    return m_levels.front()[tile_index];
}

std::vector<Hash256> ChallengeProof::Path(uint64_t tile_index) const {
    CheckIndex(tile_index);
    std::vector<Hash256> path;
    for (size_t level = 0; level + 1 < m_levels.size(); ++level, tile_index /= 2) {
        const uint64_t sibling = tile_index ^ 1;
        if (sibling < m_levels[level].size()) path.push_back(m_levels[level][sibling]);
    }
    return path;
}

}  // namespace cairn::prover
