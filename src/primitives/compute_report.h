// Compute reports: what compute devices sign, and the compute entries blocks carry.
//
// A compute device answers each bucket's challenge in two device-signed, fee-less reports, handed
// to any node like coverage reports (submitreport):
//   commit: the Merkle root over its output tiles, for one bucket and tier;
//   open:   for each spot-checked cell, its tile's cells and the tile's Merkle path.
// The proposer puts each report in its block as a ComputeEntry with the verdict every validator
// recomputes (consensus/compute/compute_verifier.h); a block whose recorded verdicts differ is
// invalid, so explorers can show exactly why a device failed.
//
// Encodings are fixed-width little-endian except for the counts (varints, bounded when decoding).
// Signatures are BIP340 by the device key over TaggedHash(tag, u32 network_id || body), as for
// coverage reports, so a report signed for one network is invalid on another.
#pragma once

#include <cstdint>
#include <string_view>
#include <variant>
#include <vector>

#include "crypto/hash.h"
#include "crypto/keys.h"
#include "primitives/serialize.h"

namespace cairn {

// TaggedHash(tag, u32le network_id || body): what a device signs, for every report kind.
Hash256 ReportSigHash(std::string_view tag, uint32_t network_id, const Writer& body);

// Decoding bounds; chain parameters set the real (lower) limits.
inline constexpr uint64_t kMaxOpenTilesDecode = 256;
inline constexpr uint64_t kMaxTileCellsDecode = 64 * 64;
inline constexpr uint64_t kMaxTilePathDecode = 64;
inline constexpr uint64_t kMaxBlockComputeDecode = 100'000;

struct ComputeCommit {
    PubKey device;
    uint64_t bucket{0};  // the bucket's start height h0
    uint8_t tier{0};     // the tier the device computed (index into ComputeParams::tiers)
    Hash256 root;        // Merkle root over the output tiles
    Signature signature;

    void SerializeBody(Writer& w) const;  // everything but the signature
    void Serialize(Writer& w) const;
    Hash256 SigHash(uint32_t network_id) const;
    bool operator==(const ComputeCommit&) const = default;
};

// One opened tile: its index in (g, tile_row, tile_col) order, its T×T cells row-major, and the
// sibling hashes from its leaf to the root.
struct OpenedTile {
    uint64_t index{0};
    std::vector<int32_t> cells;
    std::vector<Hash256> path;
    bool operator==(const OpenedTile&) const = default;
};

struct ComputeOpen {
    PubKey device;
    uint64_t bucket{0};
    Hash256 root;                   // the committed root these tiles open
    std::vector<OpenedTile> tiles;  // ascending index, one per spotted tile
    Signature signature;

    void SerializeBody(Writer& w) const;
    void Serialize(Writer& w) const;
    Hash256 SigHash(uint32_t network_id) const;
    bool operator==(const ComputeOpen&) const = default;
};

using ComputeReport = std::variant<ComputeCommit, ComputeOpen>;
const PubKey& ComputeReportDevice(const ComputeReport& r);
uint64_t ComputeReportBucket(const ComputeReport& r);
Hash256 ComputeReportSigHash(const ComputeReport& r, uint32_t network_id);
const Signature& ComputeReportSignature(const ComputeReport& r);

// A compute report in a block, with the verdict validators recompute. `detail` locates a
// failure inside an open (the spot-check number of the first bad cell); 0 otherwise.
struct ComputeEntry {
    ComputeReport report;
    uint8_t verdict{0};  // consensus::ComputeVerdict
    uint32_t detail{0};

    void Serialize(Writer& w) const;
    // TaggedHash("Cairn/ComputeEntry", encoding): the leaf of the header's compute root.
    Hash256 Hash() const;
    bool operator==(const ComputeEntry&) const = default;
};

// The body of a kind-3 (commit) or kind-4 (open) report, without the kind byte.
bool ReadComputeCommit(Reader& r, ComputeCommit& c);
bool ReadComputeOpen(Reader& r, ComputeOpen& o);
bool ReadComputeEntry(Reader& r, ComputeEntry& e);
DecodeResult<ComputeEntry> DecodeComputeEntry(ByteSpan data);

}  // namespace cairn
