// The density map in force, as ledger records, and Cairn's grid as the clipping's hierarchy.
//
// The map is recomputed at every epoch boundary from the radios that were interactive then
// (rewards/epoch_rewards.h) and scales the beacons of the following epoch. Only the clip
// levels' cells are stored ('H' || cell id -> unclipped, clipped), and only changed cells are
// rewritten, so an epoch boundary costs writes in proportion to what moved.
#pragma once

#include "consensus/params.h"
#include "consensus/poc/geo.h"
#include "consensus/rewards/density.h"
#include "consensus/state.h"

namespace cairn::consensus::rewards {

// Cairn's hierarchical grid (poc/grid.h) seen through the CellGrid interface.
class CairnCellGrid final : public CellGrid {
public:
    CellId Parent(CellId cell, int level) const override;
    std::vector<CellId> Ring(CellId cell) const override;
};

// The density scale (kUnitOne = 1.0) of a device at `position` under the map in `state`.
uint64_t DensityScaleAt(const StateView& state, const DensityParams& params,
                        const poc::LatLon& position);

// Reads the whole map in force.
DensityMap ReadDensityMap(const StateView& state);
// Replaces the map in `state` by `map`, writing only cells that changed.
void ReplaceDensityMap(StateDelta& state, const DensityMap& map);

}  // namespace cairn::consensus::rewards
