// Proof-of-coverage rules: every beacon and witness verdict, the witness selection over the
// reward cap, the bootstrap of a new network, the units booked per proof, and every way a block
// carrying coverage proofs can be invalid.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <set>

#include "consensus/poc/beacon.h"
#include "consensus/poc/coverage_verifier.h"
#include "consensus/poc/fspl.h"
#include "consensus/rewards/density_state.h"
#include "consensus/rewards/reward_units.h"
#include "consensus/state_keys.h"
#include "depin_test_util.h"

namespace cairn::consensus {
namespace {

using rewards::kUnitOne;
using test::DepinChain;
using test::kBerlin;
using test::OffsetMeters;

constexpr uint8_t V(WitnessVerdict v) {
    return static_cast<uint8_t>(v);
}
constexpr uint8_t V(BeaconVerdict v) {
    return static_cast<uint8_t>(v);
}

std::vector<WitnessVerdict> Verdicts(std::initializer_list<WitnessVerdict> v) {
    return v;
}

RewardShare operator-(const RewardShare& a, const RewardShare& b) {
    return {a.beacon_units - b.beacon_units, a.witness_units - b.witness_units};
}

// Recomputes the proof root after a test changed the proofs (the block is otherwise as built).
void FixProofRoot(Block& b) {
    b.header.proof_root = ComputeProofRoot(b.proofs);
}

class CoverageTest : public ::testing::Test {
protected:
    DepinChain chain;
    // Around Tempelhof; r0 beacons in most tests, r1..r3 have had witnessed beacons (SetUp).
    size_t r0 = chain.AddRadio(0, kBerlin);
    size_t r1 = chain.AddRadio(1, OffsetMeters(kBerlin, 2'000, 0));
    size_t r2 = chain.AddRadio(2, OffsetMeters(kBerlin, 0, 3'000));
    size_t r3 = chain.AddRadio(0, OffsetMeters(kBerlin, -1'060, -1'060));
    size_t far = chain.AddRadio(1, OffsetMeters(kBerlin, 0, 120'000));
    size_t close = chain.AddRadio(2, OffsetMeters(kBerlin, 200, 0));
    size_t us = chain.AddRadio(1, OffsetMeters(kBerlin, -2'500, 0), test::kGain, test::kUS915);
    size_t fresh = chain.AddRadio(2, OffsetMeters(kBerlin, 0, -4'000));
    size_t unlocated = chain.AddRadio(0, OffsetMeters(kBerlin, 1'000, 1'000));
    size_t unregistered = chain.AddRadio(1, OffsetMeters(kBerlin, -1'000, 1'000));

    void SetUp() override {
        chain.Onboard({r0, r1, r2, r3, far, close, us, fresh});                       // 1, 2
        chain.Mine({chain.RegisterTx(unlocated, chain.Nonce(chain.AccountKey(0)))});  // 3
        chain.MakeWitnessed({r1, r2, r3});                                            // 4
        ASSERT_EQ(chain.Height(), 4u);
        for (size_t r : {r1, r2, r3}) ASSERT_EQ(chain.Device(r)->witnessed_height, 4u);
        // In that block r1 heard r3 after its own beacon (r2's report) had been counted, so
        // it already had reciprocity: proofs apply in block order.
        ASSERT_EQ(chain.Share(r1), (RewardShare{0, kUnitOne}));
        ASSERT_EQ(chain.Share(r2), RewardShare{});
        ASSERT_EQ(chain.Share(r3), (RewardShare{kUnitOne / 4, 0}));
        for (size_t r = 0; r < chain.radios.size(); ++r) initial.push_back(chain.Share(r));
    }

    std::vector<RewardShare> initial;  // every radio's share after SetUp
    RewardShare Gained(size_t r) const { return chain.Share(r) - initial.at(r); }

    uint64_t Next() const { return chain.Height() + 1; }

    ProofEvaluation EvaluateWith(const ChainParams& p, const BeaconReport& b,
                                 const std::vector<ProofWitness>& ws) const {
        return EvaluateProof(b, ws, Next(), p, chain.hashes, chain.state);
    }
    BeaconVerdict BeaconOnly(const BeaconReport& b) const { return chain.Evaluate(b, {}).beacon; }
    WitnessVerdict One(const BeaconReport& b, const ProofWitness& w) const {
        auto ev = chain.Evaluate(b, {w});
        EXPECT_EQ(ev.beacon, BeaconVerdict::kValid);
        return ev.witnesses.at(0);
    }
};

// ---- A valid proof -------------------------------------------------------------------------

TEST_F(CoverageTest, ValidBeaconWithValidWitnesses) {
    const BeaconReport b = chain.Beacon(r0, chain.Height());
    const std::vector<ProofWitness> ws = {chain.Witness(r1, b), chain.Witness(r2, b),
                                          chain.Witness(r3, b)};
    const ProofEvaluation ev = chain.Evaluate(b, ws);
    EXPECT_EQ(ev.beacon, BeaconVerdict::kValid);
    EXPECT_EQ(ev.witnesses,
              Verdicts({WitnessVerdict::kValid, WitnessVerdict::kValid, WitnessVerdict::kValid}));
    EXPECT_EQ(ev.rewarded, 3u);
    EXPECT_TRUE(ev.physically_witnessed);
    // HIP-15 with N = 4: the beaconer earns 3/4, each witness 1; density scale 1.0 (no map yet).
    EXPECT_EQ(ev.scale, kUnitOne);
    EXPECT_EQ(ev.beacon_units, 750'000'000u);
    EXPECT_EQ(ev.witness_units, kUnitOne);

    const CoverageProof proof = chain.Judge1(b, ws);
    const ConnectedBlock c = chain.Mine({}, {proof});
    ASSERT_EQ(c.proofs.size(), 1u);
    EXPECT_EQ(c.proofs[0].beacon_units, 750'000'000u);
    auto d = chain.Device(r0);
    EXPECT_EQ(d->last_beacon_bucket, BeaconBucket(chain.params, b.entropy_height));
    EXPECT_EQ(d->witnessed_height, chain.Height());
    EXPECT_EQ(chain.Share(r0), (RewardShare{750'000'000, 0}));
    for (size_t r : {r1, r2, r3}) EXPECT_EQ(Gained(r), (RewardShare{0, kUnitOne})) << r;
    // Coverage proofs mint nothing by themselves: rewards are paid at the epoch's end.
    EXPECT_EQ(c.minted, 0u);
    EXPECT_TRUE(chain.SupplyHolds());
}

TEST_F(CoverageTest, UnitsFollowHip15ForEachWitnessCount) {
    // w = 1 .. 3 below the redundancy, recorded per proof.
    const BeaconReport b = chain.Beacon(r0, chain.Height());
    const std::vector<ProofWitness> all = {chain.Witness(r1, b), chain.Witness(r2, b),
                                           chain.Witness(r3, b)};
    for (size_t w = 0; w <= all.size(); ++w) {
        const ProofEvaluation ev =
            chain.Evaluate(b, std::vector<ProofWitness>(all.begin(), all.begin() + w));
        EXPECT_EQ(ev.rewarded, w);
        EXPECT_EQ(ev.beacon_units,
                  rewards::BeaconerUnits(chain.params.poc.hip15, static_cast<uint32_t>(w)));
        EXPECT_EQ(ev.beacon_units, w * kUnitOne / 4);
        EXPECT_EQ(ev.witness_units, w == 0 ? 0 : kUnitOne);
    }
}

TEST_F(CoverageTest, BeaconWithoutWitnessesIsValidButEarnsNothing) {
    const BeaconReport b = chain.Beacon(r0, chain.Height());
    const ConnectedBlock c = chain.Mine({}, {chain.Judge1(b, {})});
    EXPECT_EQ(c.proofs[0].beacon, BeaconVerdict::kValid);
    EXPECT_EQ(c.proofs[0].beacon_units, 0u);
    auto d = chain.Device(r0);
    EXPECT_EQ(d->last_beacon_bucket, 0u);  // the bucket is spent
    EXPECT_FALSE(d->witnessed_height.has_value());
    EXPECT_FALSE(chain.state.GetEntry(keys::WithKey(keys::kRewardShare, chain.RadioKey(r0))));
}

TEST_F(CoverageTest, PhysicallyImplausibleWitnessesDoNotMakeABeaconWitnessed) {
    const BeaconReport b = chain.Beacon(r0, chain.Height());
    const CoverageProof p = chain.Judge1(b, {chain.Witness(close, b), chain.Witness(far, b)});
    chain.Mine({}, {p});
    EXPECT_FALSE(chain.Device(r0)->witnessed_height.has_value());
}

// ---- Beacon verdicts -----------------------------------------------------------------------

TEST_F(CoverageTest, BeaconEntropyOutOfWindow) {
    chain.MineTo(10);
    const uint64_t h = Next();  // 11
    const uint64_t window = chain.params.poc.entropy_window;
    ASSERT_EQ(window, 6u);
    // e < h <= e + W: the oldest and the newest usable entropy are valid.
    EXPECT_EQ(BeaconOnly(chain.Beacon(r0, h - window)), BeaconVerdict::kValid);
    EXPECT_EQ(BeaconOnly(chain.Beacon(r0, h - 1)), BeaconVerdict::kValid);
    // One block too old, the including block itself, and a future block.
    for (uint64_t e : {h - window - 1, h - window - 5, h, h + 1, h + 100}) {
        const BeaconReport b = chain.Beacon(r0, e);
        const ProofEvaluation ev = chain.Evaluate(b, {chain.Witness(r1, b)});
        EXPECT_EQ(ev.beacon, BeaconVerdict::kEntropyOutOfWindow) << e;
        EXPECT_EQ(ev.witnesses, Verdicts({WitnessVerdict::kBeaconInvalid})) << e;
        EXPECT_EQ(ev.beacon_units, 0u);
    }
    // Recorded in a block it is accepted but books nothing: the bucket stays free.
    const BeaconReport old = chain.Beacon(r0, h - window - 1);
    const ConnectedBlock c = chain.Mine({}, {chain.Judge1(old, {chain.Witness(r1, old)})});
    EXPECT_EQ(c.proofs[0].beacon, BeaconVerdict::kEntropyOutOfWindow);
    EXPECT_FALSE(chain.Device(r0)->last_beacon_bucket.has_value());
    EXPECT_FALSE(chain.Device(r0)->witnessed_height.has_value());
    EXPECT_EQ(Gained(r1), RewardShare{});
}

TEST_F(CoverageTest, BeaconUnknownDevice) {
    const BeaconReport b = chain.Beacon(unregistered, chain.Height());
    const ProofEvaluation ev = chain.Evaluate(b, {chain.Witness(r1, b)});
    EXPECT_EQ(ev.beacon, BeaconVerdict::kUnknownDevice);
    EXPECT_EQ(ev.witnesses, Verdicts({WitnessVerdict::kBeaconInvalid}));
    // Accepted in a block with that verdict.
    const ConnectedBlock c = chain.Mine({}, {chain.Judge1(b, {chain.Witness(r1, b)})});
    EXPECT_EQ(c.proofs[0].beacon, BeaconVerdict::kUnknownDevice);
    EXPECT_FALSE(chain.Device(unregistered).has_value());
}

TEST_F(CoverageTest, BeaconNoLocation) {
    ASSERT_TRUE(chain.Device(unlocated).has_value());
    const BeaconReport b = chain.Beacon(unlocated, chain.Height());
    EXPECT_EQ(BeaconOnly(b), BeaconVerdict::kNoLocation);
}

TEST_F(CoverageTest, BeaconBucketUsedBySecondBeaconAndByReplay) {
    const BeaconReport first = chain.Beacon(r0, chain.Height());  // entropy 4, bucket 0
    chain.Mine({}, {chain.Judge1(first, {chain.Witness(r1, first)})});
    const RewardShare earned = chain.Share(r0);
    ASSERT_GT(earned.beacon_units, 0u);

    // A second beacon in the same bucket (new entropy, new payload).
    const BeaconReport second = chain.Beacon(r0, chain.Height());  // entropy 5
    ASSERT_EQ(BeaconBucket(chain.params, second.entropy_height), 0u);
    EXPECT_EQ(chain.Evaluate(second, {chain.Witness(r1, second)}).beacon,
              BeaconVerdict::kBucketUsed);
    // The very same report again in a later block (its window is still open).
    const ProofEvaluation replay = chain.Evaluate(first, {chain.Witness(r1, first)});
    EXPECT_EQ(replay.beacon, BeaconVerdict::kBucketUsed);
    EXPECT_EQ(replay.witnesses, Verdicts({WitnessVerdict::kBeaconInvalid}));
    // Both are accepted in a block with that verdict and earn nothing.
    const ConnectedBlock c =
        chain.Mine({}, chain.Judge({chain.Judge1(first, {chain.Witness(r1, first)}),
                                    chain.Judge1(second, {chain.Witness(r2, second)})}));
    EXPECT_EQ(c.proofs[0].beacon, BeaconVerdict::kBucketUsed);
    EXPECT_EQ(c.proofs[1].beacon, BeaconVerdict::kBucketUsed);
    EXPECT_EQ(chain.Share(r0), earned);
    EXPECT_EQ(Gained(r2), RewardShare{});

    // The next bucket is free again.
    chain.MineTo(10);
    const BeaconReport next = chain.Beacon(r0, 10);
    EXPECT_EQ(BeaconOnly(next), BeaconVerdict::kValid);
    chain.Mine({}, {chain.Judge1(next, {})});
    EXPECT_EQ(chain.Device(r0)->last_beacon_bucket, 1u);
    // And an older bucket cannot be filled after a newer one.
    const BeaconReport older = chain.Beacon(r0, 9);
    ASSERT_EQ(BeaconBucket(chain.params, 9), 0u);
    EXPECT_EQ(BeaconOnly(older), BeaconVerdict::kBucketUsed);
}

TEST_F(CoverageTest, SecondBeaconOfABucketInTheSameBlock) {
    // Two different beacons of one radio for one bucket in one block: the first is valid and
    // the second sees its bucket spent.
    const BeaconReport b1 = chain.Beacon(r0, chain.Height() - 1);
    const BeaconReport b2 = chain.Beacon(r0, chain.Height());
    const auto proofs = chain.Judge({chain.Judge1(b1, {}), chain.Judge1(b2, {})});
    EXPECT_EQ(proofs[0].beacon_verdict, V(BeaconVerdict::kValid));
    EXPECT_EQ(proofs[1].beacon_verdict, V(BeaconVerdict::kBucketUsed));
    EXPECT_NO_THROW(chain.Mine({}, proofs));
}

TEST_F(CoverageTest, BeaconBadPayload) {
    BeaconReport b = chain.Beacon(r0, chain.Height());
    b.payload[0] ^= 0x01;
    test::SignBeacon(b, chain.radios[r0].key, chain.params.network_id);
    EXPECT_EQ(BeaconOnly(b), BeaconVerdict::kBadPayload);
    // A payload derived from another block (a beacon prepared for another window).
    BeaconReport other = chain.Beacon(r0, chain.Height());
    const poc::BeaconChallenge c =
        poc::DeriveBeacon(*chain.hashes.HashAtHeight(chain.Height() - 1), chain.RadioKey(r0),
                          chain.params.poc.regions[0]);
    other.payload = c.payload;
    test::SignBeacon(other, chain.radios[r0].key, chain.params.network_id);
    EXPECT_EQ(BeaconOnly(other), BeaconVerdict::kBadPayload);
    // Another radio's payload for the same block.
    BeaconReport stolen = chain.Beacon(r0, chain.Height());
    stolen.payload = chain.Beacon(r1, chain.Height()).payload;
    test::SignBeacon(stolen, chain.radios[r0].key, chain.params.network_id);
    EXPECT_EQ(BeaconOnly(stolen), BeaconVerdict::kBadPayload);
}

TEST_F(CoverageTest, BeaconBadFrequencyOrChannel) {
    const BeaconReport good = chain.Beacon(r0, chain.Height());
    const RadioRegion& eu = chain.params.poc.regions[0];
    ASSERT_EQ(eu.channels_hz[good.channel], good.frequency_hz);
    const uint8_t other_channel = static_cast<uint8_t>((good.channel + 1) % eu.channels_hz.size());
    auto resigned = [&](BeaconReport b) {
        test::SignBeacon(b, chain.radios[r0].key, chain.params.network_id);
        return b;
    };
    BeaconReport b = good;
    b.channel = other_channel;  // the frequency still matches the derived channel
    EXPECT_EQ(BeaconOnly(resigned(b)), BeaconVerdict::kBadFrequency);
    b = good;
    b.frequency_hz = eu.channels_hz[other_channel];  // a real channel, not the derived one
    EXPECT_EQ(BeaconOnly(resigned(b)), BeaconVerdict::kBadFrequency);
    b = good;
    b.frequency_hz += 1;
    EXPECT_EQ(BeaconOnly(resigned(b)), BeaconVerdict::kBadFrequency);
    b = good;
    b.channel = other_channel;
    b.frequency_hz = eu.channels_hz[other_channel];  // consistent, but not the derived pair
    EXPECT_EQ(BeaconOnly(resigned(b)), BeaconVerdict::kBadFrequency);
    EXPECT_EQ(BeaconOnly(good), BeaconVerdict::kValid);
}

TEST_F(CoverageTest, BeaconTxPowerOverRegionMaxEirp) {
    const int32_t max_eirp = chain.params.poc.regions[0].max_eirp_ddbm;
    ASSERT_EQ(max_eirp, 160);
    // EIRP = tx power + the asserted antenna gain (2 dBi).
    EXPECT_EQ(BeaconOnly(chain.Beacon(r0, chain.Height(), 140)), BeaconVerdict::kValid);
    EXPECT_EQ(BeaconOnly(chain.Beacon(r0, chain.Height(), 141)), BeaconVerdict::kTxPowerTooHigh);
    EXPECT_EQ(BeaconOnly(chain.Beacon(r0, chain.Height(), INT16_MAX)),
              BeaconVerdict::kTxPowerTooHigh);
    EXPECT_EQ(BeaconOnly(chain.Beacon(r0, chain.Height(), -200)), BeaconVerdict::kValid);
    // A US915 radio may send more (36 dBm EIRP).
    EXPECT_EQ(BeaconOnly(chain.Beacon(us, chain.Height(), 340)), BeaconVerdict::kValid);
    EXPECT_EQ(BeaconOnly(chain.Beacon(us, chain.Height(), 341)), BeaconVerdict::kTxPowerTooHigh);
}

TEST_F(CoverageTest, BeaconVerdictPrecedence) {
    // Out of window wins over an unknown device; bucket over a bad payload.
    EXPECT_EQ(BeaconOnly(chain.Beacon(unregistered, chain.Height() + 1)),
              BeaconVerdict::kEntropyOutOfWindow);
    const BeaconReport first = chain.Beacon(r0, chain.Height());
    chain.Mine({}, {chain.Judge1(first, {})});
    BeaconReport b = chain.Beacon(r0, chain.Height());
    b.payload[3] ^= 0xff;
    test::SignBeacon(b, chain.radios[r0].key, chain.params.network_id);
    EXPECT_EQ(BeaconOnly(b), BeaconVerdict::kBucketUsed);
}

TEST_F(CoverageTest, RejectedBeaconLeavesTheBucketFree) {
    // A beacon judged bad-payload or too loud is recorded but does not spend the bucket, so a
    // corrected beacon of the same bucket still counts.
    BeaconReport bad = chain.Beacon(r0, chain.Height());
    bad.payload[0] ^= 0x01;
    test::SignBeacon(bad, chain.radios[r0].key, chain.params.network_id);
    const BeaconReport loud = chain.Beacon(r0, chain.Height(), 200);
    const ConnectedBlock c = chain.Mine(
        {}, chain.Judge({chain.Judge1(bad, {chain.Witness(r1, bad)}), chain.Judge1(loud, {})}));
    EXPECT_EQ(c.proofs[0].beacon, BeaconVerdict::kBadPayload);
    EXPECT_EQ(c.proofs[1].beacon, BeaconVerdict::kTxPowerTooHigh);
    EXPECT_FALSE(chain.Device(r0)->last_beacon_bucket.has_value());
    EXPECT_FALSE(chain.Device(r0)->witnessed_height.has_value());
    EXPECT_EQ(Gained(r1), RewardShare{});
    const BeaconReport good = chain.Beacon(r0, chain.Height());
    ASSERT_EQ(BeaconBucket(chain.params, good.entropy_height),
              BeaconBucket(chain.params, bad.entropy_height));
    const CoverageProof p = chain.Judge1(good, {chain.Witness(r1, good)});
    EXPECT_EQ(p.beacon_verdict, V(BeaconVerdict::kValid));
    chain.Mine({}, {p});
    EXPECT_EQ(chain.Device(r0)->last_beacon_bucket, 0u);
}

TEST_F(CoverageTest, BeaconChallengeFollowsTheSpecifiedDerivation) {
    // seed = TaggedHash("Cairn/BeaconPayload", entropy hash || beaconer key); payload =
    // seed[0..16); channel = u64le(seed[16..24)) mod channels; frequency = channels[channel].
    for (uint64_t e = 0; e <= chain.Height(); ++e) {
        for (size_t r : {r0, r1, us}) {
            const Hash256 entropy = *chain.hashes.HashAtHeight(e);
            Bytes m(entropy.bytes.begin(), entropy.bytes.end());
            m.insert(m.end(), chain.RadioKey(r).bytes.begin(), chain.RadioKey(r).bytes.end());
            const Hash256 seed = TaggedHash("Cairn/BeaconPayload", m);
            uint64_t v = 0;
            for (int i = 7; i >= 0; --i) v = v << 8 | seed.bytes[16 + i];
            const RadioRegion& region = chain.params.poc.regions[chain.radios[r].region];
            const BeaconReport b = chain.Beacon(r, e);
            EXPECT_TRUE(std::equal(b.payload.begin(), b.payload.end(), seed.bytes.begin()));
            EXPECT_EQ(b.channel, v % region.channels_hz.size());
            EXPECT_EQ(b.frequency_hz, region.channels_hz[b.channel]);
        }
    }
}

// ---- Witness verdicts ----------------------------------------------------------------------

TEST_F(CoverageTest, WitnessDuplicate) {
    const BeaconReport b = chain.Beacon(r0, chain.Height());
    const ProofEvaluation ev =
        chain.Evaluate(b, {chain.Witness(r1, b), chain.Witness(r2, b), chain.Witness(r1, b, 80)});
    EXPECT_EQ(ev.witnesses, Verdicts({WitnessVerdict::kValid, WitnessVerdict::kValid,
                                      WitnessVerdict::kDuplicate}));
    EXPECT_EQ(ev.rewarded, 2u);
    // The duplicate earns nothing twice.
    const CoverageProof p =
        chain.Judge1(b, {chain.Witness(r1, b), chain.Witness(r2, b), chain.Witness(r1, b, 80)});
    chain.Mine({}, {p});
    EXPECT_EQ(Gained(r1), (RewardShare{0, kUnitOne}));
}

TEST_F(CoverageTest, WitnessSelf) {
    const BeaconReport b = chain.Beacon(r0, chain.Height());
    EXPECT_EQ(One(b, chain.WitnessWithRssi(r0, b, -500)), WitnessVerdict::kSelfWitness);
}

TEST_F(CoverageTest, WitnessUnknownDevice) {
    const BeaconReport b = chain.Beacon(r0, chain.Height());
    EXPECT_EQ(One(b, chain.Witness(unregistered, b)), WitnessVerdict::kUnknownDevice);
}

TEST_F(CoverageTest, WitnessNoLocation) {
    const BeaconReport b = chain.Beacon(r0, chain.Height());
    EXPECT_EQ(One(b, chain.Witness(unlocated, b)), WitnessVerdict::kNoLocation);
}

TEST_F(CoverageTest, WitnessWrongRegion) {
    const BeaconReport b = chain.Beacon(r0, chain.Height());
    EXPECT_EQ(One(b, chain.Witness(us, b)), WitnessVerdict::kWrongRegion);
}

TEST_F(CoverageTest, WitnessFrequencyTolerance) {
    const BeaconReport b = chain.Beacon(r0, chain.Height());
    const uint32_t tol = chain.params.poc.frequency_tolerance_hz;
    ASSERT_EQ(tol, 100'000u);
    const int16_t rssi = static_cast<int16_t>(chain.RssiBound(r0, r1, b) - 50);
    for (uint32_t f : {b.frequency_hz - tol, b.frequency_hz + tol, b.frequency_hz}) {
        EXPECT_EQ(One(b, chain.WitnessWithRssi(r1, b, rssi, f)), WitnessVerdict::kValid) << f;
    }
    for (uint32_t f :
         {b.frequency_hz - tol - 1, b.frequency_hz + tol + 1, uint32_t{0}, UINT32_MAX}) {
        EXPECT_EQ(One(b, chain.WitnessWithRssi(r1, b, rssi, f)), WitnessVerdict::kBadFrequency)
            << f;
    }
}

TEST_F(CoverageTest, WitnessTooCloseAndTooFar) {
    const BeaconReport b = chain.Beacon(r0, chain.Height());
    ASSERT_LT(poc::DistanceMm(kBerlin, chain.radios[close].position), 300'000u);
    ASSERT_GT(poc::DistanceMm(kBerlin, chain.radios[far].position), 100'000'000u);
    EXPECT_EQ(One(b, chain.Witness(close, b)), WitnessVerdict::kTooClose);
    EXPECT_EQ(One(b, chain.Witness(far, b)), WitnessVerdict::kTooFar);
}

TEST_F(CoverageTest, WitnessDistanceLimitsAreInclusive) {
    const BeaconReport b = chain.Beacon(r0, chain.Height());
    const ProofWitness w = chain.Witness(r1, b);
    const uint64_t dist = poc::DistanceMm(kBerlin, chain.radios[r1].position);
    ChainParams p = chain.params;
    p.poc.min_witness_distance_mm = dist;
    EXPECT_EQ(EvaluateWith(p, b, {w}).witnesses[0], WitnessVerdict::kValid);
    p.poc.min_witness_distance_mm = dist + 1;
    EXPECT_EQ(EvaluateWith(p, b, {w}).witnesses[0], WitnessVerdict::kTooClose);
    p = chain.params;
    p.poc.max_witness_distance_mm = dist;
    EXPECT_EQ(EvaluateWith(p, b, {w}).witnesses[0], WitnessVerdict::kValid);
    p.poc.max_witness_distance_mm = dist - 1;
    EXPECT_EQ(EvaluateWith(p, b, {w}).witnesses[0], WitnessVerdict::kTooFar);
}

TEST_F(CoverageTest, WitnessRssiAboveFreeSpaceBound) {
    const BeaconReport b = chain.Beacon(r0, chain.Height());
    const int64_t bound = chain.RssiBound(r0, r1, b);
    // The bound is 14 dBm + 2 x 2 dBi minus the free-space loss over ~2 km at the beacon's
    // frequency: about -79 dBm. Cross-check it in floating point.
    const double d_m = poc::DistanceMm(kBerlin, chain.radios[r1].position) / 1000.0;
    const double fspl_db = 20 * std::log10(d_m) +
                           20 * std::log10(static_cast<double>(b.frequency_hz)) +
                           20 * std::log10(4 * 3.14159265358979323846 / 299'792'458.0);
    EXPECT_NEAR(static_cast<double>(bound), (14.0 + 4.0 - fspl_db) * 10, 1.0);
    EXPECT_GT(bound, -830);
    EXPECT_LT(bound, -770);
    // At the bound and just under: valid. One tenth of a dB over: too strong to be real.
    EXPECT_EQ(One(b, chain.WitnessWithRssi(r1, b, static_cast<int16_t>(bound))),
              WitnessVerdict::kValid);
    EXPECT_EQ(One(b, chain.WitnessWithRssi(r1, b, static_cast<int16_t>(bound - 1))),
              WitnessVerdict::kValid);
    EXPECT_EQ(One(b, chain.WitnessWithRssi(r1, b, static_cast<int16_t>(bound + 1))),
              WitnessVerdict::kRssiTooHigh);
    EXPECT_EQ(One(b, chain.WitnessWithRssi(r1, b, 0)), WitnessVerdict::kRssiTooHigh);
    EXPECT_EQ(One(b, chain.WitnessWithRssi(r1, b, INT16_MAX)), WitnessVerdict::kRssiTooHigh);
    EXPECT_EQ(One(b, chain.WitnessWithRssi(r1, b, INT16_MIN)), WitnessVerdict::kValid);
    // A beacon sent with less power lowers the bound by as much.
    const BeaconReport quiet = chain.Beacon(r0, chain.Height(), 100);
    EXPECT_EQ(chain.RssiBound(r0, r1, quiet), bound - 40);
    EXPECT_EQ(One(quiet, chain.WitnessWithRssi(r1, quiet, static_cast<int16_t>(bound - 40))),
              WitnessVerdict::kValid);
    EXPECT_EQ(One(quiet, chain.WitnessWithRssi(r1, quiet, static_cast<int16_t>(bound - 39))),
              WitnessVerdict::kRssiTooHigh);
}

TEST_F(CoverageTest, WitnessNoReciprocity) {
    const BeaconReport b = chain.Beacon(r0, chain.Height());
    // `fresh` is located and in range but has never had a beacon witnessed.
    const ProofEvaluation ev = chain.Evaluate(b, {chain.Witness(fresh, b), chain.Witness(r1, b)});
    EXPECT_EQ(ev.witnesses, Verdicts({WitnessVerdict::kNoReciprocity, WitnessVerdict::kValid}));
    EXPECT_EQ(ev.rewarded, 1u);
    EXPECT_TRUE(ev.physically_witnessed);
}

TEST_F(CoverageTest, WitnessReciprocityWindow) {
    const BeaconReport b = chain.Beacon(r0, chain.Height());
    const ProofWitness w = chain.Witness(r1, b);
    const uint64_t age = Next() - *chain.Device(r1)->witnessed_height;
    ASSERT_EQ(age, 1u);
    ChainParams p = chain.params;
    p.poc.reciprocity_window = age;
    EXPECT_EQ(EvaluateWith(p, b, {w}).witnesses[0], WitnessVerdict::kValid);
    p.poc.reciprocity_window = age - 1;
    EXPECT_EQ(EvaluateWith(p, b, {w}).witnesses[0], WitnessVerdict::kNoReciprocity);
}

TEST_F(CoverageTest, WitnessReciprocityExpiresOnChain) {
    // r1's beacon was witnessed at height 4; with the devnet window of 100 it may witness up to
    // height 104 and not at 105.
    ASSERT_EQ(chain.params.poc.reciprocity_window, 100u);
    chain.MineTo(103);
    const BeaconReport b = chain.Beacon(r0, chain.Height());
    EXPECT_EQ(One(b, chain.Witness(r1, b)), WitnessVerdict::kValid);  // at 104
    chain.Mine();
    const BeaconReport later = chain.Beacon(r0, chain.Height());
    EXPECT_EQ(One(later, chain.Witness(r1, later)), WitnessVerdict::kNoReciprocity);  // at 105
}

TEST_F(CoverageTest, WitnessVerdictsOfAMixedProof) {
    const BeaconReport b = chain.Beacon(r0, chain.Height());
    std::vector<ProofWitness> ws = {
        chain.Witness(r1, b),
        chain.WitnessWithRssi(r0, b, -900),
        chain.Witness(unregistered, b),
        chain.Witness(unlocated, b),
        chain.Witness(us, b),
        chain.WitnessWithRssi(r2, b, -1000, b.frequency_hz + 200'000),
        chain.Witness(close, b),
        chain.Witness(far, b),
        chain.WitnessWithRssi(r3, b, static_cast<int16_t>(chain.RssiBound(r0, r3, b) + 1)),
        chain.Witness(fresh, b),
        chain.Witness(r1, b),
    };
    const CoverageProof p = chain.Judge1(b, ws);
    const std::vector<uint8_t> expected = {
        V(WitnessVerdict::kValid),         V(WitnessVerdict::kSelfWitness),
        V(WitnessVerdict::kUnknownDevice), V(WitnessVerdict::kNoLocation),
        V(WitnessVerdict::kWrongRegion),   V(WitnessVerdict::kBadFrequency),
        V(WitnessVerdict::kTooClose),      V(WitnessVerdict::kTooFar),
        V(WitnessVerdict::kRssiTooHigh),   V(WitnessVerdict::kNoReciprocity),
        V(WitnessVerdict::kDuplicate)};
    std::vector<uint8_t> got;
    for (const ProofWitness& w : p.witnesses) got.push_back(w.verdict);
    EXPECT_EQ(got, expected);
    // The block carrying it connects (signatures included) and books one witness.
    const ConnectedBlock c = chain.Mine({}, {p});
    EXPECT_EQ(c.proofs[0].rewarded, 1u);
    EXPECT_EQ(Gained(r1), (RewardShare{0, kUnitOne}));
    for (size_t r : {r2, r3, close, far, us, fresh}) EXPECT_EQ(Gained(r), RewardShare{}) << r;
    EXPECT_EQ(chain.Share(r0), (RewardShare{kUnitOne / 4, 0}));
}

// ---- Witness selection over the cap --------------------------------------------------------

class WitnessSelectionTest : public ::testing::Test {
protected:
    DepinChain chain;
    size_t beaconer = chain.AddRadio(0, kBerlin);
    std::vector<size_t> ring;

    void SetUp() override {
        // 16 radios on a spiral 1 .. 4.75 km around the beaconer.
        for (int i = 0; i < 16; ++i) {
            const double angle = i * 2 * 3.14159265358979323846 / 16;
            const double radius = 1'000 + 250.0 * i;
            ring.push_back(chain.AddRadio(
                static_cast<size_t>(i % 3),
                OffsetMeters(kBerlin, radius * std::cos(angle), radius * std::sin(angle))));
        }
        std::vector<size_t> all = ring;
        all.push_back(beaconer);
        chain.Onboard(all);
        chain.MakeWitnessed(ring);
        for (size_t r : ring) ASSERT_TRUE(chain.Device(r)->witnessed_height.has_value()) << r;
        for (size_t r = 0; r < chain.radios.size(); ++r) initial.push_back(chain.Share(r));
    }

    std::vector<RewardShare> initial;

    // The indices (into ws) of the witnesses the rule selects: the cap smallest selection keys.
    std::set<PubKey> ExpectedSelected(const BeaconReport& b, const std::vector<ProofWitness>& ws,
                                      size_t cap) const {
        const Hash256 entropy = *chain.hashes.HashAtHeight(b.entropy_height);
        std::vector<std::pair<Hash256, PubKey>> keyed;
        for (const ProofWitness& w : ws) {
            keyed.emplace_back(test::WitnessSelectionKey(entropy, w.witness), w.witness);
        }
        std::sort(keyed.begin(), keyed.end(), [](const auto& x, const auto& y) {
            return std::memcmp(x.first.bytes.data(), y.first.bytes.data(), 32) < 0;
        });
        std::set<PubKey> out;
        for (size_t i = 0; i < cap && i < keyed.size(); ++i) out.insert(keyed[i].second);
        return out;
    }
};

TEST_F(WitnessSelectionTest, FourteenSmallestSelectionKeysAreRewarded) {
    const uint32_t cap = chain.params.poc.max_rewarded_witnesses;
    ASSERT_EQ(cap, 14u);
    const BeaconReport b = chain.Beacon(beaconer, chain.Height());
    std::vector<ProofWitness> ws;
    for (size_t r : ring) ws.push_back(chain.Witness(r, b));
    const std::set<PubKey> expected = ExpectedSelected(b, ws, cap);
    ASSERT_EQ(expected.size(), 14u);

    const CoverageProof p = chain.Judge1(b, ws);
    std::set<PubKey> selected;
    size_t not_selected = 0;
    for (const ProofWitness& w : p.witnesses) {
        if (w.verdict == V(WitnessVerdict::kValid)) selected.insert(w.witness);
        if (w.verdict == V(WitnessVerdict::kNotSelected)) ++not_selected;
    }
    EXPECT_EQ(selected, expected);
    EXPECT_EQ(not_selected, 2u);

    // The selection does not depend on the order the proof lists the witnesses in.
    std::vector<ProofWitness> shuffled = ws;
    std::mt19937_64 rng{20240501};
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    const ProofEvaluation ev2 = chain.Evaluate(b, shuffled);
    std::set<PubKey> selected2;
    for (size_t i = 0; i < shuffled.size(); ++i) {
        if (ev2.witnesses[i] == WitnessVerdict::kValid) selected2.insert(shuffled[i].witness);
    }
    EXPECT_EQ(selected2, expected);

    // HIP-15 for 14 rewarded witnesses: beaconer 2 - 0.8^10, each witness (3 + 0.8^10) / 14.
    const ConnectedBlock c = chain.Mine({}, {p});
    EXPECT_EQ(c.proofs[0].rewarded, 14u);
    EXPECT_EQ(c.proofs[0].beacon_units, 1'892'625'818u);
    EXPECT_EQ(c.proofs[0].witness_units, 221'955'298u);
    EXPECT_EQ(chain.Share(beaconer), (RewardShare{1'892'625'818, 0}));
    for (size_t r : ring) {
        const bool chosen = expected.count(chain.RadioKey(r)) > 0;
        EXPECT_EQ(chain.Share(r) - initial[r], (RewardShare{0, chosen ? 221'955'298u : 0u})) << r;
    }
}

TEST_F(WitnessSelectionTest, AtTheCapEveryoneIsSelected) {
    const BeaconReport b = chain.Beacon(beaconer, chain.Height());
    std::vector<ProofWitness> ws;
    for (size_t i = 0; i < 14; ++i) ws.push_back(chain.Witness(ring[i], b));
    const ProofEvaluation ev = chain.Evaluate(b, ws);
    EXPECT_EQ(ev.rewarded, 14u);
    for (WitnessVerdict v : ev.witnesses) EXPECT_EQ(v, WitnessVerdict::kValid);
    ws.push_back(chain.Witness(ring[14], b));
    const ProofEvaluation ev15 = chain.Evaluate(b, ws);
    EXPECT_EQ(ev15.rewarded, 14u);
    EXPECT_EQ(
        std::count(ev15.witnesses.begin(), ev15.witnesses.end(), WitnessVerdict::kNotSelected), 1);
}

TEST_F(WitnessSelectionTest, InvalidWitnessesDoNotTakeSelectionSlots) {
    // Witnesses without reciprocity or with a too-strong signal are not candidates.
    const BeaconReport b = chain.Beacon(beaconer, chain.Height());
    std::vector<ProofWitness> ws;
    for (size_t i = 0; i < 14; ++i) ws.push_back(chain.Witness(ring[i], b));
    ws.push_back(chain.WitnessWithRssi(ring[14], b, 0));  // too strong
    const ProofEvaluation ev = chain.Evaluate(b, ws);
    EXPECT_EQ(ev.rewarded, 14u);
    EXPECT_EQ(ev.witnesses.back(), WitnessVerdict::kRssiTooHigh);
}

// ---- Bootstrap of a new network ------------------------------------------------------------

TEST(CoverageBootstrapTest, TwoRadiosBootstrapAndEarn) {
    DepinChain chain;
    const size_t a = chain.AddRadio(0, kBerlin);
    const size_t b = chain.AddRadio(1, OffsetMeters(kBerlin, 1'500, 1'500));
    chain.Onboard({a, b});  // heights 1, 2

    // 1. A beacons, B witnesses: B has no witnessed beacon of its own (no reciprocity), but A's
    //    beacon was heard, so A becomes witnessed.
    BeaconReport beacon = chain.Beacon(a, chain.Height());
    CoverageProof p = chain.Judge1(beacon, {chain.Witness(b, beacon)});
    EXPECT_EQ(p.beacon_verdict, V(BeaconVerdict::kValid));
    EXPECT_EQ(p.witnesses[0].verdict, V(WitnessVerdict::kNoReciprocity));
    ConnectedBlock c = chain.Mine({}, {p});  // height 3
    EXPECT_EQ(c.proofs[0].rewarded, 0u);
    EXPECT_TRUE(c.proofs[0].physically_witnessed);
    EXPECT_EQ(chain.Device(a)->witnessed_height, 3u);
    EXPECT_FALSE(chain.Device(b)->witnessed_height.has_value());
    EXPECT_EQ(chain.Share(a), RewardShare{});
    EXPECT_EQ(chain.Share(b), RewardShare{});

    // 2. B beacons, A witnesses: A now has reciprocity and earns; B becomes witnessed.
    beacon = chain.Beacon(b, chain.Height());
    p = chain.Judge1(beacon, {chain.Witness(a, beacon)});
    EXPECT_EQ(p.witnesses[0].verdict, V(WitnessVerdict::kValid));
    c = chain.Mine({}, {p});  // height 4
    EXPECT_EQ(c.proofs[0].rewarded, 1u);
    EXPECT_EQ(chain.Device(b)->witnessed_height, 4u);
    EXPECT_EQ(chain.Share(a), (RewardShare{0, kUnitOne}));
    EXPECT_EQ(chain.Share(b), (RewardShare{kUnitOne / 4, 0}));

    // 3. In the next bucket A beacons again and B, now reciprocal, is a valid witness.
    chain.MineTo(chain.params.poc.beacon_bucket);
    beacon = chain.Beacon(a, chain.Height());
    p = chain.Judge1(beacon, {chain.Witness(b, beacon)});
    EXPECT_EQ(p.beacon_verdict, V(BeaconVerdict::kValid));
    EXPECT_EQ(p.witnesses[0].verdict, V(WitnessVerdict::kValid));
    chain.Mine({}, {p});  // height 11
    EXPECT_EQ(chain.Share(a), (RewardShare{kUnitOne / 4, kUnitOne}));
    EXPECT_EQ(chain.Share(b), (RewardShare{kUnitOne / 4, kUnitOne}));

    // Rewards flow at the epoch's end: equal units, so each owner gets half of both pools.
    const Amount before_a = chain.Balance(chain.AccountKey(0));
    const Amount before_b = chain.Balance(chain.AccountKey(1));
    chain.MineTo(chain.params.rewards.epoch_length);
    auto s = ReadEpochSummary(chain.state, 0);
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->devices_paid, 2u);
    EXPECT_EQ(s->owners_paid, 2u);
    EXPECT_EQ(s->beacons_paid, s->beacons_pool);
    EXPECT_EQ(s->witnesses_paid, s->witnesses_pool);
    const Amount each = s->beacons_pool / 2 + s->witnesses_pool / 2;
    EXPECT_GT(each, 0u);
    EXPECT_EQ(chain.Balance(chain.AccountKey(0)), before_a + each);
    EXPECT_EQ(chain.Balance(chain.AccountKey(1)), before_b + each);
    EXPECT_TRUE(chain.SupplyHolds());
}

TEST(CoverageBootstrapTest, ReceiveOnlyRadioNeverEarns) {
    // A radio that only ever witnesses stays without reciprocity however often it hears others.
    DepinChain chain;
    const size_t a = chain.AddRadio(0, kBerlin);
    const size_t listener = chain.AddRadio(1, OffsetMeters(kBerlin, 2'000, 0));
    chain.Onboard({a, listener});
    for (int round = 0; round < 3; ++round) {
        chain.MineTo(chain.params.poc.beacon_bucket * (round + 1) - 1);
        const BeaconReport beacon = chain.Beacon(a, chain.Height());
        const CoverageProof p = chain.Judge1(beacon, {chain.Witness(listener, beacon)});
        EXPECT_EQ(p.witnesses[0].verdict, V(WitnessVerdict::kNoReciprocity)) << round;
        chain.Mine({}, {p});
    }
    EXPECT_EQ(chain.Share(listener), RewardShare{});
    EXPECT_FALSE(chain.Device(listener)->witnessed_height.has_value());
}

// ---- Blocks carrying proofs ----------------------------------------------------------------

class CoverageBlockTest : public CoverageTest {
protected:
    CoverageProof ValidProof() const {
        const BeaconReport b = chain.Beacon(r0, chain.Height());
        return chain.Judge1(b, {chain.Witness(r1, b), chain.Witness(r2, b)});
    }
    Block ValidBlock(std::vector<CoverageProof> proofs) const {
        auto a = chain.Assemble({}, std::move(proofs));
        EXPECT_TRUE(a.has_value()) << a.error().ToString();
        return a->block;
    }
};

TEST_F(CoverageBlockTest, ValidBlockWithProofConnects) {
    const Block b = ValidBlock({ValidProof()});
    EXPECT_ACCEPT(CheckBlockContextFree(b, chain.params, chain.sig_checker));
    EXPECT_ACCEPT(chain.Connect(b));
    EXPECT_EQ(b.header.proof_root, ComputeProofRoot(b.proofs));
    EXPECT_NE(b.header.proof_root, Hash256::Zero());
}

TEST_F(CoverageBlockTest, RecordedVerdictDiffersFromComputed) {
    const CoverageProof good = ValidProof();
    // A witness verdict, the beacon verdict, and an undefined verdict byte.
    std::vector<CoverageProof> bad(4, good);
    bad[0].witnesses[1].verdict = V(WitnessVerdict::kNoReciprocity);  // hides a valid witness
    bad[1].beacon_verdict = V(BeaconVerdict::kBucketUsed);
    bad[2].witnesses[0].verdict = 200;
    bad[3].beacon_verdict = V(BeaconVerdict::kValid);
    bad[3].witnesses[0].verdict = V(WitnessVerdict::kNotSelected);
    for (const CoverageProof& p : bad) {
        EXPECT_REJECT(chain.Assemble({}, {p}), RejectReason::kBlockBadVerdict);
        Block b = ValidBlock({good});
        b.proofs[0] = p;
        FixProofRoot(b);
        EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadVerdict);
        StateDelta delta{chain.state};
        EXPECT_REJECT(ApplyCoverageProof(p, Next(), chain.params, chain.hashes, delta),
                      RejectReason::kBlockBadVerdict);
    }
    // An invalid beacon recorded as valid (an entropy block that does not exist yet).
    CoverageProof future = chain.Judge1(chain.Beacon(r0, chain.Height() + 1), {});
    ASSERT_EQ(future.beacon_verdict, V(BeaconVerdict::kEntropyOutOfWindow));
    future.beacon_verdict = V(BeaconVerdict::kValid);
    EXPECT_REJECT(chain.Assemble({}, {future}), RejectReason::kBlockBadVerdict);
}

TEST_F(CoverageBlockTest, ForgedWitnessSignature) {
    const CoverageProof good = ValidProof();
    Block b = ValidBlock({good});
    b.proofs[0].witnesses[1].signature.bytes[7] ^= 0x01;
    FixProofRoot(b);
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadReportSignature);
    EXPECT_REJECT(CheckBlockContextFree(b, chain.params, chain.sig_checker),
                  RejectReason::kBlockBadReportSignature);
    // A witness report signed for another network.
    Block other = ValidBlock({good});
    test::SignWitness(other.proofs[0].witnesses[0], chain.radios[r1].key, good.beacon.Id(),
                      chain.params.network_id + 1);
    FixProofRoot(other);
    EXPECT_REJECT(chain.Connect(other), RejectReason::kBlockBadReportSignature);
    // Signed by a different device than the one it names.
    Block wrong_key = ValidBlock({good});
    test::SignWitness(wrong_key.proofs[0].witnesses[0], chain.radios[r2].key, good.beacon.Id(),
                      chain.params.network_id);
    FixProofRoot(wrong_key);
    EXPECT_REJECT(chain.Connect(wrong_key), RejectReason::kBlockBadReportSignature);
    // A witness whose recorded RSSI was changed after signing.
    Block changed = ValidBlock({good});
    changed.proofs[0].witnesses[0].rssi_ddbm -= 10;
    FixProofRoot(changed);
    EXPECT_REJECT(chain.Connect(changed), RejectReason::kBlockBadReportSignature);
}

TEST_F(CoverageBlockTest, ForgedBeaconSignature) {
    Block b = ValidBlock({ValidProof()});
    b.proofs[0].beacon.signature.bytes[0] ^= 0x01;
    FixProofRoot(b);
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadReportSignature);
    // A witness signature over another beacon (the beacon id is recomputed, not stored).
    const CoverageProof good = ValidProof();
    BeaconReport other = good.beacon;
    other.datarate += 1;
    Block moved = ValidBlock({good});
    test::SignWitness(moved.proofs[0].witnesses[0], chain.radios[r1].key, other.Id(),
                      chain.params.network_id);
    FixProofRoot(moved);
    EXPECT_REJECT(chain.Connect(moved), RejectReason::kBlockBadReportSignature);
}

TEST_F(CoverageBlockTest, TooManyWitnessesInAProof) {
    const uint32_t max = chain.params.poc.max_witnesses_per_proof;
    ASSERT_EQ(max, 32u);
    const BeaconReport beacon = chain.Beacon(r0, chain.Height());
    const ProofWitness w = chain.Witness(r1, beacon);
    // Exactly the maximum (duplicates, judged as such) is accepted.
    const CoverageProof at_max = chain.Judge1(beacon, std::vector<ProofWitness>(max, w));
    EXPECT_ACCEPT(chain.Assemble({}, {at_max}));
    // One more is not: in the block's shape check, and in ApplyCoverageProof itself.
    CoverageProof over = at_max;
    over.witnesses.push_back(over.witnesses.back());
    Block b = ValidBlock({at_max});
    b.proofs[0] = over;
    FixProofRoot(b);
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadProof);
    EXPECT_REJECT(CheckBlockContextFree(b, chain.params, chain.sig_checker),
                  RejectReason::kBlockBadProof);
    StateDelta delta{chain.state};
    EXPECT_REJECT(ApplyCoverageProof(over, Next(), chain.params, chain.hashes, delta),
                  RejectReason::kBlockBadProof);
    EXPECT_REJECT(chain.Assemble({}, {over}), RejectReason::kBlockBadProof);
}

TEST_F(CoverageBlockTest, DuplicateBeaconInABlock) {
    const CoverageProof p = ValidProof();
    Block b = ValidBlock({p});
    b.proofs.push_back(p);
    FixProofRoot(b);
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockDuplicateBeacon);
    EXPECT_REJECT(CheckBlockContextFree(b, chain.params, chain.sig_checker),
                  RejectReason::kBlockDuplicateBeacon);
    // The same beacon with different witnesses is still the same beacon.
    CoverageProof fewer = p;
    fewer.witnesses.pop_back();
    Block b2 = ValidBlock({p});
    b2.proofs.push_back(fewer);
    FixProofRoot(b2);
    EXPECT_REJECT(chain.Connect(b2), RejectReason::kBlockDuplicateBeacon);
}

TEST_F(CoverageBlockTest, WrongProofRoot) {
    Block b = ValidBlock({ValidProof()});
    b.header.proof_root.bytes[31] ^= 0x80;
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadProofRoot);
    // Proofs dropped from a block, or added to an empty one.
    Block dropped = ValidBlock({ValidProof()});
    dropped.proofs.clear();
    EXPECT_REJECT(chain.Connect(dropped), RejectReason::kBlockBadProofRoot);
    Block added = ValidBlock({});
    EXPECT_EQ(added.header.proof_root, Hash256::Zero());
    added.proofs.push_back(ValidProof());
    EXPECT_REJECT(chain.Connect(added), RejectReason::kBlockBadProofRoot);
    // Reordered proofs.
    const BeaconReport b1 = chain.Beacon(r1, chain.Height());  // r1 beaconed in bucket 0 already
    const BeaconReport b2 = chain.Beacon(r0, chain.Height());
    Block two = ValidBlock(chain.Judge({chain.Judge1(b1, {}), chain.Judge1(b2, {})}));
    std::swap(two.proofs[0], two.proofs[1]);
    EXPECT_REJECT(chain.Connect(two), RejectReason::kBlockBadProofRoot);
}

TEST_F(CoverageBlockTest, TooManyProofs) {
    const BeaconReport b1 = chain.Beacon(r0, chain.Height());
    const BeaconReport b2 = chain.Beacon(fresh, chain.Height());
    const Block b = ValidBlock(chain.Judge({chain.Judge1(b1, {}), chain.Judge1(b2, {})}));
    ChainParams p = chain.params;
    p.poc.max_proofs_per_block = 2;
    EXPECT_ACCEPT(ConnectBlock(b, chain.Context(p)));
    p.poc.max_proofs_per_block = 1;
    EXPECT_REJECT(ConnectBlock(b, chain.Context(p)), RejectReason::kBlockTooManyProofs);
    EXPECT_REJECT(CheckBlockContextFree(b, p, chain.sig_checker),
                  RejectReason::kBlockTooManyProofs);
}

TEST_F(CoverageBlockTest, ProofsDoNotSeeTransactionsOfTheirBlock) {
    // Proofs apply before the block's transactions: a location asserted in the same block does
    // not count for a beacon in it.
    const size_t late = chain.AddRadio(1, OffsetMeters(kBerlin, 3'000, -3'000));
    chain.Mine({chain.RegisterTx(late, chain.Nonce(chain.AccountKey(1)))});
    const Transaction locate = chain.AssertTx(late, chain.Nonce(chain.AccountKey(1)));
    const BeaconReport b = chain.Beacon(late, chain.Height());
    const CoverageProof p = chain.Judge1(b, {chain.Witness(r1, b)});
    EXPECT_EQ(p.beacon_verdict, V(BeaconVerdict::kNoLocation));
    // Recording it as valid (as if the assertion counted) is a bad verdict.
    CoverageProof claimed = p;
    claimed.beacon_verdict = V(BeaconVerdict::kValid);
    claimed.witnesses[0].verdict = V(WitnessVerdict::kValid);
    EXPECT_REJECT(chain.Assemble({locate}, {claimed}), RejectReason::kBlockBadVerdict);
    const ConnectedBlock c = chain.Mine({locate}, {p});
    EXPECT_EQ(c.proofs[0].beacon, BeaconVerdict::kNoLocation);
    ASSERT_TRUE(chain.Device(late)->location.has_value());
    // The rejected beacon left the bucket free: from the next block on the radio beacons.
    const BeaconReport again = chain.Beacon(late, chain.Height());
    ASSERT_EQ(BeaconBucket(chain.params, again.entropy_height),
              BeaconBucket(chain.params, b.entropy_height));
    EXPECT_EQ(chain.Judge1(again, {chain.Witness(r1, again)}).beacon_verdict,
              V(BeaconVerdict::kValid));
}

TEST_F(CoverageBlockTest, WitnessIsJudgedAtItsLocationBeforeTheBlocksMove) {
    // r1 moves next to r0 in the block that carries its witness report: the report is judged
    // at r1's location after the parent block, the move counts from the next block.
    chain.MineTo(2 + chain.params.poc.assert_location_interval);
    const Transaction move = test::MakeAssertTx(
        chain.radios[r1].owner, chain.RadioKey(r1), OffsetMeters(kBerlin, 100, 0), test::kGain,
        test::kEU868, chain.Nonce(chain.AccountKey(1)), chain.params.network_id);
    const BeaconReport b = chain.Beacon(r0, chain.Height());
    const CoverageProof p = chain.Judge1(b, {chain.Witness(r1, b)});
    EXPECT_EQ(p.witnesses[0].verdict, V(WitnessVerdict::kValid));
    chain.Mine({move}, {p});
    EXPECT_EQ(chain.Device(r1)->location->position, OffsetMeters(kBerlin, 100, 0));
    // Now 100 m from r0: too close to witness r0's beacons of a later bucket.
    chain.MineTo(20);
    const BeaconReport later = chain.Beacon(r0, chain.Height());
    EXPECT_EQ(chain.Evaluate(later, {chain.Witness(r1, later)}).witnesses[0],
              WitnessVerdict::kTooClose);
}

// ---- Density scale in the units ------------------------------------------------------------

TEST_F(CoverageTest, EmptyDensityMapScalesByOne) {
    // Before the first epoch's end there is no map and every scale is 1.0 (the clipped case is
    // in epoch_rewards_tests.cpp).
    EXPECT_EQ(rewards::DensityScaleAt(chain.state, chain.params.poc.density, kBerlin), kUnitOne);
    EXPECT_TRUE(rewards::ReadDensityMap(chain.state).empty());
}

}  // namespace
}  // namespace cairn::consensus
