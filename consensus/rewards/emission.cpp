#include "consensus/rewards/emission.h"

#include <algorithm>

namespace cairn::consensus::rewards {

Amount EpochEmission(const EmissionParams& p, uint64_t epoch, Amount minted_so_far) {
    if (minted_so_far >= p.max_total_emission) return 0;
    const uint64_t halvings =
        p.halving_interval_epochs == 0 ? 0 : epoch / p.halving_interval_epochs;
    // Shifting a 64-bit value by 64 or more is undefined, not 0.
    const Amount scheduled = halvings >= 64 ? 0 : p.initial_epoch_emission >> halvings;
    return std::min(scheduled, p.max_total_emission - minted_so_far);
}

}  // namespace cairn::consensus::rewards
