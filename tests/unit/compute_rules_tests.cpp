// Proof-of-compute consensus rules on a real chain (compute_test_util.h): registering compute
// devices, set_compute_tier and reactivate_compute; the bucket schedule, every verdict an entry
// can get and every settlement outcome, each with the way it breaks; deactivation and
// reactivation; block-level rejections; the compute pool over two epochs with the supply
// invariant after every block; the spot-check PRF (distinct, deterministic, uniform); and the
// soundness of spot checks: a prover that computed a fraction f of the cells passes with
// probability C(fN, s) / C(N, s) ~ f^s, measured over thousands of independent spot hashes.
//
// Every block here is assembled by AssembleBlock (verdicts filled in) and connected through
// ConnectBlock (verdicts recomputed and compared, signatures checked), so a verdict asserted here
// is the one every validator records. Tests that only look at what a block would say use Peek,
// which assembles the block and checks it connects, without advancing the chain.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "compute_test_util.h"
#include "consensus/compute/open_check.h"
#include "consensus/devices/device_class.h"
#include "consensus/devices/device_record.h"
#include "consensus/genesis.h"
#include "consensus/rewards/accounting.h"
#include "consensus/rewards/epoch_rewards.h"
#include "consensus/tx/compute_txs.h"
#include "consensus/tx/device_txs.h"

namespace cairn::consensus {
namespace {

using compute::ChallengeShape;
using compute::ComputeEvaluation;
using compute::ComputeSettlement;
using test::ComputeChain;
using test::ComputeProof;
using test::kTierT;
using test::kTierU;
using U128 = unsigned __int128;

constexpr uint64_t kH0 = 10;  // the first bucket

::testing::AssertionResult Is(const ComputeEvaluation& ev, ComputeVerdict v, uint32_t detail = 0) {
    if (ev.verdict == v && ev.detail == detail) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "got " << ComputeVerdictCode(ev.verdict) << " (detail " << ev.detail << "), expected "
           << ComputeVerdictCode(v) << " (detail " << detail << ")";
}

std::optional<ComputeSettlement> SettlementOf(const ConnectedBlock& c, const PubKey& device) {
    for (const ComputeSettlement& s : c.settlements) {
        if (s.device == device) return s;
    }
    return std::nullopt;
}

::testing::AssertionResult Settled(const ConnectedBlock& c, const PubKey& device,
                                   ComputeVerdict outcome, uint32_t detail = 0) {
    const auto s = SettlementOf(c, device);
    if (!s) return ::testing::AssertionFailure() << "device not settled in this block";
    if (s->outcome == outcome && s->detail == detail) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "settled " << ComputeVerdictCode(s->outcome) << " (detail " << s->detail
           << "), expected " << ComputeVerdictCode(outcome) << " (detail " << detail << ")";
}

// Devices t0 (tier t) and u0 (tier u) of owner 0 and t1 (tier t) of owner 1, registered at
// height 1; SetUp leaves the chain at height 10, the first bucket just started.
class ComputeRulesTest : public ::testing::Test {
protected:
    ComputeChain chain;
    size_t t0 = chain.AddDevice(0, kTierT);
    size_t u0 = chain.AddDevice(0, kTierU);
    size_t t1 = chain.AddDevice(1, kTierT);
    ConnectedBlock start;  // block 10

    void SetUp() override {
        chain.RegisterDevices({t0, u0, t1});
        chain.MineTo(kH0 - 1);
        start = chain.MineC({});
    }

    uint32_t Net() const { return chain.params.network_id; }
    uint64_t NonceOf(size_t account) const { return chain.Nonce(chain.AccountKey(account)); }

    // Both checks a block runs on a transaction, as the next block would.
    CheckResult<> CheckAndApply(const Transaction& tx) const {
        if (auto r = CheckTransaction(tx, chain.params); !r) return r;
        StateDelta delta{chain.state};
        return ApplyTransaction(tx, chain.params, chain.Height() + 1, delta);
    }

    // The verdict the next block gives `r`; the block is checked to connect, the chain stays.
    ComputeEvaluation Peek(const ComputeReport& r) const {
        auto a = chain.AssembleC({test::Entry(r)});
        if (!a) {
            ADD_FAILURE() << a.error().ToString();
            return {};
        }
        EXPECT_ACCEPT(chain.Connect(a->block));
        return a->connected.compute.at(0);
    }

    // The state-free check of `o` against the device's current challenge and committed root.
    compute::OpenCheck CheckCells(size_t d, const ComputeOpen& o) const {
        const auto info = chain.Challenge(d);
        const auto cs = chain.State(d);
        compute::OpenCheckInput in;
        in.seed = info->seed;
        in.shape = info->tier_params->shape;
        in.cells = chain.Spots(d, cs->root);
        in.root = cs->root;
        in.open = &o;
        return compute::CheckOpenCells(in);
    }

    // The first spot number whose cell lies in `tile`.
    static uint32_t FirstSpotIn(const ChallengeShape& s, const std::vector<uint64_t>& spots,
                                uint64_t tile) {
        for (uint32_t q = 0; q < spots.size(); ++q) {
            if (compute::TileOfCell(s, spots[q]) == tile) return q;
        }
        throw std::logic_error("tile not spotted");
    }
    // The spotted tile whose first spot comes last (so its failures have the largest detail).
    static uint64_t LastFirstSpottedTile(const ChallengeShape& s,
                                         const std::vector<uint64_t>& spots) {
        std::set<uint64_t> seen;
        uint64_t last = 0;
        for (uint64_t c : spots) {
            if (seen.insert(compute::TileOfCell(s, c)).second) last = compute::TileOfCell(s, c);
        }
        return last;
    }
};

// ---- register_device (class compute) ------------------------------------------------------

class ComputeRegistrationTest : public ::testing::Test {
protected:
    ComputeChain chain;
    size_t d = chain.AddDevice(0, kTierU);

