// Closing an epoch on a real chain: emission and pools, coverage payouts to owners, remainders,
// validator pool with fees and fee carry, the density map for the next epoch, and the supply
// invariant after every block of a multi-epoch chain with every kind of activity.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "consensus/poc/grid.h"
#include "consensus/rewards/density_state.h"
#include "consensus/rewards/epoch_rewards.h"
#include "consensus/rewards/reward_units.h"
#include "consensus/state_keys.h"
#include "depin_test_util.h"

namespace cairn::consensus {
namespace {

using rewards::kUnitOne;
using test::DepinChain;
using test::kBerlin;
using test::OffsetMeters;
using U128 = unsigned __int128;

constexpr Amount kEmission = 1'000 * kCoin;  // devnet epoch emission
constexpr uint64_t kEpoch = 30;              // devnet epoch length

Amount FloorShare(Amount pool, uint64_t units, uint64_t total) {
    return total == 0 ? 0 : static_cast<Amount>(static_cast<U128>(pool) * units / total);
}

// Every reward-share record in the state, by device.
std::map<PubKey, RewardShare> AllShares(const StateView& state) {
    std::map<PubKey, RewardShare> out;
    state.ForEachEntry(keys::Prefix(keys::kRewardShare), [&](ByteSpan key, ByteSpan value) {
        out.emplace(keys::KeyOf(key), DecodeRewardShare(value).value());
        return true;
    });
    return out;
}

// Reward-share records whose units count for `epoch`.
size_t CountSharesOf(const StateView& state, uint64_t epoch) {
    size_t n = 0;
    for (const auto& [key, share] : AllShares(state)) n += share.epoch == epoch ? 1 : 0;
    return n;
}

size_t CountEntries(const StateView& state, uint8_t prefix) {
    size_t n = 0;
    state.ForEachEntry(keys::Prefix(prefix), [&](ByteSpan, ByteSpan) {
        ++n;
        return true;
    });
    return n;
}

// Seven radios on a ring 1.5 .. 4.5 km around Tempelhof; owners 0, 1, 1, 2, 0, 2, 2.
class EpochTest : public ::testing::Test {
protected:
    explicit EpochTest(size_t n_validators = 4) : chain{n_validators} {}

    DepinChain chain;
    std::vector<size_t> ring;

    void AddRing() {
        const size_t owners[] = {0, 1, 1, 2, 0, 2, 2};
        for (int i = 0; i < 7; ++i) {
            const double angle = i * 2 * 3.14159265358979323846 / 7;
            const double radius = 1'500 + 500.0 * i;
            ring.push_back(chain.AddRadio(owners[i], OffsetMeters(kBerlin, radius * std::cos(angle),
                                                                  radius * std::sin(angle))));
        }
    }

