// The simulated compute fleet of cairn-devsim: who the compute devices are, which machine answers
// for each, and the answers cheating provers build instead of the honest one (doc/devsim.md,
// "Compute devices").
//
// Like the radio fleet (fleet.h) everything here is a pure function of the options and the seed:
// the same seed gives the same keys and the same cheats. What a cheater sends is built from the
// honest proof (prover::ProveChallenge) by changing one thing, so each cheat fails exactly one
// rule, and the verdict the consensus rules give it can be predicted here: devsim compares the
// prediction with what the chain records.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "consensus/compute/challenge.h"
#include "crypto/hash.h"
#include "crypto/keys.h"
#include "devsim/cheat_spec.h"
#include "primitives/compute_report.h"
#include "prover/challenge_prover.h"
#include "util/result.h"

namespace cairn::devsim {

enum class ComputeKind : uint8_t {
    kHonest,
    kFraction,  // computes only a fraction f of the output rows, guesses 0 for the rest
    kLate,      // computes honestly, commits after the deadline h0 + D
    kReplay,    // re-submits its previous bucket's signed commit and open instead of computing
    kRecommit,  // commits a garbage root, then after the spot block tries the honest one
    kMismatch,  // commits honestly, keeps only the tree, opens tiles rebuilt around spot cells
    kSybil,     // one machine answering for several device ids, one challenge at a time
};

inline constexpr std::array<ComputeKind, 6> kComputeCheatKinds{
    ComputeKind::kFraction, ComputeKind::kLate,     ComputeKind::kReplay,
    ComputeKind::kRecommit, ComputeKind::kMismatch, ComputeKind::kSybil};

std::string_view ComputeKindName(ComputeKind k);
std::optional<ComputeKind> ComputeKindFromName(std::string_view name);

// How many compute cheaters of each kind: "fraction=1,late=1,replay=1,recommit=1,mismatch=1,
// sybil=3" (':' works too). sybil=N is ONE prover answering for N >= 2 device ids. "all" is one of
// each and a sybil of 3 ids; "" or "none" is no cheaters.
using ComputeCheatCounts = KindCounts<ComputeKind>;
Result<ComputeCheatCounts, std::string> ParseComputeCheatSpec(std::string_view spec);

struct ComputeDevice {
    size_t index{0};
    ComputeKind kind{ComputeKind::kHonest};
    SecretKey device_key;
    SecretKey owner_key;
    PubKey device;
    PubKey owner;
    size_t prover{0};  // the machine answering for it: its own index, or its sybil's first id's
    uint32_t rank{0};  // its place in its machine's queue (0 but for a sybil's later ids)
};

// Honest devices first (indices 0..honest-1), then cheaters in kComputeCheatKinds order. Keys
// come from DeriveKey(seed, "compute-device" / "compute-owner", index), so they never collide
// with the radio fleet's.
std::vector<ComputeDevice> BuildComputeFleet(uint64_t seed, uint32_t honest,
                                             const ComputeCheatCounts& cheats);

// An answer table other than the honest one: every output cell, tile by tile ((g, tile_row,
// tile_col) order, each tile T×T row-major, as ChallengeProof::TileCells gives them), and the
// Merkle tree over their leaves exactly as consensus/compute/challenge.h builds it.
class AnswerTable {
public:
    AnswerTable(const consensus::compute::ChallengeShape& shape, std::vector<int32_t> tile_cells);

    const Hash256& Root() const { return m_levels.back().front(); }
    std::vector<int32_t> TileCells(uint64_t tile) const;
    std::vector<Hash256> Path(uint64_t tile) const;

private:
    consensus::compute::ChallengeShape m_shape;
    std::vector<int32_t> m_cells;
    std::vector<std::vector<Hash256>> m_levels;  // leaves first, the root last
};

// The output rows a fraction prover computes: floor(f · n), at least 0 and at most n.
uint32_t ComputedRows(const consensus::compute::ChallengeShape& s, double fraction);

// A fraction prover's table: rows i < rows of every product are the honest ones, every other cell
// is guessed as 0.
AnswerTable FractionTable(const prover::ChallengeProof& honest, uint32_t rows);

// The spot number the rules fail a fraction prover at: the first spot cell (in draw order) in an
// uncomputed row whose true value is not 0 (a guess of 0 is right there). nullopt: every spot
// cell is right and the open passes (probability about f^s).
std::optional<uint32_t> FractionFailingSpot(const prover::ChallengeProof& honest,
                                            std::span<const uint64_t> spot_cells, uint32_t rows);

// The open of a prover that committed honestly but then kept only the Merkle tree (not the output
// cells): for each spotted tile it recomputes the spotted cells from the seed on CPU
// (ChallengeCell), fills the rest of the tile with 0, and sends the tile with its true path. The
// values it is asked for are right, but the tile no longer hashes to the committed leaf.
ComputeOpen MismatchOpen(const SecretKey& device_key, uint32_t network_id, uint64_t bucket,
                         const Hash256& seed, const prover::ChallengeProof& honest,
                         std::span<const uint64_t> spot_cells, std::span<const uint64_t> tiles);

// A root that no table hashes to (the recommitter's first commit).
Hash256 GarbageRoot(uint64_t seed, size_t device_index, uint64_t bucket);

// The open of the honest tiles `tiles` of `honest`, naming `root` instead of the honest root.
ComputeOpen OpenNamingRoot(const SecretKey& device_key, uint32_t network_id, uint64_t bucket,
                           const prover::ChallengeProof& honest, std::span<const uint64_t> tiles,
                           const Hash256& root);

// The open of `tiles` from a cheater's own table.
ComputeOpen OpenFromTable(const SecretKey& device_key, uint32_t network_id, uint64_t bucket,
                          const AnswerTable& table, std::span<const uint64_t> tiles);

}  // namespace cairn::devsim