    Transaction RegisterWith(const Bytes& class_data, const Bytes& signed_class_data) const {
        RegisterDevicePayload p;
        p.device_class = DeviceClass::kCompute;
        p.device = chain.DeviceKey(d);
        p.class_data = class_data;
        p.device_signature =
            test::SignRegistration(chain.devices[d].key, chain.params.network_id,
                                   chain.AccountKey(0), DeviceClass::kCompute, signed_class_data);
        return test::MakeSignedTx(chain.account_keys[0], RegisterDeviceTx::kId, p.Encode(), 0,
                                  chain.params.network_id);
    }
};

TEST_F(ComputeRegistrationTest, RegistersTierAndBurnsTheComputeFee) {
    const PubKey owner = chain.AccountKey(0);
    const Amount before = chain.Balance(owner);
    const Transaction tx = chain.RegisterComputeTx(d, 0);
    EXPECT_ACCEPT(CheckTransaction(tx, chain.params));
    const ConnectedBlock c = chain.MineC({}, {tx});

    const auto rec = ReadDevice(chain.state, chain.DeviceKey(d));
    ASSERT_TRUE(rec.has_value());
    EXPECT_EQ(rec->device_class, DeviceClass::kCompute);
    EXPECT_EQ(rec->owner, owner);
    EXPECT_EQ(rec->registered_height, 1u);
    EXPECT_EQ(rec->class_data, (Bytes{kTierU}));
    EXPECT_FALSE(rec->location.has_value());
    const auto cs = chain.State(d);
    ASSERT_TRUE(cs.has_value());
    EXPECT_EQ(cs->tier, kTierU);
    EXPECT_FALSE(cs->next_tier.has_value());
    EXPECT_TRUE(cs->active);
    EXPECT_EQ(cs->missed, 0u);
    EXPECT_EQ(cs->bucket, 0u);  // challenged from the next bucket start
    EXPECT_EQ(cs->last_bucket, 0u);

    // The compute fee, not the radio fee, is burned.
    ASSERT_NE(chain.params.compute.onboarding_fee, chain.params.poc.radio_onboarding_fee);
    EXPECT_EQ(OnboardingFee(DeviceClass::kCompute, chain.params), test::kComputeFee);
    EXPECT_EQ(c.burned, chain.params.compute.onboarding_fee);
    EXPECT_EQ(chain.Balance(owner), before - test::kDeviceTxFee - test::kComputeFee);
    EXPECT_EQ(chain.Accounting().burned, test::kComputeFee);
    EXPECT_TRUE(chain.SupplyHolds());
}

TEST_F(ComputeRegistrationTest, ClassDataMustBeOneTierByte) {
    EXPECT_ACCEPT(CheckTransaction(RegisterWith({kTierU}, {kTierU}), chain.params));
    EXPECT_REJECT(CheckTransaction(RegisterWith({}, {}), chain.params), RejectReason::kTxMalformed);
    EXPECT_REJECT(CheckTransaction(RegisterWith({kTierT, kTierT}, {kTierT, kTierT}), chain.params),
                  RejectReason::kTxMalformed);
    // Apply alone stays safe on such a payload and registers nothing.
    StateDelta delta{chain.state};
    EXPECT_REJECT(ApplyTransaction(RegisterWith({}, {}), chain.params, 1, delta),
                  RejectReason::kTxUnknownTier);
    EXPECT_FALSE(ReadDevice(delta, chain.DeviceKey(d)).has_value());
    EXPECT_FALSE(ReadComputeState(delta, chain.DeviceKey(d)).has_value());
}

TEST_F(ComputeRegistrationTest, UnknownTierIsRejected) {
    ASSERT_EQ(chain.params.compute.tiers.size(), 2u);
    EXPECT_REJECT(CheckTransaction(RegisterWith({2}, {2}), chain.params),
                  RejectReason::kTxUnknownTier);
    EXPECT_REJECT(CheckTransaction(RegisterWith({255}, {255}), chain.params),
                  RejectReason::kTxUnknownTier);
}

TEST_F(ComputeRegistrationTest, ConsentSignatureCoversTheTier) {
    // The device consented to tier t; the owner cannot register it as tier u with that consent.
    EXPECT_REJECT(CheckTransaction(RegisterWith({kTierU}, {kTierT}), chain.params),
                  RejectReason::kTxBadDeviceSignature);
    EXPECT_REJECT(CheckTransaction(RegisterWith({kTierT}, {kTierU}), chain.params),
                  RejectReason::kTxBadDeviceSignature);
    EXPECT_ACCEPT(CheckTransaction(RegisterWith({kTierT}, {kTierT}), chain.params));
    // Consent to a radio registration does not register a compute device either.
    RegisterDevicePayload p;
    p.device_class = DeviceClass::kCompute;
    p.device = chain.DeviceKey(d);
    p.class_data = {kTierT};
    p.device_signature = test::SignRegistration(chain.devices[d].key, chain.params.network_id,
                                                chain.AccountKey(0), DeviceClass::kRadio, {});
    EXPECT_REJECT(CheckTransaction(test::MakeSignedTx(chain.account_keys[0], RegisterDeviceTx::kId,
                                                      p.Encode(), 0, chain.params.network_id),
                                   chain.params),
                  RejectReason::kTxBadDeviceSignature);
}

// ---- set_compute_tier and reactivate_compute ------------------------------------------------

TEST_F(ComputeRulesTest, SetTierRejections) {
    const PubKey dev = chain.DeviceKey(t0);
    EXPECT_ACCEPT(CheckAndApply(chain.SetTierTx(0, dev, kTierU, NonceOf(0))));
    // Context-free: the tier must exist.
    EXPECT_REJECT(CheckTransaction(chain.SetTierTx(0, dev, 2, NonceOf(0)), chain.params),
                  RejectReason::kTxUnknownTier);
    // Owner only.
    EXPECT_REJECT(CheckAndApply(chain.SetTierTx(1, dev, kTierU, NonceOf(1))),
                  RejectReason::kTxNotDeviceOwner);
    // The tier in force, with nothing pending.
    EXPECT_REJECT(CheckAndApply(chain.SetTierTx(0, dev, kTierT, NonceOf(0))),
                  RejectReason::kTxSameTier);
    EXPECT_REJECT(CheckAndApply(chain.SetTierTx(0, test::TestPubKey(9999), kTierU, NonceOf(0))),
                  RejectReason::kTxUnknownDevice);
    // A malformed payload (a trailing byte).
    Bytes payload = SetComputeTierPayload{dev, kTierU}.Encode();
    payload.push_back(0);
    EXPECT_REJECT(CheckTransaction(test::MakeSignedTx(chain.account_keys[0], SetComputeTierTx::kId,
                                                      payload, NonceOf(0), Net()),
                                   chain.params),
                  RejectReason::kTxMalformed);
    // A radio is not a compute device.
    const size_t r = chain.AddRadio(0, test::kBerlin);
    chain.Mine({chain.RegisterTx(r, NonceOf(0))});
    EXPECT_REJECT(CheckAndApply(chain.SetTierTx(0, chain.RadioKey(r), kTierU, NonceOf(0))),
                  RejectReason::kTxNotCompute);
    EXPECT_REJECT(CheckAndApply(chain.ReactivateTx(0, chain.RadioKey(r), NonceOf(0))),
                  RejectReason::kTxNotCompute);
}

TEST_F(ComputeRulesTest, SetTierTakesEffectAtTheNextBucketStart) {
    const PubKey dev = chain.DeviceKey(t0);
    const ComputeProof p10 = chain.Prove(t0);
    // Block 11: the commit (tier t) and the tier change in one block.
    const ConnectedBlock c11 = chain.MineC({test::Entry(chain.Commit(t0, p10.root))},
                                           {chain.SetTierTx(0, dev, kTierU, NonceOf(0))});
    EXPECT_TRUE(Is(c11.compute[0], ComputeVerdict::kValid));
    auto cs = chain.State(t0);
    EXPECT_EQ(cs->tier, kTierT);
    EXPECT_EQ(cs->next_tier, std::optional<uint8_t>{kTierU});
    EXPECT_EQ(cs->bucket_tier, kTierT);
    EXPECT_EQ(ReadDevice(chain.state, dev)->class_data, (Bytes{kTierU}));
    // The pending tier again is no change.
    EXPECT_REJECT(CheckAndApply(chain.SetTierTx(0, dev, kTierU, NonceOf(0))),
                  RejectReason::kTxSameTier);
    // The bucket in flight keeps tier t: its challenge, open and units.
    EXPECT_EQ(chain.Challenge(t0)->tier, kTierT);
    chain.MineTo(13);
    EXPECT_TRUE(Is(chain.MineReport(chain.Open(t0, p10)), ComputeVerdict::kValid));
    chain.MineTo(15);
    const ConnectedBlock c16 = chain.MineC({});
    EXPECT_TRUE(Settled(c16, dev, ComputeVerdict::kValid));
    EXPECT_EQ(SettlementOf(c16, dev)->tier, kTierT);
    EXPECT_EQ(SettlementOf(c16, dev)->units, 1u);

    // From bucket 20 the device answers tier u.
    chain.MineTo(20);
    cs = chain.State(t0);
    EXPECT_EQ(cs->tier, kTierU);
    EXPECT_FALSE(cs->next_tier.has_value());
    EXPECT_EQ(cs->bucket, 20u);
    EXPECT_EQ(cs->bucket_tier, kTierU);
    const auto info = chain.Challenge(t0);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->tier_params->shape.k, 128u);
    EXPECT_EQ(info->commit_deadline, 23u);
    const ComputeProof p20 = chain.Prove(t0);
    EXPECT_TRUE(Is(Peek(chain.MakeCommit(t0, 20, kTierT, p20.root)), ComputeVerdict::kWrongTier));
    EXPECT_TRUE(
        Is(chain.MineReport(chain.MakeCommit(t0, 20, kTierU, p20.root)), ComputeVerdict::kValid));
    chain.MineTo(24);
    EXPECT_TRUE(Is(chain.MineReport(chain.Open(t0, p20)), ComputeVerdict::kValid));
    chain.MineTo(25);
    const ConnectedBlock c26 = chain.MineC({});
    EXPECT_TRUE(Settled(c26, dev, ComputeVerdict::kValid));
    EXPECT_EQ(SettlementOf(c26, dev)->units, 3u);
    EXPECT_EQ(chain.State(t0)->units, 4u);  // 1 + 3, both settled in epoch 0
}

TEST_F(ComputeRulesTest, SetTierBackCancelsThePendingChange) {
    const PubKey dev = chain.DeviceKey(t0);
    chain.Mine({chain.SetTierTx(0, dev, kTierU, NonceOf(0))});
    EXPECT_EQ(chain.State(t0)->next_tier, std::optional<uint8_t>{kTierU});
    chain.Mine({chain.SetTierTx(0, dev, kTierT, NonceOf(0))});
    EXPECT_EQ(chain.State(t0)->tier, kTierT);
    EXPECT_FALSE(chain.State(t0)->next_tier.has_value());
    EXPECT_EQ(ReadDevice(chain.state, dev)->class_data, (Bytes{kTierT}));
    EXPECT_REJECT(CheckAndApply(chain.SetTierTx(0, dev, kTierT, NonceOf(0))),
                  RejectReason::kTxSameTier);
    chain.MineTo(20);
    EXPECT_EQ(chain.State(t0)->tier, kTierT);
    EXPECT_EQ(chain.State(t0)->bucket_tier, kTierT);
}

// ---- The bucket: challenges, an honest answer, settlement -----------------------------------

TEST_F(ComputeRulesTest, BucketStartChallengesEveryActiveDevice) {
    EXPECT_EQ(start.challenged, 3u);
    for (size_t d : {t0, u0, t1}) {
        const auto cs = chain.State(d);
        EXPECT_EQ(cs->bucket, kH0);
        EXPECT_EQ(cs->bucket_tier, chain.devices[d].tier);
        EXPECT_EQ(cs->progress, BucketProgress::kChallenged);
        const auto info = chain.Challenge(d);
        ASSERT_TRUE(info.has_value());
        EXPECT_EQ(info->bucket, kH0);
        EXPECT_EQ(info->seed, compute::ChallengeSeed(chain.tip.Hash(), chain.DeviceKey(d)));
        const uint64_t D = chain.devices[d].tier == kTierT ? 2 : 3;
        EXPECT_EQ(info->commit_deadline, kH0 + D);
        EXPECT_EQ(info->spot_height, kH0 + D + 1);
        EXPECT_EQ(info->open_deadline, kH0 + D + 1 + 2);
        EXPECT_EQ(info->settle_height, kH0 + test::kSettleOffset);
    }
    // Devices have different challenges: the seed mixes in the device key.
    EXPECT_NE(chain.Challenge(t0)->seed, chain.Challenge(t1)->seed);
    // Other heights challenge nobody.
    EXPECT_EQ(chain.MineC({}).challenged, 0u);
}

TEST_F(ComputeRulesTest, HonestCommitThenOpenPassesAndEarnsTheTierWeight) {
    const ComputeProof pt = chain.Prove(t0);
    const ComputeProof pu = chain.Prove(u0);
    const ConnectedBlock c11 = chain.MineC(
        {test::Entry(chain.Commit(t0, pt.root)), test::Entry(chain.Commit(u0, pu.root))});
    EXPECT_TRUE(Is(c11.compute[0], ComputeVerdict::kValid));
    EXPECT_TRUE(Is(c11.compute[1], ComputeVerdict::kValid));
    EXPECT_EQ(chain.tip.compute[0].verdict, 0u);
    auto cs = chain.State(t0);
    EXPECT_EQ(cs->progress, BucketProgress::kCommitted);
    EXPECT_EQ(cs->root, pt.root);
    EXPECT_EQ(cs->commit_height, 11u);

    chain.MineTo(13);  // t's spot block
    EXPECT_TRUE(Is(chain.MineReport(chain.Open(t0, pt)), ComputeVerdict::kValid));  // 14
    cs = chain.State(t0);
    EXPECT_EQ(cs->progress, BucketProgress::kOpened);
    EXPECT_EQ(cs->open_verdict, ComputeVerdict::kValid);
    EXPECT_TRUE(Is(chain.MineReport(chain.Open(u0, pu)), ComputeVerdict::kValid));  // 15

    const ConnectedBlock c16 = chain.MineC({});
    ASSERT_EQ(c16.settlements.size(), 3u);
    EXPECT_TRUE(std::is_sorted(c16.settlements.begin(), c16.settlements.end(),
                               [](const auto& a, const auto& b) { return a.device < b.device; }));
    EXPECT_TRUE(Settled(c16, chain.DeviceKey(t0), ComputeVerdict::kValid));
    EXPECT_TRUE(Settled(c16, chain.DeviceKey(u0), ComputeVerdict::kValid));
    EXPECT_TRUE(Settled(c16, chain.DeviceKey(t1), ComputeVerdict::kNoCommit));
    EXPECT_EQ(SettlementOf(c16, chain.DeviceKey(t0))->units, 1u);
    EXPECT_EQ(SettlementOf(c16, chain.DeviceKey(u0))->units, 3u);
    EXPECT_EQ(SettlementOf(c16, chain.DeviceKey(t1))->units, 0u);
    EXPECT_EQ(SettlementOf(c16, chain.DeviceKey(u0))->bucket, kH0);
    EXPECT_EQ(SettlementOf(c16, chain.DeviceKey(u0))->tier, kTierU);

    cs = chain.State(t0);
    EXPECT_EQ(cs->bucket, 0u);
    EXPECT_EQ(cs->last_bucket, kH0);
    EXPECT_EQ(cs->last_outcome, ComputeVerdict::kValid);
    EXPECT_EQ(cs->buckets_passed, 1u);
    EXPECT_EQ(cs->missed, 0u);
    EXPECT_EQ(cs->share_epoch, 0u);
    EXPECT_EQ(cs->units, 1u);
    EXPECT_EQ(cs->share_buckets, 1u);
    EXPECT_EQ(chain.State(u0)->units, 3u);
    EXPECT_FALSE(chain.Challenge(t0).has_value());  // nothing in flight until bucket 20
    cs = chain.State(t1);
    EXPECT_EQ(cs->missed, 1u);
    EXPECT_EQ(cs->buckets_failed, 1u);
    EXPECT_TRUE(cs->active);

    // t1 passes the next bucket: its count of failures in a row is reset.
    chain.MineTo(20);
    while (chain.Height() < 26) {
        const ConnectedBlock c = chain.MineC(chain.HonestEntries({t1}));
        for (const ComputeEvaluation& ev : c.compute) EXPECT_TRUE(Is(ev, ComputeVerdict::kValid));
        if (chain.Height() == 26) {
            EXPECT_TRUE(Settled(c, chain.DeviceKey(t1), ComputeVerdict::kValid));
        }
    }
    cs = chain.State(t1);
    EXPECT_EQ(cs->missed, 0u);
    EXPECT_EQ(cs->buckets_passed, 1u);
    EXPECT_EQ(cs->buckets_failed, 1u);
}

TEST_F(ComputeRulesTest, CommitDeadlineIsPerTierAndLateCommitsFailTheBucket) {
    chain.MineTo(11);
    const ComputeProof pt0 = chain.Prove(t0), pu0 = chain.Prove(u0), pt1 = chain.Prove(t1);
    EXPECT_TRUE(Is(chain.MineReport(chain.Commit(t0, pt0.root)), ComputeVerdict::kValid));  // 12
    // Block 13: past t's deadline (12), at u's (13).
    const ConnectedBlock c13 = chain.MineC(
        {test::Entry(chain.Commit(u0, pu0.root)), test::Entry(chain.Commit(t1, pt1.root))});
    EXPECT_TRUE(Is(c13.compute[0], ComputeVerdict::kValid));
    EXPECT_TRUE(Is(c13.compute[1], ComputeVerdict::kLateCommit));
    EXPECT_EQ(chain.State(t1)->progress, BucketProgress::kLateCommit);
    // After a late commit: another commit is a duplicate, and an open has no counted commit.
    EXPECT_TRUE(Is(Peek(chain.Commit(t1, pt1.root)), ComputeVerdict::kDuplicateCommit));
    const ConnectedBlock c14 =
        chain.MineC({test::Entry(chain.Open(t0, pt0)), test::Entry(chain.Open(t1, pt1))});
    EXPECT_TRUE(Is(c14.compute[0], ComputeVerdict::kValid));
    EXPECT_TRUE(Is(c14.compute[1], ComputeVerdict::kNoCommit));
    EXPECT_TRUE(Is(chain.MineReport(chain.Open(u0, pu0)), ComputeVerdict::kValid));  // 15
    const ConnectedBlock c16 = chain.MineC({});
    EXPECT_TRUE(Settled(c16, chain.DeviceKey(t0), ComputeVerdict::kValid));
    EXPECT_TRUE(Settled(c16, chain.DeviceKey(u0), ComputeVerdict::kValid));
    EXPECT_TRUE(Settled(c16, chain.DeviceKey(t1), ComputeVerdict::kLateCommit));
    EXPECT_EQ(chain.State(t1)->last_outcome, ComputeVerdict::kLateCommit);
    EXPECT_EQ(chain.State(t1)->missed, 1u);
    // u's commit in block 14 would have been late too.
}

TEST_F(ComputeRulesTest, LateCommitOfTierU) {
    chain.MineTo(13);
    const ComputeProof pu0 = chain.Prove(u0);
    EXPECT_TRUE(Is(chain.MineReport(chain.Commit(u0, pu0.root)), ComputeVerdict::kLateCommit));
    chain.MineTo(15);
    EXPECT_TRUE(Settled(chain.MineC({}), chain.DeviceKey(u0), ComputeVerdict::kLateCommit));
}

// ---- Entry verdicts before any bucket rule ---------------------------------------------------

TEST_F(ComputeRulesTest, UnknownDevice) {
    const size_t ghost = chain.AddDevice(0, kTierT);  // never registered
    const Hash256 root = chain.Prove(t0).root;
    EXPECT_TRUE(
        Is(Peek(chain.MakeCommit(ghost, kH0, kTierT, root)), ComputeVerdict::kUnknownDevice));
    EXPECT_TRUE(Is(Peek(chain.MakeOpen(ghost, kH0, root, {})), ComputeVerdict::kUnknownDevice));
}

TEST_F(ComputeRulesTest, RadioIsNotCompute) {
    const size_t r = chain.AddRadio(1, test::kBerlin);
    chain.Mine({chain.RegisterTx(r, NonceOf(1))});  // 11
    ComputeCommit c;
    c.device = chain.RadioKey(r);
    c.bucket = kH0;
    c.tier = kTierT;
    c.root = chain.Prove(t0).root;
    test::SignCommit(c, chain.radios[r].key, Net());
    EXPECT_TRUE(Is(chain.MineReport(c), ComputeVerdict::kNotCompute));
    ComputeOpen o;
    o.device = chain.RadioKey(r);
    o.bucket = kH0;
    o.root = c.root;
    test::SignOpen(o, chain.radios[r].key, Net());
    EXPECT_TRUE(Is(Peek(o), ComputeVerdict::kNotCompute));
}

TEST_F(ComputeRulesTest, DeviceRegisteredAfterTheBucketStartIsNotChallenged) {
    const size_t late = chain.AddDevice(2, kTierT);
    chain.MineC({}, {chain.RegisterComputeTx(late, 0)});  // 11
    EXPECT_EQ(chain.State(late)->bucket, 0u);
    EXPECT_FALSE(chain.Challenge(late).has_value());
    const Hash256 root = chain.Prove(t0).root;  // any root
    EXPECT_TRUE(Is(chain.MineReport(chain.MakeCommit(late, kH0, kTierT, root)),
                   ComputeVerdict::kNotChallenged));  // 12
    chain.MineTo(13);
    EXPECT_TRUE(Is(Peek(chain.MakeOpen(late, kH0, root, {})), ComputeVerdict::kNotChallenged));
    // It is not settled in bucket 10 ...
    chain.MineTo(15);
    EXPECT_FALSE(SettlementOf(chain.MineC({}), chain.DeviceKey(late)).has_value());
    // ... and is challenged from bucket 20. A device registered in the start block itself is
    // challenged at once: that block's transactions come before its bucket start.
    const size_t at_start = chain.AddDevice(3, kTierU);
    chain.MineTo(19);
    const ConnectedBlock c20 = chain.MineC({}, {chain.RegisterComputeTx(at_start, 0)});
    EXPECT_EQ(c20.challenged, 5u);
    EXPECT_EQ(chain.State(late)->bucket, 20u);
    EXPECT_EQ(chain.State(at_start)->bucket, 20u);
    EXPECT_TRUE(
        Is(chain.MineReport(chain.Commit(late, chain.Prove(late).root)), ComputeVerdict::kValid));
}

// ---- Bucket rules ---------------------------------------------------------------------------

TEST_F(ComputeRulesTest, WrongBucketIncludingReplaysOfAnEarlierBucket) {
    const ComputeProof p = chain.Prove(t0);
    // Reports naming a bucket other than the current one.
    EXPECT_TRUE(Is(Peek(chain.MakeCommit(t0, 20, kTierT, p.root)), ComputeVerdict::kWrongBucket));
    EXPECT_TRUE(Is(Peek(chain.MakeCommit(t0, 0, kTierT, p.root)), ComputeVerdict::kWrongBucket));
    EXPECT_TRUE(Is(Peek(chain.MakeCommit(t0, 9, kTierT, p.root)), ComputeVerdict::kWrongBucket));
    // Bucket 10 answered honestly; its reports are kept for replay.
    const ComputeCommit old_commit = chain.Commit(t0, p.root);
    EXPECT_TRUE(Is(chain.MineReport(old_commit), ComputeVerdict::kValid));
    chain.MineTo(13);
    const ComputeOpen old_open = chain.Open(t0, p);
    EXPECT_TRUE(Is(chain.MineReport(old_open), ComputeVerdict::kValid));
    EXPECT_TRUE(
        Is(Peek(chain.MakeOpen(t0, 20, p.root, old_open.tiles)), ComputeVerdict::kWrongBucket));
    chain.MineTo(20);
    // Bucket 20: the old reports are replays.
    EXPECT_TRUE(Is(chain.MineReport(old_commit), ComputeVerdict::kWrongBucket));  // 21
    EXPECT_EQ(chain.State(t0)->progress, BucketProgress::kChallenged);
    EXPECT_TRUE(Is(Peek(old_open), ComputeVerdict::kWrongBucket));
    const ComputeProof p20 = chain.Prove(t0);
    EXPECT_NE(p20.root, p.root);  // a new seed
    EXPECT_TRUE(Is(chain.MineReport(chain.Commit(t0, p20.root)), ComputeVerdict::kValid));  // 22
    chain.MineTo(23);
    EXPECT_TRUE(Is(Peek(old_open), ComputeVerdict::kWrongBucket));
    EXPECT_TRUE(Is(chain.MineReport(chain.Open(t0, p20)), ComputeVerdict::kValid));
}

TEST_F(ComputeRulesTest, WrongTierDoesNotCount) {
    const ComputeProof p = chain.Prove(t0);
    EXPECT_TRUE(Is(chain.MineReport(chain.MakeCommit(t0, kH0, kTierU, p.root)),
                   ComputeVerdict::kWrongTier));
    EXPECT_EQ(chain.State(t0)->progress, BucketProgress::kChallenged);
    EXPECT_TRUE(Is(Peek(chain.MakeCommit(t0, kH0, 7, p.root)), ComputeVerdict::kWrongTier));
    EXPECT_TRUE(
        Is(chain.MineReport(chain.MakeCommit(t0, kH0, kTierT, p.root)), ComputeVerdict::kValid));
}

TEST_F(ComputeRulesTest, OnlyTheFirstCommitCounts) {
    const ComputeProof p = chain.Prove(t0);
    Hash256 other = p.root;
    other.bytes[0] ^= 1;
    // Two in one block: the second is a duplicate.
    const ConnectedBlock c11 =
        chain.MineC({test::Entry(chain.Commit(t0, p.root)), test::Entry(chain.Commit(t0, other))});
    EXPECT_TRUE(Is(c11.compute[0], ComputeVerdict::kValid));
    EXPECT_TRUE(Is(c11.compute[1], ComputeVerdict::kDuplicateCommit));
    EXPECT_TRUE(Is(chain.MineReport(chain.Commit(t0, other)),
                   ComputeVerdict::kDuplicateCommit));  // 12
    chain.MineTo(13);
    // After the spot block a new root could re-draw the spot cells: still a duplicate.
    other.bytes[1] ^= 1;
    EXPECT_TRUE(Is(chain.MineReport(chain.Commit(t0, other)),
                   ComputeVerdict::kDuplicateCommit));  // 14
    EXPECT_EQ(chain.State(t0)->root, p.root);
    EXPECT_EQ(chain.State(t0)->commit_height, 11u);
    EXPECT_TRUE(Is(chain.MineReport(chain.Open(t0, p)), ComputeVerdict::kValid));  // 15
    EXPECT_TRUE(Is(Peek(chain.Commit(t0, other)), ComputeVerdict::kDuplicateCommit));
    EXPECT_TRUE(Settled(chain.MineC({}), chain.DeviceKey(t0), ComputeVerdict::kValid));
}

TEST_F(ComputeRulesTest, OpenWithoutCommit) {
    const ComputeProof p = chain.Prove(t0);
    chain.MineTo(13);
    EXPECT_TRUE(Is(chain.MineReport(chain.Open(t0, p)), ComputeVerdict::kNoCommit));  // 14
    EXPECT_EQ(chain.State(t0)->progress, BucketProgress::kChallenged);
    chain.MineTo(15);
    const ConnectedBlock c16 = chain.MineC({});
    EXPECT_TRUE(Settled(c16, chain.DeviceKey(t0), ComputeVerdict::kNoCommit));
    EXPECT_EQ(chain.State(t0)->last_outcome, ComputeVerdict::kNoCommit);
}

TEST_F(ComputeRulesTest, OpenBeforeTheSpotBlockIsTooEarly) {
    const ComputeProof p = chain.Prove(t0);
    EXPECT_TRUE(Is(chain.MineReport(chain.Commit(t0, p.root)), ComputeVerdict::kValid));  // 11
    // The spot cells are not known yet; any tiles will do.
    const ComputeOpen early = chain.MakeOpen(t0, kH0, p.root, test::OpenTiles(p, {0, 100}));
    EXPECT_TRUE(Is(chain.MineReport(early), ComputeVerdict::kOpenTooEarly));  // 12
    EXPECT_TRUE(Is(chain.MineReport(early), ComputeVerdict::kOpenTooEarly));  // 13: the spot block
    EXPECT_EQ(chain.State(t0)->progress, BucketProgress::kCommitted);         // nothing booked
    EXPECT_TRUE(Is(chain.MineReport(chain.Open(t0, p)), ComputeVerdict::kValid));  // 14
}

TEST_F(ComputeRulesTest, OpenAfterTheWindowIsLate) {
    const ComputeProof pt = chain.Prove(t0), pu = chain.Prove(u0);
    chain.MineC({test::Entry(chain.Commit(t0, pt.root)), test::Entry(chain.Commit(u0, pu.root))});
    chain.MineTo(15);
    // Block 16: past t's open deadline (15), at u's (16); settlement follows the entries.
    const ComputeOpen late = chain.Open(t0, pt);
    const ConnectedBlock c16 = chain.MineC({test::Entry(late), test::Entry(chain.Open(u0, pu))});
    EXPECT_TRUE(Is(c16.compute[0], ComputeVerdict::kLateOpen));
    EXPECT_TRUE(Is(c16.compute[1], ComputeVerdict::kValid));
    EXPECT_TRUE(Settled(c16, chain.DeviceKey(t0), ComputeVerdict::kNoOpen));
    EXPECT_TRUE(Settled(c16, chain.DeviceKey(u0), ComputeVerdict::kValid));
    // After settlement, until the next bucket starts.
    EXPECT_TRUE(Is(chain.MineReport(late), ComputeVerdict::kLateOpen));  // 17
    EXPECT_TRUE(Is(chain.MineReport(chain.MakeCommit(t1, kH0, kTierT, pt.root)),
                   ComputeVerdict::kLateCommit));
    chain.MineTo(19);
    EXPECT_TRUE(Is(Peek(late), ComputeVerdict::kLateOpen));  // block 20: bucket 10 still current
}

TEST_F(ComputeRulesTest, CommitWithoutOpenSettlesAsNoOpen) {
    const ComputeProof p = chain.Prove(u0);
    EXPECT_TRUE(Is(chain.MineReport(chain.Commit(u0, p.root)), ComputeVerdict::kValid));
    chain.MineTo(15);
    const ConnectedBlock c16 = chain.MineC({});
    EXPECT_TRUE(Settled(c16, chain.DeviceKey(u0), ComputeVerdict::kNoOpen));
    EXPECT_EQ(SettlementOf(c16, chain.DeviceKey(u0))->units, 0u);
    EXPECT_EQ(chain.State(u0)->missed, 1u);
}

TEST_F(ComputeRulesTest, OnlyTheFirstOpenCounts) {
    const ComputeProof p = chain.Prove(t0);
    chain.MineReport(chain.Commit(t0, p.root));
    chain.MineTo(13);
    const ComputeOpen o = chain.Open(t0, p);
    const ConnectedBlock c14 = chain.MineC({test::Entry(o), test::Entry(o)});
    EXPECT_TRUE(Is(c14.compute[0], ComputeVerdict::kValid));
    EXPECT_TRUE(Is(c14.compute[1], ComputeVerdict::kDuplicateOpen));
    EXPECT_TRUE(Is(chain.MineReport(o), ComputeVerdict::kDuplicateOpen));  // 15
    EXPECT_TRUE(Settled(chain.MineC({}), chain.DeviceKey(t0), ComputeVerdict::kValid));
}

TEST_F(ComputeRulesTest, OpenOfAnotherRootIsBookedAsRootMismatch) {
    const ComputeProof p = chain.Prove(t0);
    ComputeProof other = p;
    other.Cell(0) += 1;
    other.Rehash();
    EXPECT_TRUE(Is(chain.MineReport(chain.Commit(t0, p.root)), ComputeVerdict::kValid));
    chain.MineTo(13);
    // Internally consistent tiles of a root the device did not commit to.
    EXPECT_TRUE(Is(chain.MineReport(chain.Open(t0, other)), ComputeVerdict::kRootMismatch));
    // That was the device's one answer: the honest open comes too late to count.
    EXPECT_EQ(chain.State(t0)->progress, BucketProgress::kOpened);
    EXPECT_TRUE(Is(chain.MineReport(chain.Open(t0, p)), ComputeVerdict::kDuplicateOpen));
    EXPECT_TRUE(Settled(chain.MineC({}), chain.DeviceKey(t0), ComputeVerdict::kRootMismatch));
}

// ---- The cells of an open ---------------------------------------------------------------------

TEST_F(ComputeRulesTest, OpenedTilesMustBeExactlyTheSpottedOnes) {
    const ComputeProof p = chain.Prove(t0);
    chain.MineReport(chain.Commit(t0, p.root));
    chain.MineTo(13);
    const std::vector<uint64_t> spots = chain.Spots(t0, p.root);
    ASSERT_EQ(spots.size(), test::kSpotCells);
    const std::vector<OpenedTile> honest = test::OpenTiles(p, spots);
    ASSERT_GE(honest.size(), 2u);  // 8 cells over 16 tiles
    EXPECT_EQ(CheckCells(t0, chain.Open(t0, p)), (compute::OpenCheck{}));

    std::vector<std::vector<OpenedTile>> variants;
    // A spotted tile missing.
    variants.push_back({honest.begin() + 1, honest.end()});
    variants.push_back({honest.begin(), honest.end() - 1});
    // An extra, unspotted tile (valid cells and path).
    std::set<uint64_t> spotted;
    for (const OpenedTile& t : honest) spotted.insert(t.index);
    uint64_t extra = 0;
    while (spotted.contains(extra)) ++extra;
    std::vector<OpenedTile> with_extra = honest;
    with_extra.push_back({extra, p.tiles[extra], compute::TilePath(p.leaves, extra)});
    std::sort(with_extra.begin(), with_extra.end(),
              [](const OpenedTile& a, const OpenedTile& b) { return a.index < b.index; });
    variants.push_back(with_extra);
    // Unsorted.
    variants.push_back({honest.rbegin(), honest.rend()});
    // A tile twice (replacing another, so the count is right).
    std::vector<OpenedTile> twice = honest;
    twice[1] = twice[0];
    variants.push_back(twice);
    // Every tile, or none.
    variants.push_back({});
    std::vector<OpenedTile> all;
    for (uint64_t t = 0; t < p.tiles.size(); ++t) {
        all.push_back({t, p.tiles[t], compute::TilePath(p.leaves, t)});
    }
    variants.push_back(all);
    for (size_t v = 0; v < variants.size(); ++v) {
        const ComputeOpen o = chain.MakeOpen(t0, kH0, p.root, variants[v]);
        EXPECT_TRUE(Is(Peek(o), ComputeVerdict::kWrongTiles)) << "variant " << v;
        EXPECT_EQ(CheckCells(t0, o), (compute::OpenCheck{ComputeVerdict::kWrongTiles, 0}));
    }
    EXPECT_TRUE(Is(chain.MineReport(chain.MakeOpen(t0, kH0, p.root, variants[0])),
                   ComputeVerdict::kWrongTiles));
    EXPECT_TRUE(Is(chain.MineReport(chain.Open(t0, p)), ComputeVerdict::kDuplicateOpen));
    EXPECT_TRUE(Settled(chain.MineC({}), chain.DeviceKey(t0), ComputeVerdict::kWrongTiles));
}

TEST_F(ComputeRulesTest, TileThatDoesNotLeadToTheRootIsABadPathAtItsFirstSpot) {
    const ComputeProof p = chain.Prove(t0);
    chain.MineReport(chain.Commit(t0, p.root));
    chain.MineTo(13);
    const ChallengeShape s = chain.Challenge(t0)->tier_params->shape;
    const std::vector<uint64_t> spots = chain.Spots(t0, p.root);
    const std::vector<OpenedTile> honest = test::OpenTiles(p, spots);
    const uint64_t victim = LastFirstSpottedTile(s, spots);
    const uint32_t q = FirstSpotIn(s, spots, victim);
    EXPECT_GT(q, 0u);
    size_t at = 0;
    while (honest[at].index != victim) ++at;

    std::vector<std::pair<std::string, std::vector<OpenedTile>>> variants;
    auto edit = [&](const std::string& name, auto f) {
        std::vector<OpenedTile> tiles = honest;
        f(tiles[at]);
        variants.emplace_back(name, std::move(tiles));
    };
    edit("tampered sibling", [](OpenedTile& t) { t.path[0].bytes[0] ^= 1; });
    edit("tampered top sibling", [](OpenedTile& t) { t.path.back().bytes[31] ^= 0x80; });
    edit("extra sibling", [](OpenedTile& t) { t.path.push_back(t.path[0]); });
    edit("missing sibling", [](OpenedTile& t) { t.path.pop_back(); });
    edit("another tile's path", [&](OpenedTile& t) {
        t.path = compute::TilePath(p.leaves, (victim + 1) % p.tiles.size());
    });
    edit("one cell short", [](OpenedTile& t) { t.cells.pop_back(); });
    edit("one cell over", [](OpenedTile& t) { t.cells.push_back(0); });
    // A changed cell that is not spotted still changes the leaf.
    edit("unspotted cell changed", [&](OpenedTile& t) {
        std::set<uint32_t> offsets;
        for (uint64_t c : spots) {
            if (compute::TileOfCell(s, c) == victim) offsets.insert(compute::OffsetInTile(s, c));
        }
        uint32_t off = 0;
        while (offsets.contains(off)) ++off;
        t.cells[off] += 1;
    });
    for (const auto& [name, tiles] : variants) {
        const ComputeOpen o = chain.MakeOpen(t0, kH0, p.root, tiles);
        EXPECT_TRUE(Is(Peek(o), ComputeVerdict::kBadPath, q)) << name;
        EXPECT_EQ(CheckCells(t0, o), (compute::OpenCheck{ComputeVerdict::kBadPath, q})) << name;
    }
    EXPECT_TRUE(Is(chain.MineReport(chain.MakeOpen(t0, kH0, p.root, variants[0].second)),
                   ComputeVerdict::kBadPath, q));
    EXPECT_EQ(chain.State(t0)->open_detail, q);
    chain.MineTo(15);
    const ConnectedBlock c16 = chain.MineC({});
    EXPECT_TRUE(Settled(c16, chain.DeviceKey(t0), ComputeVerdict::kBadPath, q));
    EXPECT_EQ(chain.State(t0)->last_detail, q);
}

TEST_F(ComputeRulesTest, WrongCellValueFailsAtTheFirstWrongSpot) {
    // A cheater commits to an output whose odd cells are all off by one; its tiles lead to its
    // root, so only the recomputed values can catch it.
    ComputeProof cheat = chain.Prove(t0);
    const ChallengeShape s = cheat.shape;
    for (uint64_t c = 1; c < compute::CellCount(s); c += 2) cheat.Cell(c) += 1;
    cheat.Rehash();
    chain.MineReport(chain.Commit(t0, cheat.root));
    chain.MineTo(13);
    const std::vector<uint64_t> spots = chain.Spots(t0, cheat.root);
    uint32_t q = 0;
    while (q < spots.size() && spots[q] % 2 == 0) ++q;
    ASSERT_LT(q, spots.size()) << "no odd cell spotted: the cheater would pass (p = 1/256)";

    const ComputeOpen o = chain.Open(t0, cheat);
    EXPECT_EQ(CheckCells(t0, o), (compute::OpenCheck{ComputeVerdict::kWrongValue, q}));
    // A block recording another detail, or a pass, is invalid.
    auto assembled = chain.AssembleC({test::Entry(o)});
    ASSERT_TRUE(assembled.has_value());
    EXPECT_EQ(assembled->block.compute[0].verdict,
              static_cast<uint8_t>(ComputeVerdict::kWrongValue));
    EXPECT_EQ(assembled->block.compute[0].detail, q);
    for (const auto& [verdict, detail] : std::vector<std::pair<uint8_t, uint32_t>>{
             {static_cast<uint8_t>(ComputeVerdict::kWrongValue), q + 1},
             {static_cast<uint8_t>(ComputeVerdict::kValid), 0},
             {static_cast<uint8_t>(ComputeVerdict::kBadPath), q}}) {
        Block b = assembled->block;
        b.compute[0].verdict = verdict;
        b.compute[0].detail = detail;
        b.header.compute_root = ComputeEntriesRoot(b.compute);
        EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadVerdict);
    }
    ASSERT_TRUE(chain.TryAdvance(assembled->block).has_value());
    EXPECT_EQ(chain.State(t0)->open_verdict, ComputeVerdict::kWrongValue);
    // No second chance: another open (even an honest one) is a duplicate.
    EXPECT_TRUE(Is(Peek(chain.Open(t0, chain.Prove(t0))), ComputeVerdict::kDuplicateOpen));
    EXPECT_TRUE(Is(Peek(o), ComputeVerdict::kDuplicateOpen));
    chain.MineTo(15);
    EXPECT_TRUE(Settled(chain.MineC({}), chain.DeviceKey(t0), ComputeVerdict::kWrongValue, q));
}

