// Turning reward shares into amounts.
//
// A pool is split in proportion to integer shares with floor division, so no one is ever paid
// more than their exact share and the amounts never add up to more than the pool; what the
// floors leave over is returned as the remainder (paid + remainder == pool, always) for the
// caller to carry over or burn, never silently lost. Products and sums go through
// unsigned __int128, so any pool and any shares work without overflow.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "crypto/keys.h"
#include "primitives/amount.h"

namespace cairn::consensus::rewards {

struct PoolSplit {
    std::vector<Amount> amounts;  // one per share, same order
    Amount paid{0};
    Amount remainder{0};
};

// amounts[i] = floor(pool * shares[i] / sum(shares)). If the sum is 0 nothing is paid and the
// whole pool is the remainder.
PoolSplit SplitPool(Amount pool, std::span<const uint64_t> shares);

struct DeviceShare {
    PubKey device;
    PubKey owner;
    uint64_t beacon_units{0};
    uint64_t witness_units{0};
};

struct DevicePayout {
    PubKey device;
    PubKey owner;
    Amount beacon_amount{0};
    Amount witness_amount{0};
    bool operator==(const DevicePayout&) const = default;
};

struct CoveragePayout {
    std::vector<DevicePayout> devices;              // same order as the input
    std::vector<std::pair<PubKey, Amount>> owners;  // summed per owner, ascending by owner key,
                                                    // zero amounts dropped
    Amount beacon_paid{0}, beacon_remainder{0}, witness_paid{0}, witness_remainder{0};
};

// Splits beacon_pool over the devices' beacon_units and witness_pool over their witness_units
// (two independent SplitPool calls), then sums each owner's devices. The two pools are parts of
// one epoch's emission, so beacon_pool + witness_pool must fit in an Amount; every device and
// owner sum is then at most that and cannot overflow. A caller breaking this aborts the process
// rather than paying a wrapped amount.
CoveragePayout ComputeCoveragePayout(Amount beacon_pool, Amount witness_pool,
                                     std::span<const DeviceShare> shares);

// A compute device's units of one epoch: the tier weight of every bucket it passed.
struct ComputeShare {
    PubKey device;
    PubKey owner;
    uint64_t units{0};
    uint64_t buckets{0};
};

struct ComputeDevicePayout {
    PubKey device;
    PubKey owner;
    uint64_t units{0};
    uint64_t buckets{0};
    Amount amount{0};
    bool operator==(const ComputeDevicePayout&) const = default;
};

struct ComputePayout {
    std::vector<ComputeDevicePayout> devices;       // same order as the input
    std::vector<std::pair<PubKey, Amount>> owners;  // as in CoveragePayout
    Amount paid{0}, remainder{0};
};

// Splits the compute pool over the devices' units (SplitPool), then sums each owner's devices.
ComputePayout ComputeComputePayout(Amount pool, std::span<const ComputeShare> shares);

}  // namespace cairn::consensus::rewards
