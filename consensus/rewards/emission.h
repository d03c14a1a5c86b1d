// Coverage-reward emission: how many new units an epoch mints.
//
// The epoch emission halves every halving_interval_epochs epochs (a right shift, so it is exact
// and reaches 0 after 64 halvings), and the total minted never passes max_total_emission: the
// epoch that would cross the cap mints only what is left, and every later epoch mints nothing.
#pragma once

#include <cstdint>

#include "primitives/amount.h"

namespace cairn::consensus::rewards {

struct EmissionParams {
    Amount initial_epoch_emission{0};
    uint64_t halving_interval_epochs{0};  // 0: the emission never halves
    Amount max_total_emission{0};
};

// initial >> (epoch / halving_interval) (0 once shifted out), and never more than
// max_total_emission - minted_so_far (0 if the cap is already reached or passed).
Amount EpochEmission(const EmissionParams& p, uint64_t epoch, Amount minted_so_far);

}  // namespace cairn::consensus::rewards
