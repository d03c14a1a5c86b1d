// HIP-17-style density scaling: devices packed into one area earn less each, so that covering
// more ground pays better than stacking devices on a roof.
//
// It runs over an abstract hierarchical grid (CellGrid; the proof-of-coverage grid implements
// it), so this file knows nothing of the cell geometry. The algorithm, identical on every node:
//   1. At params.count_level, count[cell] = the number of devices in it (unclipped = clipped).
//   2. For each level in params.levels, finest first:
//        unclipped[parent] = sum of clipped[child] over its children at the previous (finer)
//                            level (the count level for the first);
//        occupied(parent)  = how many cells of Ring(parent) have an UNCLIPPED count at this
//                            level >= target (the cell itself included; a cell with no devices
//                            has 0);
//        limit             = min(max, target * max(occupied - n + 1, 1));
//        clipped[parent]   = min(limit, unclipped[parent]).
//      All unclipped counts of a level are computed before any of its cells is clipped, so a
//      cell's occupancy never depends on the order cells are visited.
//   3. A device's scale is the product over the levels of clipped / unclipped of its ancestor
//      cell (floored after each level).
// So a crowded cell shares a capped count among its devices, and the cap rises with the number
// of busy neighbouring cells: a wide dense area is clipped less hard than one crowded cell in
// empty surroundings. Because each level divides the children's clipped counts out again, the
// scales of all devices under a top-level cell add up to that cell's clipped count (less the
// floors).
//
// Every step is counted, summed and sorted by cell id, so the result depends only on the multiset
// of device cells, not on their order. Cost: one sort per level plus, per cell, one Ring call and
// a search per ring cell: O(cells * ring size * log cells).
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "consensus/rewards/reward_units.h"

namespace cairn::consensus::rewards {

// A cell of the grid at some level; the level is part of the id, so cells of different levels
// never share an id.
using CellId = uint64_t;

// The hierarchy the clipping runs on.
class CellGrid {
public:
    virtual ~CellGrid() = default;
    // The ancestor of `cell` at `level`, a coarser level than the cell's own.
    virtual CellId Parent(CellId cell, int level) const = 0;
    // The cell and its neighbours at the same level, sorted (a cell listed twice counts once).
    virtual std::vector<CellId> Ring(CellId cell) const = 0;
};

// One clipping level: HIP-17's N, density_tgt and density_max.
struct DensityLevel {
    int level{0};
    uint32_t n{0};
    uint64_t target{0};
    uint64_t max{0};
};

struct DensityParams {
    int count_level{0};                // the level devices are counted at
    std::vector<DensityLevel> levels;  // finest to coarsest, all coarser than count_level
};

struct CellCount {
    uint64_t unclipped{0};
    uint64_t clipped{0};
    bool operator==(const CellCount&) const = default;
};

// The clip levels' cells (not the count level's), keyed by CellId: every ancestor of a device at
// every level of params.levels, and no other cell.
using DensityMap = std::map<CellId, CellCount>;

// device_cells: each interactive device's cell at params.count_level, one entry per device
// (several devices in one cell appear several times). Any order.
DensityMap ComputeDensityMap(const CellGrid& grid, const DensityParams& params,
                             std::span<const CellId> device_cells);

// Every device's DensityScale at once, in the order of device_cells: exactly the values
// DensityScale gives for each device with ComputeDensityMap(grid, params, device_cells), but
// computed along the way (devices in one count-level cell share a scale) instead of with one
// map lookup per device and level, which for a million devices costs seconds.
std::vector<uint64_t> ComputeDensityScales(const CellGrid& grid, const DensityParams& params,
                                           std::span<const CellId> device_cells);

// A device's scale in kUnitOne: scale = ONE, then for each level of params.levels, finest first,
// scale = floor(scale * clipped / unclipped) of the device's ancestor cell at that level. A level
// whose ancestor is absent from the map or has unclipped == 0 contributes 1.0 (an unoccupied
// area clips nothing); a ratio above 1 (impossible in a map from ComputeDensityMap) is taken as
// 1.0, so the scale is always in [0, ONE].
uint64_t DensityScale(const CellGrid& grid, const DensityParams& params, const DensityMap& map,
                      CellId device_cell);

}  // namespace cairn::consensus::rewards
