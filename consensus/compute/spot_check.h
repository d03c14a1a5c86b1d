// Spot checks: which output cells of a device's challenge validators recompute.
//
// cells = PRF(hash of the spot block || device key || committed root): a block the device cannot
// see before its commit is on chain (schedule.h), so the device gets one draw per commit. Deriving
// the cells from the root alone would let a device that computed a fraction f of the output
// re-randomise an uncomputed cell and draw again until it passes (about f^-s tries, each costing
// one Merkle path). Mixing in the device key and root makes every device's cells different.
//
// The PRF: for counter c = 0, 1, ..., TaggedHash("Cairn/ComputeSpot", spot hash || device ||
// root || u32le c) gives four u64le words; a word x >= L = floor((2^64 - 1) / N) * N is skipped
// (L is a multiple of N, so x mod N is uniform over the N = G·n² cells; when N is a power of two
// this skips N words more than needed, which costs nothing), as is a cell already drawn, until
// s cells are drawn.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "consensus/compute/challenge.h"

namespace cairn::consensus::compute {

// A cell of the challenge output: product g, row i, column j.
struct CellPosition {
    uint32_t g = 0;
    uint32_t i = 0;
    uint32_t j = 0;
};

// Cell index c = (g * n + i) * n + j.
uint64_t CellCount(const ChallengeShape& s);
CellPosition CellAt(const ChallengeShape& s, uint64_t cell);
// The index of the tile holding the cell, in (g, tile_row, tile_col) order.
uint64_t TileOfCell(const ChallengeShape& s, uint64_t cell);
// The cell's offset inside its tile (row-major).
uint32_t OffsetInTile(const ChallengeShape& s, uint64_t cell);

// The distinct tiles holding `cells`, ascending: exactly the tiles an open must carry.
std::vector<uint64_t> SpottedTiles(const ChallengeShape& s, std::span<const uint64_t> cells);

// `count` distinct cells in draw order. REQUIRES: valid shape, count <= CellCount(s).
std::vector<uint64_t> SpotCells(const Hash256& spot_hash, const PubKey& device, const Hash256& root,
                                const ChallengeShape& s, uint32_t count);

}  // namespace cairn::consensus::compute
