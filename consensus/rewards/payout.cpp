#include "consensus/rewards/payout.h"

#include <algorithm>
#include <cstdlib>
#include <optional>

namespace cairn::consensus::rewards {

PoolSplit SplitPool(Amount pool, std::span<const uint64_t> shares) {
    PoolSplit out;
    out.amounts.assign(shares.size(), 0);
    unsigned __int128 total = 0;  // n shares below 2^64 each: cannot overflow 128 bits
    for (uint64_t s : shares) total += s;
    if (total == 0) {
        out.remainder = pool;
        return out;
    }
    for (size_t i = 0; i < shares.size(); ++i) {
        // pool * share < 2^128, and the quotient is at most pool since share <= total.
        const Amount a =
            static_cast<Amount>(static_cast<unsigned __int128>(pool) * shares[i] / total);
        out.amounts[i] = a;
        out.paid += a;  // the floors sum to at most floor(pool * total / total) = pool
    }
    out.remainder = pool - out.paid;
    return out;
}

CoveragePayout ComputeCoveragePayout(Amount beacon_pool, Amount witness_pool,
                                     std::span<const DeviceShare> shares) {
    // The precondition that makes every sum below safe (see the header); checked, not assumed,
    // because a wrapped payout would silently create or destroy supply.
    if (!CheckedAdd(beacon_pool, witness_pool)) std::abort();

    std::vector<uint64_t> beacon_units(shares.size()), witness_units(shares.size());
    for (size_t i = 0; i < shares.size(); ++i) {
        beacon_units[i] = shares[i].beacon_units;
        witness_units[i] = shares[i].witness_units;
    }
    const PoolSplit beacon = SplitPool(beacon_pool, beacon_units);
    const PoolSplit witness = SplitPool(witness_pool, witness_units);

    CoveragePayout out;
    out.beacon_paid = beacon.paid;
    out.beacon_remainder = beacon.remainder;
    out.witness_paid = witness.paid;
    out.witness_remainder = witness.remainder;

    out.devices.reserve(shares.size());
    std::vector<std::pair<PubKey, Amount>> per_device;
    per_device.reserve(shares.size());
    for (size_t i = 0; i < shares.size(); ++i) {
        out.devices.push_back(
            DevicePayout{shares[i].device, shares[i].owner, beacon.amounts[i], witness.amounts[i]});
        // At most beacon_pool + witness_pool, which fits (checked above).
        const Amount amount = beacon.amounts[i] + witness.amounts[i];
        if (amount != 0) per_device.emplace_back(shares[i].owner, amount);
    }

    // Sorting (owner, amount) pairs and summing runs gives the ascending owner order directly.
    std::sort(per_device.begin(), per_device.end());
    for (const auto& [owner, amount] : per_device) {
        if (!out.owners.empty() && out.owners.back().first == owner) {
            // Cannot overflow: an owner's sum is at most beacon_paid + witness_paid <=
            // beacon_pool + witness_pool, which fits in an Amount (checked above). Checked
            // anyway, as an assertion that survives release builds: if this ever failed, paying
            // a wrapped amount would corrupt supply, so stop instead.
            const std::optional<Amount> sum = CheckedAdd(out.owners.back().second, amount);
            if (!sum) std::abort();
            out.owners.back().second = *sum;
        } else {
            out.owners.emplace_back(owner, amount);
        }
    }
    return out;
}

}  // namespace cairn::consensus::rewards
