#include "consensus/rewards/payout.h"

#include <algorithm>
#include <cstdlib>
#include <optional>

namespace cairn::consensus::rewards {

namespace {

// Sums (owner, amount) pairs per owner, ascending by owner key. The caller guarantees the
// amounts sum to at most one pool, so no sum can overflow; checked anyway, as an assertion that
// survives release builds: paying a wrapped amount would corrupt supply, so stop instead.
std::vector<std::pair<PubKey, Amount>> SumPerOwner(std::vector<std::pair<PubKey, Amount>> pairs) {
    // Sorting (owner, amount) pairs and summing runs gives the ascending owner order directly.
    std::sort(pairs.begin(), pairs.end());
    std::vector<std::pair<PubKey, Amount>> owners;
    for (const auto& [owner, amount] : pairs) {
        if (!owners.empty() && owners.back().first == owner) {
            const std::optional<Amount> sum = CheckedAdd(owners.back().second, amount);
            if (!sum) std::abort();
            owners.back().second = *sum;
        } else {
            owners.emplace_back(owner, amount);
        }
    }
    return owners;
}

}  // namespace

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

    out.owners = SumPerOwner(std::move(per_device));
    return out;
}

ComputePayout ComputeComputePayout(Amount pool, std::span<const ComputeShare> shares) {
    std::vector<uint64_t> units(shares.size());
    for (size_t i = 0; i < shares.size(); ++i) units[i] = shares[i].units;
    const PoolSplit split = SplitPool(pool, units);
    ComputePayout out;
    out.paid = split.paid;
    out.remainder = split.remainder;
    out.devices.reserve(shares.size());
    std::vector<std::pair<PubKey, Amount>> per_device;
    for (size_t i = 0; i < shares.size(); ++i) {
        out.devices.push_back({shares[i].device, shares[i].owner, shares[i].units,
                               shares[i].buckets, split.amounts[i]});
        if (split.amounts[i] != 0) per_device.emplace_back(shares[i].owner, split.amounts[i]);
    }
    out.owners = SumPerOwner(std::move(per_device));
    return out;
}

}  // namespace cairn::consensus::rewards