// ---- Deactivation and reactivation ----------------------------------------------------------

TEST_F(ComputeRulesTest, MissedBucketsDeactivateAndReactivationRestoresChallenges) {
    const PubKey dev = chain.DeviceKey(t1);
    // t0 and u0 answer every bucket; t1 answers none until reactivated.
    std::vector<size_t> honest = {t0, u0};
    auto step = [&]() {
        const ConnectedBlock c = chain.MineC(chain.HonestEntries(honest));
        for (const ComputeEvaluation& ev : c.compute) EXPECT_TRUE(Is(ev, ComputeVerdict::kValid));
        return c;
    };
    while (chain.Height() < 36) {
        const ConnectedBlock c = step();
        if (chain.Height() % 10 == 6) {
            const auto s = SettlementOf(c, dev);
            ASSERT_TRUE(s.has_value());
            EXPECT_EQ(s->outcome, ComputeVerdict::kNoCommit);
            const uint64_t n = (chain.Height() - 6) / 10;  // 1, 2, 3
            EXPECT_EQ(chain.State(t1)->missed, n);
            EXPECT_EQ(s->deactivated, n == 3);
            EXPECT_EQ(chain.State(t1)->active, n < 3);
            EXPECT_TRUE(Settled(c, chain.DeviceKey(t0), ComputeVerdict::kValid));
        }
    }
    EXPECT_EQ(chain.State(t1)->buckets_failed, 3u);
    // Not challenged at the next start, not settled in it.
    chain.MineTo(39);
    const ConnectedBlock c40 = step();
    EXPECT_EQ(c40.challenged, 2u);
    EXPECT_EQ(chain.State(t1)->bucket, 0u);
    EXPECT_FALSE(chain.Challenge(t1).has_value());
    ComputeProof any = chain.Prove(t0);
    EXPECT_TRUE(Is(Peek(chain.MakeCommit(t1, 40, kTierT, any.root)), ComputeVerdict::kInactive));
    EXPECT_TRUE(Is(Peek(chain.MakeOpen(t1, 40, any.root, {})), ComputeVerdict::kInactive));

    // Reactivation: owner only, and only of an inactive device.
    EXPECT_REJECT(CheckAndApply(chain.ReactivateTx(0, dev, NonceOf(0))),
                  RejectReason::kTxNotDeviceOwner);
    EXPECT_REJECT(CheckAndApply(chain.ReactivateTx(0, chain.DeviceKey(t0), NonceOf(0))),
                  RejectReason::kTxDeviceActive);
    EXPECT_REJECT(CheckAndApply(chain.ReactivateTx(1, test::TestPubKey(9999), NonceOf(1))),
                  RejectReason::kTxUnknownDevice);
    chain.MineC(chain.HonestEntries(honest), {chain.ReactivateTx(1, dev, NonceOf(1))});
    EXPECT_TRUE(chain.State(t1)->active);
    EXPECT_EQ(chain.State(t1)->missed, 0u);
    EXPECT_REJECT(CheckAndApply(chain.ReactivateTx(1, dev, NonceOf(1))),
                  RejectReason::kTxDeviceActive);
    // Active again, but bucket 40 started without it.
    EXPECT_TRUE(
        Is(Peek(chain.MakeCommit(t1, 40, kTierT, any.root)), ComputeVerdict::kNotChallenged));
    while (chain.Height() < 46) {
        const ConnectedBlock c = step();
        if (chain.Height() == 46) {
            EXPECT_FALSE(SettlementOf(c, dev).has_value());
            EXPECT_EQ(c.settlements.size(), 2u);
        }
    }
    // From bucket 50 it is challenged and, answering, passes.
    honest.push_back(t1);
    while (chain.Height() < 56) {
        const ConnectedBlock c = step();
        if (chain.Height() == 50) {
            EXPECT_EQ(c.challenged, 3u);
        }
        if (chain.Height() == 56) {
            EXPECT_TRUE(Settled(c, dev, ComputeVerdict::kValid));
        }
    }
    EXPECT_EQ(chain.State(t1)->buckets_passed, 1u);
    EXPECT_EQ(chain.State(t1)->missed, 0u);
}

