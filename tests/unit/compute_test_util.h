// Fixtures for the proof-of-compute tests: chain parameters with two tiny tiers, an honest
// in-process prover (every output cell, tile leaf, root and path computed here from the
// consensus primitives), signed commits and opens, and a chain whose blocks carry compute
// entries, built by AssembleBlock (kFill) and connected through ConnectBlock (kRecord, signatures
// included).
//
// Schedule with these parameters (bucket_length 10, open_window 2, settle_offset 3 + 1 + 2 = 6):
//   bucket h0 = 10, 20, ...; challenged at the end of block h0;
//   tier "t" (D = 2, weight 1): commit in h0+1..h0+2, spot block h0+3, open in h0+4..h0+5;
//   tier "u" (D = 3, weight 3): commit in h0+1..h0+3, spot block h0+4, open in h0+5..h0+6;
//   every device settled at h0+6; epoch_length 30 (devnet), so epoch 0 settles buckets 10, 20.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "consensus/compute/challenge.h"
#include "consensus/compute/compute_state.h"
#include "consensus/compute/compute_verifier.h"
#include "consensus/compute/schedule.h"
#include "consensus/compute/spot_check.h"
#include "depin_test_util.h"
#include "primitives/compute_report.h"

namespace cairn::test {

inline constexpr uint8_t kTierT = 0;              // {g=1, n=16, k=64, T=4}, D = 2, weight 1
inline constexpr uint8_t kTierU = 1;              // {g=1, n=16, k=128, T=4}, D = 3, weight 3
inline constexpr Amount kComputeFee = 7 * kCoin;  // differs from the radio fee on purpose
inline constexpr uint64_t kBucketLength = 10;
inline constexpr uint64_t kSettleOffset = 6;
inline constexpr uint32_t kSpotCells = 8;
inline constexpr uint32_t kMaxComputeEntries = 8;

// Devnet with the two small tiers above, 8 spot cells, at most 8 compute entries per block.
consensus::ChainParams SmallComputeParams();

// An output and its commitment: what an honest (or, after edits and Rehash, a cheating) prover
// holds.
struct ComputeProof {
    consensus::compute::ChallengeShape shape;
    Hash256 seed;
    std::vector<std::vector<int32_t>> tiles;  // by tile index, T*T cells row-major
    std::vector<Hash256> leaves;
    Hash256 root;

    int32_t& Cell(uint64_t cell);  // cell index as in spot_check.h
    int32_t At(uint64_t cell) const;
    // Recomputes the leaves and the root from the tiles.
    void Rehash();
};

// `bytes` keystream bytes of ChaCha20(key = seed) from block `counter` with nonce words
// (g, which, 0), in one raw EVP call: the layout as the doc states it, independent of the
// consensus code's RowOfA / ColumnOfB / MatrixStream.
std::vector<int8_t> RawChaChaStream(const Hash256& seed, uint32_t counter, uint32_t g,
                                    uint32_t which, size_t bytes);

// C_g = A_g · B_g cell by cell (RowOfA, ColumnOfB, DotInt8), then leaves and root.
ComputeProof ProveHonestly(const Hash256& seed, const consensus::compute::ChallengeShape& shape);

// One opened tile per distinct tile of `cells`, ascending, with its cells and path.
std::vector<OpenedTile> OpenTiles(const ComputeProof& proof, const std::vector<uint64_t>& cells);

void SignCommit(ComputeCommit& c, const SecretKey& device, uint32_t network_id);
void SignOpen(ComputeOpen& o, const SecretKey& device, uint32_t network_id);
// An entry as a proposer hands it to AssembleBlock (verdict and detail filled there).
ComputeEntry Entry(ComputeReport report);

struct ComputeDevice {
    SecretKey key;
    PubKey pub;
    size_t owner{0};  // account index
    uint8_t tier{0};  // the tier it registers with
};

// A DepinChain (one validator) on SmallComputeParams, or on those changed by `tweak`.
class ComputeChain : public DepinChain {
public:
    explicit ComputeChain(size_t n_accounts = 4,
                          const std::function<void(consensus::ChainParams&)>& tweak = {});

    std::vector<ComputeDevice> devices;

    // Defines a compute device (key TestKey(2000 + index)); nothing is on chain until registered.
    size_t AddDevice(size_t owner, uint8_t tier);
    const PubKey& DeviceKey(size_t d) const { return devices.at(d).pub; }

    Transaction RegisterComputeTx(size_t d, uint64_t nonce) const;
    // Registers the devices in one block (nonces per owner from the state).
    consensus::ConnectedBlock RegisterDevices(const std::vector<size_t>& ds);
    Transaction SetTierTx(size_t owner, const PubKey& device, uint8_t tier, uint64_t nonce) const;
    Transaction ReactivateTx(size_t owner, const PubKey& device, uint64_t nonce) const;

    std::optional<consensus::ComputeState> State(size_t d) const;
    std::optional<consensus::ComputeState> State(const PubKey& device) const;

    // The device's challenge as of the tip (nullopt if it is not challenged now).
    std::optional<consensus::compute::ChallengeInfo> Challenge(size_t d) const;
    // The honest proof of the device's current challenge. REQUIRES: Challenge(d).
    ComputeProof Prove(size_t d) const;

    // Signed reports. Commit/Open without a bucket use the device's current challenge.
    ComputeCommit MakeCommit(size_t d, uint64_t bucket, uint8_t tier, const Hash256& root) const;
    ComputeCommit Commit(size_t d, const Hash256& root) const;
    ComputeOpen MakeOpen(size_t d, uint64_t bucket, const Hash256& root,
                         std::vector<OpenedTile> tiles) const;
    // The spot cells of the device's current challenge for `root` (spot block must exist).
    std::vector<uint64_t> Spots(size_t d, const Hash256& root) const;
    // The open of `proof` for the device's current bucket, spotted by the spot block.
    ComputeOpen Open(size_t d, const ComputeProof& proof) const;

    // What an honest prover of each device in `ds` has the next block include: its commit in the
    // commit window, its open in the open window, nothing otherwise.
    std::vector<ComputeEntry> HonestEntries(const std::vector<size_t>& ds) const;

    consensus::CheckResult<consensus::AssembledBlock> AssembleC(
        std::vector<ComputeEntry> entries, std::vector<Transaction> txs = {}) const;
    // Assembles, connects and advances; throws std::logic_error on any rejection.
    consensus::ConnectedBlock MineC(std::vector<ComputeEntry> entries,
                                    std::vector<Transaction> txs = {});
    // Mines one block including `report` alone; returns the verdict every validator computed,
    // after checking it is the one the block records.
    consensus::compute::ComputeEvaluation MineReport(const ComputeReport& report);
};

}  // namespace cairn::test
