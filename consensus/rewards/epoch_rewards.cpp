#include "consensus/rewards/epoch_rewards.h"

#include <stdexcept>

#include "consensus/compute/compute_state.h"
#include "consensus/devices/device_record.h"
#include "consensus/poc/grid.h"
#include "consensus/rewards/density_state.h"
#include "consensus/rewards/emission.h"
#include "consensus/state_keys.h"

namespace cairn::consensus::rewards {
namespace {

constexpr uint64_t kBpsWhole = 10'000;

Amount BpsOf(Amount total, uint32_t bps) {
    return static_cast<Amount>(static_cast<unsigned __int128>(total) * bps / kBpsWhole);
}

// The devices that earned units in `epoch` (owners not yet filled in), in device key order.
// A record that does not decode means corrupt storage, not a consensus outcome: it throws, like
// every state read.
std::vector<DeviceShare> EpochShares(const StateView& state, uint64_t epoch) {
    std::vector<DeviceShare> shares;
    state.ForEachEntry(keys::Prefix(keys::kRewardShare), [&](ByteSpan key, ByteSpan value) {
        auto s = DecodeRewardShare(value);
        if (key.size() != 33 || !s) throw std::runtime_error("corrupt reward share record");
        if (s->epoch != epoch) return true;
        DeviceShare d;
        d.device = keys::KeyOf(key);
        d.beacon_units = s->beacon_units;
        d.witness_units = s->witness_units;
        shares.push_back(d);
        return true;
    });
    return shares;
}

// One pass over the registry (both lists are in device key order): fills in each share's
// current owner, and returns the count-level cells of every radio with a witnessed beacon
// within the interactive window.
std::vector<CellId> ScanRegistry(const ChainParams& params, uint64_t height, const StateView& state,
                                 std::vector<DeviceShare>& shares) {
    std::vector<CellId> cells;
    size_t next = 0;
    state.ForEachEntry(keys::Prefix(keys::kDevice), [&](ByteSpan key, ByteSpan value) {
        auto d = DecodeDeviceRecord(value);
        if (key.size() != 33 || !d) throw std::runtime_error("corrupt device record");
        const PubKey device = keys::KeyOf(key);
        if (next < shares.size() && shares[next].device < device) {
            throw std::runtime_error("reward share for unknown device " +
                                     shares[next].device.Hex());
        }
        if (next < shares.size() && shares[next].device == device) shares[next++].owner = d->owner;
        if (d->location && d->witnessed_height &&
            height - *d->witnessed_height <= params.poc.interactive_window) {
            cells.push_back(poc::CellAt(d->location->position, params.poc.density.count_level));
        }
        return true;
    });
    if (next < shares.size()) {
        throw std::runtime_error("reward share for unknown device " + shares[next].device.Hex());
    }
    return cells;
}

// The compute devices with units in `epoch`, with their current owners, in device key order.
std::vector<ComputeShare> ComputeShares(const StateView& state, uint64_t epoch) {
    std::vector<ComputeShare> shares;
    state.ForEachEntry(keys::Prefix(keys::kCompute), [&](ByteSpan key, ByteSpan value) {
        auto cs = DecodeComputeState(value);
        if (key.size() != 33 || !cs) throw std::runtime_error("corrupt compute state record");
        if (cs->share_epoch != epoch || cs->units == 0) return true;
        shares.push_back({keys::KeyOf(key), {}, cs->units, cs->share_buckets});
        return true;
    });
    for (ComputeShare& s : shares) {
        auto d = ReadDevice(state, s.device);
        if (!d) throw std::runtime_error("compute state for unknown device " + s.device.Hex());
        s.owner = d->owner;
    }
    return shares;
}

}  // namespace

uint64_t EpochOf(const ChainParams& params, uint64_t height) {
    return (height - 1) / params.rewards.epoch_length;
}

bool IsEpochEnd(const ChainParams& params, uint64_t height) {
    return height > 0 && height % params.rewards.epoch_length == 0;
}

CheckResult<> Credit(StateDelta& state, const PubKey& key, Amount amount) {
    if (amount == 0) return {};
    Account a = state.Get(key);
    auto sum = CheckedAdd(a.balance, amount);
    if (!sum) return Rejected(RejectReason::kTxBalanceOverflow, "reward to " + key.Hex());
    a.balance = *sum;
    state.Set(key, a);
    return {};
}

CheckResult<EpochOutcome> CloseEpoch(const ChainParams& params, uint64_t height,
                                     const ValidatorSet& validators, StateDelta& state) {
    const RewardParams& rp = params.rewards;
    ChainAccounting acc = ReadAccounting(state);
    EpochOutcome out;
    EpochSummary& s = out.summary;
    s.epoch = EpochOf(params, height);
    s.end_height = height;
    s.emission = EpochEmission(rp.emission, s.epoch, acc.minted);
    s.validators_pool = BpsOf(s.emission, rp.validators_bps);
    s.beacons_pool = BpsOf(s.emission, rp.beacons_bps);
    s.witnesses_pool = BpsOf(s.emission, rp.witnesses_bps);
    s.compute_pool = BpsOf(s.emission, rp.compute_bps);

    // Coverage pools.
    out.shares = EpochShares(state, s.epoch);
    const std::vector<CellId> cells = ScanRegistry(params, height, state, out.shares);
    out.coverage = ComputeCoveragePayout(s.beacons_pool, s.witnesses_pool, out.shares);
    for (const auto& [owner, amount] : out.coverage.owners) {
        if (auto r = Credit(state, owner, amount); !r) return MakeError(r.error());
    }
    s.beacons_paid = out.coverage.beacon_paid;
    s.witnesses_paid = out.coverage.witness_paid;
    for (const DevicePayout& d : out.coverage.devices) {
        if (d.beacon_amount + d.witness_amount > 0) ++s.devices_paid;
    }
    s.owners_paid = out.coverage.owners.size();

    // Compute pool.
    const std::vector<ComputeShare> compute = ComputeShares(state, s.epoch);
    out.compute = ComputeComputePayout(s.compute_pool, compute);
    for (const auto& [owner, amount] : out.compute.owners) {
        if (auto r = Credit(state, owner, amount); !r) return MakeError(r.error());
    }
    s.compute_paid = out.compute.paid;
    for (const ComputeDevicePayout& d : out.compute.devices) {
        if (d.amount > 0) ++s.compute_devices_paid;
    }

    // Validator pool: emission share plus fees, by voting power.
    const Amount fees_in = acc.epoch_fees + acc.fee_carry;  // both bounded by supply
    s.fees = fees_in;
    const Amount vpool = s.validators_pool + fees_in;
    std::vector<uint64_t> powers;
    for (const Validator& v : validators.Validators()) powers.push_back(v.power);
    const PoolSplit vsplit = SplitPool(vpool, powers);
    for (size_t i = 0; i < powers.size(); ++i) {
        const PubKey& key = validators.Validators()[i].key;
        if (auto r = Credit(state, key, vsplit.amounts[i]); !r) return MakeError(r.error());
        if (vsplit.amounts[i] > 0) out.validators.emplace_back(key, vsplit.amounts[i]);
    }
    s.validators_paid = vsplit.paid;
    s.fee_carry = std::min(vsplit.remainder, fees_in);

    // New coins: what was paid, less the fees (which already existed) that were paid out.
    s.minted = s.beacons_paid + s.witnesses_paid + s.compute_paid +
               (s.validators_pool - (vsplit.remainder - s.fee_carry));
    s.unminted = s.emission - s.minted;
    acc.minted += s.minted;
    acc.epoch_fees = 0;
    acc.fee_carry = s.fee_carry;
    WriteAccounting(state, acc);
    WriteEpochSummary(state, s);

    ReplaceDensityMap(state, ComputeDensityMap(CairnCellGrid{}, params.poc.density, cells));
    return out;
}

}  // namespace cairn::consensus::rewards
