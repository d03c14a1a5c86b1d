#include "devsim/compute_fleet.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "consensus/compute/spot_check.h"
#include "devsim/fleet.h"
#include "primitives/serialize.h"
#include "prover/report_builder.h"

namespace cairn::devsim {
namespace {

namespace cc = consensus::compute;

constexpr uint32_t kDefaultSybilIds = 3;

// Row of the output (inside its product) of offset `o` of tile `tile`.
uint32_t RowOfTileCell(const cc::ChallengeShape& s, uint64_t tile, uint32_t o) {
    const uint64_t per_side = s.n / s.tile;
    const uint64_t tile_row = (tile % (per_side * per_side)) / per_side;
    return static_cast<uint32_t>(tile_row * s.tile + o / s.tile);
}

}  // namespace

std::string_view ComputeKindName(ComputeKind k) {
    switch (k) {
        case ComputeKind::kHonest:
            return "honest";
        case ComputeKind::kFraction:
            return "fraction";
        case ComputeKind::kLate:
            return "late";
        case ComputeKind::kReplay:
            return "replay";
        case ComputeKind::kRecommit:
            return "recommit";
        case ComputeKind::kMismatch:
            return "mismatch";
        case ComputeKind::kSybil:
            return "sybil";
    }
    return "unknown";
}

std::optional<ComputeKind> ComputeKindFromName(std::string_view name) {
    if (name == "honest") return ComputeKind::kHonest;
    for (ComputeKind k : kComputeCheatKinds) {
        if (ComputeKindName(k) == name) return k;
    }
    return std::nullopt;
}

Result<ComputeCheatCounts, std::string> ParseComputeCheatSpec(std::string_view spec) {
    ComputeCheatCounts out;
    if (spec.empty() || spec == "none") return out;
    if (spec == "all") {
        for (ComputeKind k : kComputeCheatKinds) {
            out.counts[k] = k == ComputeKind::kSybil ? kDefaultSybilIds : 1;
        }
        return out;
    }
    for (const SpecItem& item : SplitCheatSpec(spec, 1'000)) {
        auto kind = ComputeKindFromName(item.name);
        if (!kind || *kind == ComputeKind::kHonest) {
            return MakeError("unknown compute cheat kind '" + std::string{item.name} +
                             "' (fraction, late, replay, recommit, mismatch, sybil)");
        }
        if (item.bad_count) {
            return MakeError("bad count in compute cheater spec item '" + std::string{item.text} +
                             "'");
        }
        const uint64_t n = item.count.value_or(*kind == ComputeKind::kSybil ? kDefaultSybilIds : 1);
        out.counts[*kind] += static_cast<uint32_t>(n);
    }
    const uint32_t sybil = out.Of(ComputeKind::kSybil);
    if (sybil == 1) {
        return MakeError(std::string{"a sybil answers for at least 2 device ids (sybil=3)"});
    }
    return out;
}

std::vector<ComputeDevice> BuildComputeFleet(uint64_t seed, uint32_t honest,
                                             const ComputeCheatCounts& cheats) {
    std::vector<ComputeKind> kinds(honest, ComputeKind::kHonest);
    for (ComputeKind k : kComputeCheatKinds) kinds.insert(kinds.end(), cheats.Of(k), k);
    std::vector<ComputeDevice> fleet;
    fleet.reserve(kinds.size());
    std::optional<size_t> sybil_prover;
    uint32_t sybil_rank = 0;
    for (size_t i = 0; i < kinds.size(); ++i) {
        SecretKey dk = DeriveKey(seed, "compute-device", i);
        SecretKey ok = DeriveKey(seed, "compute-owner", i);
        const PubKey dpk = dk.GetPubKey();
        const PubKey opk = ok.GetPubKey();
        size_t prover = i;
        uint32_t rank = 0;
        if (kinds[i] == ComputeKind::kSybil) {
            if (!sybil_prover) sybil_prover = i;
            prover = *sybil_prover;
            rank = sybil_rank++;
        }
        fleet.push_back(ComputeDevice{i, kinds[i], dk, ok, dpk, opk, prover, rank});
    }
    return fleet;
}

AnswerTable::AnswerTable(const cc::ChallengeShape& shape, std::vector<int32_t> tile_cells)
    : m_shape{shape}, m_cells{std::move(tile_cells)} {
    const uint64_t tiles = cc::TileCount(shape);
    const uint64_t per_tile = uint64_t{shape.tile} * shape.tile;
    if (m_cells.size() != tiles * per_tile) {
        throw std::invalid_argument("answer table of the wrong size");
    }
    const uint64_t per_side = shape.n / shape.tile;
    std::vector<Hash256> leaves(tiles);
    for (uint64_t t = 0; t < tiles; ++t) {
        const uint32_t g = static_cast<uint32_t>(t / (per_side * per_side));
        const uint32_t tr = static_cast<uint32_t>((t % (per_side * per_side)) / per_side);
        const uint32_t tc = static_cast<uint32_t>(t % per_side);
        leaves[t] = cc::TileLeaf(g, tr, tc,
                                 std::span<const int32_t>{m_cells.data() + t * per_tile, per_tile});
    }
    // The levels of cc::TileRoot: pairs hashed with TileNode, an odd last node carried up.
    m_levels.push_back(std::move(leaves));
    while (m_levels.back().size() > 1) {
        const std::vector<Hash256>& level = m_levels.back();
        std::vector<Hash256> next;
        next.reserve((level.size() + 1) / 2);
        for (size_t i = 0; i + 1 < level.size(); i += 2) {
            next.push_back(cc::TileNode(level[i], level[i + 1]));
        }
        if (level.size() % 2 == 1) next.push_back(level.back());
        m_levels.push_back(std::move(next));
    }
}

std::vector<int32_t> AnswerTable::TileCells(uint64_t tile) const {
    const uint64_t per_tile = uint64_t{m_shape.tile} * m_shape.tile;
    if (tile >= m_levels.front().size()) throw std::invalid_argument("tile index out of range");
    return {m_cells.begin() + static_cast<std::ptrdiff_t>(tile * per_tile),
            m_cells.begin() + static_cast<std::ptrdiff_t>((tile + 1) * per_tile)};
}

std::vector<Hash256> AnswerTable::Path(uint64_t tile) const {
    if (tile >= m_levels.front().size()) throw std::invalid_argument("tile index out of range");
    std::vector<Hash256> path;
    size_t index = tile;
    for (size_t l = 0; l + 1 < m_levels.size(); ++l, index /= 2) {
        const size_t sibling = index ^ 1;
        if (sibling < m_levels[l].size()) path.push_back(m_levels[l][sibling]);
    }
    return path;
}

uint32_t ComputedRows(const cc::ChallengeShape& s, double fraction) {
    const double rows = std::floor(std::clamp(fraction, 0.0, 1.0) * s.n);
    return static_cast<uint32_t>(std::clamp(rows, 0.0, static_cast<double>(s.n)));
}

AnswerTable FractionTable(const prover::ChallengeProof& honest, uint32_t rows) {
    const cc::ChallengeShape& s = honest.Shape();
    const uint64_t tiles = honest.TileCount();
    const uint32_t per_tile = s.tile * s.tile;
    std::vector<int32_t> cells;
    cells.reserve(tiles * per_tile);
    for (uint64_t t = 0; t < tiles; ++t) {
        std::vector<int32_t> tc = honest.TileCells(t);
        for (uint32_t o = 0; o < per_tile; ++o) {
            if (RowOfTileCell(s, t, o) >= rows) tc[o] = 0;  // not computed: guessed
        }
        cells.insert(cells.end(), tc.begin(), tc.end());
    }
    return AnswerTable{s, std::move(cells)};
}

std::optional<uint32_t> FractionFailingSpot(const prover::ChallengeProof& honest,
                                            std::span<const uint64_t> spot_cells, uint32_t rows) {
    const cc::ChallengeShape& s = honest.Shape();
    for (size_t k = 0; k < spot_cells.size(); ++k) {
        const cc::CellPosition p = cc::CellAt(s, spot_cells[k]);
        if (p.i < rows) continue;
        const int32_t truth =
            honest.TileCells(cc::TileOfCell(s, spot_cells[k]))[cc::OffsetInTile(s, spot_cells[k])];
        if (truth != 0) return static_cast<uint32_t>(k);
    }
    return std::nullopt;
}

ComputeOpen MismatchOpen(const SecretKey& device_key, uint32_t network_id, uint64_t bucket,
                         const Hash256& seed, const prover::ChallengeProof& honest,
                         std::span<const uint64_t> spot_cells, std::span<const uint64_t> tiles) {
    const cc::ChallengeShape& s = honest.Shape();
    ComputeOpen o;
    o.device = device_key.GetPubKey();
    o.bucket = bucket;
    o.root = honest.Root();
    for (uint64_t t : tiles) {
        OpenedTile ot;
        ot.index = t;
        ot.cells.assign(size_t{s.tile} * s.tile, 0);
        for (uint64_t c : spot_cells) {
            if (cc::TileOfCell(s, c) != t) continue;
            const cc::CellPosition p = cc::CellAt(s, c);
            ot.cells[cc::OffsetInTile(s, c)] = cc::ChallengeCell(seed, s, p.g, p.i, p.j);
        }
        ot.path = honest.Path(t);
        o.tiles.push_back(std::move(ot));
    }
    prover::SignReport(device_key, network_id, o);
    return o;
}

Hash256 GarbageRoot(uint64_t seed, size_t device_index, uint64_t bucket) {
    Writer w;
    w.Int(seed);
    w.Int(device_index);
    w.Int(bucket);
    return TaggedHash("Cairn/DevsimGarbageRoot", w.Data());
}

ComputeOpen OpenNamingRoot(const SecretKey& device_key, uint32_t network_id, uint64_t bucket,
                           const prover::ChallengeProof& honest, std::span<const uint64_t> tiles,
                           const Hash256& root) {
    ComputeOpen o = prover::MakeOpen(device_key, network_id, bucket, honest, tiles);
    o.root = root;
    prover::SignReport(device_key, network_id, o);
    return o;
}

ComputeOpen OpenFromTable(const SecretKey& device_key, uint32_t network_id, uint64_t bucket,
                          const AnswerTable& table, std::span<const uint64_t> tiles) {
    ComputeOpen o;
    o.device = device_key.GetPubKey();
    o.bucket = bucket;
    o.root = table.Root();
    for (uint64_t t : tiles) o.tiles.push_back({t, table.TileCells(t), table.Path(t)});
    prover::SignReport(device_key, network_id, o);
    return o;
}

}  // namespace cairn::devsim
