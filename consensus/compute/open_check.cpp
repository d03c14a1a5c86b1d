#include "consensus/compute/open_check.h"

#include <algorithm>

#include "consensus/compute/spot_check.h"

namespace cairn::consensus::compute {

uint64_t MaxOpenEntryBytes(const ChallengeShape& shape, uint32_t spot_cells) {
    // Entry: kind 1, device 32, bucket 8, root 32, tile count <= 10, signature 64, verdict 1,
    // detail 4. Tile: index 8, cell count <= 10, cells 4·T², path length <= 10, 32 per sibling.
    constexpr uint64_t kEntry = 1 + 32 + 8 + 32 + 10 + 64 + 1 + 4;
    uint64_t depth = 0;
    for (uint64_t width = TileCount(shape); width > 1; width = (width + 1) / 2) ++depth;
    const uint64_t tile = 8 + 10 + 4 * uint64_t{shape.tile} * shape.tile + 10 + 32 * depth;
    return kEntry + uint64_t{spot_cells} * tile;
}

OpenCheck CheckOpenCells(const OpenCheckInput& in) {
    const ChallengeShape& s = in.shape;
    const std::vector<OpenedTile>& tiles = in.open->tiles;
    const std::vector<uint64_t> wanted = SpottedTiles(s, in.cells);
    if (tiles.size() != wanted.size()) return {ComputeVerdict::kWrongTiles, 0};
    for (size_t t = 0; t < tiles.size(); ++t) {
        if (tiles[t].index != wanted[t]) return {ComputeVerdict::kWrongTiles, 0};
    }
    const uint64_t leaf_count = TileCount(s);
    const uint64_t side = s.n / s.tile;
    const size_t tile_cells = size_t{s.tile} * s.tile;
    // 0: not yet checked, 1: leads to the root, 2: does not.
    std::vector<uint8_t> path_ok(tiles.size(), 0);
    for (size_t q = 0; q < in.cells.size(); ++q) {
        const uint64_t cell = in.cells[q];
        const size_t t = static_cast<size_t>(
            std::lower_bound(wanted.begin(), wanted.end(), TileOfCell(s, cell)) - wanted.begin());
        const OpenedTile& tile = tiles[t];
        if (path_ok[t] == 0) {
            bool ok = tile.cells.size() == tile_cells;
            if (ok) {
                const uint64_t idx = tile.index;
                const auto g = static_cast<uint32_t>(idx / (side * side));
                const auto tr = static_cast<uint32_t>(idx / side % side);
                const auto tc = static_cast<uint32_t>(idx % side);
                ok = VerifyTilePath(TileLeaf(g, tr, tc, tile.cells), idx, leaf_count, tile.path,
                                    in.root);
            }
            path_ok[t] = ok ? 1 : 2;
        }
        if (path_ok[t] == 2) return {ComputeVerdict::kBadPath, static_cast<uint32_t>(q)};
        const CellPosition p = CellAt(s, cell);
        if (tile.cells[OffsetInTile(s, cell)] != ChallengeCell(in.seed, s, p.g, p.i, p.j)) {
            return {ComputeVerdict::kWrongValue, static_cast<uint32_t>(q)};
        }
    }
    return {};
}

}  // namespace cairn::consensus::compute
