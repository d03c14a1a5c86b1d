#include "params.h"

namespace cairn::consensus {
namespace {

std::vector<RadioRegion> StandardRegions() {
    // Uplink channels of the LoRaWAN regional parameters (US915 and AU915: sub-band 2, as
    // Helium's hotspots use), and the regions' EIRP limits.
    return {
        {"EU868",
         {868'100'000, 868'300'000, 868'500'000, 867'100'000, 867'300'000, 867'500'000, 867'700'000,
          867'900'000},
         160},
        {"US915",
         {903'900'000, 904'100'000, 904'300'000, 904'500'000, 904'700'000, 904'900'000, 905'100'000,
          905'300'000},
         360},
        {"AU915",
         {916'800'000, 917'000'000, 917'200'000, 917'400'000, 917'600'000, 917'800'000, 918'000'000,
          918'200'000},
         300},
        {"AS923", {923'200'000, 923'400'000}, 160},
    };
}

// HIP-17 targets (HIP-104 values) mapped onto Cairn's aperture-4 grid: each entry sits at the
// level whose cell area is closest to the H3 resolution's (doc/depin.md, "Density").
rewards::DensityParams StandardDensity() {
    return {12,
            {{11, 2, 1, 1},
             {9, 2, 1, 1},
             {8, 2, 1, 1},
             {6, 4, 5, 10},
             {5, 4, 25, 50},
             {4, 4, 100, 200},
             {2, 2, 500, 1000}}};
}

// GPU tiers for 2-second blocks (doc/depin.md, "Tier table"). Every tier multiplies n×k by k×n
// with n = 16,384 and k = 65,536 (2^45 int8 ops per product, the exactness bound's largest k so
// hashing the output costs least per op) and has a 30-block (60 s) commit deadline. G is the
// smallest count for which the work takes at least half the deadline (30 s) at the GPU's dense
// int8 peak: G = ceil(30 s * peak / 2^45). The weight is G, i.e. proportional to the work.
std::vector<ComputeTier> GpuTiers() {
    const auto tier = [](std::string name, uint32_t g) {
        return ComputeTier{std::move(name), {g, 16'384, 65'536, 8}, 30, g};
    };
    return {
        tier("rtx4090", 564),  // 660.6 dense int8 TOPS: 30 s = 1.98e16 ops
        tier("a100", 533),     // 624 TOPS: 1.87e16 ops
        tier("h100", 1'688),   // 1,979 TOPS (H100 and H200 SXM): 5.94e16 ops
    };
}

}  // namespace

ChainParams DefaultParams(Network n) {
    ChainParams p;
    p.network = n;
    p.network_id = GetNetworkInfo(n).default_network_id;
    p.poc.regions = StandardRegions();
    p.poc.density = StandardDensity();
    p.rewards.emission = {1'000 * kCoin, 1'000, 500'000'000 * kCoin};
    // Devnet's one tier is small enough for a 2-core test machine: 2^30 ops, milliseconds with
    // oneDNN, well under a second with a plain loop.
    p.compute.tiers = {ComputeTier{"cpu-dev", {1, 256, 8'192, 8}, 4, 1}};
    if (n != Network::kDevnet) {
        // Sized for 2-second blocks: 6-hour buckets, 3-minute entropy, 48-hour reciprocity,
        // daily epochs.
        p.poc.assert_location_interval = 1'800;
        p.poc.entropy_window = 90;
        p.poc.beacon_bucket = 10'800;
        p.poc.reciprocity_window = 86'400;
        p.poc.interactive_window = 108'000;
        p.rewards.epoch_length = 43'200;
        p.rewards.emission = {100'000 * kCoin, 730, 146'000'000 * kCoin};
        // 6-hour compute buckets; opens get 2 hours, which the block space they need sets
        // (doc/depin.md, "Sizes": 11 h100 opens fit a block's compute share, so 3,600 blocks
        // carry ~39,600), not security: the spot cells are fixed once the commit is.
        p.compute.tiers = GpuTiers();
        p.compute.bucket_length = 10'800;
        p.compute.open_window = 3'600;
    }
    return p;
}

const RadioRegion* FindRegion(const PocParams& p, uint64_t id) {
    return id < p.regions.size() ? &p.regions[id] : nullptr;
}

const ComputeTier* FindComputeTier(const ComputeParams& p, uint64_t id) {
    return id < p.tiers.size() ? &p.tiers[id] : nullptr;
}

}  // namespace cairn::consensus
