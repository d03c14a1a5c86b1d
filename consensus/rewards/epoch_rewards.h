// Closing an epoch: emission, pools, payouts and the next density map.
//
// At the last block of every epoch (height % epoch_length == 0), after its transactions and
// proofs, the state transition:
//   1. takes the epoch's emission from the schedule (halvings, total cap);
//   2. splits it into pools by basis points: validators, coverage beacons, coverage witnesses,
//      compute;
//   3. pays the beacon and witness pools to device owners in proportion to the reward units
//      their devices earned this epoch (floor division, summed per owner); the share records
//      stay, tagged with this epoch, until each device's next credit resets them; pays the
//      compute pool the same way over the compute units (tier weight per passed bucket)
//      settled in this epoch;
//   4. pays the validator pool (its emission share + the epoch's fees + the last carry) by
//      voting power; of its remainder, up to the fees is carried to the next epoch (those
//      coins already exist) and the rest is never minted;
//   5. records an EpochSummary with every pool, payment and remainder;
//   6. recomputes the density map from the radios interactive at this height.
// Everything is integer arithmetic on ledger state, so every validator computes the same
// payouts and a block whose state root disagrees is invalid.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "consensus/params.h"
#include "consensus/reject.h"
#include "consensus/rewards/accounting.h"
#include "consensus/rewards/payout.h"
#include "consensus/state.h"
#include "consensus/validator_set.h"

namespace cairn::consensus::rewards {

// Epoch e holds heights e*L+1 .. (e+1)*L. REQUIRES: height >= 1.
uint64_t EpochOf(const ChainParams& params, uint64_t height);
bool IsEpochEnd(const ChainParams& params, uint64_t height);

struct EpochOutcome {
    EpochSummary summary;
    std::vector<DeviceShare> shares;  // the units each device earned, in device key order
    CoveragePayout coverage;          // devices in the same order as shares
    ComputePayout compute;            // compute devices that passed a bucket, in key order
    std::vector<std::pair<PubKey, Amount>> validators;  // validator key, amount
};

CheckResult<EpochOutcome> CloseEpoch(const ChainParams& params, uint64_t height,
                                     const ValidatorSet& validators, StateDelta& state);

// Credits `amount` to `key`'s account.
CheckResult<> Credit(StateDelta& state, const PubKey& key, Amount amount);

}  // namespace cairn::consensus::rewards
