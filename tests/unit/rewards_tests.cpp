// Coverage rewards: HIP-15 reward units, the emission schedule and the pool split into amounts.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "consensus/rewards/emission.h"
#include "consensus/rewards/payout.h"
#include "consensus/rewards/reward_units.h"
#include "crypto/keys.h"
#include "primitives/amount.h"

namespace cairn::consensus::rewards {
namespace {

constexpr uint64_t kMax64 = std::numeric_limits<uint64_t>::max();
using U128 = unsigned __int128;

double Units(uint64_t u) {
    return static_cast<double>(u) / static_cast<double>(kUnitOne);
}

// HIP-15 in floating point, as the HIP writes it.
double RefBeaconer(double n, double r, double cap, uint32_t w) {
    if (w == 0) return 0;
    if (w <= n) return w / n;
    return std::min(cap, 2.0 - std::pow(r, w - n));
}
double RefWitness(double n, double r, uint32_t w) {
    if (w == 0) return 0;
    if (w <= n) return 1;
    return (n - (1.0 - std::pow(r, w - n))) / w;
}

// ---- HIP-15 reward units ----

TEST(RewardsHip15Test, DecayPowFloorsEachStep) {
    const Hip15Params p;
    EXPECT_EQ(DecayPow(p, 0), kUnitOne);
    EXPECT_EQ(DecayPow(p, 1), 800'000'000u);
    EXPECT_EQ(DecayPow(p, 2), 640'000'000u);
    // 0.8^10 = 0.1073741824: the last step floors 107374182.4.
    EXPECT_EQ(DecayPow(p, 10), 107'374'182u);
    // Floor at every step never rounds up, so it never exceeds the exact power.
    for (uint32_t k = 0; k < 100; ++k) {
        EXPECT_LE(Units(DecayPow(p, k)), std::pow(0.8, k) + 1e-12) << k;
        EXPECT_NEAR(Units(DecayPow(p, k)), std::pow(0.8, k), 1e-9 * (k + 1)) << k;
    }
    EXPECT_EQ(DecayPow(p, 1000), 0u);
    EXPECT_EQ(DecayPow(p, std::numeric_limits<uint32_t>::max()), 0u);  // stops at 0: fast
}

TEST(RewardsHip15Test, DecayPowWithoutDecayIsOne) {
    EXPECT_EQ(DecayPow(Hip15Params{4, 1, 1, 2 * kUnitOne}, 50), kUnitOne);
    EXPECT_EQ(DecayPow(Hip15Params{4, 3, 2, 2 * kUnitOne}, 50), kUnitOne);  // never grows
    EXPECT_EQ(DecayPow(Hip15Params{4, 0, 0, 2 * kUnitOne}, 50), kUnitOne);  // no division by 0
    EXPECT_EQ(DecayPow(Hip15Params{4, 0, 10, 2 * kUnitOne}, 1), 0u);
    EXPECT_EQ(DecayPow(Hip15Params{4, 0, 10, 2 * kUnitOne}, 0), kUnitOne);
}

TEST(RewardsHip15Test, TableMatchesFormula) {
    const Hip15Params p;
    for (uint32_t w = 0; w <= 25; ++w) {
        EXPECT_NEAR(Units(BeaconerUnits(p, w)), RefBeaconer(4, 0.8, 2, w), 5e-5) << w;
        EXPECT_NEAR(Units(WitnessUnits(p, w)), RefWitness(4, 0.8, w), 5e-5) << w;
    }
}

TEST(RewardsHip15Test, FourteenWitnesses) {
    const Hip15Params p;
    // 2 - 0.107374182 and (4 - (1 - 0.107374182)) / 14 = 3.107374182 / 14, floored.
    EXPECT_EQ(BeaconerUnits(p, 14), 1'892'625'818u);
    EXPECT_EQ(WitnessUnits(p, 14), 221'955'298u);
    EXPECT_EQ(std::llround(Units(BeaconerUnits(p, 14)) * 1e4), 18926);
    EXPECT_EQ(std::llround(Units(WitnessUnits(p, 14)) * 1e4), 2220);
}

TEST(RewardsHip15Test, UpToRedundancy) {
    const Hip15Params p;
    EXPECT_EQ(BeaconerUnits(p, 0), 0u);
    EXPECT_EQ(WitnessUnits(p, 0), 0u);
    EXPECT_EQ(BeaconerUnits(p, 1), 250'000'000u);
    EXPECT_EQ(BeaconerUnits(p, 2), 500'000'000u);
    EXPECT_EQ(BeaconerUnits(p, 3), 750'000'000u);
    EXPECT_EQ(BeaconerUnits(p, 4), kUnitOne);
    for (uint32_t w = 1; w <= 4; ++w) EXPECT_EQ(WitnessUnits(p, w), kUnitOne) << w;
    // w * ONE / N floors: 1/3.
    const Hip15Params three{3, 8, 10, 2 * kUnitOne};
    EXPECT_EQ(BeaconerUnits(three, 1), 333'333'333u);
    EXPECT_EQ(BeaconerUnits(three, 2), 666'666'666u);
}

TEST(RewardsHip15Test, TotalStaysNPlusOnePastRedundancy) {
    const Hip15Params p;
    for (uint32_t w = p.redundancy + 1; w <= 200; ++w) {
        const uint64_t total = BeaconerUnits(p, w) + uint64_t{w} * WitnessUnits(p, w);
        const uint64_t expect = (p.redundancy + 1) * kUnitOne;
        // Only the witnesses' floor division loses anything: less than w units.
        EXPECT_LE(total, expect) << w;
        EXPECT_GT(total + w, expect) << w;
    }
    // The beaconer approaches 2 and the witnesses' share shrinks as they get more numerous.
    EXPECT_EQ(BeaconerUnits(p, 1000), 2 * kUnitOne);
    EXPECT_EQ(WitnessUnits(p, 1000), 3 * kUnitOne / 1000);
    for (uint32_t w = p.redundancy + 1; w < 50; ++w) {
        EXPECT_GT(BeaconerUnits(p, w + 1), BeaconerUnits(p, w)) << w;
        EXPECT_LT(WitnessUnits(p, w + 1), WitnessUnits(p, w)) << w;
    }
}

TEST(RewardsHip15Test, BeaconerCap) {
    Hip15Params p;
    p.beaconer_cap = 1'500'000'000;
    EXPECT_EQ(BeaconerUnits(p, 5), 1'200'000'000u);  // 2 - 0.8 below the cap
    EXPECT_EQ(BeaconerUnits(p, 14), 1'500'000'000u);
    EXPECT_EQ(WitnessUnits(p, 14), 221'955'298u);  // the cap does not touch the witnesses
    EXPECT_EQ(BeaconerUnits(p, 4), kUnitOne);      // nor applies below the redundancy
}

TEST(RewardsHip15Test, ZeroRedundancy) {
    const Hip15Params p{0, 8, 10, 2 * kUnitOne};
    EXPECT_EQ(BeaconerUnits(p, 0), 0u);
    EXPECT_EQ(BeaconerUnits(p, 1), 1'200'000'000u);
    EXPECT_EQ(WitnessUnits(p, 0), 0u);
    EXPECT_EQ(WitnessUnits(p, 1), 0u);
    EXPECT_EQ(WitnessUnits(p, 30), 0u);
}

TEST(RewardsHip15Test, ExtremeWitnessCounts) {
    const Hip15Params p;
    const uint32_t w = std::numeric_limits<uint32_t>::max();
    EXPECT_EQ(BeaconerUnits(p, w), 2 * kUnitOne);
    EXPECT_EQ(WitnessUnits(p, w), 3 * kUnitOne / w);
    const Hip15Params big{std::numeric_limits<uint32_t>::max(), 8, 10, 2 * kUnitOne};
    EXPECT_EQ(BeaconerUnits(big, w), kUnitOne);
    EXPECT_EQ(WitnessUnits(big, w), kUnitOne);
    EXPECT_EQ(BeaconerUnits(big, 1), kUnitOne / w);
}

// ---- Emission ----

TEST(EmissionTest, Halvings) {
    const EmissionParams p{1000, 10, kMax64};
    EXPECT_EQ(EpochEmission(p, 0, 0), 1000u);
    EXPECT_EQ(EpochEmission(p, 9, 0), 1000u);
    EXPECT_EQ(EpochEmission(p, 10, 0), 500u);
    EXPECT_EQ(EpochEmission(p, 19, 0), 500u);
    EXPECT_EQ(EpochEmission(p, 20, 0), 250u);
    EXPECT_EQ(EpochEmission(p, 30, 0), 125u);
    EXPECT_EQ(EpochEmission(p, 40, 0), 62u);  // the shift floors
    EXPECT_EQ(EpochEmission(p, 90, 0), 1u);
    EXPECT_EQ(EpochEmission(p, 100, 0), 0u);

    const EmissionParams full{kMax64, 1, kMax64};
    EXPECT_EQ(EpochEmission(full, 63, 0), 1u);
    EXPECT_EQ(EpochEmission(full, 64, 0), 0u);  // shifted out, not an undefined shift
    EXPECT_EQ(EpochEmission(full, 1000, 0), 0u);
    EXPECT_EQ(EpochEmission(full, kMax64, 0), 0u);
}

TEST(EmissionTest, NoHalvingInterval) {
    const EmissionParams p{1000, 0, kMax64};
    EXPECT_EQ(EpochEmission(p, 0, 0), 1000u);
    EXPECT_EQ(EpochEmission(p, kMax64, 0), 1000u);
}

TEST(EmissionTest, CapReachedMidEpoch) {
    const EmissionParams p{1000, 10, 2500};
    EXPECT_EQ(EpochEmission(p, 0, 0), 1000u);
    EXPECT_EQ(EpochEmission(p, 1, 1000), 1000u);
    EXPECT_EQ(EpochEmission(p, 2, 2000), 500u);  // only what is left
    EXPECT_EQ(EpochEmission(p, 3, 2500), 0u);
    EXPECT_EQ(EpochEmission(p, 4, 2600), 0u);  // past the cap (never happens): still nothing
    EXPECT_EQ(EpochEmission(EmissionParams{1000, 10, 0}, 0, 0), 0u);
    EXPECT_EQ(EpochEmission(EmissionParams{kMax64, 10, kMax64}, 0, kMax64 - 3), 3u);
}

TEST(EmissionTest, SumNeverExceedsCap) {
    struct Case {
        EmissionParams p;
        bool cap_reached;
    } const cases[] = {
        {{1'000'000, 7, 10'000'000}, true},  // the schedule would mint 14M
        // The schedule mints 7 * sum(floor(10^6 / 2^i)) = 7 * (2 * 10^6 - popcount(10^6))
        // = 13'999'951 in all.
        {{1'000'000, 7, 14'000'000}, false},
        {{1'000'000, 7, 13'999'951}, true},  // exactly
        {{1'000'000, 7, 13'999'950}, true},
        {{kMax64, 1, kMax64}, true},       // the first epoch mints everything
        {{kMax64 / 5, 2, kMax64}, false},  // mints 4/5 of the range
        {{123'456'789, 0, 1'000'000'000'000}, true},
        {{50 * kCoin, 210'000, 21'000'000 * kCoin}, false},
    };
    for (const auto& c : cases) {
        Amount minted = 0;
        for (uint64_t epoch = 0; epoch < 20'000'000; ++epoch) {
            const Amount e = EpochEmission(c.p, epoch, minted);
            ASSERT_LE(e, c.p.max_total_emission - minted);
            minted += e;
            // Once nothing more can ever be minted, stop.
            if (minted == c.p.max_total_emission) break;
            const uint64_t interval = c.p.halving_interval_epochs;
            if (interval != 0 && (epoch / interval >= 64 ||
                                  (c.p.initial_epoch_emission >> (epoch / interval)) == 0)) {
                break;
            }
        }
        EXPECT_LE(minted, c.p.max_total_emission);
        EXPECT_EQ(minted == c.p.max_total_emission, c.cap_reached) << minted;
    }
}

// ---- Payout ----

PubKey Key(uint64_t i) {
    PubKey k;
    for (size_t b = 0; b < 8; ++b) k.bytes[31 - b] = static_cast<uint8_t>(i >> (8 * b));
    return k;
}

TEST(PayoutTest, SplitRoundsDownAndKeepsRemainder) {
    const std::vector<uint64_t> shares{1, 1, 1};
    const PoolSplit s = SplitPool(10, shares);
    EXPECT_EQ(s.amounts, (std::vector<Amount>{3, 3, 3}));
    EXPECT_EQ(s.paid, 9u);
    EXPECT_EQ(s.remainder, 1u);

    const std::vector<uint64_t> uneven{1, 2, 3, 4};
    const PoolSplit u = SplitPool(100, uneven);
    EXPECT_EQ(u.amounts, (std::vector<Amount>{10, 20, 30, 40}));
    EXPECT_EQ(u.remainder, 0u);

    const std::vector<uint64_t> thirds{2, 1};
    const PoolSplit t = SplitPool(10, thirds);
    EXPECT_EQ(t.amounts, (std::vector<Amount>{6, 3}));
    EXPECT_EQ(t.remainder, 1u);
}

TEST(PayoutTest, ZeroShares) {
    const std::vector<uint64_t> zeros{0, 0, 0};
    const PoolSplit z = SplitPool(10, zeros);
    EXPECT_EQ(z.amounts, (std::vector<Amount>{0, 0, 0}));
    EXPECT_EQ(z.paid, 0u);
    EXPECT_EQ(z.remainder, 10u);

    const PoolSplit none = SplitPool(10, {});
    EXPECT_TRUE(none.amounts.empty());
    EXPECT_EQ(none.remainder, 10u);

    const std::vector<uint64_t> some{0, 5, 0};
    const PoolSplit s = SplitPool(10, some);
    EXPECT_EQ(s.amounts, (std::vector<Amount>{0, 10, 0}));
    EXPECT_EQ(s.remainder, 0u);

    const std::vector<uint64_t> ones{1, 1};
    const PoolSplit empty_pool = SplitPool(0, ones);
    EXPECT_EQ(empty_pool.amounts, (std::vector<Amount>{0, 0}));
    EXPECT_EQ(empty_pool.paid + empty_pool.remainder, 0u);
}

TEST(PayoutTest, OneDeviceGetsAll) {
    const std::vector<DeviceShare> shares{{Key(1), Key(100), 7, 3}};
    const CoveragePayout p = ComputeCoveragePayout(1000, 501, shares);
    ASSERT_EQ(p.devices.size(), 1u);
    EXPECT_EQ(p.devices[0], (DevicePayout{Key(1), Key(100), 1000, 501}));
    EXPECT_EQ(p.owners, (std::vector<std::pair<PubKey, Amount>>{{Key(100), 1501}}));
    EXPECT_EQ(p.beacon_paid, 1000u);
    EXPECT_EQ(p.beacon_remainder, 0u);
    EXPECT_EQ(p.witness_paid, 501u);
    EXPECT_EQ(p.witness_remainder, 0u);
}

TEST(PayoutTest, SumsPerOwner) {
    // Owners out of order, one owner with several devices, one owner whose devices earn 0.
    const std::vector<DeviceShare> shares{
        {Key(1), Key(300), 1, 0},  //
        {Key(2), Key(100), 1, 2},  //
        {Key(3), Key(300), 2, 2},  //
        {Key(4), Key(200), 0, 0},  //
        {Key(5), Key(100), 0, 0},  //
    };
    const CoveragePayout p = ComputeCoveragePayout(40, 100, shares);
    const std::vector<DevicePayout> devices{
        {Key(1), Key(300), 10, 0},   //
        {Key(2), Key(100), 10, 50},  //
        {Key(3), Key(300), 20, 50},  //
        {Key(4), Key(200), 0, 0},    //
        {Key(5), Key(100), 0, 0},    //
    };
    EXPECT_EQ(p.devices, devices);
    EXPECT_EQ(p.owners, (std::vector<std::pair<PubKey, Amount>>{{Key(100), 60}, {Key(300), 80}}));
    EXPECT_EQ(p.beacon_paid, 40u);
    EXPECT_EQ(p.witness_paid, 100u);
}

TEST(PayoutTest, NoDevices) {
    const CoveragePayout p = ComputeCoveragePayout(40, 100, {});
    EXPECT_TRUE(p.devices.empty());
    EXPECT_TRUE(p.owners.empty());
    EXPECT_EQ(p.beacon_remainder, 40u);
    EXPECT_EQ(p.witness_remainder, 100u);
}

TEST(PayoutTest, RandomInvariants) {
    std::mt19937_64 rng{20240615};
    for (int iter = 0; iter < 2000; ++iter) {
        // Pools and shares across magnitudes, including the top of the range.
        const int pool_bits = static_cast<int>(rng() % 64) + 1;
        const Amount pool = rng() >> (64 - pool_bits);
        const size_t n = rng() % 40;
        const int share_bits = static_cast<int>(rng() % 64) + 1;
        std::vector<uint64_t> shares(n);
        for (auto& s : shares) s = rng() % 4 == 0 ? 0 : rng() >> (64 - share_bits);

        const PoolSplit s = SplitPool(pool, shares);
        ASSERT_EQ(s.amounts.size(), n);
        ASSERT_EQ(s.paid + s.remainder, pool);
        U128 total = 0, paid = 0;
        size_t nonzero = 0;
        for (size_t i = 0; i < n; ++i) {
            total += shares[i];
            paid += s.amounts[i];
            nonzero += shares[i] != 0;
        }
        ASSERT_EQ(paid, s.paid);
        if (total == 0) {
            ASSERT_EQ(s.remainder, pool);
            continue;
        }
        for (size_t i = 0; i < n; ++i) {
            // amounts[i] is the largest a with a * total <= pool * share.
            const U128 exact = static_cast<U128>(pool) * shares[i];
            ASSERT_LE(static_cast<U128>(s.amounts[i]) * total, exact);
            ASSERT_GT((static_cast<U128>(s.amounts[i]) + 1) * total, exact);
        }
        // Each floor loses less than one unit.
        ASSERT_LT(s.remainder, std::max<size_t>(nonzero, 1));

        // The same shares as coverage payouts, over a handful of owners.
        std::vector<DeviceShare> devs(n);
        for (size_t i = 0; i < n; ++i) {
            devs[i] = DeviceShare{Key(i), Key(1000 + rng() % 5), shares[i], rng() % 1000};
        }
        const Amount room = kMax64 - pool;  // the pools must fit together
        const Amount witness_pool = room == kMax64 ? rng() : rng() % (room + 1);
        const CoveragePayout c = ComputeCoveragePayout(pool, witness_pool, devs);
        ASSERT_EQ(c.beacon_paid + c.beacon_remainder, pool);
        ASSERT_EQ(c.witness_paid + c.witness_remainder, witness_pool);
        ASSERT_EQ(c.devices.size(), n);
        U128 owners_total = 0;
        for (size_t i = 0; i < c.owners.size(); ++i) {
            ASSERT_NE(c.owners[i].second, 0u);
            if (i > 0) {
                ASSERT_LT(c.owners[i - 1].first, c.owners[i].first);
            }
            owners_total += c.owners[i].second;
        }
        ASSERT_EQ(owners_total, static_cast<U128>(c.beacon_paid) + c.witness_paid);
        for (size_t i = 0; i < n; ++i) {
            ASSERT_EQ(c.devices[i].device, devs[i].device);
            ASSERT_EQ(c.devices[i].beacon_amount, s.amounts[i]);
        }
    }
}

TEST(PayoutTest, HugeValues) {
    const Amount two63 = Amount{1} << 63;
    const std::vector<uint64_t> halves{two63, two63};
    const PoolSplit a = SplitPool(two63, halves);
    EXPECT_EQ(a.amounts, (std::vector<Amount>{two63 / 2, two63 / 2}));
    EXPECT_EQ(a.remainder, 0u);

    const std::vector<uint64_t> maxes{kMax64, kMax64};
    const PoolSplit b = SplitPool(kMax64, maxes);
    EXPECT_EQ(b.amounts, (std::vector<Amount>{two63 - 1, two63 - 1}));
    EXPECT_EQ(b.remainder, 1u);

    const std::vector<uint64_t> lopsided{kMax64, 1};
    const PoolSplit c = SplitPool(kMax64, lopsided);
    // The total is 2^64: kMax64 * kMax64 / 2^64 = kMax64 - 1 (floor), and kMax64 / 2^64 = 0.
    EXPECT_EQ(c.amounts, (std::vector<Amount>{kMax64 - 1, 0}));
    EXPECT_EQ(c.remainder, 1u);

    // One owner collecting almost 2^64 over two devices.
    const std::vector<DeviceShare> shares{{Key(1), Key(9), kMax64, kMax64},
                                          {Key(2), Key(9), kMax64, kMax64}};
    const CoveragePayout p = ComputeCoveragePayout(two63, two63 - 1, shares);
    EXPECT_EQ(p.devices[0].beacon_amount, two63 / 2);
    EXPECT_EQ(p.devices[0].witness_amount, two63 / 2 - 1);
    EXPECT_EQ(p.owners, (std::vector<std::pair<PubKey, Amount>>{{Key(9), kMax64 - 1}}));
    EXPECT_EQ(p.witness_remainder, 1u);
}

TEST(PayoutDeathTest, PoolsThatDoNotFitTogetherAbort) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    const std::vector<DeviceShare> shares{{Key(1), Key(9), 1, 1}};
    EXPECT_DEATH(ComputeCoveragePayout(kMax64, 1, shares), "");
}

}  // namespace
}  // namespace cairn::consensus::rewards
