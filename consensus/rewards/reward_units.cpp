#include "consensus/rewards/reward_units.h"

#include <algorithm>

namespace cairn::consensus::rewards {

uint64_t DecayPow(const Hip15Params& p, uint32_t k) {
    if (p.decay_num >= p.decay_den) return kUnitOne;
    uint64_t v = kUnitOne;
    for (uint32_t i = 0; i < k && v != 0; ++i) {
        // v < 2^30 and num < den, so v * num fits in 128 bits whatever the parameters.
        v = static_cast<uint64_t>(static_cast<unsigned __int128>(v) * p.decay_num / p.decay_den);
    }
    return v;
}

uint64_t BeaconerUnits(const Hip15Params& p, uint32_t w) {
    if (w == 0) return 0;
    if (w <= p.redundancy) {
        // w <= N < 2^32, so w * ONE < 2^62.
        return uint64_t{w} * kUnitOne / p.redundancy;
    }
    return std::min(p.beaconer_cap, 2 * kUnitOne - DecayPow(p, w - p.redundancy));
}

uint64_t WitnessUnits(const Hip15Params& p, uint32_t w) {
    if (w == 0) return 0;
    if (w <= p.redundancy) return kUnitOne;
    if (p.redundancy == 0) return 0;
    // N * ONE < 2^62 and DecayPow <= ONE, so (N - 1) * ONE + r^k neither overflows nor wraps.
    const uint64_t total = (uint64_t{p.redundancy} - 1) * kUnitOne + DecayPow(p, w - p.redundancy);
    return total / w;
}

}  // namespace cairn::consensus::rewards