    // Epoch 0 activity: onboarding (heights 1, 2), every radio witnessed (3), then in bucket 1
    // ring[0] beacons heard by the six others (w = 6) and ring[1] beacons heard by ring[2]
    // (w = 1). Leaves the chain at height 12.
    void EarnInEpochZero() {
        AddRing();
        chain.Onboard(ring);
        chain.MakeWitnessed(ring);
        chain.MineTo(10);
        const BeaconReport b0 = chain.Beacon(ring[0], chain.Height());
        std::vector<ProofWitness> ws;
        for (size_t i = 1; i < ring.size(); ++i) ws.push_back(chain.Witness(ring[i], b0));
        const ConnectedBlock c = chain.Mine({}, {chain.Judge1(b0, ws)});
        ASSERT_EQ(c.proofs[0].rewarded, 6u);
        const BeaconReport b1 = chain.Beacon(ring[1], chain.Height());
        const ConnectedBlock c1 = chain.Mine({}, {chain.Judge1(b1, {chain.Witness(ring[2], b1)})});
        ASSERT_EQ(c1.proofs[0].rewarded, 1u);
    }
};

// ---- Emission, pools and coverage payouts --------------------------------------------------

TEST_F(EpochTest, EpochEndPaysOwnersInProportionToUnits) {
    EarnInEpochZero();
    chain.MineTo(kEpoch - 1);
    const std::map<PubKey, RewardShare> shares = AllShares(chain.state);
    // MakeWitnessed: the last radio's beacon was heard by ring[0], already witnessed in that
    // block (w = 1). Then w = 6 for ring[0] and w = 1 for ring[1].
    ASSERT_EQ(shares.size(), 7u);
    EXPECT_EQ(chain.Share(ring[0]), (RewardShare{1'360'000'000, kUnitOne}));
    EXPECT_EQ(chain.Share(ring[1]), (RewardShare{250'000'000, 606'666'666}));
    EXPECT_EQ(chain.Share(ring[2]), (RewardShare{0, 606'666'666 + kUnitOne}));
    EXPECT_EQ(chain.Share(ring[6]), (RewardShare{250'000'000, 606'666'666}));

    // Expected amounts, computed here from the shares.
    uint64_t beacon_total = 0, witness_total = 0;
    for (const auto& [d, s] : shares) {
        beacon_total += s.beacon_units;
        witness_total += s.witness_units;
    }
    EXPECT_EQ(beacon_total, 1'860'000'000u);
    EXPECT_EQ(witness_total, 5'639'999'996u);
    const Amount beacons_pool = kEmission * 1'200 / 10'000;
    const Amount witnesses_pool = kEmission * 4'800 / 10'000;
    std::map<PubKey, Amount> per_owner;
    Amount beacons_paid = 0, witnesses_paid = 0;
    for (size_t r : ring) {
        const RewardShare s = shares.at(chain.RadioKey(r));
        const Amount b = FloorShare(beacons_pool, s.beacon_units, beacon_total);
        const Amount w = FloorShare(witnesses_pool, s.witness_units, witness_total);
        beacons_paid += b;
        witnesses_paid += w;
        per_owner[chain.radios[r].owner_pub] += b + w;
    }
    // Hand-checked: 12e9 x 1.36e9 / 1.86e9 = 8,774,193,548.39 and 12e9 x 0.25 / 1.86 =
    // 1,612,903,225.8 (twice): 2 units of beacon remainder.
    EXPECT_EQ(FloorShare(beacons_pool, 1'360'000'000, beacon_total), 8'774'193'548u);
    EXPECT_EQ(beacons_pool - beacons_paid, 2u);
    EXPECT_GT(witnesses_pool - witnesses_paid, 0u);

    std::map<PubKey, Amount> before;
    for (size_t i = 0; i < 3; ++i) before[chain.AccountKey(i)] = chain.Balance(chain.AccountKey(i));
    std::map<PubKey, Amount> val_before;
    for (const Validator& v : chain.Validators().Validators())
        val_before[v.key] = chain.Balance(v.key);
    const ChainAccounting acc_before = chain.Accounting();

    const ConnectedBlock c = chain.Mine();  // height 30: the epoch's end
    ASSERT_TRUE(c.epoch.has_value());
    const EpochSummary& s = c.epoch->summary;
    EXPECT_EQ(ReadEpochSummary(chain.state, 0), s);
    EXPECT_EQ(s.epoch, 0u);
    EXPECT_EQ(s.end_height, kEpoch);
    EXPECT_EQ(s.emission, kEmission);
    EXPECT_EQ(s.validators_pool, 10'000'000'000u);
    EXPECT_EQ(s.beacons_pool, beacons_pool);
    EXPECT_EQ(s.witnesses_pool, witnesses_pool);
    EXPECT_EQ(s.compute_pool, 30'000'000'000u);
    EXPECT_EQ(s.beacons_paid, beacons_paid);
    EXPECT_EQ(s.witnesses_paid, witnesses_paid);
    EXPECT_EQ(s.devices_paid, 7u);
    EXPECT_EQ(s.owners_paid, 3u);

    // Owners are paid the sum over their devices (owner 1 and owner 2 hold several).
    for (const auto& [owner, amount] : per_owner) {
        EXPECT_EQ(chain.Balance(owner), before.at(owner) + amount) << owner.Hex();
    }
    EXPECT_EQ(c.epoch->coverage.owners,
              (std::vector<std::pair<PubKey, Amount>>(per_owner.begin(), per_owner.end())));
    // The outcome keeps each device's units, in device key order.
    ASSERT_EQ(c.epoch->shares.size(), 7u);
    for (size_t i = 1; i < c.epoch->shares.size(); ++i) {
        EXPECT_LT(c.epoch->shares[i - 1].device, c.epoch->shares[i].device);
    }
    for (const rewards::DeviceShare& d : c.epoch->shares) {
        EXPECT_EQ(d.beacon_units, shares.at(d.device).beacon_units);
        EXPECT_EQ(d.witness_units, shares.at(d.device).witness_units);
    }

    // Validators: the emission share plus the epoch's fees (the onboarding transactions), by
    // equal power; 4 divides it, so nothing is carried.
    const Amount fees = acc_before.epoch_fees;
    EXPECT_EQ(fees, 14 * test::kDeviceTxFee);
    EXPECT_EQ(s.fees, fees);
    EXPECT_EQ(s.validators_paid, s.validators_pool + fees);
    EXPECT_EQ(s.fee_carry, 0u);
    for (const Validator& v : chain.Validators().Validators()) {
        EXPECT_EQ(chain.Balance(v.key), val_before.at(v.key) + (s.validators_pool + fees) / 4);
    }

    // Minted: what was paid out of the emission. The remainders and the compute pool are not.
    EXPECT_EQ(s.minted, beacons_paid + witnesses_paid + s.validators_pool);
    EXPECT_EQ(s.unminted,
              s.compute_pool + (beacons_pool - beacons_paid) + (witnesses_pool - witnesses_paid));
    EXPECT_EQ(s.minted + s.unminted, s.emission);
    EXPECT_EQ(c.minted, s.minted);
    const ChainAccounting acc = chain.Accounting();
    EXPECT_EQ(acc.minted, acc_before.minted + s.minted);
    EXPECT_EQ(acc.epoch_fees, 0u);
    EXPECT_EQ(acc.fee_carry, 0u);
    EXPECT_TRUE(chain.SupplyHolds());

    // The closing block leaves the share records alone (tagged with epoch 0); nothing counts for
    // the next epoch until a device earns again.
    EXPECT_EQ(CountSharesOf(chain.state, 0), CountEntries(chain.state, keys::kRewardShare));
    EXPECT_EQ(CountSharesOf(chain.state, 1), 0u);
    for (size_t r : ring) EXPECT_EQ(chain.Share(r), RewardShare{});
}

TEST_F(EpochTest, EpochWithoutCoverageMintsOnlyTheValidatorShare) {
    chain.MineTo(kEpoch);
    auto s = ReadEpochSummary(chain.state, 0);
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->beacons_paid, 0u);
    EXPECT_EQ(s->witnesses_paid, 0u);
    EXPECT_EQ(s->devices_paid, 0u);
    EXPECT_EQ(s->owners_paid, 0u);
    EXPECT_EQ(s->minted, s->validators_pool);
    EXPECT_EQ(s->unminted, s->beacons_pool + s->witnesses_pool + s->compute_pool);
    EXPECT_EQ(chain.Accounting().minted, s->minted);
    EXPECT_TRUE(chain.SupplyHolds());
    // Only epoch ends pay: nothing is minted in between.
    EXPECT_FALSE(ReadEpochSummary(chain.state, 1).has_value());
    chain.MineTo(kEpoch + 1);
    EXPECT_EQ(chain.Accounting().minted, s->minted);
}

TEST_F(EpochTest, OnlyTheLastBlockOfAnEpochCloses) {
    EXPECT_FALSE(rewards::IsEpochEnd(chain.params, 0));
    EXPECT_FALSE(rewards::IsEpochEnd(chain.params, 29));
    EXPECT_TRUE(rewards::IsEpochEnd(chain.params, 30));
    EXPECT_FALSE(rewards::IsEpochEnd(chain.params, 31));
    EXPECT_EQ(rewards::EpochOf(chain.params, 1), 0u);
    EXPECT_EQ(rewards::EpochOf(chain.params, 30), 0u);
    EXPECT_EQ(rewards::EpochOf(chain.params, 31), 1u);
    for (uint64_t h = 1; h <= kEpoch + 1; ++h) {
        const ConnectedBlock c = chain.Mine();
        EXPECT_EQ(c.epoch.has_value(), h == kEpoch) << h;
        EXPECT_EQ(c.minted > 0, h == kEpoch) << h;
    }
}

TEST_F(EpochTest, TransferredDevicePaysItsNewOwner) {
    EarnInEpochZero();
    const PubKey buyer = test::TestPubKey(60);
    // ring[4] (owner 0, one witness unit earned) is sold mid-epoch.
    const RewardShare sold_share = chain.Share(ring[4]);
    ASSERT_GT(sold_share.witness_units, 0u);
    chain.Mine(
        {test::MakeTransferDeviceTx(chain.radios[ring[4]].owner, chain.RadioKey(ring[4]), buyer,
                                    chain.Nonce(chain.AccountKey(0)), chain.params.network_id)});
    chain.MineTo(kEpoch - 1);
    const std::map<PubKey, RewardShare> shares = AllShares(chain.state);
    uint64_t witness_total = 0;
    for (const auto& [d, s] : shares) witness_total += s.witness_units;
    const Amount owner0_before = chain.Balance(chain.AccountKey(0));
    ASSERT_EQ(chain.Balance(buyer), 0u);
    const ConnectedBlock c = chain.Mine();
    const Amount pool = c.epoch->summary.witnesses_pool;
    // The buyer gets everything ring[4] earned, including the units from before the sale.
    EXPECT_EQ(chain.Balance(buyer), FloorShare(pool, sold_share.witness_units, witness_total));
    // The seller keeps only ring[0]'s earnings.
    const RewardShare kept = shares.at(chain.RadioKey(ring[0]));
    uint64_t beacon_total = 0;
    for (const auto& [d, s] : shares) beacon_total += s.beacon_units;
    EXPECT_EQ(chain.Balance(chain.AccountKey(0)),
              owner0_before +
                  FloorShare(c.epoch->summary.beacons_pool, kept.beacon_units, beacon_total) +
                  FloorShare(pool, kept.witness_units, witness_total));
    EXPECT_EQ(c.epoch->summary.owners_paid, 4u);
    EXPECT_TRUE(chain.SupplyHolds());
}

TEST_F(EpochTest, SharesOfTheNextEpochStartFromZero) {
    EarnInEpochZero();
    chain.MineTo(kEpoch);
    EXPECT_EQ(CountSharesOf(chain.state, 1), 0u);
    // Bucket 3 (entropy 30): ring[1] beacons, heard by ring[2] and ring[3].
    const BeaconReport b = chain.Beacon(ring[1], chain.Height());
    chain.Mine({}, {chain.Judge1(b, {chain.Witness(ring[2], b), chain.Witness(ring[3], b)})});
    const uint64_t scale = rewards::DensityScaleAt(chain.state, chain.params.poc.density,
                                                   chain.radios[ring[1]].position);
    EXPECT_EQ(chain.Share(ring[1]).beacon_units,
              static_cast<uint64_t>(static_cast<U128>(500'000'000) * scale / kUnitOne));
    EXPECT_EQ(chain.Share(ring[0]), RewardShare{});
    EXPECT_EQ(CountSharesOf(chain.state, 1), 3u);
    chain.MineTo(2 * kEpoch);
    auto s1 = ReadEpochSummary(chain.state, 1);
    ASSERT_TRUE(s1.has_value());
    EXPECT_EQ(s1->devices_paid, 3u);
    // One beaconer: the whole beacon pool, no remainder.
    EXPECT_EQ(s1->beacons_paid, s1->beacons_pool);
    EXPECT_TRUE(chain.SupplyHolds());
}

TEST_F(EpochTest, EmissionHalvesAndStopsAtTheCap) {
    // Parameters changed before the first block: halving every epoch, a cap of 200 CAIRN.
    chain.params.rewards.emission = {kEmission, 1, 200 * kCoin};
    EarnInEpochZero();
    std::vector<EpochSummary> s;
    for (uint64_t e = 0; e < 4; ++e) {
        chain.MineTo((e + 1) * kEpoch);
        s.push_back(ReadEpochSummary(chain.state, e).value());
        EXPECT_TRUE(chain.SupplyHolds());
        EXPECT_LE(chain.Accounting().minted, 200 * kCoin);
    }
    // Epoch 0: the cap, not the schedule, bounds it; what was not minted does not count.
    EXPECT_EQ(s[0].emission, 200 * kCoin);
    EXPECT_LT(s[0].minted, s[0].emission);
    EXPECT_EQ(s[1].emission, std::min<Amount>(kEmission >> 1, 200 * kCoin - s[0].minted));
    EXPECT_EQ(s[2].emission,
              std::min<Amount>(kEmission >> 2, 200 * kCoin - s[0].minted - s[1].minted));
    Amount minted = 0;
    for (const EpochSummary& x : s) {
        EXPECT_LE(x.minted, x.emission);
        EXPECT_EQ(x.minted + x.unminted, x.emission);
        minted += x.minted;
    }
    EXPECT_EQ(chain.Accounting().minted, minted);
}

// ---- Fees and the fee carry ----------------------------------------------------------------

class EpochFeeTest : public EpochTest {
protected:
    EpochFeeTest() : EpochTest(3) {}
};

TEST_F(EpochFeeTest, RemainderIsCarriedUpToTheFeesAndNeverMinted) {
    ASSERT_EQ(chain.Validators().Size(), 3u);
    constexpr Amount kFee = test::ChainFixture::kTransferFee;  // 10,000
    const PubKey stranger = test::TestPubKey(61);
    auto balances = [&] {
        std::vector<Amount> out;
        for (const Validator& v : chain.Validators().Validators())
            out.push_back(chain.Balance(v.key));
        return out;
    };

    // Epoch 0: fees 10,000. vpool = 10^10 + 10^4, which leaves 2 over 3 validators: both
    // units are fees and are carried.
    chain.Mine({chain.Transfer(0, stranger, kCoin, 0)});
    chain.MineTo(kEpoch);
    auto s0 = ReadEpochSummary(chain.state, 0).value();
    EXPECT_EQ(s0.fees, kFee);
    EXPECT_EQ(s0.validators_paid, 3 * Amount{3'333'336'666});
    EXPECT_EQ(s0.fee_carry, 2u);
    EXPECT_EQ(s0.minted, 10'000'000'000u);  // all of the validator share: the dust is fees
    EXPECT_EQ(s0.unminted, s0.emission - s0.minted);
    for (Amount b : balances()) EXPECT_EQ(b, 3'333'336'666u);
    EXPECT_EQ(chain.Accounting().fee_carry, 2u);
    EXPECT_EQ(chain.Accounting().epoch_fees, 0u);
    EXPECT_TRUE(chain.SupplyHolds());

    // Epoch 1: fees 10,000 + the carry 2 = 10,002. vpool mod 3 = 1: carried again.
    chain.Mine({chain.Transfer(0, stranger, kCoin, 1)});
    EXPECT_EQ(chain.Accounting().epoch_fees, kFee);
    EXPECT_EQ(chain.Accounting().fee_carry, 2u);
    EXPECT_TRUE(chain.SupplyHolds());
    chain.MineTo(2 * kEpoch);
    auto s1 = ReadEpochSummary(chain.state, 1).value();
    EXPECT_EQ(s1.fees, kFee + 2);
    EXPECT_EQ(s1.validators_paid, 3 * Amount{3'333'336'667});
    EXPECT_EQ(s1.fee_carry, 1u);
    EXPECT_EQ(s1.minted, 10'000'000'000u);
    for (Amount b : balances()) EXPECT_EQ(b, Amount{3'333'336'666} + 3'333'336'667);
    EXPECT_TRUE(chain.SupplyHolds());

    // Epoch 2: no fees, only the carried unit: vpool = 10^10 + 1 leaves 2. One unit is the carried
    // fee (carried again); the other is emission and is never minted.
    chain.MineTo(3 * kEpoch);
    auto s2 = ReadEpochSummary(chain.state, 2).value();
    EXPECT_EQ(s2.fees, 1u);
    EXPECT_EQ(s2.validators_paid, 3 * Amount{3'333'333'333});
    EXPECT_EQ(s2.fee_carry, 1u);
    EXPECT_EQ(s2.minted, 10'000'000'000u - 1);
    EXPECT_EQ(s2.unminted, s2.compute_pool + s2.beacons_pool + s2.witnesses_pool + 1);
    EXPECT_TRUE(chain.SupplyHolds());
    // Minted in total is exactly the sum of the epochs' minted.
    EXPECT_EQ(chain.Accounting().minted, s0.minted + s1.minted + s2.minted);
}

TEST_F(EpochFeeTest, WithoutFeesTheRemainderIsUnminted) {
    chain.MineTo(kEpoch);
    auto s = ReadEpochSummary(chain.state, 0).value();
    EXPECT_EQ(s.fees, 0u);
    EXPECT_EQ(s.validators_paid, 3 * Amount{3'333'333'333});
    EXPECT_EQ(s.fee_carry, 0u);
    EXPECT_EQ(s.minted, 9'999'999'999u);
    EXPECT_EQ(chain.Accounting().fee_carry, 0u);
    EXPECT_TRUE(chain.SupplyHolds());
}

// ---- The density map -----------------------------------------------------------------------

TEST_F(EpochTest, DensityMapFromInteractiveRadiosScalesTheNextEpoch) {
    // Three radios within a few metres of each other (one level-12 cell, a rooftop cluster), a
    // fourth in the same cell that never beacons, and two radios 2 km away.
    const poc::LatLon centre =
        poc::CellCenter(poc::CellAt(kBerlin, chain.params.poc.density.count_level));
    const size_t c1 = chain.AddRadio(0, centre);
    const size_t c2 = chain.AddRadio(1, OffsetMeters(centre, 8, 0));
    const size_t c3 = chain.AddRadio(2, OffsetMeters(centre, 0, 8));
    const size_t idle = chain.AddRadio(0, OffsetMeters(centre, -8, 0));
    const size_t f = chain.AddRadio(1, OffsetMeters(centre, 2'000, 0));
    const size_t g = chain.AddRadio(2, OffsetMeters(centre, 2'000, 2'000));
    for (size_t r : {c2, c3, idle}) {
        ASSERT_EQ(poc::CellAt(chain.radios[r].position, 12), poc::CellAt(centre, 12)) << r;
    }
    chain.Onboard({c1, c2, c3, idle, f, g});
    // Every radio but `idle` has a physically witnessed beacon (f hears the cluster).
    std::vector<CoverageProof> proofs;
    for (auto [beaconer, witness] :
         std::vector<std::pair<size_t, size_t>>{{c1, f}, {c2, f}, {c3, f}, {f, g}, {g, f}}) {
        CoverageProof p;
        p.beacon = chain.Beacon(beaconer, chain.Height());
        p.witnesses = {chain.Witness(witness, p.beacon)};
        proofs.push_back(p);
    }
    chain.Mine({}, chain.Judge(proofs));
    for (size_t r : {c1, c2, c3, f, g}) ASSERT_TRUE(chain.Device(r)->witnessed_height) << r;
    ASSERT_FALSE(chain.Device(idle)->witnessed_height);

    // Before the first epoch end: no map.
    EXPECT_EQ(CountEntries(chain.state, keys::kDensityCell), 0u);
    chain.MineTo(kEpoch);
    const rewards::DensityMap map = rewards::ReadDensityMap(chain.state);
    EXPECT_FALSE(map.empty());
    // One entry per clip level per distinct ancestor: the cluster shares all of its ancestors.
    for (const auto& [cell, count] : map) EXPECT_LE(count.clipped, count.unclipped);
    const auto& density = chain.params.poc.density;
    const uint64_t third = kUnitOne / 3;  // 333,333,333
    for (size_t r : {c1, c2, c3, idle}) {
        EXPECT_EQ(rewards::DensityScaleAt(chain.state, density, chain.radios[r].position), third)
            << r;
    }
    EXPECT_EQ(rewards::DensityScaleAt(chain.state, density, chain.radios[f].position), kUnitOne);
    EXPECT_EQ(rewards::DensityScaleAt(chain.state, density, chain.radios[g].position), kUnitOne);
    const rewards::CellCount finest =
        map.at(poc::CellParent(poc::CellAt(centre, 12), density.levels[0].level));
    EXPECT_EQ(finest,
              (rewards::CellCount{3, 1}));  // three interactive radios (not four): clipped to 1

    // Epoch 1: a cluster radio's beacon earns a third, for itself and for its witness; f's
    // beacon earns in full.
    const BeaconReport bc = chain.Beacon(c1, chain.Height());
    const BeaconReport bf = chain.Beacon(f, chain.Height());
    const ConnectedBlock c =
        chain.Mine({}, chain.Judge({chain.Judge1(bc, {chain.Witness(f, bc)}),
                                    chain.Judge1(bf, {chain.Witness(g, bf)})}));
    EXPECT_EQ(c.proofs[0].scale, third);
    EXPECT_EQ(c.proofs[0].beacon_units, 83'333'333u);  // floor(0.25e9 x 0.333333333)
    EXPECT_EQ(c.proofs[0].witness_units, 333'333'333u);
    EXPECT_EQ(c.proofs[1].scale, kUnitOne);
    EXPECT_EQ(c.proofs[1].beacon_units, 250'000'000u);
    EXPECT_EQ(c.proofs[1].witness_units, kUnitOne);
    EXPECT_EQ(chain.Share(c1), (RewardShare{83'333'333, 0}));
    EXPECT_EQ(chain.Share(f), (RewardShare{250'000'000, 333'333'333}));
    EXPECT_EQ(chain.Share(g), (RewardShare{0, kUnitOne}));
}

TEST_F(EpochTest, DensityMapForgetsRadiosThatStopBeingInteractive) {
    AddRing();
    chain.Onboard(ring);
    chain.MakeWitnessed(ring);  // witnessed at height 3
    chain.MineTo(kEpoch);
    EXPECT_GT(CountEntries(chain.state, keys::kDensityCell), 0u);
    // interactive_window is 100: at the end of epoch 3 (height 120) height 3 is 117 blocks ago.
    ASSERT_EQ(chain.params.poc.interactive_window, 100u);
    chain.MineTo(3 * kEpoch);
    EXPECT_GT(CountEntries(chain.state, keys::kDensityCell), 0u);  // 87 blocks: still counted
    chain.MineTo(4 * kEpoch);
    EXPECT_EQ(CountEntries(chain.state, keys::kDensityCell), 0u);
    EXPECT_TRUE(chain.SupplyHolds());
}

// ---- A payout that does not match is an invalid block --------------------------------------

TEST_F(EpochTest, BlockWithTamperedPayoutIsRejected) {
    EarnInEpochZero();
    chain.MineTo(kEpoch - 1);
    auto assembled = chain.Assemble({});
    ASSERT_TRUE(assembled.has_value()) << assembled.error().ToString();
    const ConnectedBlock& honest = assembled->connected;
    ASSERT_TRUE(honest.epoch.has_value());

    // The state the block commits to, rebuilt from its changes, with a change applied on top.
    auto root_with = [&](const std::function<void(StateDelta&)>& tamper) {
        StateDelta d{chain.state};
        for (const auto& [k, a] : honest.changes) d.Set(k, a);
        for (const auto& [k, v] : honest.entry_changes) {
            if (v) {
                d.SetEntry(k, *v);
            } else {
                d.EraseEntry(k);
            }
        }
        tamper(d);
        StateCommitment c = chain.commitment;
        UpdateCommitment(c, d);
        return c.Root();
    };
    ASSERT_EQ(root_with([](StateDelta&) {}), assembled->block.header.state_root);

    const PubKey owner0 = chain.AccountKey(0), owner1 = chain.AccountKey(1);
    const std::vector<std::function<void(StateDelta&)>> tampers = {
        // One unit of owner 1's payout moved to owner 0.
        [&](StateDelta& d) {
            Account a = d.Get(owner0), b = d.Get(owner1);
            a.balance += 1;
            b.balance -= 1;
            d.Set(owner0, a);
            d.Set(owner1, b);
        },
        // The beacon remainder paid to a proposer instead of left unminted, and booked as minted.
        [&](StateDelta& d) {
            const PubKey& v = chain.Validators().Validators()[0].key;
            Account a = d.Get(v);
            a.balance += 2;
            d.Set(v, a);
            ChainAccounting acc = ReadAccounting(d);
            acc.minted += 2;
            WriteAccounting(d, acc);
        },
        // A reward share altered.
        [&](StateDelta& d) {
            WriteRewardShare(d, chain.RadioKey(ring[0]), RewardShare{1, 1});
        },
    };
    for (size_t i = 0; i < tampers.size(); ++i) {
        Block b = assembled->block;
        b.header.state_root = root_with(tampers[i]);
        ASSERT_NE(b.header.state_root, assembled->block.header.state_root);
        SCOPED_TRACE(i);
        EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadStateRoot);
    }
    // A block at the epoch end whose root skips the epoch close entirely.
    const BlockEnv not_an_end{
        chain.params,       chain.Height() + 2, assembled->block.header.proposer,
        chain.Validators(), chain.hashes,       SignatureChecker{}};
    auto skipped = ApplyBlockState({}, {}, {}, compute::VerdictMode::kRecord, not_an_end,
                                   chain.state, chain.commitment);
    ASSERT_TRUE(skipped.has_value());
    Block b = assembled->block;
    b.header.state_root = skipped->commitment.Root();
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadStateRoot);
    // The honest block connects.
    EXPECT_ACCEPT(chain.Connect(assembled->block));
}

// ---- The supply invariant over several epochs ----------------------------------------------

class SupplyTest : public EpochTest {
protected:
    SupplyTest() : EpochTest(3) {}
};

TEST_F(SupplyTest, SupplyInvariantHoldsAfterEveryBlock) {
    std::mt19937_64 rng{0xCA1A};
    AddRing();
    const size_t late1 = chain.AddRadio(2, OffsetMeters(kBerlin, -3'500, 2'500));
    const size_t late2 = chain.AddRadio(1, OffsetMeters(kBerlin, 3'500, -1'500));
    // Senders: the three genesis accounts; recipients also three outside keys.
    std::vector<SecretKey> senders = chain.account_keys;
    std::vector<PubKey> recipients;
    for (size_t i = 0; i < 3; ++i) recipients.push_back(chain.AccountKey(i));
    for (uint64_t k = 80; k < 83; ++k) recipients.push_back(test::TestPubKey(k));

    std::set<size_t> located;
    Amount expected_burned = 0;
    uint64_t registrations = 0, assertions = 0;
    std::map<uint64_t, EpochSummary> summaries;
    const uint64_t end = 3 * kEpoch + 5;  // three full epochs and into the fourth
    while (chain.Height() < end) {
        const uint64_t h = chain.Height() + 1;
        std::vector<Transaction> txs;
        std::vector<CoverageProof> proofs;
        std::map<PubKey, uint64_t> nonces;
        auto nonce = [&](const PubKey& k) {
            auto it = nonces.find(k);
            if (it == nonces.end()) it = nonces.emplace(k, chain.Nonce(k)).first;
            return it->second++;
        };
        auto device_tx = [&](Transaction tx) { txs.push_back(std::move(tx)); };
        // Registry activity.
        if (h == 1 || h == 35 || h == 65) {
            const std::vector<size_t> rs =
                h == 1 ? ring : std::vector<size_t>{h == 35 ? late1 : late2};
            for (size_t r : rs) {
                device_tx(test::MakeRegisterTx(chain.radios[r].owner, chain.radios[r].key,
                                               nonce(chain.radios[r].owner_pub),
                                               chain.params.network_id));
                ++registrations;
            }
        }
        if (h == 2 || h == 36 || h == 66) {
            const std::vector<size_t> rs =
                h == 2 ? ring : std::vector<size_t>{h == 36 ? late1 : late2};
            for (size_t r : rs) {
                device_tx(chain.AssertTx(r, nonce(chain.radios[r].owner_pub)));
                located.insert(r);
                ++assertions;
            }
        }
        if (h == 47) {  // ring[2] moves 500 m
            test::Radio& r = chain.radios[ring[2]];
            r.position = OffsetMeters(r.position, 500, 0);
            device_tx(chain.AssertTx(ring[2], nonce(r.owner_pub)));
            ++assertions;
        }
        if (h == 17 || h == 77) {  // a device changes hands mid-epoch
            const size_t r = h == 17 ? ring[0] : late1;
            const SecretKey buyer = h == 17 ? test::TestKey(80) : chain.account_keys[0];
            device_tx(test::MakeTransferDeviceTx(
                chain.radios[r].owner, chain.RadioKey(r), buyer.GetPubKey(),
                nonce(chain.radios[r].owner_pub), chain.params.network_id));
            chain.radios[r].owner = buyer;
            chain.radios[r].owner_pub = buyer.GetPubKey();
        }
        // Transfers with uneven fees, so that validator pools leave remainders.
        const int n_transfers = static_cast<int>(rng() % 3);
        for (int i = 0; i < n_transfers; ++i) {
            const SecretKey& from = senders[rng() % senders.size()];
            const PubKey& to = recipients[rng() % recipients.size()];
            if (to == from.GetPubKey()) continue;
            txs.push_back(test::MakeTransfer(from, to, 1 + rng() % kCoin, nonce(from.GetPubKey()),
                                             10'000 + rng() % 997, chain.params.network_id));
        }
        // Every located radio beacons once per bucket, heard by every other located radio.
        if (h % 10 == 4 && located.size() >= 2) {
            for (size_t r : located) {
                CoverageProof p;
                p.beacon = chain.Beacon(r, h - 1);
                for (size_t w : located) {
                    if (w != r) p.witnesses.push_back(chain.Witness(w, p.beacon));
                }
                proofs.push_back(std::move(p));
            }
        }
        const ConnectedBlock c = chain.Mine(txs, chain.Judge(proofs));
        expected_burned += c.burned;
        ASSERT_TRUE(chain.SupplyHolds());
        const ChainAccounting acc = chain.Accounting();
        EXPECT_EQ(c.fees, [&] {
            Amount f = 0;
            for (const Transaction& tx : txs) f += tx.fee;
            return f;
        }());
        if (c.epoch) {
            const EpochSummary& s = c.epoch->summary;
            summaries[s.epoch] = s;
            EXPECT_LE(s.minted, s.emission) << "epoch " << s.epoch;
            EXPECT_EQ(s.minted + s.unminted, s.emission);
            EXPECT_GE(s.unminted, s.compute_pool);
            EXPECT_LE(s.fee_carry, s.fees);
            EXPECT_EQ(acc.fee_carry, s.fee_carry);
            EXPECT_EQ(acc.epoch_fees, 0u);
            EXPECT_EQ(c.minted, s.minted);
        } else {
            EXPECT_EQ(c.minted, 0u) << "minted outside an epoch end at " << h;
        }
    }
    ASSERT_EQ(summaries.size(), 3u);
    const ChainAccounting acc = chain.Accounting();
    Amount minted = 0;
    for (const auto& [e, s] : summaries) {
        minted += s.minted;
        EXPECT_GT(s.beacons_paid, 0u) << e;
        EXPECT_GT(s.witnesses_paid, 0u) << e;
    }
    EXPECT_EQ(acc.minted, minted);
    EXPECT_EQ(registrations, 9u);
    EXPECT_EQ(assertions, 10u);
    EXPECT_EQ(acc.burned, registrations * 10 * kCoin + assertions * kCoin);
    EXPECT_EQ(acc.burned, expected_burned);
    // Some epoch carried a fee remainder (uneven fees over three validators).
    bool carried = false;
    for (const auto& [e, s] : summaries) carried = carried || s.fee_carry > 0;
    EXPECT_TRUE(carried);
    // The buyer of ring[0] was paid for it.
    EXPECT_GT(chain.Balance(test::TestPubKey(80)), 0u);
}

}  // namespace
}  // namespace cairn::consensus