TEST_F(ComputeRulesTest, OnlyFailuresInARowDeactivate) {
    const PubKey dev = chain.DeviceKey(t1);
    // t1 fails buckets 10 and 20, passes 30, fails 40 and 50: never three in a row.
    auto answers = [](uint64_t bucket) { return bucket == 30; };
    while (chain.Height() < 56) {
        std::vector<ComputeEntry> entries;
        const auto info = chain.Challenge(t1);
        if (info && answers(info->bucket)) entries = chain.HonestEntries({t1});
        const ConnectedBlock c = chain.MineC(std::move(entries));
        if (const auto s = SettlementOf(c, dev)) {
            EXPECT_EQ(s->outcome,
                      answers(s->bucket) ? ComputeVerdict::kValid : ComputeVerdict::kNoCommit);
            EXPECT_FALSE(s->deactivated);
        }
    }
    EXPECT_TRUE(chain.State(t1)->active);
    EXPECT_EQ(chain.State(t1)->missed, 2u);
    EXPECT_EQ(chain.State(t1)->buckets_failed, 4u);
    EXPECT_EQ(chain.State(t1)->buckets_passed, 1u);
    // t0 and u0 failed three in a row (10, 20, 30) and were deactivated.
    EXPECT_FALSE(chain.State(t0)->active);
    EXPECT_FALSE(chain.State(u0)->active);
}

