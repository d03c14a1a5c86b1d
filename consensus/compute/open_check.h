// The state-free part of judging an open: do the opened tiles lead to the committed root, and are
// the spotted cells A·B's?
//
// This is where a validator spends its time in proof of compute (two keystream segments of k
// bytes and a k-term dot product per spotted cell, one Merkle path per tile), and it depends on
// nothing but its inputs, so the node runs the opens of a block in parallel through
// SignatureChecker::CheckOpens while the rules stay serial and thread-free.
#pragma once

#include <cstdint>
#include <vector>

#include "consensus/compute/challenge.h"
#include "consensus/compute/compute_verdict.h"
#include "primitives/compute_report.h"

namespace cairn::consensus::compute {

struct OpenCheckInput {
    Hash256 seed;                 // ChallengeSeed(hash of block h0, device)
    ChallengeShape shape;         // the device's tier in the bucket
    std::vector<uint64_t> cells;  // SpotCells(...), in draw order
    Hash256 root;                 // the committed root
    const ComputeOpen* open = nullptr;
};

struct OpenCheck {
    ComputeVerdict verdict{ComputeVerdict::kValid};
    uint32_t detail{0};  // the spot number of the first failing cell
    bool operator==(const OpenCheck&) const = default;
};

// An upper bound on the encoded size of an honest open of `shape` with `spot_cells` spot checks
// as a block's compute entry: every spotted cell in its own tile, every path at full depth.
uint64_t MaxOpenEntryBytes(const ChallengeShape& shape, uint32_t spot_cells);

// kWrongTiles unless the open's tiles are exactly the spotted cells' tiles in ascending order;
// then, in spot order, the first cell whose tile has the wrong cell count or does not lead to the
// root (kBadPath) or whose value differs from the recomputed one (kWrongValue); else kValid.
// REQUIRES: in.open != nullptr, a valid shape and cells < CellCount(shape).
OpenCheck CheckOpenCells(const OpenCheckInput& in);

}  // namespace cairn::consensus::compute
