// Cairn's hierarchical cell grid: where coverage is counted.
//
// Proof-of-Coverage needs a fixed partition of the Earth into cells at several resolutions,
// computable in integers so every node assigns a location to the same cell (H3 is not
// available and uses floating point). The grid is defined directly on the 1e-7 degree
// coordinates of geo.h:
//
//  * Rows. At level L (0 coarsest .. 12 finest) row = (lat_e7 + 900'000'000) >> (24 - L):
//    cells are 2^(24 - L) * 1e-7 degrees tall (level 0: 1.6777 deg, ~186.5 km; level 12:
//    ~45.5 m). Latitude +90 falls in the last row; the last row of every level is partial.
//  * Columns. Each level-0 row r has a width multiplier m_r = round(8 / cos(phi_r)), phi_r the
//    latitude of the row's centre, capped at 8 * 64 = 512 (also used where the centre lies
//    beyond the pole); the table is fixed in grid.cpp. At level L a cell in level-0 row
//    r = row >> L is w = 2^(21 - L) * m_r units wide and col = (lon_e7 + 1'800'000'000) / w.
//    Scaling the width by ~1/cos(latitude) keeps cells roughly square in metres and of roughly
//    equal area up to |lat| ~ 60 degrees. The last column of a row may be partial; a row has
//    ncols = ceil(3'600'000'000 / w) columns and wraps at the antimeridian.
//  * Nesting. A level-(L+1) cell has half the height and, with the same multiplier, half the
//    width, so each cell is exactly the union of its 2 x 2 children and the ancestor at a
//    coarser level is (row >> d, col >> d).
//  * Encoding. CellId = (level << 56) | (row << 28) | col; rows and columns fit in 28 bits.
//
// Resolutions per level are tabulated in doc/depin.md (section 4).
#pragma once

#include <cstdint>
#include <vector>

#include "consensus/poc/geo.h"

namespace cairn::consensus::poc {

using CellId = uint64_t;
inline constexpr int kGridLevels = 13;  // levels 0..12, 12 finest

// The cell containing p. REQUIRES IsValidLocation(p) and 0 <= level < kGridLevels; outside
// that, the level is clamped, the latitude clamped and the longitude wrapped, so the result is
// still a valid cell (callers validate first; this only keeps the function total).
CellId CellAt(const LatLon& p, int level);

int CellLevel(CellId c);

// The ancestor of c at `level`: (row >> d, col >> d) with d = CellLevel(c) - level, which
// equals CellAt(p, level) for every p in c. REQUIRES IsValidCell(c) and
// 0 <= level <= CellLevel(c); otherwise c is returned unchanged.
CellId CellParent(CellId c, int level);

// The middle of the part of c that lies on the globe: for the partial last row (which would
// reach past +90) and the partial last column (past +180) the centre of the clipped cell, so
// CellAt(CellCenter(c), CellLevel(c)) == c always holds. REQUIRES IsValidCell(c); returns
// {0, 0} otherwise.
LatLon CellCenter(CellId c);

// The 1-ring: c and its distinct neighbours at the same level, sorted ascending. For each of
// the rows row - 1, row, row + 1 that exist (nothing is taken beyond a pole), the cells
// containing the longitudes x - w, x, x + w, where x is c's nominal centre and w its width;
// column indices are computed without wrapping and then reduced mod that row's ncols (the
// partial last column counts as full width, so the block wraps cleanly at the antimeridian).
// Where the neighbouring row has the same width this is exactly columns col - 1 .. col + 1, so
// the relation is symmetric there. Normally 9 cells; 6 in the first and last row; it can
// differ next to a level-0 row boundary where the widths change. Empty if !IsValidCell(c).
std::vector<CellId> CellRing(CellId c);

// Level < kGridLevels, row and column in range for that level and row.
bool IsValidCell(CellId c);

}  // namespace cairn::consensus::poc