// ---- Block-level rules -----------------------------------------------------------------------

TEST_F(ComputeRulesTest, BlockRecordingAnotherVerdictIsRejected) {
    const ComputeProof p = chain.Prove(t0);
    auto a = chain.AssembleC({test::Entry(chain.Commit(t0, p.root))});
    ASSERT_TRUE(a.has_value());
    EXPECT_ACCEPT(chain.Connect(a->block));
    Block b = a->block;
    b.compute[0].verdict = static_cast<uint8_t>(ComputeVerdict::kLateCommit);
    b.header.compute_root = ComputeEntriesRoot(b.compute);
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadVerdict);
    b = a->block;
    b.compute[0].detail = 1;
    b.header.compute_root = ComputeEntriesRoot(b.compute);
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadVerdict);
    // An undefined verdict byte is just another wrong verdict.
    b = a->block;
    b.compute[0].verdict = 200;
    b.header.compute_root = ComputeEntriesRoot(b.compute);
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadVerdict);
}

TEST_F(ComputeRulesTest, BlockWithWrongComputeRootIsRejected) {
    const ComputeProof p = chain.Prove(t0);
    auto a = chain.AssembleC(
        {test::Entry(chain.Commit(t0, p.root)), test::Entry(chain.Commit(u0, p.root))});
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->block.header.compute_root, ComputeEntriesRoot(a->block.compute));
    Block b = a->block;
    b.header.compute_root.bytes[0] ^= 1;
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadComputeRoot);
    // Entries dropped, reordered or changed under the same root.
    b = a->block;
    b.compute.pop_back();
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadComputeRoot);
    b = a->block;
    std::swap(b.compute[0], b.compute[1]);
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadComputeRoot);
    b = a->block;
    b.compute[1].detail = 5;
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadComputeRoot);
    // An empty block's compute root is the empty Merkle root.
    auto empty = chain.AssembleC({});
    EXPECT_EQ(empty->block.header.compute_root, ComputeEntriesRoot({}));
}

