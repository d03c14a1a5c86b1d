#include "consensus/poc/grid.h"

#include <algorithm>
#include <array>

namespace cairn::consensus::poc {

namespace {

constexpr int kLevel0Rows = 108;  // (1.8e9 >> 24) + 1; the last row is partial
constexpr int64_t kLatSpanE7 = 2 * int64_t{kMaxLatE7};  // 1.8e9
constexpr int64_t kLonSpanE7 = 2 * int64_t{kMaxLonE7};  // 3.6e9
constexpr uint64_t kField = (uint64_t{1} << 28) - 1;

// m_r = round(8 / cos(phi_r)) for the centre latitude phi_r of level-0 row r, capped at 512
// (rows 0 and 107, whose centres are within 0.9 degree of, or beyond, the pole). Generated
// with double std::cos; PocGrid.MultiplierTable recomputes it. No entry is within 0.001 of a
// rounding tie, so the table does not depend on the libm that produced it.
constexpr std::array<int64_t, kLevel0Rows> kRowMultiplier = {
    512, 182, 109, 78, 61, 50, 42, 37, 32, 29,  26,  24,  //
    22,  21,  19,  18, 17, 16, 16, 15, 14, 14,  13,  13,  //
    12,  12,  11,  11, 11, 11, 10, 10, 10, 10,  9,   9,   //
    9,   9,   9,   9,  9,  9,  8,  8,  8,  8,   8,   8,   //
    8,   8,   8,   8,  8,  8,  8,  8,  8,  8,   8,   8,   //
    8,   8,   8,   8,  8,  9,  9,  9,  9,  9,   9,   9,   //
    9,   10,  10,  10, 10, 10, 11, 11, 11, 12,  12,  12,  //
    13,  13,  14,  15, 15, 16, 17, 18, 19, 20,  22,  24,  //
    26,  28,  31,  35, 41, 47, 57, 72, 98, 153, 347, 512,
};

CellId Encode(int level, int64_t row, int64_t col) {
    return (static_cast<uint64_t>(level) << 56) | (static_cast<uint64_t>(row) << 28) |
           static_cast<uint64_t>(col);
}

int64_t RowHeight(int level) {
    return int64_t{1} << (24 - level);
}
int64_t MaxRow(int level) {
    return kLatSpanE7 >> (24 - level);
}
int64_t CellWidth(int level, int64_t row) {
    return (int64_t{1} << (21 - level)) * kRowMultiplier[static_cast<size_t>(row >> level)];
}
int64_t NumCols(int64_t width) {
    return (kLonSpanE7 + width - 1) / width;
}

int64_t FloorDiv(int64_t a, int64_t b) {
    const int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

}  // namespace

CellId CellAt(const LatLon& p, int level) {
    level = std::clamp(level, 0, kGridLevels - 1);
    const int64_t y = std::clamp<int64_t>(p.lat_e7, -kMaxLatE7, kMaxLatE7) + kMaxLatE7;
    int64_t x = (int64_t{p.lon_e7} + kMaxLonE7) % kLonSpanE7;
    if (x < 0) x += kLonSpanE7;
    const int64_t row = y >> (24 - level);
    return Encode(level, row, x / CellWidth(level, row));
}

int CellLevel(CellId c) {
    return static_cast<int>(c >> 56);
}

CellId CellParent(CellId c, int level) {
    const int l = CellLevel(c);
    if (!IsValidCell(c) || level < 0 || level > l) return c;
    const int d = l - level;
    return Encode(level, ((c >> 28) & kField) >> d, (c & kField) >> d);
}

LatLon CellCenter(CellId c) {
    if (!IsValidCell(c)) return {};
    const int level = CellLevel(c);
    const int64_t row = static_cast<int64_t>((c >> 28) & kField);
    const int64_t col = static_cast<int64_t>(c & kField);
    // Midpoints of [lo, hi] clipped to the globe: latitude +90 is inside the last row,
    // longitude +180 is outside the last column.
    const int64_t lat_lo = row * RowHeight(level) - kMaxLatE7;
    const int64_t lat_hi = std::min<int64_t>(lat_lo + RowHeight(level), kMaxLatE7);
    const int64_t w = CellWidth(level, row);
    const int64_t lon_lo = col * w - kMaxLonE7;
    const int64_t lon_hi = std::min<int64_t>(lon_lo + w, kMaxLonE7);
    return LatLon{static_cast<int32_t>(lat_lo + (lat_hi - lat_lo) / 2),
                  static_cast<int32_t>(lon_lo + (lon_hi - lon_lo) / 2)};
}

std::vector<CellId> CellRing(CellId c) {
    std::vector<CellId> ring;
    if (!IsValidCell(c)) return ring;
    const int level = CellLevel(c);
    const int64_t row = static_cast<int64_t>((c >> 28) & kField);
    const int64_t col = static_cast<int64_t>(c & kField);
    const int64_t w = CellWidth(level, row);
    const int64_t centre = col * w + w / 2;  // nominal, in units east of -180
    ring.reserve(9);
    for (int64_t r = row - 1; r <= row + 1; ++r) {
        if (r < 0 || r > MaxRow(level)) continue;
        const int64_t rw = CellWidth(level, r);
        const int64_t n = NumCols(rw);
        for (int64_t k = -1; k <= 1; ++k) {
            int64_t col_r = FloorDiv(centre + k * w, rw) % n;
            if (col_r < 0) col_r += n;
            ring.push_back(Encode(level, r, col_r));
        }
    }
    std::sort(ring.begin(), ring.end());
    ring.erase(std::unique(ring.begin(), ring.end()), ring.end());
    return ring;
}

bool IsValidCell(CellId c) {
    const int level = CellLevel(c);
    if (level >= kGridLevels) return false;
    const int64_t row = static_cast<int64_t>((c >> 28) & kField);
    const int64_t col = static_cast<int64_t>(c & kField);
    return row <= MaxRow(level) && col < NumCols(CellWidth(level, row));
}

}  // namespace cairn::consensus::poc
