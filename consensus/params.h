// Chain parameters: the numbers every validator of a network must agree on.
//
// The DePIN parameters (coverage, rewards) are per network: devnet uses small windows so tests
// and the demo run in seconds; testnet and mainnet are sized for 2-second blocks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "consensus/compute/challenge.h"
#include "consensus/rewards/density.h"
#include "consensus/rewards/emission.h"
#include "consensus/rewards/reward_units.h"
#include "primitives/amount.h"
#include "primitives/network.h"

namespace cairn::consensus {

// A LoRa frequency plan. Its id on chain is its index in PocParams::regions.
struct RadioRegion {
    std::string name;                   // "EU868"
    std::vector<uint32_t> channels_hz;  // the uplink channels a beacon may use
    int32_t max_eirp_ddbm{0};           // transmit power + antenna gain may not exceed this
};

// Proof-of-coverage rules (doc/depin.md). Heights and windows are in blocks.
struct PocParams {
    std::vector<RadioRegion> regions;
    Amount radio_onboarding_fee{10 * kCoin};  // burned by register_device (class radio)
    Amount assert_location_fee{kCoin};        // burned by assert_location
    uint64_t assert_location_interval{5};     // blocks between two assertions of one device
    uint16_t min_antenna_gain_ddbi{10};
    uint16_t max_antenna_gain_ddbi{150};
    // A beacon's entropy block e and the block h that includes its proof: e < h <= e + W.
    uint64_t entropy_window{6};
    uint64_t beacon_bucket{10};        // each radio beacons at most once per bucket of blocks
    uint64_t reciprocity_window{100};  // a witness needs a witnessed beacon this recent
    uint64_t interactive_window{100};  // radios with a witnessed beacon this recent are counted
    uint32_t frequency_tolerance_hz{100'000};
    uint64_t min_witness_distance_mm{300'000};      // 300 m
    uint64_t max_witness_distance_mm{100'000'000};  // 100 km
    uint32_t max_rewarded_witnesses{14};
    uint32_t max_witnesses_per_proof{32};
    uint32_t max_proofs_per_block{2'000};
    rewards::Hip15Params hip15;
    rewards::DensityParams density;
};

// A compute tier: the challenge a device of the tier answers every bucket, and what passing is
// worth. A tier's id on chain is its index in ComputeParams::tiers.
struct ComputeTier {
    std::string name;               // "h100"
    compute::ChallengeShape shape;  // G products of n×k by k×n, T×T tiles
    uint64_t deadline{0};           // D: the commit must be in a block at height <= h0 + D
    uint64_t weight{0};             // reward weight of one passed bucket
};

// Proof-of-compute rules (doc/depin.md, "Proof of compute"). Heights are in blocks.
// Bucket b starts at h0 = b * bucket_length (b >= 1); the spot-check block of a tier is
// h0 + D + 1, its opens are due by h0 + D + 1 + open_window, and every device of the bucket is
// settled at h0 + settle_offset, where settle_offset = max(D) + 1 + open_window.
struct ComputeParams {
    std::vector<ComputeTier> tiers;
    Amount onboarding_fee{10 * kCoin};  // burned by register_device (class compute)
    uint64_t bucket_length{15};
    uint64_t open_window{4};
    uint32_t spot_cells{32};         // s: cells checked per device and bucket
    uint32_t max_missed_buckets{3};  // F: missed in a row before a device is deactivated
    uint32_t max_entries_per_block{2'000};
};

// Emission and the split of each epoch's emission into pools, in basis points of 10,000.
struct RewardParams {
    uint64_t epoch_length{30};  // blocks; epoch e holds heights e*L+1 .. (e+1)*L
    rewards::EmissionParams emission;
    uint32_t validators_bps{1'000};
    uint32_t beacons_bps{1'200};
    uint32_t witnesses_bps{4'800};
    uint32_t compute_bps{3'000};
};

struct ChainParams {
    Network network{Network::kDevnet};
    uint32_t network_id{0};
    // Minimum fee per byte of the encoded transaction: fee >= size * min_fee_per_byte.
    Amount min_fee_per_byte{10};
    uint64_t max_block_bytes{2'000'000};
    uint64_t max_block_txs{10'000};
    uint64_t max_memo_bytes{256};
    PocParams poc;
    ComputeParams compute;
    RewardParams rewards;
};

ChainParams DefaultParams(Network n);

// The region with this id, or nullptr.
const RadioRegion* FindRegion(const PocParams& p, uint64_t id);
// The compute tier with this id, or nullptr.
const ComputeTier* FindComputeTier(const ComputeParams& p, uint64_t id);

}  // namespace cairn::consensus
