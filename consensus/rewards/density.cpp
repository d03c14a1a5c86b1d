#include "consensus/rewards/density.h"

#include <algorithm>
#include <utility>

namespace cairn::consensus::rewards {
namespace {

// The cells of one level, sorted by id, and for each cell of the level below (the count level
// for the first) the index of its parent here.
struct Level {
    std::vector<CellId> ids;
    std::vector<CellCount> counts;  // parallel to ids
    std::vector<size_t> parent_of;  // indexed like the finer level's cells
};

// Groups (id, index) pairs by id: sorts them, and returns the distinct ids in ascending order
// and, for every index, the position of its id among them. The ids come out the same whatever
// order the pairs came in.
void GroupById(std::vector<std::pair<CellId, size_t>>& items, std::vector<CellId>& ids,
               std::vector<size_t>& group_of) {
    std::sort(items.begin(), items.end());
    ids.clear();
    group_of.assign(items.size(), 0);
    for (const auto& [id, index] : items) {
        if (ids.empty() || ids.back() != id) ids.push_back(id);
        group_of[index] = ids.size() - 1;
    }
}

// The unclipped count of `id` at a level (0 for a cell with no devices), searching outward from
// the cell at `from` (whose id is not `id`): exponential steps, then a binary search over the
// range they bracket, so O(log distance) and never worse than twice a binary search. A ring's
// cells are often near the cell in id order (H3 neighbours mostly share a parent), and cells are
// visited in id order, so the steps stay in cache; a plain binary search over the whole level
// was most of the time of a million-device map (cache misses and mispredicted branches).
uint64_t UnclippedNear(const Level& level, size_t from, CellId id) {
    const std::vector<CellId>& ids = level.ids;
    size_t lo, hi;  // the first id >= `id` is in [lo, hi], hi meaning "none in [lo, hi)"
    if (id > ids[from]) {
        lo = from + 1;  // ids[lo - 1] < id
        size_t step = 1;
        while (lo + step <= ids.size() && ids[lo + step - 1] < id) {
            lo += step;
            step *= 2;
        }
        hi = std::min(lo + step - 1, ids.size());
    } else {
        hi = from;  // ids[hi] > id
        size_t step = 1;
        while (step <= hi && ids[hi - step] > id) {
            hi -= step;
            step *= 2;
        }
        lo = step > hi ? 0 : hi - step;
    }
    auto it = std::lower_bound(ids.begin() + static_cast<ptrdiff_t>(lo),
                               ids.begin() + static_cast<ptrdiff_t>(hi), id);
    if (it == ids.end() || *it != id) return 0;
    return level.counts[static_cast<size_t>(it - ids.begin())].unclipped;
}

struct Levels {
    size_t count_cells{0};            // distinct cells at the count level
    std::vector<size_t> device_cell;  // each device's index among them
    std::vector<Level> levels;        // parallel to params.levels
};

// Steps 1 and 2 of the header's algorithm.
Levels ComputeLevels(const CellGrid& grid, const DensityParams& params,
                     std::span<const CellId> device_cells) {
    Levels out;
    std::vector<std::pair<CellId, size_t>> items;
    items.reserve(device_cells.size());
    for (size_t i = 0; i < device_cells.size(); ++i) items.emplace_back(device_cells[i], i);
    std::vector<CellId> child_ids;
    GroupById(items, child_ids, out.device_cell);
    out.count_cells = child_ids.size();
    // At the count level nothing is clipped: clipped = the number of devices.
    std::vector<uint64_t> child_clipped(child_ids.size(), 0);
    for (size_t c : out.device_cell) ++child_clipped[c];

    out.levels.reserve(params.levels.size());
    for (const DensityLevel& lvl : params.levels) {
        Level& cur = out.levels.emplace_back();
        items.clear();
        items.reserve(child_ids.size());
        for (size_t i = 0; i < child_ids.size(); ++i) {
            items.emplace_back(grid.Parent(child_ids[i], lvl.level), i);
        }
        GroupById(items, cur.ids, cur.parent_of);
        // The sums cannot overflow: a level's clipped counts add up to at most the number of
        // devices.
        cur.counts.assign(cur.ids.size(), CellCount{});
        for (size_t i = 0; i < child_ids.size(); ++i) {
            cur.counts[cur.parent_of[i]].unclipped += child_clipped[i];
        }

        // Only unclipped counts are read here and only clipped ones written, so the order cells
        // are visited in cannot change any cell's occupancy.
        for (size_t i = 0; i < cur.ids.size(); ++i) {
            const std::vector<CellId> ring = grid.Ring(cur.ids[i]);
            uint64_t occupied = 0;
            for (size_t r = 0; r < ring.size(); ++r) {
                if (r > 0 && ring[r] == ring[r - 1]) continue;
                const uint64_t unclipped = ring[r] == cur.ids[i] ? cur.counts[i].unclipped
                                                                 : UnclippedNear(cur, i, ring[r]);
                if (unclipped >= lvl.target) ++occupied;
            }
            // max(occupied - n + 1, 1) without going negative.
            const uint64_t factor = occupied >= lvl.n ? occupied - lvl.n + 1 : 1;
            // target * factor may pass 2^64; the min with max brings it back.
            const unsigned __int128 wide = static_cast<unsigned __int128>(lvl.target) * factor;
            const uint64_t limit = wide < lvl.max ? static_cast<uint64_t>(wide) : lvl.max;
            cur.counts[i].clipped = std::min(limit, cur.counts[i].unclipped);
        }

        child_ids = cur.ids;
        child_clipped.resize(cur.counts.size());
        for (size_t i = 0; i < cur.counts.size(); ++i) child_clipped[i] = cur.counts[i].clipped;
    }
    return out;
}

// One level's factor, as DensityScale applies it.
uint64_t ApplyRatio(uint64_t scale, const CellCount& c) {
    if (c.unclipped == 0 || c.clipped >= c.unclipped) return scale;
    // scale <= ONE < 2^30 and clipped < 2^64: the product fits in 128 bits, and the quotient is
    // below scale because clipped < unclipped.
    return static_cast<uint64_t>(static_cast<unsigned __int128>(scale) * c.clipped / c.unclipped);
}

}  // namespace

DensityMap ComputeDensityMap(const CellGrid& grid, const DensityParams& params,
                             std::span<const CellId> device_cells) {
    const Levels levels = ComputeLevels(grid, params, device_cells);

    // Each level is sorted by id: merging them (a few levels, so by scanning their heads) gives
    // the cells in ascending order, and each insert hinted at the end is constant time.
    DensityMap map;
    std::vector<size_t> next(levels.levels.size(), 0);
    for (;;) {
        const Level* best = nullptr;
        size_t* best_next = nullptr;
        for (size_t l = 0; l < levels.levels.size(); ++l) {
            const Level& level = levels.levels[l];
            if (next[l] == level.ids.size()) continue;
            if (best == nullptr || level.ids[next[l]] < best->ids[*best_next]) {
                best = &level;
                best_next = &next[l];
            }
        }
        if (best == nullptr) break;
        map.emplace_hint(map.end(), best->ids[*best_next], best->counts[*best_next]);
        ++*best_next;
    }
    return map;
}

std::vector<uint64_t> ComputeDensityScales(const CellGrid& grid, const DensityParams& params,
                                           std::span<const CellId> device_cells) {
    const Levels levels = ComputeLevels(grid, params, device_cells);

    // Every device in one count-level cell has the same ancestors, hence the same scale: follow
    // each count cell's chain of parents up, level by level, finest first.
    std::vector<uint64_t> cell_scale(levels.count_cells, kUnitOne);
    std::vector<size_t> ancestor(levels.count_cells);
    for (size_t c = 0; c < ancestor.size(); ++c) ancestor[c] = c;
    for (const Level& l : levels.levels) {
        for (size_t c = 0; c < ancestor.size(); ++c) {
            ancestor[c] = l.parent_of[ancestor[c]];
            cell_scale[c] = ApplyRatio(cell_scale[c], l.counts[ancestor[c]]);
        }
    }

    std::vector<uint64_t> scales(device_cells.size());
    for (size_t i = 0; i < scales.size(); ++i) scales[i] = cell_scale[levels.device_cell[i]];
    return scales;
}

uint64_t DensityScale(const CellGrid& grid, const DensityParams& params, const DensityMap& map,
                      CellId device_cell) {
    uint64_t scale = kUnitOne;
    for (const DensityLevel& lvl : params.levels) {
        auto it = map.find(grid.Parent(device_cell, lvl.level));
        if (it != map.end()) scale = ApplyRatio(scale, it->second);
    }
    return scale;
}

}  // namespace cairn::consensus::rewards
