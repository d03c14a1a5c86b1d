// The node's DePIN indexes (node/depin_index.h) as ChainState writes them: a real LevelDB in a
// temporary directory, blocks with device transactions and coverage proofs assembled by
// consensus::AssembleBlock on the chain's own database and connected through ConnectTip.
//
// Owners: A = TestKey(0), B = TestKey(1). Radios d0 and d1 are registered by A, d2 by B; d1 is
// then transferred to B. Every radio beacons and witnesses in epoch 0 (heights 1..30 on
// devnet), whose last block pays them.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "consensus/block_check.h"
#include "consensus/poc/beacon.h"
#include "consensus/rewards/epoch_rewards.h"
#include "depin_test_util.h"
#include "node/chainstate.h"
#include "node/depin_index.h"
#include "node_test_util.h"

namespace cairn::test {
namespace {

using consensus::BeaconVerdict;
using consensus::WitnessVerdict;

size_t B(BeaconVerdict v) {
    return static_cast<size_t>(v);
}
size_t W(WitnessVerdict v) {
    return static_cast<size_t>(v);
}

struct IndexRadio {
    SecretKey key;
    PubKey pub;
    consensus::poc::LatLon position;
};

// The stats a test expects: only the nonzero verdict counts are named.
struct ExpectedStats {
    std::vector<std::pair<BeaconVerdict, uint64_t>> beacons;
    std::vector<std::pair<WitnessVerdict, uint64_t>> witnesses;
    uint64_t last_beacon_height{0};
    uint64_t last_witness_height{0};
    Amount earned{0};
    uint64_t beacon_units{0};
    uint64_t witness_units{0};
};

void ExpectStats(const std::optional<DeviceStats>& got, const ExpectedStats& want,
                 const char* name) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(got.has_value());
    std::array<uint64_t, kBeaconVerdictCount> beacons{};
    for (const auto& [v, n] : want.beacons) beacons[B(v)] = n;
    std::array<uint64_t, kWitnessVerdictCount> witnesses{};
    for (const auto& [v, n] : want.witnesses) witnesses[W(v)] = n;
    EXPECT_EQ(got->beacons, beacons);
    EXPECT_EQ(got->witnesses, witnesses);
    EXPECT_EQ(got->last_beacon_height, want.last_beacon_height);
    EXPECT_EQ(got->last_witness_height, want.last_witness_height);
    EXPECT_EQ(got->earned, want.earned);
    EXPECT_EQ(got->beacon_units, want.beacon_units);
    EXPECT_EQ(got->witness_units, want.witness_units);
}

void ExpectSameStats(const std::optional<DeviceStats>& a, const std::optional<DeviceStats>& b) {
    ASSERT_EQ(a.has_value(), b.has_value());
    if (!a) return;
    EXPECT_EQ(a->beacons, b->beacons);
    EXPECT_EQ(a->witnesses, b->witnesses);
    EXPECT_EQ(a->last_beacon_height, b->last_beacon_height);
    EXPECT_EQ(a->last_witness_height, b->last_witness_height);
    EXPECT_EQ(a->earned, b->earned);
    EXPECT_EQ(a->beacon_units, b->beacon_units);
    EXPECT_EQ(a->witness_units, b->witness_units);
}

class DepinIndexTest : public ::testing::Test {
protected:
    DepinIndexTest() : genesis{NodeGenesis()}, validator{NodeValidatorKey()} {
        options.db_path = dir.Sub("chain");
        options.db_cache_bytes = 1 << 20;
        options.verify_threads = 2;
        // d0 at Tempelhof, d1 2 km north, d2 2 km east.
        radios.push_back(Radio(3001, kBerlin));
        radios.push_back(Radio(3002, OffsetMeters(kBerlin, 2000, 0)));
        radios.push_back(Radio(3003, OffsetMeters(kBerlin, 0, 2000)));
    }

    static IndexRadio Radio(uint64_t key_index, const consensus::poc::LatLon& pos) {
        return {TestKey(key_index), TestPubKey(key_index), pos};
    }

    void SetUp() override { Reopen(); }

    void Reopen() {
        chain.reset();
        auto opened = ChainState::Open(options, genesis);
        ASSERT_TRUE(opened.has_value()) << opened.error();
        chain = std::move(opened).value();
    }

