#include "consensus/rewards/density_state.h"

#include <stdexcept>

#include "consensus/poc/grid.h"
#include "consensus/state_keys.h"

namespace cairn::consensus::rewards {
namespace {

Bytes CellKey(CellId c) {
    return keys::WithNumber(keys::kDensityCell, c);
}

Bytes EncodeCount(const CellCount& c) {
    Writer w;
    w.VarInt(c.unclipped);
    w.VarInt(c.clipped);
    return w.Take();
}

CellCount DecodeCount(ByteSpan data) {
    Reader r{data};
    CellCount c;
    r.VarInt(c.unclipped, "cell.unclipped");
    r.VarInt(c.clipped, "cell.clipped");
    if (!r.ExpectEnd("density cell")) throw std::runtime_error("corrupt density cell record");
    return c;
}

}  // namespace

CellId CairnCellGrid::Parent(CellId cell, int level) const {
    return poc::CellParent(cell, level);
}

std::vector<CellId> CairnCellGrid::Ring(CellId cell) const {
    return poc::CellRing(cell);
}

uint64_t DensityScaleAt(const StateView& state, const DensityParams& params,
                        const poc::LatLon& position) {
    const CellId leaf = poc::CellAt(position, params.count_level);
    // Only the device's ancestors matter: read just those cells.
    DensityMap ancestors;
    for (const DensityLevel& l : params.levels) {
        const CellId c = poc::CellParent(leaf, l.level);
        if (auto raw = state.GetEntry(CellKey(c))) ancestors.emplace(c, DecodeCount(*raw));
    }
    return DensityScale(CairnCellGrid{}, params, ancestors, leaf);
}

DensityMap ReadDensityMap(const StateView& state) {
    DensityMap map;
    state.ForEachEntry(keys::Prefix(keys::kDensityCell), [&](ByteSpan key, ByteSpan value) {
        map.emplace_hint(map.end(), keys::NumberOf(key), DecodeCount(value));
        return true;
    });
    return map;
}

void ReplaceDensityMap(StateDelta& state, const DensityMap& map) {
    const DensityMap old = ReadDensityMap(state);
    for (const auto& [cell, count] : old) {
        if (!map.count(cell)) state.EraseEntry(CellKey(cell));
    }
    for (const auto& [cell, count] : map) {
        auto it = old.find(cell);
        if (it == old.end() || it->second != count)
            state.SetEntry(CellKey(cell), EncodeCount(count));
    }
}

}  // namespace cairn::consensus::rewards
