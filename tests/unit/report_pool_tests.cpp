// ReportPool admission (every refusal code), the readiness window of ProofsForBlock, the
// witnesses it puts in a proof and their verdicts, UpdateForBlock; and the report-signature
// part of BlockSignatureChecker and VerifyReportWithCache.
//
// The pool runs against a consensus::MemoryState whose devices are written directly (through
// StateDelta + WriteDevice), so each test states exactly the ledger facts it depends on, and
// against a MemoryBlockHashes holding a made-up hash for every height 0..kHashedHeights.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "consensus/block_check.h"
#include "consensus/devices/device_record.h"
#include "consensus/memory_state.h"
#include "consensus/merkle.h"
#include "consensus/poc/beacon.h"
#include "consensus/poc/coverage_verifier.h"
#include "depin_test_util.h"
#include "node/report_pool.h"
#include "node/signature_cache.h"

namespace cairn::test {
namespace {

using consensus::BeaconVerdict;
using consensus::WitnessVerdict;
using consensus::poc::LatLon;

constexpr uint64_t kHashedHeights = 60;

using SubmitResult = Result<ReportAccepted, ReportReject>;

// "accepted", or the refusal's code.
std::string Code(const SubmitResult& r) {
    return r.has_value() ? std::string{"accepted"} : r.error().code;
}
// The refusal's detail ("" when accepted).
std::string Detail(const SubmitResult& r) {
    return r.has_value() ? std::string{} : r.error().detail;
}

// The cache key VerifyReportWithCache uses.
Hash256 ReportCacheKey(const PubKey& device, const Hash256& sighash, const Signature& sig) {
    Writer w;
    w.Fixed(device.bytes);
    w.Fixed(sighash.bytes);
    w.Fixed(sig.bytes);
    return Sha256(w.Data());
}

struct TestRadio {
    SecretKey key;
    PubKey pub;
    std::optional<LatLon> position;
    uint8_t region{kEU868};
};

class ReportPoolTest : public ::testing::Test {
protected:
    ReportPoolTest() : params{consensus::DefaultParams(Network::kDevnet)} {
        for (uint64_t h = 0; h <= kHashedHeights; ++h) {
            const uint8_t byte[1] = {static_cast<uint8_t>(h)};
            hashes.hashes[h] = TaggedHash("ReportPoolTest/Block", byte);
        }
    }

    // Writes a radio record for TestKey(key_index): located at `pos` (unless nullopt), with the
    // given coverage history. Returns the radio.
    TestRadio AddRadio(uint64_t key_index, std::optional<LatLon> pos,
                       std::optional<uint64_t> witnessed_height = std::nullopt,
                       std::optional<uint64_t> last_bucket = std::nullopt,
                       uint8_t region = kEU868) {
        TestRadio r{TestKey(key_index), TestKey(key_index).GetPubKey(), pos, region};
        consensus::DeviceRecord rec;
        rec.device_class = consensus::DeviceClass::kRadio;
        rec.owner = TestPubKey(0);
        rec.registered_height = 1;
        if (pos) rec.location = consensus::AssertedLocation{*pos, kGain, region, 2};
        rec.witnessed_height = witnessed_height;
        rec.last_beacon_bucket = last_bucket;
        consensus::StateDelta delta{state};
        consensus::WriteDevice(delta, r.pub, rec);
        state.Apply(delta.Changes(), delta.EntryChanges());
        return r;
    }

    // A correctly derived, signed beacon of `r` seeded by block `e`.
    BeaconReport Beacon(const TestRadio& r, uint64_t e, int16_t tx_power = kTxPower) const {
        const consensus::RadioRegion* region = consensus::FindRegion(params.poc, r.region);
        const consensus::poc::BeaconChallenge c = consensus::poc::DeriveBeacon(
            hashes.HashAtHeight(e).value_or(Hash256::Zero()), r.pub, *region);
        BeaconReport b;
        b.beaconer = r.pub;
        b.entropy_height = e;
        b.payload = c.payload;
        b.frequency_hz = c.frequency_hz;
        b.channel = c.channel;
        b.datarate = 5;
        b.tx_power_ddbm = tx_power;
        SignBeacon(b, r.key, params.network_id);
        return b;
    }

    // The strongest RSSI free space allows between `from`'s beacon `b` and `to`.
    static int64_t Bound(const BeaconReport& b, const TestRadio& from, const TestRadio& to) {
        return RssiBoundDdbm(b, *from.position, kGain, *to.position, kGain);
    }

    // `w`'s signed report on `b`: 5 dB under the free-space bound when both are located
    // (-100 dBm otherwise), unless `rssi` is given.
    WitnessReport Witness(const TestRadio& w, const BeaconReport& b, const TestRadio& beaconer,
                          std::optional<int16_t> rssi = std::nullopt,
                          std::optional<uint32_t> frequency = std::nullopt) const {
        WitnessReport r;
        r.witness = w.pub;
        r.beacon_id = b.Id();
        if (rssi) {
            r.rssi_ddbm = *rssi;
        } else if (w.position && beaconer.position) {
            r.rssi_ddbm = static_cast<int16_t>(Bound(b, beaconer, w) - 50);
        } else {
            r.rssi_ddbm = -1000;
        }
        r.snr_ddb = kSnr;
        r.frequency_hz = frequency.value_or(b.frequency_hz);
        r.signature = w.key.Sign(r.SigHash(params.network_id), kTestAux);
        return r;
    }

    SubmitResult Submit(ReportPool& p, const Report& r, uint64_t tip) {
        return p.Submit(r, state, hashes, tip);
    }

    // A fresh EvaluateProof of exactly the proof's beacon and witnesses.
    consensus::ProofEvaluation Fresh(const CoverageProof& p, uint64_t height,
                                     const consensus::StateView& view) const {
        return consensus::EvaluateProof(p.beacon, p.witnesses, height, params, hashes, view);
    }