    uint32_t Net() const { return chain->Params().network_id; }
    uint64_t Height() const { return chain->Tip().height; }
    const ChainDb& Db() const { return chain->Db(); }

    // Assembles the next block from `txs` and `proofs` on the chain's database, checks that
    // ConnectBlock computes the same outcome, and connects it through ConnectTip. Returns the
    // ConnectedBlock. Throws on any rejection.
    consensus::ConnectedBlock Mine(std::vector<Transaction> txs = {},
                                   std::vector<CoverageProof> proofs = {}) {
        const ChainTip tip = chain->Tip();
        consensus::BlockTemplate t;
        t.txs = std::move(txs);
        t.proofs = std::move(proofs);
        t.last_commit = tip.commit;
        t.proposer = validator.GetPubKey();
        t.time_ms = tip.header.time_ms + 1000;
        auto assembled =
            consensus::AssembleBlock(std::move(t), chain->Params(), tip.header, chain->Validators(),
                                     Db(), Db(), tip.commitment, consensus::SignatureChecker{});
        if (!assembled) {
            throw std::logic_error("assemble at " + std::to_string(tip.height + 1) + ": " +
                                   assembled.error().ToString());
        }
        const Block& block = assembled->block;
        const consensus::SignatureChecker plain{};
        const consensus::BlockContext ctx{chain->Params(),
                                          tip.header,
                                          chain->Validators(),
                                          chain->Validators(),
                                          Db(),
                                          tip.commitment,
                                          plain,
                                          Db()};
        auto connected = consensus::ConnectBlock(block, ctx);
        if (!connected) throw std::logic_error("connect: " + connected.error().ToString());
        EXPECT_EQ(connected->commitment, assembled->connected.commitment);
        auto r =
            chain->ConnectTip(block, SignCommit(*chain, validator, block), block.header.time_ms);
        if (!r) throw std::logic_error("ConnectTip: " + r.error().ToString());
        return std::move(connected).value();
    }

    void MineTo(uint64_t height) {
        while (Height() < height) Mine();
    }

    BeaconReport Beacon(size_t r, uint64_t e) const {
        const IndexRadio& radio = radios.at(r);
        const consensus::RadioRegion* region = consensus::FindRegion(chain->Params().poc, kEU868);
        const auto c = consensus::poc::DeriveBeacon(*Db().HashAtHeight(e), radio.pub, *region);
        BeaconReport b;
        b.beaconer = radio.pub;
        b.entropy_height = e;
        b.payload = c.payload;
        b.frequency_hz = c.frequency_hz;
        b.channel = c.channel;
        b.datarate = 5;
        b.tx_power_ddbm = kTxPower;
        SignBeacon(b, radio.key, Net());
        return b;
    }

    // Radio w's report on b from radio `from`, `below` deci-dB under the free-space bound
    // (negative: above it).
    ProofWitness Witness(size_t w, size_t from, const BeaconReport& b, int64_t below = 50) const {
        const IndexRadio& radio = radios.at(w);
        ProofWitness pw;
        pw.witness = radio.pub;
        pw.rssi_ddbm = static_cast<int16_t>(
            RssiBoundDdbm(b, radios.at(from).position, kGain, radio.position, kGain) - below);
        pw.snr_ddb = kSnr;
        pw.frequency_hz = b.frequency_hz;
        SignWitness(pw, radio.key, b.Id(), Net());
        return pw;
    }

    static CoverageProof Proof(const BeaconReport& b, std::vector<ProofWitness> ws) {
        CoverageProof p;
        p.beacon = b;
        p.witnesses = std::move(ws);
        return p;
    }

    // The proofs with their verdicts as the next block judges them, each seeing those before.
    std::vector<CoverageProof> Judge(std::vector<CoverageProof> proofs) const {
        const uint64_t height = Height() + 1;
        consensus::StateDelta delta{Db()};
        for (CoverageProof& p : proofs) {
            const auto ev = consensus::EvaluateProof(p.beacon, p.witnesses, height, chain->Params(),
                                                     Db(), delta);
            p.beacon_verdict = static_cast<uint8_t>(ev.beacon);
            for (size_t i = 0; i < p.witnesses.size(); ++i) {
                p.witnesses[i].verdict = static_cast<uint8_t>(ev.witnesses[i]);
            }
            if (!consensus::ApplyCoverageProof(p, height, chain->Params(), Db(), delta)) {
                throw std::logic_error("judge: proof does not apply");
            }
        }
        return proofs;
    }