TEST_F(ComputeRulesTest, BlockWithTooManyComputeEntriesIsRejected) {
    std::vector<ComputeEntry> entries;
    const Hash256 root = chain.Prove(t0).root;
    for (uint32_t i = 0; i <= test::kMaxComputeEntries; ++i) {
        const size_t ghost = chain.AddDevice(0, kTierT);
        entries.push_back(test::Entry(chain.MakeCommit(ghost, kH0, kTierT, root)));
    }
    auto over = chain.AssembleC(entries);
    ASSERT_TRUE(over.has_value());
    EXPECT_REJECT(chain.Connect(over->block), RejectReason::kBlockTooManyComputeEntries);
    entries.pop_back();
    auto at = chain.AssembleC(entries);
    ASSERT_TRUE(at.has_value());
    auto c = chain.Connect(at->block);
    ASSERT_TRUE(c.has_value()) << c.error().ToString();
    for (const ComputeEvaluation& ev : c->compute) {
        EXPECT_TRUE(Is(ev, ComputeVerdict::kUnknownDevice));
    }
}

TEST_F(ComputeRulesTest, BlockWithBadlySignedComputeEntryIsRejected) {
    const ComputeProof p = chain.Prove(t0);
    const SignatureChecker checker;
    // Signed for another network.
    ComputeCommit c = chain.Commit(t0, p.root);
    EXPECT_TRUE(checker.VerifyComputeReport(c, Net()));
    EXPECT_FALSE(checker.VerifyComputeReport(c, Net() + 1));
    test::SignCommit(c, chain.devices[t0].key, Net() + 1);
    EXPECT_FALSE(checker.VerifyComputeReport(c, Net()));
    auto a = chain.AssembleC({test::Entry(c)});  // a proposer that does not check signatures
    ASSERT_TRUE(a.has_value());
    EXPECT_REJECT(chain.Connect(a->block), RejectReason::kBlockBadReportSignature);
    // Signed by another device's key.
    c = chain.Commit(t0, p.root);
    test::SignCommit(c, chain.devices[t1].key, Net());
    a = chain.AssembleC({test::Entry(chain.Commit(u0, p.root)), test::Entry(c)});
    EXPECT_REJECT(chain.Connect(a->block), RejectReason::kBlockBadReportSignature);
    // A field changed after signing.
    c = chain.Commit(t0, p.root);
    c.root.bytes[0] ^= 1;
    a = chain.AssembleC({test::Entry(c)});
    EXPECT_REJECT(chain.Connect(a->block), RejectReason::kBlockBadReportSignature);
    // An open whose tiles were changed after signing.
    chain.MineReport(chain.Commit(t0, p.root));
    chain.MineTo(13);
    ComputeOpen o = chain.Open(t0, p);
    EXPECT_TRUE(checker.VerifyComputeReport(o, Net()));
    o.tiles[0].path[0].bytes[0] ^= 1;
    a = chain.AssembleC({test::Entry(o)});
    ASSERT_TRUE(a.has_value());
    EXPECT_REJECT(chain.Connect(a->block), RejectReason::kBlockBadReportSignature);
}

// ---- The compute pool ------------------------------------------------------------------------

Amount FloorShare(Amount pool, uint64_t units, uint64_t total) {
    return total == 0 ? 0 : static_cast<Amount>(static_cast<U128>(pool) * units / total);
}

