// Chain parameters: the numbers every validator of a network must agree on.
//
// The DePIN parameters (coverage, rewards) are per network: devnet uses small windows so tests
// and the demo run in seconds; testnet and mainnet are sized for 2-second blocks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

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

// Emission and the split of each epoch's emission into pools, in basis points of 10,000.
struct RewardParams {
    uint64_t epoch_length{30};  // blocks; epoch e holds heights e*L+1 .. (e+1)*L
    rewards::EmissionParams emission;
    uint32_t validators_bps{1'000};
    uint32_t beacons_bps{1'200};
    uint32_t witnesses_bps{4'800};
    uint32_t compute_bps{3'000};  // not minted until proof-of-compute exists
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
    RewardParams rewards;
};

ChainParams DefaultParams(Network n);

// The region with this id, or nullptr.
const RadioRegion* FindRegion(const PocParams& p, uint64_t id);

}  // namespace cairn::consensus
