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
    // One merge pass: stored cells come out of the scan in cell order (big-endian keys), the
    // same order as the map. Writes are collected first; the scan must not see them.
    std::vector<std::pair<CellId, std::optional<CellCount>>> writes;
    auto next = map.begin();
    state.ForEachEntry(keys::Prefix(keys::kDensityCell), [&](ByteSpan key, ByteSpan value) {
        const CellId cell = keys::NumberOf(key);
        for (; next != map.end() && next->first < cell; ++next) writes.emplace_back(*next);
        if (next != map.end() && next->first == cell) {
            if (next->second != DecodeCount(value)) writes.emplace_back(*next);
            ++next;
        } else {
            writes.emplace_back(cell, std::nullopt);
        }
        return true;
    });
    for (; next != map.end(); ++next) writes.emplace_back(*next);
    for (const auto& [cell, count] : writes) {
        if (count) {
            state.SetEntry(CellKey(cell), EncodeCount(*count));
        } else {
            state.EraseEntry(CellKey(cell));
        }
    }
}

}  // namespace cairn::consensus::rewards
