#include "consensus/poc/coverage_verifier.h"

#include <algorithm>
#include <set>

#include "consensus/devices/device_record.h"
#include "consensus/poc/beacon.h"
#include "consensus/poc/fspl.h"
#include "consensus/rewards/accounting.h"
#include "consensus/rewards/density_state.h"
#include "consensus/rewards/epoch_rewards.h"
#include "consensus/rewards/reward_units.h"

namespace cairn::consensus {
namespace {

struct BeaconFacts {
    std::optional<DeviceRecord> device;
    std::optional<Hash256> entropy;
};

BeaconVerdict JudgeBeacon(const BeaconReport& b, const ChainParams& params, const BeaconFacts& f) {
    if (!f.entropy) return BeaconVerdict::kEntropyOutOfWindow;
    if (!f.device) return BeaconVerdict::kUnknownDevice;
    if (!HasLocation(f.device->device_class)) return BeaconVerdict::kNotRadio;
    if (!f.device->location) return BeaconVerdict::kNoLocation;
    const uint64_t bucket = BeaconBucket(params, b.entropy_height);
    if (f.device->last_beacon_bucket && *f.device->last_beacon_bucket >= bucket) {
        return BeaconVerdict::kBucketUsed;
    }
    const RadioRegion* region = FindRegion(params.poc, f.device->location->region);
    if (region == nullptr || region->channels_hz.empty()) return BeaconVerdict::kNoLocation;
    const poc::BeaconChallenge c = poc::DeriveBeacon(*f.entropy, b.beaconer, *region);
    if (b.payload != c.payload) return BeaconVerdict::kBadPayload;
    if (b.channel != c.channel || b.frequency_hz != c.frequency_hz) {
        return BeaconVerdict::kBadFrequency;
    }
    const int64_t eirp = int64_t{b.tx_power_ddbm} + f.device->location->gain_ddbi;
    if (eirp > region->max_eirp_ddbm) return BeaconVerdict::kTxPowerTooHigh;
    return BeaconVerdict::kValid;
}

// Every rule but reciprocity and the cap: whether the witness could physically have heard it.
WitnessVerdict JudgeWitnessPhysics(const BeaconReport& b, const AssertedLocation& beacon_loc,
                                   const ProofWitness& w, const std::optional<DeviceRecord>& d,
                                   const ChainParams& params) {
    if (w.witness == b.beaconer) return WitnessVerdict::kSelfWitness;
    if (!d) return WitnessVerdict::kUnknownDevice;
    if (!HasLocation(d->device_class)) return WitnessVerdict::kNotRadio;
    if (!d->location) return WitnessVerdict::kNoLocation;
    const AssertedLocation& wl = *d->location;
    if (wl.region != beacon_loc.region) return WitnessVerdict::kWrongRegion;
    const uint64_t df = w.frequency_hz > b.frequency_hz ? w.frequency_hz - b.frequency_hz
                                                        : b.frequency_hz - w.frequency_hz;
    if (df > params.poc.frequency_tolerance_hz) return WitnessVerdict::kBadFrequency;
    const uint64_t dist = poc::DistanceMm(beacon_loc.position, wl.position);
    if (dist < params.poc.min_witness_distance_mm) return WitnessVerdict::kTooClose;
    if (dist > params.poc.max_witness_distance_mm) return WitnessVerdict::kTooFar;
    // The strongest signal free space allows: transmit power plus both antenna gains minus the
    // path loss over the asserted distance, all in millidecibels.
    const int64_t bound_mdb =
        (int64_t{b.tx_power_ddbm} + beacon_loc.gain_ddbi + wl.gain_ddbi) * 100 -
        poc::FsplMdb(dist, b.frequency_hz);
    if (int64_t{w.rssi_ddbm} * 100 > bound_mdb) return WitnessVerdict::kRssiTooHigh;
    return WitnessVerdict::kValid;
}

Hash256 SelectionKey(const Hash256& entropy, const PubKey& witness) {
    Writer w;
    w.Fixed(entropy.bytes);
    w.Fixed(witness.bytes);
    return TaggedHash(tags::kWitnessSelection, w.Data());
}

}  // namespace

uint64_t BeaconBucket(const ChainParams& params, uint64_t entropy_height) {
    return entropy_height / params.poc.beacon_bucket;
}

ProofEvaluation EvaluateProof(const BeaconReport& beacon,
                              const std::vector<ProofWitness>& witnesses, uint64_t height,
                              const ChainParams& params, const BlockHashView& hashes,
                              const StateView& state) {
    ProofEvaluation ev;
    BeaconFacts facts;
    if (beacon.entropy_height < height &&
        height - beacon.entropy_height <= params.poc.entropy_window) {
        facts.entropy = hashes.HashAtHeight(beacon.entropy_height);
    }
    facts.device = ReadDevice(state, beacon.beaconer);
    ev.beacon = JudgeBeacon(beacon, params, facts);
    ev.witnesses.assign(witnesses.size(), WitnessVerdict::kBeaconInvalid);
    if (ev.beacon != BeaconVerdict::kValid) return ev;

    const AssertedLocation& loc = *facts.device->location;
    std::set<PubKey> seen;
    std::vector<std::pair<Hash256, size_t>> eligible;  // passed every rule but the cap
    for (size_t i = 0; i < witnesses.size(); ++i) {
        const ProofWitness& w = witnesses[i];
        if (!seen.insert(w.witness).second) {
            ev.witnesses[i] = WitnessVerdict::kDuplicate;
            continue;
        }
        const std::optional<DeviceRecord> d = ReadDevice(state, w.witness);
        WitnessVerdict v = JudgeWitnessPhysics(beacon, loc, w, d, params);
        if (v == WitnessVerdict::kValid) {
            ev.physically_witnessed = true;
            // Reciprocity: the witness must itself have had a beacon witnessed recently, so
            // receive-only rigs earn nothing. A brand-new network bootstraps because the first
            // beacons count as witnessed on physical grounds alone.
            if (!d->witnessed_height ||
                height - *d->witnessed_height > params.poc.reciprocity_window) {
                v = WitnessVerdict::kNoReciprocity;
            } else {
                eligible.emplace_back(SelectionKey(*facts.entropy, w.witness), i);
            }
        }
        ev.witnesses[i] = v;
    }
    std::sort(eligible.begin(), eligible.end());
    for (size_t k = 0; k < eligible.size(); ++k) {
        if (k < params.poc.max_rewarded_witnesses) {
            ++ev.rewarded;
        } else {
            ev.witnesses[eligible[k].second] = WitnessVerdict::kNotSelected;
        }
    }
    ev.scale = rewards::DensityScaleAt(state, params.poc.density, loc.position);
    const auto scaled = [&](uint64_t units) {
        return static_cast<uint64_t>(static_cast<unsigned __int128>(units) * ev.scale /
                                     rewards::kUnitOne);
    };
    ev.beacon_units = scaled(rewards::BeaconerUnits(params.poc.hip15, ev.rewarded));
    ev.witness_units = scaled(rewards::WitnessUnits(params.poc.hip15, ev.rewarded));
    return ev;
}

CheckResult<ProofEvaluation> ApplyCoverageProof(const CoverageProof& proof, uint64_t height,
                                                const ChainParams& params,
                                                const BlockHashView& hashes, StateDelta& state) {
    if (proof.witnesses.size() > params.poc.max_witnesses_per_proof) {
        return Rejected(RejectReason::kBlockBadProof,
                        std::to_string(proof.witnesses.size()) + " witnesses");
    }
    ProofEvaluation ev =
        EvaluateProof(proof.beacon, proof.witnesses, height, params, hashes, state);
    if (proof.beacon_verdict != static_cast<uint8_t>(ev.beacon)) {
        return Rejected(RejectReason::kBlockBadVerdict,
                        "beacon " + proof.beacon.Id().Hex() + " is " +
                            std::string{BeaconVerdictCode(ev.beacon)});
    }
    for (size_t i = 0; i < proof.witnesses.size(); ++i) {
        if (proof.witnesses[i].verdict != static_cast<uint8_t>(ev.witnesses[i])) {
            return Rejected(RejectReason::kBlockBadVerdict,
                            "witness " + std::to_string(i) + " of beacon " +
                                proof.beacon.Id().Hex() + " is " +
                                std::string{WitnessVerdictCode(ev.witnesses[i])});
        }
    }
    if (ev.beacon != BeaconVerdict::kValid) return ev;

    DeviceRecord beaconer = *ReadDevice(state, proof.beacon.beaconer);
    beaconer.last_beacon_bucket = BeaconBucket(params, proof.beacon.entropy_height);
    if (ev.physically_witnessed) beaconer.witnessed_height = height;
    WriteDevice(state, proof.beacon.beaconer, beaconer);
    const uint64_t epoch = rewards::EpochOf(params, height);
    const auto credit = [&](const PubKey& device, uint64_t RewardShare::*field, uint64_t units) {
        if (units == 0) return;
        RewardShare s = ReadRewardShare(state, device);
        if (s.epoch != epoch) s = RewardShare{0, 0, epoch};  // units of a closed epoch
        // Units per beacon are at most a few kUnitOne: 2^64 of them cannot be earned.
        s.*field += units;
        WriteRewardShare(state, device, s);
    };
    credit(proof.beacon.beaconer, &RewardShare::beacon_units, ev.beacon_units);
    for (size_t i = 0; i < proof.witnesses.size(); ++i) {
        if (ev.witnesses[i] == WitnessVerdict::kValid) {
            credit(proof.witnesses[i].witness, &RewardShare::witness_units, ev.witness_units);
        }
    }
    return ev;
}

}  // namespace cairn::consensus
