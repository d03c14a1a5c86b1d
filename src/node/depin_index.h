// DepinIndex: the node's DePIN indexes, for RPC (not consensus state).
//
// Written in the same LevelDB batch as the block that changes them, so they never disagree
// with the chain after a crash. Keys (ChainDb 'i' namespace, after the 'i'):
//   'o' owner device        -> ""            devices by owner
//   's' device              -> DeviceStats   lifetime coverage and compute figures
//   'w' epoch device        -> payout        each device's rewards and units per epoch
//   'W' epoch owner         -> amount        each owner's device rewards per epoch
//   'V' epoch validator     -> amount        validator pool payouts per epoch
//   'c' height              -> settlements   the compute bucket a block settled, per device
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "consensus/block_check.h"
#include "consensus/compute/compute_verdict.h"
#include "consensus/poc/verdict.h"
#include "storage/chain_db.h"

namespace cairn {

inline constexpr size_t kWitnessVerdictCount = 14;
inline constexpr size_t kBeaconVerdictCount = 9;
inline constexpr size_t kComputeVerdictCount = 18;

struct DeviceStats {
    std::array<uint64_t, kBeaconVerdictCount> beacons{};     // by BeaconVerdict
    std::array<uint64_t, kWitnessVerdictCount> witnesses{};  // by WitnessVerdict
    uint64_t last_beacon_height{0};
    uint64_t last_witness_height{0};
    Amount earned{0};  // all epochs, beacon + witness rewards
    uint64_t beacon_units{0};
    uint64_t witness_units{0};
    // Proof of compute.
    std::array<uint64_t, kComputeVerdictCount> compute_reports{};  // entries by ComputeVerdict
    std::array<uint64_t, kComputeVerdictCount> compute_buckets{};  // settled buckets by outcome
    uint64_t last_settled_height{0};
    uint64_t compute_units{0};
    Amount compute_earned{0};
};

struct IndexedPayout {
    PubKey device;
    PubKey owner;
    Amount beacon_amount{0};
    Amount witness_amount{0};
    uint64_t beacon_units{0};  // the shares the amounts were computed from
    uint64_t witness_units{0};
    Amount compute_amount{0};
    uint64_t compute_units{0};
    uint64_t compute_buckets{0};  // buckets passed in the epoch
};

// The index writes for a connected block.
std::vector<IndexWrite> DepinIndexWrites(const Block& block,
                                         const consensus::ConnectedBlock& connected,
                                         const ChainDb& db);

std::optional<DeviceStats> ReadDeviceStats(const ChainDb& db, const PubKey& device);
// Devices of `owner` in key order, after `start_after` (if given), at most `limit`.
std::vector<PubKey> ReadDevicesOfOwner(const ChainDb& db, const PubKey& owner,
                                       const std::optional<PubKey>& start_after, size_t limit);
std::vector<IndexedPayout> ReadEpochDevicePayouts(const ChainDb& db, uint64_t epoch,
                                                  const std::optional<PubKey>& start_after,
                                                  size_t limit);
std::vector<std::pair<PubKey, Amount>> ReadEpochOwnerPayouts(
    const ChainDb& db, uint64_t epoch, const std::optional<PubKey>& start_after, size_t limit);
std::vector<std::pair<PubKey, Amount>> ReadEpochValidatorPayouts(const ChainDb& db, uint64_t epoch);
// The compute settlements of the block at `height` (empty if it settled no bucket).
std::vector<consensus::compute::ComputeSettlement> ReadComputeSettlements(const ChainDb& db,
                                                                          uint64_t height);
std::optional<IndexedPayout> ReadDevicePayout(const ChainDb& db, uint64_t epoch,
                                              const PubKey& device);

}  // namespace cairn
