#include "consensus/compute/spot_check.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <unordered_set>

namespace cairn::consensus::compute {

uint64_t CellCount(const ChallengeShape& s) {
    return uint64_t{s.g} * s.n * s.n;
}

CellPosition CellAt(const ChallengeShape& s, uint64_t cell) {
    const uint64_t per = uint64_t{s.n} * s.n;
    const uint64_t rem = cell % per;
    return {static_cast<uint32_t>(cell / per), static_cast<uint32_t>(rem / s.n),
            static_cast<uint32_t>(rem % s.n)};
}

uint64_t TileOfCell(const ChallengeShape& s, uint64_t cell) {
    const CellPosition p = CellAt(s, cell);
    const uint64_t side = s.n / s.tile;
    return (uint64_t{p.g} * side + p.i / s.tile) * side + p.j / s.tile;
}

uint32_t OffsetInTile(const ChallengeShape& s, uint64_t cell) {
    const CellPosition p = CellAt(s, cell);
    return (p.i % s.tile) * s.tile + p.j % s.tile;
}

std::vector<uint64_t> SpottedTiles(const ChallengeShape& s, std::span<const uint64_t> cells) {
    std::vector<uint64_t> tiles;
    tiles.reserve(cells.size());
    for (uint64_t c : cells) tiles.push_back(TileOfCell(s, c));
    std::sort(tiles.begin(), tiles.end());
    tiles.erase(std::unique(tiles.begin(), tiles.end()), tiles.end());
    return tiles;
}

std::vector<uint64_t> SpotCells(const Hash256& spot_hash, const PubKey& device, const Hash256& root,
                                const ChallengeShape& s, uint32_t count) {
    if (!IsValidShape(s)) throw std::invalid_argument("invalid compute challenge shape");
    const uint64_t total = CellCount(s);
    if (count > total) throw std::invalid_argument("more spot cells than cells");
    // Words at or above `limit` would make x % total biased towards small cells.
    const uint64_t limit = UINT64_MAX / total * total;  // floor((2^64 - 1) / N) * N
    std::array<uint8_t, 100> buf{};
    std::copy(spot_hash.bytes.begin(), spot_hash.bytes.end(), buf.begin());
    std::copy(device.bytes.begin(), device.bytes.end(), buf.begin() + 32);
    std::copy(root.bytes.begin(), root.bytes.end(), buf.begin() + 64);
    std::vector<uint64_t> cells;
    cells.reserve(count);
    std::unordered_set<uint64_t> seen;
    for (uint32_t c = 0; cells.size() < count; ++c) {
        for (size_t b = 0; b < 4; ++b) buf[96 + b] = static_cast<uint8_t>(c >> (8 * b));
        const Hash256 h = TaggedHash(tags::kComputeSpot, buf);
        for (size_t w = 0; w < 4 && cells.size() < count; ++w) {
            uint64_t x = 0;
            for (size_t b = 0; b < 8; ++b) x |= uint64_t{h.bytes[8 * w + b]} << (8 * b);
            if (x >= limit) continue;
            const uint64_t cell = x % total;
            if (seen.insert(cell).second) cells.push_back(cell);
        }
    }
    return cells;
}

}  // namespace cairn::consensus::compute
