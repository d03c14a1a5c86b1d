// The prover's side of a compute challenge: generate every matrix, multiply, hash every output
// tile, and keep the whole tile Merkle tree so that the commitment and any opening are at hand.
//
// Why keep everything: after committing to the root (phase 1) the prover must open whichever
// tiles the later phase-2 draw picks, with their Merkle paths. Keeping all tree levels makes
// Root() O(1) and Path() O(log N); keeping every output cell (g·n²·4 bytes, plus one n×k A and B
// buffer, reused across g, while proving) lets TileCells() answer any draw without recomputing.
// That memory is fine for the small tiers a CPU prover runs (cpu-dev {1, 256, 8192, 8}: 256 KiB
// of cells, 2 × 2 MiB of operands) but not for GPU-scale tiers, which need a streaming prover.
//
// Results are identical to consensus/compute/challenge.h (ComputeTileLeaves, TileRoot, TilePath)
// for every backend and every thread count; only the timings differ.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "consensus/compute/challenge.h"
#include "crypto/hash.h"
#include "prover/gemm_backend.h"

namespace cairn::prover {

// Wall-clock seconds per stage of ProveChallenge, summed over the g products.
struct ProverTimings {
    double keystream_s = 0;  // ChaCha20 generation of every A_g and B_g
    double gemm_s = 0;       // the backend's Multiply calls
    double hash_s = 0;       // tile leaves and the Merkle tree
    uint64_t int8_ops = 0;   // 2·g·n²·k (one multiply and one add per MAC)
};

class ChallengeProof;

// Runs the challenge `s` for `seed` with `backend`: for each g, A_g and B_g are generated in full
// (GenerateChallengeMatrices), multiplied, and every T×T tile hashed with TileLeaf in
// (g, tile_row, tile_col) order; the tree is then built once. `threads` (0 = all hardware threads)
// parallelises keystream and hashing; the backend has its own thread setting. Throws
// std::invalid_argument for a shape IsValidShape rejects (or whose g·n² cells do not fit in
// memory addressing), and whatever the backend throws (std::runtime_error on an engine failure).
ChallengeProof ProveChallenge(const Hash256& seed, const consensus::compute::ChallengeShape& s,
                              GemmBackend& backend, unsigned threads = 0);

// Writes A_g (row-major) into `a` and B_g (column-major) into `b`, each n*k bytes, by bulk
// ChaCha20 over the whole matrix: byte for byte what RowOfA / ColumnOfB give row by row, with one
// cipher call per large chunk instead of per row. Throws std::invalid_argument for an invalid
// shape, g >= s.g, or wrong span sizes; std::runtime_error if OpenSSL fails.
void GenerateChallengeMatrices(const Hash256& seed, const consensus::compute::ChallengeShape& s,
                               uint32_t g, std::span<int8_t> a, std::span<int8_t> b,
                               unsigned threads = 0);

// A finished proof: every output cell, every tree level and the timings. Immutable, so const
// methods may be called from any number of threads. Tile index = (g·(n/T) + tile_row)·(n/T) +
// tile_col, in [0, TileCount()); an index out of range throws std::invalid_argument.
class ChallengeProof {
public:
    const consensus::compute::ChallengeShape& Shape() const { return m_shape; }
    uint64_t TileCount() const { return m_levels.front().size(); }

    // The T×T cells of a tile, row-major: exactly what its leaf hashes.
    std::vector<int32_t> TileCells(uint64_t tile_index) const;
    // TileLeaf of that tile.
    const Hash256& Leaf(uint64_t tile_index) const;
    // The commitment: consensus::compute::TileRoot over all leaves.
    Hash256 Root() const { return m_levels.back().front(); }
    // Sibling hashes bottom-up; equals consensus::compute::TilePath(leaves, tile_index).
    std::vector<Hash256> Path(uint64_t tile_index) const;

    const ProverTimings& Timings() const { return m_timings; }

private:
    friend ChallengeProof ProveChallenge(const Hash256&, const consensus::compute::ChallengeShape&,
                                         GemmBackend&, unsigned);
    ChallengeProof() = default;
    void CheckIndex(uint64_t tile_index) const;

    consensus::compute::ChallengeShape m_shape;
    // g products of n×n cells, each row-major, as the backend wrote them.
    std::vector<int32_t> m_cells;
    // m_levels[0] = the leaves; each next level pairs the one below (odd last node carried up);
    // m_levels.back() holds only the root.
    std::vector<std::vector<Hash256>> m_levels;
    ProverTimings m_timings;
};

}  // namespace cairn::prover