    // Expects the proof's recorded verdicts to be exactly `ev`'s.
    static void ExpectVerdictsOf(const CoverageProof& p, const consensus::ProofEvaluation& ev) {
        EXPECT_EQ(p.beacon_verdict, static_cast<uint8_t>(ev.beacon));
        ASSERT_EQ(p.witnesses.size(), ev.witnesses.size());
        for (size_t i = 0; i < p.witnesses.size(); ++i) {
            EXPECT_EQ(p.witnesses[i].verdict, static_cast<uint8_t>(ev.witnesses[i]))
                << "witness " << i;
        }
    }

    static Block BlockAt(uint64_t height, std::vector<CoverageProof> proofs = {}) {
        Block b;
        b.header.height = height;
        b.proofs = std::move(proofs);
        return b;
    }

    std::vector<CoverageProof> Proofs(const ReportPool& p, uint64_t height,
                                      size_t max_proofs = 1000,
                                      size_t max_bytes = 1'000'000) const {
        return p.ProofsForBlock(height, state, hashes, max_proofs, max_bytes);
    }

    consensus::ChainParams params;
    consensus::MemoryState state;
    consensus::MemoryBlockHashes hashes;
    SignatureCache cache;
    ReportPool pool{params, ReportPool::Options{}, &cache};
};

LatLon North(double metres) {
    return OffsetMeters(kBerlin, metres, 0);
}

// ---------------------------------------------------------------------------------------------
// Admission.

TEST_F(ReportPoolTest, AcceptsValidBeaconAndWitnesses) {
    const TestRadio a = AddRadio(2001, kBerlin);
    const TestRadio b = AddRadio(2002, North(2000), 5);
    const TestRadio c = AddRadio(2003, North(3000));
    const BeaconReport beacon = Beacon(a, 10);

    auto r = Submit(pool, beacon, 10);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_EQ(r->beacon_id, beacon.Id());
    EXPECT_EQ(pool.Info().beacons, 1u);
    EXPECT_EQ(pool.Info().witnesses, 0u);

    for (const TestRadio* w : {&b, &c}) {
        auto wr = Submit(pool, Witness(*w, beacon, a), 11);
        ASSERT_TRUE(wr.has_value()) << wr.error().ToString();
        EXPECT_EQ(wr->beacon_id, beacon.Id());
    }
    EXPECT_EQ(pool.Info().beacons, 1u);
    EXPECT_EQ(pool.Info().witnesses, 2u);

    // The signatures checked on arrival are remembered for block validation.
    EXPECT_TRUE(cache.Contains(
        ReportCacheKey(beacon.beaconer, beacon.SigHash(params.network_id), beacon.signature)));
    const WitnessReport wb = Witness(b, beacon, a);
    EXPECT_TRUE(
        cache.Contains(ReportCacheKey(wb.witness, wb.SigHash(params.network_id), wb.signature)));
}

TEST_F(ReportPoolTest, RefusesUnknownDevice) {
    const TestRadio a = AddRadio(2001, kBerlin);
    const TestRadio stranger{TestKey(2099), TestPubKey(2099), North(2000), kEU868};
    const BeaconReport own = Beacon(stranger, 10);
    auto r = Submit(pool, own, 10);
    EXPECT_EQ(Code(r), "report-unknown-device");
    EXPECT_EQ(Detail(r), stranger.pub.Hex());

    const BeaconReport beacon = Beacon(a, 10);
    ASSERT_EQ(Code(Submit(pool, beacon, 10)), "accepted");
    EXPECT_EQ(Code(Submit(pool, Witness(stranger, beacon, a), 10)), "report-unknown-device");
    EXPECT_EQ(pool.Info().beacons, 1u);
    EXPECT_EQ(pool.Info().witnesses, 0u);
}

TEST_F(ReportPoolTest, RefusesBadSignatures) {
    const TestRadio a = AddRadio(2001, kBerlin);
    const TestRadio b = AddRadio(2002, North(2000));
    BeaconReport forged = Beacon(a, 10);
    forged.signature.bytes[7] ^= 0x01;
    EXPECT_EQ(Code(Submit(pool, forged, 10)), "report-bad-signature");

    // Signed by another device's key.
    BeaconReport wrong_key = Beacon(a, 10);
    SignBeacon(wrong_key, b.key, params.network_id);
    EXPECT_EQ(Code(Submit(pool, wrong_key, 10)), "report-bad-signature");

    // Signed for another network.
    BeaconReport other_net = Beacon(a, 10);
    SignBeacon(other_net, a.key, params.network_id + 1);
    EXPECT_EQ(Code(Submit(pool, other_net, 10)), "report-bad-signature");

    // A signed field changed after signing.
    BeaconReport changed = Beacon(a, 10);
    changed.tx_power_ddbm -= 10;
    EXPECT_EQ(Code(Submit(pool, changed, 10)), "report-bad-signature");
    EXPECT_EQ(pool.Info().beacons, 0u);

    const BeaconReport beacon = Beacon(a, 10);
    ASSERT_EQ(Code(Submit(pool, beacon, 10)), "accepted");
    WitnessReport w = Witness(b, beacon, a);
    w.rssi_ddbm += 1;
    EXPECT_EQ(Code(Submit(pool, w, 10)), "report-bad-signature");
    WitnessReport w2 = Witness(b, beacon, a);
    w2.signature.bytes[40] ^= 0x80;
    EXPECT_EQ(Code(Submit(pool, w2, 10)), "report-bad-signature");
    EXPECT_EQ(pool.Info().witnesses, 0u);
    // The honest report still goes in.
    EXPECT_EQ(Code(Submit(pool, Witness(b, beacon, a), 10)), "accepted");
}

TEST_F(ReportPoolTest, RefusesUnknownEntropy) {
    const TestRadio a = AddRadio(2001, kBerlin);
    // Entropy above the tip.
    auto r = Submit(pool, Beacon(a, 11), 10);
    EXPECT_EQ(Code(r), "report-entropy-unknown");
    EXPECT_EQ(Detail(r), "no block at 11");
    // At or below the tip but with no block hash known.
    hashes.hashes.erase(9);
    EXPECT_EQ(Code(Submit(pool, Beacon(a, 9), 10)), "report-entropy-unknown");
    EXPECT_EQ(pool.Info().beacons, 0u);
    // The tip itself is fine.
    EXPECT_EQ(Code(Submit(pool, Beacon(a, 10), 10)), "accepted");
}

TEST_F(ReportPoolTest, RefusesExpiredEntropy) {
    ASSERT_EQ(params.poc.entropy_window, 6u);
    const TestRadio a = AddRadio(2001, kBerlin);
    const TestRadio b = AddRadio(2002, North(2000));
    // The next block (tip + 1) must be at most e + W: e = 10 is last usable at tip 15.
    auto r = Submit(pool, Beacon(a, 10), 16);
    EXPECT_EQ(Code(r), "report-entropy-expired");
    EXPECT_EQ(Detail(r), "entropy height 10, tip 16");
    EXPECT_EQ(Code(Submit(pool, Beacon(a, 10), 30)), "report-entropy-expired");
    EXPECT_EQ(Code(Submit(pool, Beacon(b, 10), 15)), "accepted");
    EXPECT_EQ(pool.Info().beacons, 1u);
}

TEST_F(ReportPoolTest, RefusesBucketUsedOnLedger) {
    ASSERT_EQ(params.poc.beacon_bucket, 10u);
    // The ledger says the radio's latest counted beacon was in bucket 1 (heights 10..19).
    const TestRadio a = AddRadio(2001, kBerlin, std::nullopt, 1);
    auto r = Submit(pool, Beacon(a, 15), 20);
    EXPECT_EQ(Code(r), "beacon-bucket-used");
    EXPECT_EQ(Detail(r), "bucket 1");
    EXPECT_EQ(Code(Submit(pool, Beacon(a, 19), 20)), "beacon-bucket-used");
    // An earlier bucket is used too.
    EXPECT_EQ(Code(Submit(pool, Beacon(a, 9), 12)), "beacon-bucket-used");
    EXPECT_EQ(pool.Info().beacons, 0u);
    // The next bucket is free.
    EXPECT_EQ(Code(Submit(pool, Beacon(a, 20), 20)), "accepted");
}

TEST_F(ReportPoolTest, TwoBeaconsOfOneDeviceInOneBucketCannotBothBePooled) {
    const TestRadio a = AddRadio(2001, kBerlin);
    const TestRadio b = AddRadio(2002, North(2000));
    const BeaconReport first = Beacon(a, 10);
    ASSERT_EQ(Code(Submit(pool, first, 12)), "accepted");
    for (uint64_t e : {11u, 12u}) {
        auto r = Submit(pool, Beacon(a, e), 12);
        EXPECT_EQ(Code(r), "beacon-bucket-used") << e;
        EXPECT_EQ(Detail(r), "a beacon of this bucket is pooled");
    }
    // The same beacon again is a duplicate, not a bucket refusal.
    EXPECT_EQ(Code(Submit(pool, first, 12)), "report-duplicate");
    // Another device in the same bucket, and the same device in the next bucket, are fine.
    EXPECT_EQ(Code(Submit(pool, Beacon(b, 11), 12)), "accepted");
    EXPECT_EQ(Code(Submit(pool, Beacon(a, 20), 20)), "accepted");
    EXPECT_EQ(pool.Info().beacons, 3u);
}

TEST_F(ReportPoolTest, RefusesDuplicates) {
    const TestRadio a = AddRadio(2001, kBerlin);
    const TestRadio b = AddRadio(2002, North(2000));
    const BeaconReport beacon = Beacon(a, 10);
    ASSERT_EQ(Code(Submit(pool, beacon, 10)), "accepted");
    EXPECT_EQ(Code(Submit(pool, beacon, 11)), "report-duplicate");
    ASSERT_EQ(Code(Submit(pool, Witness(b, beacon, a), 11)), "accepted");
    EXPECT_EQ(Code(Submit(pool, Witness(b, beacon, a), 11)), "report-duplicate");
    // One report per witness device and beacon, whatever it says.
    EXPECT_EQ(Code(Submit(pool, Witness(b, beacon, a, -1100), 11)), "report-duplicate");
    EXPECT_EQ(pool.Info().beacons, 1u);
    EXPECT_EQ(pool.Info().witnesses, 1u);
}

TEST_F(ReportPoolTest, RefusesWhenFull) {
    ReportPool small{params, ReportPool::Options{2, 2}, nullptr};
    std::vector<TestRadio> radios;
    for (uint64_t i = 0; i < 6; ++i) radios.push_back(AddRadio(2001 + i, North(1000.0 * i)));
    const BeaconReport b0 = Beacon(radios[0], 10);
    ASSERT_EQ(Code(Submit(small, b0, 10)), "accepted");
    ASSERT_EQ(Code(Submit(small, Beacon(radios[1], 10), 10)), "accepted");
    auto r = Submit(small, Beacon(radios[2], 10), 10);
    EXPECT_EQ(Code(r), "report-pool-full");
    // A duplicate is still reported as such when full.
    EXPECT_EQ(Code(Submit(small, b0, 10)), "report-duplicate");

    ASSERT_EQ(Code(Submit(small, Witness(radios[3], b0, radios[0]), 10)), "accepted");
    ASSERT_EQ(Code(Submit(small, Witness(radios[4], b0, radios[0]), 10)), "accepted");
    auto w = Submit(small, Witness(radios[5], b0, radios[0]), 10);
    EXPECT_EQ(Code(w), "report-pool-full");
    EXPECT_EQ(Detail(w), "beacon has the most witnesses the pool keeps");
    EXPECT_EQ(small.Info().beacons, 2u);
    EXPECT_EQ(small.Info().witnesses, 2u);

    // Room frees up when a beacon goes.
    small.UpdateForBlock(BlockAt(13, {CoverageProof{b0, 0, {}}}));
    EXPECT_EQ(small.Info().beacons, 1u);
    EXPECT_EQ(small.Info().witnesses, 0u);
    EXPECT_EQ(Code(Submit(small, Beacon(radios[2], 10), 13)), "accepted");
}

TEST_F(ReportPoolTest, RefusesWitnessOfUnknownBeacon) {
    const TestRadio a = AddRadio(2001, kBerlin);
    const TestRadio b = AddRadio(2002, North(2000));
    const BeaconReport beacon = Beacon(a, 10);  // never submitted
    auto r = Submit(pool, Witness(b, beacon, a), 10);
    EXPECT_EQ(Code(r), "report-unknown-beacon");
    EXPECT_EQ(Detail(r), beacon.Id().Hex());
    EXPECT_EQ(pool.Info().witnesses, 0u);
}

// ---------------------------------------------------------------------------------------------
// ProofsForBlock.

TEST_F(ReportPoolTest, ReadinessWindowEdges) {
    // W = 6: a beacon with entropy e is ready from e + 3 through e + 6.
    const TestRadio a = AddRadio(2001, kBerlin);
    const TestRadio b = AddRadio(2002, North(2000));
    const BeaconReport beacon = Beacon(a, 10);
    ASSERT_EQ(Code(Submit(pool, beacon, 10)), "accepted");
    ASSERT_EQ(Code(Submit(pool, Witness(b, beacon, a), 10)), "accepted");
    for (uint64_t h = 10; h <= 18; ++h) {
        const auto proofs = Proofs(pool, h);
        const bool ready = h >= 13 && h <= 16;
        ASSERT_EQ(proofs.size(), ready ? 1u : 0u) << "height " << h;
        if (!ready) continue;
        EXPECT_EQ(proofs[0].beacon, beacon);
        ASSERT_EQ(proofs[0].witnesses.size(), 1u);
        EXPECT_EQ(proofs[0].witnesses[0].witness, b.pub);
        EXPECT_EQ(proofs[0].beacon_verdict, static_cast<uint8_t>(BeaconVerdict::kValid));
        // b has never had a beacon witnessed: physically fine, but no reciprocity.
        EXPECT_EQ(proofs[0].witnesses[0].verdict,
                  static_cast<uint8_t>(WitnessVerdict::kNoReciprocity));
    }
    // ProofsForBlock does not consume anything.
    EXPECT_EQ(pool.Info().beacons, 1u);
    EXPECT_EQ(pool.Info().witnesses, 1u);
}

TEST_F(ReportPoolTest, ReadinessWaitsAtLeastOneBlock) {
    // W = 1: wait = max(1, 0) = 1, so the only block that may carry the proof is e + 1.
    params.poc.entropy_window = 1;
    const TestRadio a = AddRadio(2001, kBerlin);
    ASSERT_EQ(Code(Submit(pool, Beacon(a, 10), 10)), "accepted");
    EXPECT_EQ(Proofs(pool, 10).size(), 0u);
    EXPECT_EQ(Proofs(pool, 11).size(), 1u);
    EXPECT_EQ(Proofs(pool, 12).size(), 0u);

    // W = 7: wait = 3; ready e + 3 .. e + 7.
    params.poc.entropy_window = 7;
    for (uint64_t h = 10; h <= 19; ++h) {
        EXPECT_EQ(Proofs(pool, h).size(), h >= 13 && h <= 17 ? 1u : 0u) << "height " << h;
    }
}

TEST_F(ReportPoolTest, OldestEntropyFirstAndLimits) {
    const TestRadio a = AddRadio(2001, kBerlin);
    const TestRadio b = AddRadio(2002, North(2000));
    const TestRadio c = AddRadio(2003, North(4000));
    const BeaconReport bc = Beacon(c, 12);
    const BeaconReport ba = Beacon(a, 10);
    const BeaconReport bb = Beacon(b, 11);
    for (const BeaconReport* x : {&bc, &ba, &bb}) ASSERT_EQ(Code(Submit(pool, *x, 12)), "accepted");

    auto all = Proofs(pool, 15);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].beacon, ba);
    EXPECT_EQ(all[1].beacon, bb);
    EXPECT_EQ(all[2].beacon, bc);
    // At 14 only e = 10 and e = 11 are ready; at 17 only e = 11 and e = 12 are in window.
    auto at14 = Proofs(pool, 14);
    ASSERT_EQ(at14.size(), 2u);
    EXPECT_EQ(at14[0].beacon, ba);
    EXPECT_EQ(at14[1].beacon, bb);
    auto at17 = Proofs(pool, 17);
    ASSERT_EQ(at17.size(), 2u);
    EXPECT_EQ(at17[0].beacon, bb);
    EXPECT_EQ(at17[1].beacon, bc);