    std::vector<PubKey> Owned(const PubKey& owner, std::optional<PubKey> after = std::nullopt,
                              size_t limit = 100) const {
        return ReadDevicesOfOwner(Db(), owner, after, limit);
    }

    // Every device of `owner`, one page of one at a time.
    std::vector<PubKey> OwnedPaged(const PubKey& owner) const {
        std::vector<PubKey> out;
        std::optional<PubKey> after;
        for (int i = 0; i < 10; ++i) {
            auto page = Owned(owner, after, 1);
            if (page.empty()) break;
            EXPECT_EQ(page.size(), 1u);
            out.push_back(page[0]);
            after = page[0];
        }
        return out;
    }

    static std::vector<PubKey> Sorted(std::vector<PubKey> v) {
        std::sort(v.begin(), v.end());
        return v;
    }

    const PubKey& Dev(size_t r) const { return radios.at(r).pub; }

    TempDir dir{"cairn-depin-index"};
    consensus::Genesis genesis;
    SecretKey validator;
    ChainState::Options options;
    std::unique_ptr<ChainState> chain;
    std::vector<IndexRadio> radios;
    const SecretKey owner_a = TestKey(0);
    const SecretKey owner_b = TestKey(1);
    const PubKey A = TestPubKey(0);
    const PubKey B = TestPubKey(1);
};

TEST_F(DepinIndexTest, OwnerIndexFollowsRegistrationAndTransfers) {
    EXPECT_TRUE(Owned(A).empty());
    Mine({MakeRegisterTx(owner_a, radios[0].key, 0, Net()),
          MakeRegisterTx(owner_a, radios[1].key, 1, Net())});
    const std::vector<PubKey> both = Sorted({Dev(0), Dev(1)});
    EXPECT_EQ(Owned(A), both);
    EXPECT_TRUE(Owned(B).empty());
    // Pagination: limit 1 from the start, then after each key.
    EXPECT_EQ(Owned(A, std::nullopt, 1), std::vector<PubKey>{both[0]});
    EXPECT_EQ(Owned(A, both[0], 1), std::vector<PubKey>{both[1]});
    EXPECT_TRUE(Owned(A, both[1], 1).empty());
    EXPECT_EQ(Owned(A, both[0], 5), std::vector<PubKey>{both[1]});
    EXPECT_TRUE(Owned(A, std::nullopt, 0).empty());
    // A key that is not in the index pages from the next one.
    EXPECT_EQ(Owned(A, PubKey{}, 1), std::vector<PubKey>{both[0]});
    EXPECT_EQ(OwnedPaged(A), both);

    // Asserting locations does not touch the owner index.
    Mine({MakeAssertTx(owner_a, Dev(0), radios[0].position, kGain, kEU868, 2, Net()),
          MakeAssertTx(owner_a, Dev(1), radios[1].position, kGain, kEU868, 3, Net())});
    EXPECT_EQ(Owned(A), both);

    Mine({MakeTransferDeviceTx(owner_a, Dev(1), B, 4, Net())});
    EXPECT_EQ(Owned(A), std::vector<PubKey>{Dev(0)});
    EXPECT_EQ(Owned(B), std::vector<PubKey>{Dev(1)});
    EXPECT_EQ(OwnedPaged(A), std::vector<PubKey>{Dev(0)});
    EXPECT_EQ(OwnedPaged(B), std::vector<PubKey>{Dev(1)});

    // B registers d2 and receives d0 in one block: B owns all three, A none.
    Mine({MakeRegisterTx(owner_b, radios[2].key, 0, Net()),
          MakeTransferDeviceTx(owner_a, Dev(0), B, 5, Net())});
    const std::vector<PubKey> all = Sorted({Dev(0), Dev(1), Dev(2)});
    EXPECT_TRUE(Owned(A).empty());
    EXPECT_EQ(Owned(B), all);
    EXPECT_EQ(OwnedPaged(B), all);
    EXPECT_EQ(Owned(B, all[0], 1), std::vector<PubKey>{all[1]});
    EXPECT_EQ(Owned(B, all[1], 1), std::vector<PubKey>{all[2]});
    EXPECT_EQ(Owned(B, all[1], 2), std::vector<PubKey>{all[2]});

    // A device that goes to B and back to A within one block ends with A, as before.
    Mine({MakeTransferDeviceTx(owner_b, Dev(2), A, 1, Net())});
    EXPECT_EQ(Owned(A), std::vector<PubKey>{Dev(2)});
    Mine({MakeTransferDeviceTx(owner_a, Dev(2), B, 6, Net()),
          MakeTransferDeviceTx(owner_b, Dev(2), A, 2, Net())});
    EXPECT_EQ(Owned(A), std::vector<PubKey>{Dev(2)});
    EXPECT_EQ(Owned(B), Sorted({Dev(0), Dev(1)}));

    // The index survives a restart, and keeps being maintained after it.
    Reopen();
    EXPECT_EQ(Owned(A), std::vector<PubKey>{Dev(2)});
    EXPECT_EQ(Owned(B), Sorted({Dev(0), Dev(1)}));
    Mine({MakeTransferDeviceTx(owner_b, Dev(1), A, 3, Net())});
    EXPECT_EQ(Owned(A), Sorted({Dev(1), Dev(2)}));
    EXPECT_EQ(Owned(B), std::vector<PubKey>{Dev(0)});
}

TEST_F(DepinIndexTest, CoverageStatsAndEpochPayouts) {
    // Heights 1-3: register (d0, d1 by A; d2 by B), assert, transfer d1 to B.
    Mine({MakeRegisterTx(owner_a, radios[0].key, 0, Net()),
          MakeRegisterTx(owner_a, radios[1].key, 1, Net()),
          MakeRegisterTx(owner_b, radios[2].key, 0, Net())});
    Mine({MakeAssertTx(owner_a, Dev(0), radios[0].position, kGain, kEU868, 2, Net()),
          MakeAssertTx(owner_a, Dev(1), radios[1].position, kGain, kEU868, 3, Net()),
          MakeAssertTx(owner_b, Dev(2), radios[2].position, kGain, kEU868, 1, Net())});
    Mine({MakeTransferDeviceTx(owner_a, Dev(1), B, 4, Net())});
    ASSERT_EQ(Height(), 3u);
    EXPECT_EQ(Owned(A), std::vector<PubKey>{Dev(0)});
    EXPECT_EQ(Owned(B), Sorted({Dev(1), Dev(2)}));
    for (size_t r = 0; r < 3; ++r) EXPECT_FALSE(ReadDeviceStats(Db(), Dev(r)).has_value()) << r;

    // Height 4 (entropy 3, bucket 0): a ring d0 <- d1, d1 <- d2, d2 <- d0, and a second beacon
    // of d1 in bucket 0 (entropy 2), heard by d0. Nobody has a witnessed beacon yet, so the
    // first two witnesses lack reciprocity; d0's own proof gives it one in time for d2's.
    const BeaconReport b40 = Beacon(0, 3), b41 = Beacon(1, 3), b42 = Beacon(2, 3);
    const BeaconReport b41_again = Beacon(1, 2);
    const consensus::ConnectedBlock c4 = Mine({}, Judge({
                                                      Proof(b40, {Witness(1, 0, b40)}),
                                                      Proof(b41, {Witness(2, 1, b41)}),
                                                      Proof(b42, {Witness(0, 2, b42)}),
                                                      Proof(b41_again, {Witness(0, 1, b41_again)}),
                                                  }));
    ASSERT_EQ(c4.proofs.size(), 4u);
    EXPECT_EQ(c4.proofs[0].beacon, BeaconVerdict::kValid);
    EXPECT_EQ(c4.proofs[0].witnesses, std::vector<WitnessVerdict>{WitnessVerdict::kNoReciprocity});
    EXPECT_EQ(c4.proofs[1].beacon, BeaconVerdict::kValid);
    EXPECT_EQ(c4.proofs[1].witnesses, std::vector<WitnessVerdict>{WitnessVerdict::kNoReciprocity});
    EXPECT_EQ(c4.proofs[2].beacon, BeaconVerdict::kValid);
    EXPECT_EQ(c4.proofs[2].witnesses, std::vector<WitnessVerdict>{WitnessVerdict::kValid});
    EXPECT_EQ(c4.proofs[2].rewarded, 1u);
    EXPECT_EQ(c4.proofs[3].beacon, BeaconVerdict::kBucketUsed);
    EXPECT_EQ(c4.proofs[3].witnesses, std::vector<WitnessVerdict>{WitnessVerdict::kBeaconInvalid});
    EXPECT_EQ(c4.proofs[3].beacon_units, 0u);

    ExpectStats(ReadDeviceStats(Db(), Dev(0)),
                {{{BeaconVerdict::kValid, 1}},
                 {{WitnessVerdict::kValid, 1}, {WitnessVerdict::kBeaconInvalid, 1}},
                 4,
                 4,
                 0,
                 c4.proofs[0].beacon_units,
                 c4.proofs[2].witness_units},
                "d0 at 4");
    ExpectStats(ReadDeviceStats(Db(), Dev(1)),
                {{{BeaconVerdict::kValid, 1}, {BeaconVerdict::kBucketUsed, 1}},
                 {{WitnessVerdict::kNoReciprocity, 1}},
                 4,
                 4,
                 0,
                 c4.proofs[1].beacon_units,
                 0},
                "d1 at 4");
    ExpectStats(ReadDeviceStats(Db(), Dev(2)),
                {{{BeaconVerdict::kValid, 1}},
                 {{WitnessVerdict::kNoReciprocity, 1}},
                 4,
                 4,
                 0,
                 c4.proofs[2].beacon_units,
                 0},
                "d2 at 4");
    EXPECT_GT(c4.proofs[2].witness_units, 0u);
    EXPECT_GT(c4.proofs[2].beacon_units, 0u);

    // Height 12 (entropy 11, bucket 1): everyone has reciprocity now. d0 is heard by d1 and by
    // d2 too loudly; d1 is heard by d0 and d2.
    MineTo(11);
    const BeaconReport b120 = Beacon(0, 11), b121 = Beacon(1, 11);
    const consensus::ConnectedBlock c12 =
        Mine({}, Judge({
                     Proof(b120, {Witness(1, 0, b120), Witness(2, 0, b120, -10)}),
                     Proof(b121, {Witness(0, 1, b121), Witness(2, 1, b121)}),
                 }));
    ASSERT_EQ(c12.proofs.size(), 2u);
    EXPECT_EQ(c12.proofs[0].witnesses,
              (std::vector<WitnessVerdict>{WitnessVerdict::kValid, WitnessVerdict::kRssiTooHigh}));
    EXPECT_EQ(c12.proofs[1].witnesses,
              (std::vector<WitnessVerdict>{WitnessVerdict::kValid, WitnessVerdict::kValid}));

    const ExpectedStats d0{{{BeaconVerdict::kValid, 2}},
                           {{WitnessVerdict::kValid, 2}, {WitnessVerdict::kBeaconInvalid, 1}},
                           12,
                           12,
                           0,
                           c4.proofs[0].beacon_units + c12.proofs[0].beacon_units,
                           c4.proofs[2].witness_units + c12.proofs[1].witness_units};
    const ExpectedStats d1{{{BeaconVerdict::kValid, 2}, {BeaconVerdict::kBucketUsed, 1}},
                           {{WitnessVerdict::kNoReciprocity, 1}, {WitnessVerdict::kValid, 1}},
                           12,
                           12,
                           0,
                           c4.proofs[1].beacon_units + c12.proofs[1].beacon_units,
                           c12.proofs[0].witness_units};
    const ExpectedStats d2{{{BeaconVerdict::kValid, 1}},
                           {{WitnessVerdict::kNoReciprocity, 1},
                            {WitnessVerdict::kRssiTooHigh, 1},
                            {WitnessVerdict::kValid, 1}},
                           4,
                           12,
                           0,
                           c4.proofs[2].beacon_units,
                           c12.proofs[1].witness_units};
    ExpectStats(ReadDeviceStats(Db(), Dev(0)), d0, "d0 at 12");
    ExpectStats(ReadDeviceStats(Db(), Dev(1)), d1, "d1 at 12");
    ExpectStats(ReadDeviceStats(Db(), Dev(2)), d2, "d2 at 12");
    EXPECT_FALSE(ReadDeviceStats(Db(), TestPubKey(3999)).has_value());

    // Nothing is paid before the epoch's last block.
    MineTo(29);
    EXPECT_TRUE(ReadEpochDevicePayouts(Db(), 0, std::nullopt, 100).empty());
    EXPECT_TRUE(ReadEpochOwnerPayouts(Db(), 0, std::nullopt, 100).empty());
    EXPECT_TRUE(ReadEpochValidatorPayouts(Db(), 0).empty());

    // Height 30 closes epoch 0.
    ASSERT_EQ(chain->Params().rewards.epoch_length, 30u);
    const consensus::ConnectedBlock c30 = Mine();
    ASSERT_TRUE(c30.epoch.has_value());
    const consensus::rewards::EpochOutcome& ep = *c30.epoch;
    EXPECT_EQ(ep.summary.epoch, 0u);
    EXPECT_EQ(ep.summary.end_height, 30u);

    // The outcome pays the three radios (device key order) to their owners at the time.
    const std::vector<PubKey> devs = Sorted({Dev(0), Dev(1), Dev(2)});
    ASSERT_EQ(ep.shares.size(), 3u);
    ASSERT_EQ(ep.coverage.devices.size(), 3u);
    for (size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(ep.shares[i].device, devs[i]);
        EXPECT_EQ(ep.coverage.devices[i].device, devs[i]);
        EXPECT_EQ(ep.coverage.devices[i].owner, devs[i] == Dev(0) ? A : B);
    }
    auto share_of = [&](const PubKey& d) {
        for (const auto& s : ep.shares)
            if (s.device == d) return s;
        throw std::logic_error("no share");
    };
    EXPECT_EQ(share_of(Dev(0)).beacon_units, d0.beacon_units);
    EXPECT_EQ(share_of(Dev(0)).witness_units, d0.witness_units);
    EXPECT_EQ(share_of(Dev(1)).beacon_units, d1.beacon_units);
    EXPECT_EQ(share_of(Dev(1)).witness_units, d1.witness_units);
    EXPECT_EQ(share_of(Dev(2)).beacon_units, d2.beacon_units);
    EXPECT_EQ(share_of(Dev(2)).witness_units, d2.witness_units);

    // Device payouts: exactly the outcome's, in key order, with the units they came from.
    const std::vector<IndexedPayout> payouts = ReadEpochDevicePayouts(Db(), 0, std::nullopt, 100);
    ASSERT_EQ(payouts.size(), 3u);
    Amount total_device = 0;
    for (size_t i = 0; i < 3; ++i) {
        SCOPED_TRACE(i);
        const auto& d = ep.coverage.devices[i];
        EXPECT_EQ(payouts[i].device, d.device);
        EXPECT_EQ(payouts[i].owner, d.owner);
        EXPECT_EQ(payouts[i].beacon_amount, d.beacon_amount);
        EXPECT_EQ(payouts[i].witness_amount, d.witness_amount);
        EXPECT_EQ(payouts[i].beacon_units, ep.shares[i].beacon_units);
        EXPECT_EQ(payouts[i].witness_units, ep.shares[i].witness_units);
        EXPECT_GT(d.beacon_amount, 0u);
        total_device += d.beacon_amount + d.witness_amount;
        auto one = ReadDevicePayout(Db(), 0, d.device);
        ASSERT_TRUE(one.has_value());
        EXPECT_EQ(one->owner, d.owner);
        EXPECT_EQ(one->beacon_amount, d.beacon_amount);
        EXPECT_EQ(one->witness_amount, d.witness_amount);
        EXPECT_EQ(one->beacon_units, ep.shares[i].beacon_units);
        EXPECT_EQ(one->witness_units, ep.shares[i].witness_units);
    }
    EXPECT_EQ(total_device, ep.summary.beacons_paid + ep.summary.witnesses_paid);
    // Pagination over device payouts.
    auto page = ReadEpochDevicePayouts(Db(), 0, devs[0], 1);
    ASSERT_EQ(page.size(), 1u);
    EXPECT_EQ(page[0].device, devs[1]);
    EXPECT_TRUE(ReadEpochDevicePayouts(Db(), 0, devs[2], 10).empty());
    EXPECT_FALSE(ReadDevicePayout(Db(), 1, Dev(0)).has_value());
    EXPECT_FALSE(ReadDevicePayout(Db(), 0, TestPubKey(3999)).has_value());

    // Owner payouts: exactly the outcome's; A has d0's, B has d1's and d2's.
    const auto owners = ReadEpochOwnerPayouts(Db(), 0, std::nullopt, 100);
    EXPECT_EQ(owners, ep.coverage.owners);
    auto paid_to = [&](const PubKey& d) {
        for (const auto& p : ep.coverage.devices)
            if (p.device == d) return p.beacon_amount + p.witness_amount;
        return Amount{0};
    };
    std::vector<std::pair<PubKey, Amount>> expected_owners{{A, paid_to(Dev(0))},
                                                           {B, paid_to(Dev(1)) + paid_to(Dev(2))}};
    std::sort(expected_owners.begin(), expected_owners.end());
    EXPECT_EQ(owners, expected_owners);
    ASSERT_EQ(owners.size(), 2u);
    EXPECT_EQ(ReadEpochOwnerPayouts(Db(), 0, owners[0].first, 1),
              (std::vector<std::pair<PubKey, Amount>>{owners[1]}));
    EXPECT_EQ(ReadEpochOwnerPayouts(Db(), 0, std::nullopt, 1),
              (std::vector<std::pair<PubKey, Amount>>{owners[0]}));

    // Validator payouts: the single validator gets the whole pool paid.
    const auto validators = ReadEpochValidatorPayouts(Db(), 0);
    EXPECT_EQ(validators, ep.validators);
    ASSERT_EQ(validators.size(), 1u);
    EXPECT_EQ(validators[0].first, validator.GetPubKey());
    EXPECT_EQ(validators[0].second, ep.summary.validators_paid);
    EXPECT_GT(validators[0].second, 0u);

    // Nothing for other epochs.
    EXPECT_TRUE(ReadEpochDevicePayouts(Db(), 1, std::nullopt, 100).empty());
    EXPECT_TRUE(ReadEpochOwnerPayouts(Db(), 1, std::nullopt, 100).empty());
    EXPECT_TRUE(ReadEpochValidatorPayouts(Db(), 1).empty());

    // Stats now carry the earnings; the coverage counts are unchanged.
    ExpectedStats e0 = d0, e1 = d1, e2 = d2;
    e0.earned = paid_to(Dev(0));
    e1.earned = paid_to(Dev(1));
    e2.earned = paid_to(Dev(2));
    ExpectStats(ReadDeviceStats(Db(), Dev(0)), e0, "d0 at 30");
    ExpectStats(ReadDeviceStats(Db(), Dev(1)), e1, "d1 at 30");
    ExpectStats(ReadDeviceStats(Db(), Dev(2)), e2, "d2 at 30");

    // Everything survives closing and reopening the database.
    std::vector<std::optional<DeviceStats>> stats_before;
    for (size_t r = 0; r < 3; ++r) stats_before.push_back(ReadDeviceStats(Db(), Dev(r)));
    Reopen();
    ASSERT_EQ(Height(), 30u);
    for (size_t r = 0; r < 3; ++r) {
        SCOPED_TRACE(r);
        ExpectSameStats(ReadDeviceStats(Db(), Dev(r)), stats_before[r]);
    }
    ExpectStats(ReadDeviceStats(Db(), Dev(1)), e1, "d1 after reopen");
    const auto payouts_after = ReadEpochDevicePayouts(Db(), 0, std::nullopt, 100);
    ASSERT_EQ(payouts_after.size(), payouts.size());
    for (size_t i = 0; i < payouts.size(); ++i) {
        EXPECT_EQ(payouts_after[i].device, payouts[i].device);
        EXPECT_EQ(payouts_after[i].owner, payouts[i].owner);
        EXPECT_EQ(payouts_after[i].beacon_amount, payouts[i].beacon_amount);
        EXPECT_EQ(payouts_after[i].witness_amount, payouts[i].witness_amount);
        EXPECT_EQ(payouts_after[i].beacon_units, payouts[i].beacon_units);
        EXPECT_EQ(payouts_after[i].witness_units, payouts[i].witness_units);
    }
    EXPECT_EQ(ReadEpochOwnerPayouts(Db(), 0, std::nullopt, 100), ep.coverage.owners);
    EXPECT_EQ(ReadEpochValidatorPayouts(Db(), 0), ep.validators);
    EXPECT_EQ(Owned(A), std::vector<PubKey>{Dev(0)});
    EXPECT_EQ(Owned(B), Sorted({Dev(1), Dev(2)}));

    // After the restart the stats keep accumulating from the stored ones: d2 beacons in
    // bucket 3 (entropy 30), heard by d0.
    const BeaconReport b31 = Beacon(2, 30);
    const consensus::ConnectedBlock c31 = Mine({}, Judge({Proof(b31, {Witness(0, 2, b31)})}));
    ASSERT_EQ(c31.proofs.size(), 1u);
    EXPECT_EQ(c31.proofs[0].witnesses, std::vector<WitnessVerdict>{WitnessVerdict::kValid});
    e2.beacons = {{BeaconVerdict::kValid, 2}};
    e2.last_beacon_height = 31;
    e2.beacon_units += c31.proofs[0].beacon_units;
    ExpectStats(ReadDeviceStats(Db(), Dev(2)), e2, "d2 at 31");
    e0.witnesses = {{WitnessVerdict::kValid, 3}, {WitnessVerdict::kBeaconInvalid, 1}};
    e0.last_witness_height = 31;
    e0.witness_units += c31.proofs[0].witness_units;
    ExpectStats(ReadDeviceStats(Db(), Dev(0)), e0, "d0 at 31");
}

TEST_F(DepinIndexTest, BlockWithForgedReportIsRefusedAndIndexesNothing) {
    Mine({MakeRegisterTx(owner_a, radios[0].key, 0, Net()),
          MakeRegisterTx(owner_a, radios[1].key, 1, Net())});
    Mine({MakeAssertTx(owner_a, Dev(0), radios[0].position, kGain, kEU868, 2, Net()),
          MakeAssertTx(owner_a, Dev(1), radios[1].position, kGain, kEU868, 3, Net())});
    const BeaconReport b = Beacon(0, 2);
    std::vector<CoverageProof> proofs = Judge({Proof(b, {Witness(1, 0, b)})});
    CoverageProof forged = proofs[0];
    forged.witnesses[0].signature.bytes[12] ^= 0x10;

    const ChainTip tip = chain->Tip();
    consensus::BlockTemplate t;
    t.proofs = {forged};
    t.last_commit = tip.commit;
    t.proposer = validator.GetPubKey();
    t.time_ms = tip.header.time_ms + 1000;
    // Assembly judges the state only; signatures are the validators' check.
    auto assembled =
        consensus::AssembleBlock(std::move(t), chain->Params(), tip.header, chain->Validators(),
                                 Db(), Db(), tip.commitment, consensus::SignatureChecker{});
    ASSERT_TRUE(assembled.has_value()) << assembled.error().ToString();
    const Block& block = assembled->block;
    EXPECT_REJECT(
        chain->ConnectTip(block, SignCommit(*chain, validator, block), block.header.time_ms),
        consensus::RejectReason::kBlockBadReportSignature);
    EXPECT_EQ(chain->Tip().height, 2u);
    EXPECT_FALSE(ReadDeviceStats(Db(), Dev(0)).has_value());
    EXPECT_FALSE(ReadDeviceStats(Db(), Dev(1)).has_value());

    // The honest proof connects and is indexed.
    const consensus::ConnectedBlock c = Mine({}, proofs);
    ASSERT_EQ(c.proofs.size(), 1u);
    ExpectStats(ReadDeviceStats(Db(), Dev(0)),
                {{{BeaconVerdict::kValid, 1}}, {}, 3, 0, 0, c.proofs[0].beacon_units, 0}, "d0");
    ExpectStats(ReadDeviceStats(Db(), Dev(1)),
                {{}, {{WitnessVerdict::kNoReciprocity, 1}}, 0, 3, 0, 0, 0}, "d1");
}

}  // namespace
}  // namespace cairn::test
