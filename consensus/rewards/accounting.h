// The ledger's money accounting beyond account balances.
//
// ChainAccounting is one record: what was minted and burned since genesis (so that
// supply = genesis + minted - burned can be checked after every block), the fees collected in
// the running epoch (they go to the validator pool at its end), and the fee remainder carried
// from the last epoch. RewardShare is a device's reward units and the epoch they were earned
// in: units of an earlier epoch count as zero. Records are reset by the device's next credit
// rather than erased when the epoch closes, so the closing block does not rewrite the record of
// every device that earned.
// EpochSummary records how each finished epoch's emission was split and paid, including the
// remainders that were never minted.
#pragma once

#include <cstdint>
#include <optional>

#include "consensus/reject.h"
#include "consensus/state.h"
#include "primitives/amount.h"

namespace cairn::consensus {

struct ChainAccounting {
    Amount minted{0};
    Amount burned{0};
    Amount epoch_fees{0};
    Amount fee_carry{0};
    bool operator==(const ChainAccounting&) const = default;
};

struct RewardShare {
    uint64_t beacon_units{0};
    uint64_t witness_units{0};
    uint64_t epoch{0};
    bool operator==(const RewardShare&) const = default;
};

struct EpochSummary {
    uint64_t epoch{0};
    uint64_t end_height{0};
    Amount emission{0};  // what the schedule allowed this epoch
    Amount fees{0};      // collected this epoch plus the carry from the last
    Amount validators_pool{0}, beacons_pool{0}, witnesses_pool{0}, compute_pool{0};
    Amount validators_paid{0}, beacons_paid{0}, witnesses_paid{0}, compute_paid{0};
    Amount fee_carry{0};       // part of the validator pool's remainder carried to the next epoch
    Amount minted{0};          // new coins paid out: never more than the emission
    Amount unminted{0};        // emission - minted: the pools' remainders
    uint64_t devices_paid{0};  // coverage devices
    uint64_t compute_devices_paid{0};
    uint64_t owners_paid{0};
    bool operator==(const EpochSummary&) const = default;
};

ChainAccounting ReadAccounting(const StateView& state);
void WriteAccounting(StateDelta& state, const ChainAccounting& a);

// The device's record as stored (its units count only for record.epoch).
RewardShare ReadRewardShare(const StateView& state, const PubKey& device);
void WriteRewardShare(StateDelta& state, const PubKey& device, const RewardShare& s);

std::optional<EpochSummary> ReadEpochSummary(const StateView& state, uint64_t epoch);
void WriteEpochSummary(StateDelta& state, const EpochSummary& s);

DecodeResult<RewardShare> DecodeRewardShare(ByteSpan data);
DecodeResult<ChainAccounting> DecodeAccounting(ByteSpan data);

// Burns `amount` from `payer`'s balance (onboarding and location fees).
CheckResult<> BurnFrom(StateDelta& state, const PubKey& payer, Amount amount);

}  // namespace cairn::consensus