    // max_proofs keeps the oldest.
    auto one = Proofs(pool, 15, 1);
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0].beacon, ba);
    EXPECT_EQ(Proofs(pool, 15, 0).size(), 0u);

    // max_bytes: exactly the first proof's size fits one, one byte less fits none.
    Writer w;
    all[0].Serialize(w);
    const size_t first = w.Data().size();
    EXPECT_EQ(Proofs(pool, 15, 1000, first).size(), 1u);
    EXPECT_EQ(Proofs(pool, 15, 1000, first - 1).size(), 0u);
    Writer w2;
    all[1].Serialize(w2);
    EXPECT_EQ(Proofs(pool, 15, 1000, first + w2.Data().size()).size(), 2u);
}

TEST_F(ReportPoolTest, VerdictsEqualFreshEvaluation) {
    // The beaconer, and one witness for each verdict the pool can see.
    const TestRadio bc = AddRadio(2001, kBerlin);
    const uint64_t height = 14;
    const TestRadio valid = AddRadio(2002, North(2000), height - 5);
    const TestRadio no_recip = AddRadio(2003, North(2500));
    const TestRadio too_close = AddRadio(2004, North(100), height - 5);
    const TestRadio too_far = AddRadio(2005, North(150'000), height - 5);
    const TestRadio wrong_region = AddRadio(2006, North(3000), height - 5, std::nullopt, kUS915);
    const TestRadio bad_freq = AddRadio(2007, North(3500), height - 5);
    const TestRadio too_loud = AddRadio(2008, North(4000), height - 5);
    const TestRadio unlocated = AddRadio(2009, std::nullopt, height - 5);

    const BeaconReport beacon = Beacon(bc, 10);
    ASSERT_EQ(Code(Submit(pool, beacon, 11)), "accepted");
    std::vector<WitnessReport> reports{
        Witness(valid, beacon, bc),
        Witness(no_recip, beacon, bc),
        Witness(too_close, beacon, bc),
        Witness(too_far, beacon, bc, -1400),
        Witness(wrong_region, beacon, bc, -1000),
        Witness(bad_freq, beacon, bc, std::nullopt, beacon.frequency_hz + 100'001),
        Witness(too_loud, beacon, bc, static_cast<int16_t>(Bound(beacon, bc, too_loud) + 1)),
        Witness(unlocated, beacon, bc),
        Witness(bc, beacon, bc, -500),  // its own beacon
    };
    for (const WitnessReport& r : reports) ASSERT_EQ(Code(Submit(pool, r, 11)), "accepted");
    EXPECT_EQ(pool.Info().witnesses, 9u);

    auto proofs = Proofs(pool, height);
    ASSERT_EQ(proofs.size(), 1u);
    const CoverageProof& p = proofs[0];
    EXPECT_EQ(p.beacon, beacon);
    ASSERT_EQ(p.witnesses.size(), 9u);
    // The one rewarded witness comes first; the rest follow in key order.
    EXPECT_EQ(p.witnesses[0].witness, valid.pub);
    EXPECT_EQ(p.witnesses[0].verdict, static_cast<uint8_t>(WitnessVerdict::kValid));
    for (size_t i = 2; i < p.witnesses.size(); ++i) {
        EXPECT_LT(p.witnesses[i - 1].witness, p.witnesses[i].witness) << i;
    }
    // Every witness carries its report's fields and signature.
    for (const ProofWitness& w : p.witnesses) {
        auto it = std::find_if(reports.begin(), reports.end(),
                               [&](const WitnessReport& r) { return r.witness == w.witness; });
        ASSERT_NE(it, reports.end());
        EXPECT_EQ(w.ToReport(beacon.Id()), *it);
    }

    const consensus::ProofEvaluation ev = Fresh(p, height, state);
    ExpectVerdictsOf(p, ev);
    EXPECT_EQ(ev.beacon, BeaconVerdict::kValid);
    EXPECT_EQ(ev.rewarded, 1u);
    std::map<PubKey, WitnessVerdict> expected{
        {valid.pub, WitnessVerdict::kValid},
        {no_recip.pub, WitnessVerdict::kNoReciprocity},
        {too_close.pub, WitnessVerdict::kTooClose},
        {too_far.pub, WitnessVerdict::kTooFar},
        {wrong_region.pub, WitnessVerdict::kWrongRegion},
        {bad_freq.pub, WitnessVerdict::kBadFrequency},
        {too_loud.pub, WitnessVerdict::kRssiTooHigh},
        {unlocated.pub, WitnessVerdict::kNoLocation},
        {bc.pub, WitnessVerdict::kSelfWitness},
    };
    for (const ProofWitness& w : p.witnesses) {
        EXPECT_EQ(w.verdict, static_cast<uint8_t>(expected.at(w.witness)))
            << consensus::WitnessVerdictCode(
                   consensus::WitnessVerdictFromByte(w.verdict).value_or(WitnessVerdict::kValid));
    }
    // The proof applies as a block would check it.
    consensus::StateDelta delta{state};
    EXPECT_TRUE(consensus::ApplyCoverageProof(p, height, params, hashes, delta).has_value());
}

TEST_F(ReportPoolTest, InvalidBeaconStillMakesAProof) {
    // Too loud for EU868 (EIRP 150 + 20 > 160): judged, not refused.
    const TestRadio a = AddRadio(2001, kBerlin);
    const TestRadio b = AddRadio(2002, North(2000), 8);
    const BeaconReport loud = Beacon(a, 10, 150);
    ASSERT_EQ(Code(Submit(pool, loud, 10)), "accepted");
    ASSERT_EQ(Code(Submit(pool, Witness(b, loud, a), 10)), "accepted");
    auto proofs = Proofs(pool, 13);
    ASSERT_EQ(proofs.size(), 1u);
    EXPECT_EQ(proofs[0].beacon_verdict, static_cast<uint8_t>(BeaconVerdict::kTxPowerTooHigh));
    ASSERT_EQ(proofs[0].witnesses.size(), 1u);
    EXPECT_EQ(proofs[0].witnesses[0].verdict, static_cast<uint8_t>(WitnessVerdict::kBeaconInvalid));
    ExpectVerdictsOf(proofs[0], Fresh(proofs[0], 13, state));
}

TEST_F(ReportPoolTest, LaterProofsSeeEarlierProofsEffects) {
    // x beacons (e = 10) heard by y; z beacons (e = 11) heard by x. x has no witnessed beacon
    // in the ledger, but x's own proof earlier in the same block gives it one.
    const uint64_t height = 14;
    const TestRadio x = AddRadio(2001, kBerlin);
    const TestRadio y = AddRadio(2002, North(2000));
    const TestRadio z = AddRadio(2003, North(-3000));
    const BeaconReport bx = Beacon(x, 10);
    const BeaconReport bz = Beacon(z, 11);
    ASSERT_EQ(Code(Submit(pool, bz, 11)), "accepted");
    ASSERT_EQ(Code(Submit(pool, bx, 11)), "accepted");
    ASSERT_EQ(Code(Submit(pool, Witness(y, bx, x), 11)), "accepted");
    ASSERT_EQ(Code(Submit(pool, Witness(x, bz, z), 11)), "accepted");

    auto proofs = Proofs(pool, height);
    ASSERT_EQ(proofs.size(), 2u);
    ASSERT_EQ(proofs[0].beacon, bx);
    ASSERT_EQ(proofs[1].beacon, bz);
    EXPECT_EQ(proofs[0].witnesses.at(0).verdict,
              static_cast<uint8_t>(WitnessVerdict::kNoReciprocity));
    EXPECT_EQ(proofs[1].witnesses.at(0).verdict, static_cast<uint8_t>(WitnessVerdict::kValid));

    // Judged on the ledger alone, x would lack reciprocity in z's proof.
    EXPECT_EQ(Fresh(proofs[1], height, state).witnesses.at(0), WitnessVerdict::kNoReciprocity);
    // Judged in turn, as a block is, each proof's verdicts are the recorded ones.
    consensus::StateDelta delta{state};
    for (const CoverageProof& p : proofs) {
        ExpectVerdictsOf(p, Fresh(p, height, delta));
        EXPECT_TRUE(consensus::ApplyCoverageProof(p, height, params, hashes, delta).has_value());
    }
}

TEST_F(ReportPoolTest, ManyWitnessesValidFirstCappedAtProofLimit) {
    ASSERT_EQ(params.poc.max_witnesses_per_proof, 32u);
    ASSERT_EQ(params.poc.max_rewarded_witnesses, 14u);
    const uint64_t e = 10;
    const uint64_t height = 13;
    const TestRadio bc = AddRadio(2001, kBerlin);
    // 20 witnesses with reciprocity (14 rewarded, 6 not selected) and 45 without.
    std::vector<TestRadio> recip, plain;
    for (uint64_t i = 0; i < 20; ++i)
        recip.push_back(AddRadio(3000 + i, North(1000 + 50.0 * i), 5));
    for (uint64_t i = 0; i < 45; ++i) plain.push_back(AddRadio(3100 + i, North(1000 + 40.0 * i)));
    const BeaconReport beacon = Beacon(bc, e);
    ASSERT_EQ(Code(Submit(pool, beacon, e)), "accepted");
    std::vector<const TestRadio*> all;
    for (const TestRadio& r : recip) all.push_back(&r);
    for (const TestRadio& r : plain) all.push_back(&r);
    // The pool keeps 64 witnesses per beacon: the 65th (the last of `plain`) is refused.
    for (size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(Code(Submit(pool, Witness(*all[i], beacon, bc), e)),
                  i < 64 ? "accepted" : "report-pool-full")
            << i;
    }
    EXPECT_EQ(pool.Info().witnesses, 64u);

    // Expected: the 14 recip witnesses with the smallest selection keys (key order), then the
    // other 6 recip (key order), then the 12 smallest keys of the 44 pooled plain ones.
    const Hash256 entropy = *hashes.HashAtHeight(e);
    std::vector<PubKey> by_selection;
    for (const TestRadio& r : recip) by_selection.push_back(r.pub);
    std::sort(by_selection.begin(), by_selection.end(), [&](const PubKey& a, const PubKey& b) {
        return WitnessSelectionKey(entropy, a) < WitnessSelectionKey(entropy, b);
    });
    std::vector<PubKey> selected(by_selection.begin(), by_selection.begin() + 14);
    std::vector<PubKey> not_selected(by_selection.begin() + 14, by_selection.end());
    std::sort(selected.begin(), selected.end());
    std::sort(not_selected.begin(), not_selected.end());
    std::vector<PubKey> rest;
    for (size_t i = 0; i + 1 < plain.size(); ++i) rest.push_back(plain[i].pub);
    std::sort(rest.begin(), rest.end());
    rest.resize(12);
    std::vector<PubKey> expected = selected;
    expected.insert(expected.end(), not_selected.begin(), not_selected.end());
    expected.insert(expected.end(), rest.begin(), rest.end());

    auto proofs = Proofs(pool, height);
    ASSERT_EQ(proofs.size(), 1u);
    const CoverageProof& p = proofs[0];
    ASSERT_EQ(p.witnesses.size(), 32u);
    std::vector<PubKey> got;
    for (const ProofWitness& w : p.witnesses) got.push_back(w.witness);
    EXPECT_EQ(got, expected);
    for (size_t i = 0; i < 32; ++i) {
        const WitnessVerdict v = i < 14   ? WitnessVerdict::kValid
                                 : i < 20 ? WitnessVerdict::kNotSelected
                                          : WitnessVerdict::kNoReciprocity;
        EXPECT_EQ(p.witnesses[i].verdict, static_cast<uint8_t>(v)) << i;
    }
    const consensus::ProofEvaluation ev = Fresh(p, height, state);
    ExpectVerdictsOf(p, ev);
    EXPECT_EQ(ev.rewarded, 14u);
    consensus::StateDelta delta{state};
    EXPECT_TRUE(consensus::ApplyCoverageProof(p, height, params, hashes, delta).has_value());
}

// ---------------------------------------------------------------------------------------------
// UpdateForBlock.

TEST_F(ReportPoolTest, UpdateForBlockRemovesIncludedBeaconsById) {
    const TestRadio a = AddRadio(2001, kBerlin);
    const TestRadio b = AddRadio(2002, North(2000));
    const TestRadio c = AddRadio(2003, North(4000));
    const BeaconReport ba = Beacon(a, 10);
    const BeaconReport bb = Beacon(b, 10);
    ASSERT_EQ(Code(Submit(pool, ba, 10)), "accepted");
    ASSERT_EQ(Code(Submit(pool, bb, 10)), "accepted");
    ASSERT_EQ(Code(Submit(pool, Witness(b, ba, a), 10)), "accepted");
    ASSERT_EQ(Code(Submit(pool, Witness(c, ba, a), 10)), "accepted");
    ASSERT_EQ(Code(Submit(pool, Witness(c, bb, b), 10)), "accepted");
    EXPECT_EQ(pool.Info().beacons, 2u);
    EXPECT_EQ(pool.Info().witnesses, 3u);

    // A block with a different beacon of a (another entropy height, same bucket) removes
    // nothing: beacons are matched by id.
    pool.UpdateForBlock(BlockAt(13, {CoverageProof{Beacon(a, 11), 0, {}}}));
    EXPECT_EQ(pool.Info().beacons, 2u);
    EXPECT_EQ(pool.Info().witnesses, 3u);

    pool.UpdateForBlock(BlockAt(14, {CoverageProof{ba, 0, {}}}));
    EXPECT_EQ(pool.Info().beacons, 1u);
    EXPECT_EQ(pool.Info().witnesses, 1u);
    auto proofs = Proofs(pool, 15);
    ASSERT_EQ(proofs.size(), 1u);
    EXPECT_EQ(proofs[0].beacon, bb);

    // A witness for the removed beacon now names an unknown beacon.
    const TestRadio d = AddRadio(2004, North(6000));
    auto r = Submit(pool, Witness(d, ba, a), 14);
    EXPECT_EQ(Code(r), "report-unknown-beacon");
    EXPECT_EQ(Detail(r), ba.Id().Hex());
    EXPECT_EQ(Code(Submit(pool, Witness(b, ba, a), 14)), "report-unknown-beacon");

    // The device's bucket slot is free again (the ledger, not updated here, has no bucket).
    EXPECT_EQ(Code(Submit(pool, Beacon(a, 12), 14)), "accepted");
    EXPECT_EQ(pool.Info().beacons, 2u);
    // b's slot in bucket 1 is still held.
    EXPECT_EQ(Code(Submit(pool, Beacon(b, 12), 14)), "beacon-bucket-used");
}

TEST_F(ReportPoolTest, UpdateForBlockRemovesExpiredBeacons) {
    const TestRadio a = AddRadio(2001, kBerlin);
    const TestRadio b = AddRadio(2002, North(2000));
    const TestRadio c = AddRadio(2003, North(4000));
    const BeaconReport ba = Beacon(a, 10);
    const BeaconReport bb = Beacon(b, 12);
    ASSERT_EQ(Code(Submit(pool, ba, 12)), "accepted");
    ASSERT_EQ(Code(Submit(pool, bb, 12)), "accepted");
    ASSERT_EQ(Code(Submit(pool, Witness(c, ba, a), 12)), "accepted");
    ASSERT_EQ(Code(Submit(pool, Witness(b, ba, a), 12)), "accepted");
    ASSERT_EQ(Code(Submit(pool, Witness(c, bb, b), 12)), "accepted");

    // After block 15 the next block (16) is still in e = 10's window.
    pool.UpdateForBlock(BlockAt(15));
    EXPECT_EQ(pool.Info().beacons, 2u);
    EXPECT_EQ(pool.Info().witnesses, 3u);
    // After block 16 it is not.
    pool.UpdateForBlock(BlockAt(16));
    EXPECT_EQ(pool.Info().beacons, 1u);
    EXPECT_EQ(pool.Info().witnesses, 1u);
    EXPECT_EQ(Code(Submit(pool, Witness(b, ba, a), 16)), "report-unknown-beacon");
    // a's bucket-1 slot is free: a beacon with e = 11 (still in window at tip 16) goes in.
    EXPECT_EQ(Code(Submit(pool, Beacon(a, 11), 16)), "accepted");
    pool.UpdateForBlock(BlockAt(17));  // e = 11 expires; e = 12 is last usable at 18
    EXPECT_EQ(pool.Info().beacons, 1u);
    pool.UpdateForBlock(BlockAt(18));
    EXPECT_EQ(pool.Info().beacons, 0u);
    EXPECT_EQ(pool.Info().witnesses, 0u);
    EXPECT_EQ(Proofs(pool, 18).size(), 0u);
}

// ---------------------------------------------------------------------------------------------
// Report signatures in block validation.

class ReportSignatureTest : public ::testing::Test {
protected:
    ReportSignatureTest() : params{consensus::DefaultParams(Network::kDevnet)} {}

    // A proof with correctly signed reports (verdicts and physics do not matter here):
    // beaconer TestKey(base), witnesses TestKey(base + 1 ..).
    CoverageProof MakeProof(uint64_t base, size_t n_witnesses) const {
        CoverageProof p;
        p.beacon.beaconer = TestPubKey(base);
        p.beacon.entropy_height = base;
        p.beacon.frequency_hz = 868'100'000;
        p.beacon.tx_power_ddbm = kTxPower;
        SignBeacon(p.beacon, TestKey(base), params.network_id);
        for (size_t i = 0; i < n_witnesses; ++i) {
            ProofWitness w;
            w.witness = TestPubKey(base + 1 + i);
            w.rssi_ddbm = static_cast<int16_t>(-900 - i);
            w.frequency_hz = 868'100'000;
            SignWitness(w, TestKey(base + 1 + i), p.beacon.Id(), params.network_id);
            p.witnesses.push_back(w);
        }
        return p;
    }

    // A block, context-free valid but for what the test breaks: three proofs of 15 witnesses
    // (48 signatures: enough for two threads).
    Block MakeBlock() const {
        Block b;
        b.header.network_id = params.network_id;
        b.header.height = 5;
        for (uint64_t base : {4000u, 4100u, 4200u}) b.proofs.push_back(MakeProof(base, 15));
        FixRoots(b);
        return b;
    }
    static void FixRoots(Block& b) {
        b.header.tx_root = consensus::ComputeMerkleRoot(std::vector<Hash256>{});
        b.header.proof_root = consensus::ComputeProofRoot(b.proofs);
    }

    consensus::ChainParams params;
};

TEST_F(ReportSignatureTest, ValidProofsPass) {
    const Block block = MakeBlock();
    for (unsigned threads : {0u, 1u, 2u, 4u}) {
        SignatureCache cache;
        BlockSignatureChecker checker{block, params, &cache, threads};
        for (size_t i = 0; i < block.proofs.size(); ++i) {
            EXPECT_TRUE(checker.VerifyReports(block.proofs[i], params.network_id))
                << "threads " << threads << " proof " << i;
        }
        EXPECT_ACCEPT(consensus::CheckBlockContextFree(block, params, checker));
        // Every report signature is now cached.
        for (const CoverageProof& p : block.proofs) {
            EXPECT_TRUE(cache.Contains(ReportCacheKey(
                p.beacon.beaconer, p.beacon.SigHash(params.network_id), p.beacon.signature)));
            for (const ProofWitness& w : p.witnesses) {
                const WitnessReport r = w.ToReport(p.beacon.Id());
                EXPECT_TRUE(cache.Contains(
                    ReportCacheKey(r.witness, r.SigHash(params.network_id), r.signature)));
            }
        }
    }
}

TEST_F(ReportSignatureTest, ForgedWitnessSignatureFails) {
    for (size_t forged_proof : {0u, 1u, 2u}) {
        Block block = MakeBlock();
        block.proofs[forged_proof].witnesses[9].signature.bytes[3] ^= 0x04;
        FixRoots(block);
        for (unsigned threads : {1u, 2u}) {
            SignatureCache cache;
            BlockSignatureChecker checker{block, params, &cache, threads};
            for (size_t i = 0; i < block.proofs.size(); ++i) {
                EXPECT_EQ(checker.VerifyReports(block.proofs[i], params.network_id),
                          i != forged_proof)
                    << "threads " << threads << " proof " << i;
            }
            EXPECT_REJECT(consensus::CheckBlockContextFree(block, params, checker),
                          consensus::RejectReason::kBlockBadReportSignature);
            // The forged report is not cached; the one before it in its proof is.
            const CoverageProof& p = block.proofs[forged_proof];
            const WitnessReport bad = p.witnesses[9].ToReport(p.beacon.Id());
            EXPECT_FALSE(cache.Contains(
                ReportCacheKey(bad.witness, bad.SigHash(params.network_id), bad.signature)));
            const WitnessReport good = p.witnesses[8].ToReport(p.beacon.Id());
            EXPECT_TRUE(cache.Contains(
                ReportCacheKey(good.witness, good.SigHash(params.network_id), good.signature)));
        }
    }
}

TEST_F(ReportSignatureTest, ForgedBeaconSignatureAndOtherNetworkFail) {
    Block block = MakeBlock();
    block.proofs[2].beacon.signature.bytes[0] ^= 0x01;
    FixRoots(block);
    for (unsigned threads : {1u, 2u}) {
        BlockSignatureChecker checker{block, params, nullptr, threads};
        EXPECT_TRUE(checker.VerifyReports(block.proofs[0], params.network_id));
        EXPECT_TRUE(checker.VerifyReports(block.proofs[1], params.network_id));
        EXPECT_FALSE(checker.VerifyReports(block.proofs[2], params.network_id));
        // Asked about another network, it checks directly: nothing verifies there.
        EXPECT_FALSE(checker.VerifyReports(block.proofs[0], params.network_id + 1));
    }
}

TEST_F(ReportSignatureTest, ProofOutsideTheBlockIsCheckedDirectly) {
    const Block block = MakeBlock();
    BlockSignatureChecker checker{block, params, nullptr, 2};
    CoverageProof copy = block.proofs[1];
    EXPECT_TRUE(checker.VerifyReports(copy, params.network_id));
    copy.witnesses[0].signature.bytes[1] ^= 0x01;
    EXPECT_FALSE(checker.VerifyReports(copy, params.network_id));
    // The block's own element is unaffected.
    EXPECT_TRUE(checker.VerifyReports(block.proofs[1], params.network_id));
}

TEST_F(ReportSignatureTest, CacheHitSkipsVerification) {
    Block block = MakeBlock();
    ProofWitness& w = block.proofs[1].witnesses[4];
    w.signature.bytes[10] ^= 0x20;
    FixRoots(block);
    const WitnessReport forged = w.ToReport(block.proofs[1].beacon.Id());
    const Hash256 sighash = forged.SigHash(params.network_id);
    ASSERT_FALSE(VerifySchnorr(forged.witness, sighash, forged.signature));

    // Without the cache entry the report fails; with it, the cache answers and nothing is
    // verified, so the (forged) signature passes.
    SignatureCache cache;
    EXPECT_FALSE(VerifyReportWithCache(forged.witness, sighash, forged.signature, &cache));
    cache.Insert(ReportCacheKey(forged.witness, sighash, forged.signature));
    EXPECT_TRUE(VerifyReportWithCache(forged.witness, sighash, forged.signature, &cache));
    EXPECT_FALSE(VerifyReportWithCache(forged.witness, sighash, forged.signature, nullptr));
    for (unsigned threads : {1u, 2u}) {
        BlockSignatureChecker checker{block, params, &cache, threads};
        EXPECT_TRUE(checker.VerifyReports(block.proofs[1], params.network_id)) << threads;
        EXPECT_ACCEPT(consensus::CheckBlockContextFree(block, params, checker));
    }
    // The key binds the device, the message and the signature.
    EXPECT_FALSE(VerifyReportWithCache(TestPubKey(1), sighash, forged.signature, &cache));

    // A report the pool verified on arrival is found in the shared cache.
    SignatureCache shared;
    const CoverageProof& p = block.proofs[0];
    EXPECT_TRUE(VerifyReportWithCache(p.beacon.beaconer, p.beacon.SigHash(params.network_id),
                                      p.beacon.signature, &shared));
    EXPECT_TRUE(shared.Contains(ReportCacheKey(
        p.beacon.beaconer, p.beacon.SigHash(params.network_id), p.beacon.signature)));
}

}  // namespace
}  // namespace cairn::test