TEST(ComputeRewardsTest, PoolIsPaidByUnitsPerOwnerOverTwoEpochs) {
    ComputeChain chain{4};
    // Owner 0: d0 (t, switched to u from bucket 30) and d1 (u); owner 1: d2 (t, transferred to
    // owner 3 at height 40) and d3 (t, answers only in epoch 0, deactivated at 56); owner 2: d4
    // (u); owner 3: d5 (t, never answers, deactivated at 36).
    const std::vector<size_t> ds = {chain.AddDevice(0, kTierT), chain.AddDevice(0, kTierU),
                                    chain.AddDevice(1, kTierT), chain.AddDevice(1, kTierT),
                                    chain.AddDevice(2, kTierU), chain.AddDevice(3, kTierT)};
    auto answers = [](size_t d, uint64_t bucket) {
        switch (d) {
            case 1:
                return bucket != 50;
            case 2:
                return bucket != 20 && bucket != 30;  // two in a row: still active
            case 3:
                return bucket <= 20;
            case 4:
                return bucket != 40;
            case 5:
                return false;
        }
        return true;
    };
    auto weight = [&](size_t d, uint64_t bucket) -> uint64_t {
        if (d == 0) return bucket >= 30 ? 3 : 1;
        return chain.devices[d].tier == kTierT ? 1 : 3;
    };
    auto owner = [&](size_t d, uint64_t epoch) -> size_t {
        return d == 2 && epoch == 1 ? 3 : chain.devices[d].owner;
    };
    auto deactivated_at = [](size_t d) -> uint64_t { return d == 5 ? 30 : d == 3 ? 50 : 0; };
    // Expected units and buckets by epoch and device: bucket b settles at b + 6.
    std::map<uint64_t, std::map<size_t, std::pair<uint64_t, uint64_t>>> expected;
    for (uint64_t b = 10; b <= 50; b += 10) {
        for (size_t d : ds) {
            if (!answers(d, b)) continue;
            auto& e = expected[rewards::EpochOf(chain.params, b + test::kSettleOffset)][d];
            e.first += weight(d, b);
            e.second += 1;
        }
    }
    ASSERT_EQ(expected.size(), 2u);
    ASSERT_EQ(expected[0].size(), 5u);
    ASSERT_EQ(expected[1].size(), 4u);

    chain.RegisterDevices(ds);
    EXPECT_TRUE(chain.SupplyHolds());
    int epochs_closed = 0;
    while (chain.Height() < 60) {
        std::vector<ComputeEntry> entries;
        for (size_t d : ds) {
            const auto info = chain.Challenge(d);
            if (!info || !answers(d, info->bucket)) continue;
            for (ComputeEntry& e : chain.HonestEntries({d})) entries.push_back(std::move(e));
        }
        std::vector<Transaction> txs;
        if (chain.Height() + 1 == 25) {
            txs.push_back(
                chain.SetTierTx(0, chain.DeviceKey(0), kTierU, chain.Nonce(chain.AccountKey(0))));
        }
        if (chain.Height() + 1 == 40) {
            txs.push_back(test::MakeTransferDeviceTx(
                chain.account_keys[1], chain.DeviceKey(2), chain.AccountKey(3),
                chain.Nonce(chain.AccountKey(1)), chain.params.network_id));
        }
        std::map<size_t, Amount> before;
        for (size_t a = 0; a < 4; ++a) before[a] = chain.Balance(chain.AccountKey(a));
        const ConnectedBlock c = chain.MineC(std::move(entries), std::move(txs));
        ASSERT_TRUE(chain.SupplyHolds());
        for (const ComputeEvaluation& ev : c.compute) EXPECT_TRUE(Is(ev, ComputeVerdict::kValid));
        for (const ComputeSettlement& s : c.settlements) {
            size_t d = 0;
            while (chain.DeviceKey(d) != s.device) ++d;
            const bool pass = answers(d, s.bucket);
            EXPECT_EQ(s.outcome, pass ? ComputeVerdict::kValid : ComputeVerdict::kNoCommit);
            EXPECT_EQ(s.units, pass ? weight(d, s.bucket) : 0u);
            EXPECT_EQ(s.deactivated, deactivated_at(d) == s.bucket) << d << " " << s.bucket;
        }
        if (chain.Height() == 46 || chain.Height() == 56) {
            EXPECT_EQ(c.settlements.size(), 5u);
        }
        if (!c.epoch) continue;

        ++epochs_closed;
        const rewards::EpochOutcome& out = *c.epoch;
        const EpochSummary& s = out.summary;
        const auto& want = expected.at(s.epoch);
        EXPECT_EQ(s.compute_pool, static_cast<Amount>(static_cast<U128>(s.emission) *
                                                      chain.params.rewards.compute_bps / 10'000));
        uint64_t total = 0;
        for (const auto& [d, ub] : want) total += ub.first;
        ASSERT_EQ(out.compute.devices.size(), want.size());
        std::map<PubKey, Amount> per_owner;
        Amount paid = 0;
        for (const rewards::ComputeDevicePayout& p : out.compute.devices) {
            size_t d = 0;
            while (chain.DeviceKey(d) != p.device) ++d;
            ASSERT_TRUE(want.contains(d)) << "device " << d << " paid in epoch " << s.epoch;
            EXPECT_EQ(p.units, want.at(d).first);
            EXPECT_EQ(p.buckets, want.at(d).second);
            EXPECT_EQ(p.owner, chain.AccountKey(owner(d, s.epoch)));
            EXPECT_EQ(p.amount, FloorShare(s.compute_pool, p.units, total));
            per_owner[p.owner] += p.amount;
            paid += p.amount;
        }
        EXPECT_EQ(out.compute.owners.size(), per_owner.size());
        for (const auto& [owner, amount] : out.compute.owners) {
            EXPECT_EQ(amount, per_owner.at(owner));
        }
        // Owners are paid exactly their devices' sum (no other credit reaches them here).
        for (size_t a = 0; a < 4; ++a) {
            const PubKey& key = chain.AccountKey(a);
            const Amount got = chain.Balance(key) - before[a];
            EXPECT_EQ(got, per_owner.contains(key) ? per_owner.at(key) : 0) << "owner " << a;
        }
        EXPECT_EQ(s.compute_paid, paid);
        EXPECT_EQ(out.compute.paid, paid);
        EXPECT_EQ(s.compute_devices_paid, want.size());
        EXPECT_GT(s.compute_pool - paid, 0u);  // a remainder, and it is not minted
        EXPECT_EQ(out.compute.remainder, s.compute_pool - paid);
        EXPECT_EQ(s.minted, paid + s.validators_pool);  // one validator takes its whole pool
        EXPECT_EQ(s.unminted, s.emission - s.minted);
        EXPECT_EQ(s.unminted, s.beacons_pool + s.witnesses_pool + s.compute_pool - paid);
        EXPECT_EQ(c.minted, s.minted);
        EXPECT_EQ(ReadEpochSummary(chain.state, s.epoch), std::optional<EpochSummary>{s});
    }
    EXPECT_EQ(epochs_closed, 2);
    EXPECT_FALSE(chain.State(5)->active);
    EXPECT_FALSE(chain.State(3)->active);
    EXPECT_TRUE(chain.State(2)->active);
    EXPECT_EQ(chain.State(0)->tier, kTierU);
}

TEST(ComputeRewardsTest, BucketSettledInTheEpochEndBlockIsPaidThatEpoch) {
    // Epochs of 16 blocks: bucket 10 settles at 16, the last block of epoch 0.
    ComputeChain chain{2, [](ChainParams& p) { p.rewards.epoch_length = 16; }};
    const size_t t = chain.AddDevice(0, kTierT), u = chain.AddDevice(1, kTierU);
    chain.RegisterDevices({t, u});
    ConnectedBlock last;
    while (chain.Height() < 16) last = chain.MineC(chain.HonestEntries({t, u}));
    ASSERT_EQ(last.settlements.size(), 2u);
    ASSERT_TRUE(last.epoch.has_value());
    const EpochSummary& s = last.epoch->summary;
    EXPECT_EQ(s.epoch, 0u);
    EXPECT_EQ(s.compute_devices_paid, 2u);
    EXPECT_EQ(s.compute_paid, FloorShare(s.compute_pool, 1, 4) + FloorShare(s.compute_pool, 3, 4));
    EXPECT_TRUE(chain.SupplyHolds());
}

// ---- Spot cells ------------------------------------------------------------------------------

Hash256 HashOf(uint64_t i, uint8_t salt = 0) {
    Bytes b(9);
    for (int k = 0; k < 8; ++k) b[k] = static_cast<uint8_t>(i >> (8 * k));
    b[8] = salt;
    return Sha256(b);
}

TEST(ComputeSpotTest, CellIndexingIsConsistent) {
    const ChallengeShape s{3, 8, 64, 4};
    const uint64_t side = s.n / s.tile;
    ASSERT_EQ(compute::CellCount(s), 3u * 64);
    for (uint64_t c = 0; c < compute::CellCount(s); ++c) {
        const compute::CellPosition p = compute::CellAt(s, c);
        ASSERT_LT(p.g, s.g);
        ASSERT_LT(p.i, s.n);
        ASSERT_LT(p.j, s.n);
        EXPECT_EQ((uint64_t{p.g} * s.n + p.i) * s.n + p.j, c);
        EXPECT_EQ(compute::TileOfCell(s, c), (p.g * side + p.i / s.tile) * side + p.j / s.tile);
        EXPECT_EQ(compute::OffsetInTile(s, c), (p.i % s.tile) * s.tile + p.j % s.tile);
    }
}

TEST(ComputeSpotTest, CellsAreDistinctInRangeAndDeterministic) {
    const ChallengeShape s{1, 16, 64, 4};
    const PubKey dev = test::TestPubKey(2000), dev2 = test::TestPubKey(2001);
    const Hash256 spot = HashOf(1), root = HashOf(2);
    const std::vector<uint64_t> cells = compute::SpotCells(spot, dev, root, s, 32);
    ASSERT_EQ(cells.size(), 32u);
    EXPECT_EQ(std::set<uint64_t>(cells.begin(), cells.end()).size(), 32u);
    for (uint64_t c : cells) EXPECT_LT(c, compute::CellCount(s));
    EXPECT_EQ(compute::SpotCells(spot, dev, root, s, 32), cells);
    // A shorter draw is a prefix of a longer one.
    const std::vector<uint64_t> eight = compute::SpotCells(spot, dev, root, s, 8);
    EXPECT_TRUE(std::equal(eight.begin(), eight.end(), cells.begin()));
    // Every input changes the draw.
    EXPECT_NE(compute::SpotCells(HashOf(3), dev, root, s, 32), cells);
    EXPECT_NE(compute::SpotCells(spot, dev2, root, s, 32), cells);
    EXPECT_NE(compute::SpotCells(spot, dev, HashOf(4), s, 32), cells);
    // All cells: a permutation. None: empty. More than all: a precondition violation.
    const std::vector<uint64_t> all =
        compute::SpotCells(spot, dev, root, s, static_cast<uint32_t>(compute::CellCount(s)));
    std::vector<uint64_t> sorted = all;
    std::sort(sorted.begin(), sorted.end());
    std::vector<uint64_t> iota(compute::CellCount(s));
    std::iota(iota.begin(), iota.end(), 0);
    EXPECT_EQ(sorted, iota);
    EXPECT_TRUE(compute::SpotCells(spot, dev, root, s, 0).empty());
    EXPECT_THROW(compute::SpotCells(spot, dev, root, s, 257), std::invalid_argument);
    EXPECT_THROW(compute::SpotCells(spot, dev, root, ChallengeShape{1, 16, 63, 4}, 1),
                 std::invalid_argument);
}

double ChiSquare(const std::vector<uint64_t>& counts, double expected) {
    double chi = 0;
    for (uint64_t c : counts) chi += (c - expected) * (c - expected) / expected;
    return chi;
}

TEST(ComputeSpotTest, CellsAreUniform) {
    const PubKey dev = test::TestPubKey(2000);
    {
        // 16 cells (a power of two), one cell per draw: chi-square with 15 degrees of freedom
        // (mean 15, sd 5.5).
        const ChallengeShape s{1, 4, 64, 2};
        std::vector<uint64_t> counts(16);
        for (uint64_t i = 0; i < 16'000; ++i) {
            ++counts[compute::SpotCells(HashOf(i), dev, HashOf(0, 1), s, 1)[0]];
        }
        EXPECT_LT(ChiSquare(counts, 1'000), 60.0);
    }
    {
        // 108 cells (not a power of two: rejection sampling matters), one cell per draw:
        // 107 degrees of freedom (mean 107, sd 14.6).
        const ChallengeShape s{3, 6, 64, 2};
        ASSERT_EQ(compute::CellCount(s), 108u);
        std::vector<uint64_t> counts(108);
        for (uint64_t i = 0; i < 54'000; ++i) {
            ++counts[compute::SpotCells(HashOf(i, 2), dev, HashOf(0, 3), s, 1)[0]];
        }
        EXPECT_LT(ChiSquare(counts, 500), 200.0);
    }
    {
        // Four distinct cells of 16 per draw: every cell in a quarter of the draws, and the
        // last-drawn cell (after three exclusions) still uniform.
        const ChallengeShape s{1, 4, 64, 2};
        std::vector<uint64_t> member(16), last(16);
        for (uint64_t i = 0; i < 16'000; ++i) {
            const auto cells = compute::SpotCells(HashOf(i, 4), dev, HashOf(0, 5), s, 4);
            for (uint64_t c : cells) ++member[c];
            ++last[cells.back()];
        }
        EXPECT_LT(ChiSquare(member, 4'000), 60.0);
        EXPECT_LT(ChiSquare(last, 1'000), 60.0);
    }
}

// ---- Soundness -------------------------------------------------------------------------------

// The exact pass probability of a prover with `good` of `total` cells right against `s`
// distinct uniform spot cells: C(good, s) / C(total, s).
double PassProbability(uint64_t good, uint64_t total, uint32_t s) {
    double p = 1;
    for (uint32_t i = 0; i < s; ++i) p *= static_cast<double>(good - i) / (total - i);
    return p;
}

TEST(ComputeSoundnessTest, PartialProverPassesWithProbabilityAboutFToTheS) {
    const ChallengeShape shape{2, 32, 64, 8};  // 2048 cells in 32 tiles
    const uint64_t n_cells = compute::CellCount(shape);
    ASSERT_GE(n_cells, 1024u);
    const PubKey dev = test::TestPubKey(2000);
    const Hash256 seed = compute::ChallengeSeed(HashOf(7), dev);
    const ComputeProof honest = test::ProveHonestly(seed, shape);
    EXPECT_EQ(honest.leaves, compute::ComputeTileLeaves(seed, shape));
    constexpr int kTrials = 4'000;
    // Every tile with its path, computed once per proof; an open picks the spotted ones.
    auto all_tiles = [&](const ComputeProof& p) {
        std::vector<OpenedTile> out;
        for (uint64_t t = 0; t < p.tiles.size(); ++t) {
            out.push_back({t, p.tiles[t], compute::TilePath(p.leaves, t)});
        }
        return out;
    };
    auto pick = [&](const std::vector<OpenedTile>& all, const std::vector<uint64_t>& cells) {
        std::set<uint64_t> idx;
        for (uint64_t c : cells) idx.insert(compute::TileOfCell(shape, c));
        std::vector<OpenedTile> out;
        for (uint64_t t : idx) out.push_back(all[t]);
        return out;
    };
    const std::vector<OpenedTile> honest_tiles = all_tiles(honest);
    EXPECT_EQ(pick(honest_tiles, {0, 100, 2047}), test::OpenTiles(honest, {2047, 0, 100}));

    struct Case {
        double f;
        uint32_t s;
    };
    for (const Case& k : {Case{0.5, 4}, Case{0.75, 8}, Case{0.9, 16}}) {
        // The cheater computed a uniformly random set of floor(f N) cells and guessed wrong on
        // the rest (committing to its wrong values, so its paths are all valid).
        const uint64_t good = static_cast<uint64_t>(k.f * n_cells);
        std::vector<uint64_t> order(n_cells);
        std::iota(order.begin(), order.end(), 0);
        std::mt19937_64 rng(12345 + k.s);
        for (uint64_t i = n_cells - 1; i > 0; --i) std::swap(order[i], order[rng() % (i + 1)]);
        ComputeProof cheat = honest;
        for (uint64_t i = good; i < n_cells; ++i) cheat.Cell(order[i]) ^= 0x40;
        cheat.Rehash();
        const std::vector<OpenedTile> cheat_tiles = all_tiles(cheat);

        int passed = 0;
        for (int trial = 0; trial < kTrials; ++trial) {
            const Hash256 spot = HashOf(trial, static_cast<uint8_t>(10 + k.s));
            compute::OpenCheckInput in{seed, shape, {}, {}, nullptr};
            // The honest prover always passes.
            in.cells = compute::SpotCells(spot, dev, honest.root, shape, k.s);
            in.root = honest.root;
            ComputeOpen o;
            o.tiles = pick(honest_tiles, in.cells);
            in.open = &o;
            ASSERT_EQ(compute::CheckOpenCells(in), (compute::OpenCheck{})) << "trial " << trial;
            // The cheater's cells are drawn for its own root.
            in.cells = compute::SpotCells(spot, dev, cheat.root, shape, k.s);
            in.root = cheat.root;
            o.tiles = pick(cheat_tiles, in.cells);
            const compute::OpenCheck r = compute::CheckOpenCells(in);
            if (r.verdict == ComputeVerdict::kValid) {
                ++passed;
            } else {
                ASSERT_EQ(r.verdict, ComputeVerdict::kWrongValue);
                // The first wrong spot, and every spot before it right.
                ASSERT_LT(r.detail, k.s);
                EXPECT_NE(cheat.At(in.cells[r.detail]), honest.At(in.cells[r.detail]));
                for (uint32_t q = 0; q < r.detail; ++q) {
                    EXPECT_EQ(cheat.At(in.cells[q]), honest.At(in.cells[q]));
                }
            }
        }
        const double p = PassProbability(good, n_cells, k.s);
        const double mean = kTrials * p;
        const double sd = std::sqrt(kTrials * p * (1 - p));
        EXPECT_NEAR(p, std::pow(k.f, k.s), 0.01);
        EXPECT_NEAR(passed, mean, 5 * sd)
            << "f = " << k.f << ", s = " << k.s << ": " << passed << " of " << kTrials
            << " passed, expected " << mean << " +- " << sd;
    }
}

// ---- The compute state record ----------------------------------------------------------------

TEST(ComputeStateTest, RecordRoundTripsAndRejectsBadBytes) {
    ComputeState full;
    full.tier = 1;
    full.next_tier = 255;
    full.active = false;
    full.missed = UINT32_MAX;
    full.bucket = UINT64_MAX;
    full.bucket_tier = 254;
    full.progress = BucketProgress::kOpened;
    full.root.bytes.fill(0xab);
    full.commit_height = 12;
    full.open_verdict = ComputeVerdict::kWrongValue;
    full.open_detail = UINT32_MAX;
    full.last_bucket = 10;
    full.last_outcome = ComputeVerdict::kNoOpen;
    full.last_detail = 7;
    full.buckets_passed = 3;
    full.buckets_failed = UINT64_MAX;
    full.share_epoch = 2;
    full.units = 1ull << 40;
    full.share_buckets = 9;
    ComputeState zero_tier = full;
    zero_tier.next_tier = 0;  // a pending tier 0 differs from none
    for (const ComputeState& cs : {ComputeState{}, full, zero_tier}) {
        const Bytes enc = EncodeComputeState(cs);
        auto d = DecodeComputeState(enc);
        ASSERT_TRUE(d.has_value()) << d.error().ToString();
        EXPECT_EQ(*d, cs);
        EXPECT_EQ(EncodeComputeState(*d), enc);
        for (size_t n = 0; n < enc.size(); ++n) {
            EXPECT_FALSE(DecodeComputeState(ByteSpan{enc}.first(n)).has_value()) << n;
        }
        Bytes longer = enc;
        longer.push_back(0);
        EXPECT_FALSE(DecodeComputeState(longer).has_value());
    }
    EXPECT_NE(EncodeComputeState(zero_tier), EncodeComputeState(ComputeState{full}));
    // Undefined enum bytes (offsets in the default record): active (2), progress (6),
    // open_verdict (40), last_outcome (43).
    const Bytes base = EncodeComputeState(ComputeState{});
    ASSERT_EQ(base.size(), 50u);
    ASSERT_EQ(base[2], 1);  // active
    for (const auto& [at, value] :
         std::vector<std::pair<size_t, uint8_t>>{{2, 2}, {6, 4}, {40, 18}, {43, 18}}) {
        Bytes bad = base;
        bad[at] = value;
        EXPECT_FALSE(DecodeComputeState(bad).has_value()) << at;
    }
}

// ---- Parameters ------------------------------------------------------------------------------

// schedule.h and block_check.cpp rely on bucket_length > settle_offset (a bucket is settled
// before the next start overwrites it); SpotCells and ComputeTileLeaves throw on shapes and
// counts the genesis must never allow; opens and blocks must be able to encode what the
// parameters ask for. CheckDepinParams (through CheckComputeParams) rejects each such network.
TEST(ComputeParamsTest, SmallTestParametersAreUsable) {
    EXPECT_EQ(CheckDepinParams(test::SmallComputeParams()), std::nullopt);
    EXPECT_EQ(compute::SettleOffset(test::SmallComputeParams().compute), test::kSettleOffset);
    EXPECT_EQ(CheckDepinParams(DefaultParams(Network::kDevnet)), std::nullopt);
}

TEST(ComputeParamsTest, GenesisRejectsUnusableComputeParameters) {
    struct Bad {
        const char* what;
        std::function<void(ChainParams&)> change;
    };
    const std::vector<Bad> bad = {
        {"bucket_length == settle_offset", [](ChainParams& p) { p.compute.bucket_length = 6; }},
        {"bucket_length < settle_offset", [](ChainParams& p) { p.compute.bucket_length = 4; }},
        {"bucket_length 0", [](ChainParams& p) { p.compute.bucket_length = 0; }},
        {"invalid tier shape (k not a multiple of 64)",
         [](ChainParams& p) { p.compute.tiers[0].shape.k = 100; }},
        {"invalid tier shape (T does not divide n)",
         [](ChainParams& p) { p.compute.tiers[0].shape.tile = 5; }},
        {"spot_cells 0", [](ChainParams& p) { p.compute.spot_cells = 0; }},
        {"spot_cells above a tier's cell count",
         [](ChainParams& p) {
             p.compute.tiers[0].shape = {1, 8, 64, 4};  // 64 cells
             p.compute.spot_cells = 65;
         }},
        {"tile cells above kMaxTileCellsDecode",
         [](ChainParams& p) {
             p.compute.tiers[0].shape = {1, 128, 64, 128};
         }},
        {"max_entries_per_block above kMaxBlockComputeDecode",
         [](ChainParams& p) { p.compute.max_entries_per_block = kMaxBlockComputeDecode + 1; }},
        {"open_window 0", [](ChainParams& p) { p.compute.open_window = 0; }},
        {"max_missed_buckets 0", [](ChainParams& p) { p.compute.max_missed_buckets = 0; }},
        {"deadline 0", [](ChainParams& p) { p.compute.tiers[1].deadline = 0; }},
        {"weight 0", [](ChainParams& p) { p.compute.tiers[1].weight = 0; }},
        {"weight 2^32", [](ChainParams& p) { p.compute.tiers[1].weight = uint64_t{1} << 32; }},
        {"spot_cells above kMaxOpenTilesDecode",
         [](ChainParams& p) {
             p.compute.tiers = {ComputeTier{"big", {1, 64, 64, 4}, 2, 1}};
             p.compute.spot_cells = 257;
         }},
        {"257 tiers (ids are one byte)",
         [](ChainParams& p) { p.compute.tiers.resize(257, p.compute.tiers[0]); }},
        {"a longer deadline that pushes settle_offset to bucket_length",
         [](ChainParams& p) { p.compute.tiers[1].deadline = 7; }},
        {"g*n^2 cells beyond 64 bits (the count would wrap)",
         [](ChainParams& p) {
             p.compute.tiers[0].shape = {5, uint32_t{1} << 31, 64, 64};
         }},
        {"an honest open larger than an eighth of a block",
         [](ChainParams& p) {
             p.compute.tiers[0].shape = {1, 1024, 64, 32};  // 4 KiB tiles
             p.compute.spot_cells = 64;                     // 64 of them: 263 KB > 250 KB
         }},
    };
    for (const Bad& b : bad) {
        ChainParams p = test::SmallComputeParams();
        b.change(p);
        EXPECT_NE(CheckDepinParams(p), std::nullopt) << "accepted: " << b.what;
        Genesis g;
        g.params = p;
        g.accounts.push_back({test::TestPubKey(0), kCoin});
        g.validators.push_back({test::TestPubKey(100), 1});
        EXPECT_FALSE(BuildGenesis(g).has_value()) << "genesis built with " << b.what;
    }
    // The limits themselves are allowed.
    ChainParams p = test::SmallComputeParams();
    p.compute.bucket_length = 7;  // settle_offset + 1
    p.compute.spot_cells = 256;   // every cell of the 16x16 tiers
    p.compute.tiers[0].weight = UINT32_MAX;
    p.compute.max_entries_per_block = kMaxBlockComputeDecode;
    EXPECT_EQ(CheckDepinParams(p), std::nullopt);
}

}  // namespace
}  // namespace cairn::consensus
