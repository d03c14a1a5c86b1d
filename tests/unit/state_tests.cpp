// Account state: StateDelta's journal, Account encoding, and the LtHash state commitment.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <vector>

#include "consensus/state.h"
#include "consensus/state_commitment.h"
#include "consensus_test_util.h"

namespace cairn::consensus {
namespace {

using test::MapStateView;
using test::TestPubKey;

// ---- Account -------------------------------------------------------------------------------

TEST(StateAccountTest, EncodeDecodeRoundTrip) {
    for (Account a :
         {Account{0, 0}, Account{1, 0}, Account{0, 1}, Account{127, 128},
          Account{std::numeric_limits<Amount>::max(), std::numeric_limits<uint64_t>::max()}}) {
        Writer w;
        a.Serialize(w);
        auto decoded = DecodeAccount(w.Data());
        ASSERT_TRUE(decoded.has_value());
        EXPECT_EQ(*decoded, a);
    }
    Writer w;
    Account{5, 6}.Serialize(w);
    EXPECT_EQ(w.Data(), (Bytes{5, 6}));
    Bytes trailing = w.Data();
    trailing.push_back(0);
    EXPECT_FALSE(DecodeAccount(trailing).has_value());
    EXPECT_FALSE(DecodeAccount(Bytes{5}).has_value());
}

TEST(StateAccountTest, IsEmpty) {
    EXPECT_TRUE((Account{0, 0}).IsEmpty());
    EXPECT_FALSE((Account{1, 0}).IsEmpty());
    EXPECT_FALSE((Account{0, 1}).IsEmpty());
}

// ---- StateDelta ----------------------------------------------------------------------------

class StateDeltaTest : public ::testing::Test {
protected:
    PubKey a = TestPubKey(0), b = TestPubKey(1), c = TestPubKey(2);
    MapStateView base{{{a, Account{100, 1}}}};
};

TEST_F(StateDeltaTest, ReadsThroughToBase) {
    StateDelta d{base};
    EXPECT_EQ(d.GetAccount(a), (Account{100, 1}));
    EXPECT_FALSE(d.GetAccount(b).has_value());
    EXPECT_EQ(d.Get(b), Account{});
    EXPECT_TRUE(d.Changes().empty());
}

TEST_F(StateDeltaTest, SetShadowsBaseWithoutWritingIt) {
    StateDelta d{base};
    d.Set(a, Account{50, 2});
    d.Set(b, Account{7, 0});
    EXPECT_EQ(d.Get(a), (Account{50, 2}));
    EXPECT_EQ(d.Get(b), (Account{7, 0}));
    EXPECT_EQ(base.accounts.at(a), (Account{100, 1}));
    EXPECT_EQ(base.accounts.count(b), 0u);
    EXPECT_EQ(d.Changes(), (std::map<PubKey, Account>{{a, {50, 2}}, {b, {7, 0}}}));
}

TEST_F(StateDeltaTest, RollbackRestoresCheckpoint) {
    StateDelta d{base};
    d.Set(a, Account{90, 2});
    StateDelta::Checkpoint cp = d.MakeCheckpoint();
    d.Set(a, Account{80, 3});
    d.Set(b, Account{5, 0});
    d.Set(a, Account{70, 4});
    d.Rollback(cp);
    // a keeps the value from before the checkpoint; b, new since, is gone again.
    EXPECT_EQ(d.Changes(), (std::map<PubKey, Account>{{a, {90, 2}}}));
    EXPECT_FALSE(d.GetAccount(b).has_value());
    d.Rollback({});
    EXPECT_TRUE(d.Changes().empty());
    EXPECT_EQ(d.Get(a), (Account{100, 1}));
}

TEST_F(StateDeltaTest, NestedCheckpoints) {
    StateDelta d{base};
    StateDelta::Checkpoint cp0 = d.MakeCheckpoint();
    d.Set(b, Account{1, 0});
    StateDelta::Checkpoint cp1 = d.MakeCheckpoint();
    d.Set(c, Account{2, 0});
    d.Set(b, Account{3, 0});
    StateDelta::Checkpoint cp2 = d.MakeCheckpoint();
    d.Set(a, Account{0, 0});
    d.Rollback(cp2);
    EXPECT_EQ(d.Changes(), (std::map<PubKey, Account>{{b, {3, 0}}, {c, {2, 0}}}));
    d.Rollback(cp2);  // rolling back to the same point again changes nothing
    EXPECT_EQ(d.Changes().size(), 2u);
    d.Rollback(cp1);
    EXPECT_EQ(d.Changes(), (std::map<PubKey, Account>{{b, {1, 0}}}));
    d.Rollback(cp0);
    EXPECT_TRUE(d.Changes().empty());
    // The delta is usable after a rollback.
    d.Set(c, Account{9, 9});
    EXPECT_EQ(d.Get(c), (Account{9, 9}));
}

TEST_F(StateDeltaTest, SettingAnEqualValueIsStillAChange) {
    StateDelta d{base};
    d.Set(a, Account{100, 1});
    EXPECT_EQ(d.Changes().size(), 1u);
    d.Rollback({});
    EXPECT_TRUE(d.Changes().empty());
}

// ---- StateCommitment -----------------------------------------------------------------------

template <typename AccountMap>
Hash256 RootOf(const AccountMap& accounts) {
    StateCommitment c;
    for (const auto& [k, a] : accounts)
        if (!a.IsEmpty()) c.Add(k, a);
    return c.Root();
}

TEST(StateCommitmentTest, EmptyRootIsTaggedHashOfZeroLanes) {
    StateCommitment c;
    EXPECT_EQ(c.Root(), TaggedHash(tags::kStateRoot, Bytes(StateCommitment::kBytes, 0)));
    EXPECT_EQ(c.Serialize(), Bytes(StateCommitment::kBytes, 0));
}

TEST(StateCommitmentTest, OrderIndependent) {
    std::vector<std::pair<PubKey, Account>> accounts;
    for (uint64_t i = 0; i < 20; ++i) accounts.push_back({TestPubKey(i), Account{i + 1, i}});
    StateCommitment forward, backward, shuffled;
    for (const auto& [k, a] : accounts) forward.Add(k, a);
    for (auto it = accounts.rbegin(); it != accounts.rend(); ++it)
        backward.Add(it->first, it->second);
    std::mt19937_64 rng{42};
    std::shuffle(accounts.begin(), accounts.end(), rng);
    for (const auto& [k, a] : accounts) shuffled.Add(k, a);
    EXPECT_EQ(forward, backward);
    EXPECT_EQ(forward, shuffled);
    EXPECT_EQ(forward.Root(), shuffled.Root());
    EXPECT_NE(forward.Root(), StateCommitment{}.Root());
}

TEST(StateCommitmentTest, RemoveUndoesAdd) {
    StateCommitment c;
    c.Add(TestPubKey(0), Account{10, 1});
    const StateCommitment one = c;
    c.Add(TestPubKey(1), Account{20, 2});
    EXPECT_NE(c, one);
    c.Remove(TestPubKey(1), Account{20, 2});
    EXPECT_EQ(c, one);
    c.Remove(TestPubKey(0), Account{10, 1});
    EXPECT_EQ(c, StateCommitment{});
    EXPECT_EQ(c.Root(), StateCommitment{}.Root());
    // Removing a value that was never added does not cancel anything.
    StateCommitment d = one;
    d.Remove(TestPubKey(0), Account{10, 2});
    EXPECT_NE(d, StateCommitment{});
}

TEST(StateCommitmentTest, AnyDifferenceChangesRoot) {
    const PubKey k = TestPubKey(0);
    auto root = [](const PubKey& key, Account a) {
        StateCommitment c;
        c.Add(key, a);
        return c.Root();
    };
    Hash256 base = root(k, Account{100, 1});
    EXPECT_NE(base, root(k, Account{101, 1}));
    EXPECT_NE(base, root(k, Account{100, 2}));
    EXPECT_NE(base, root(TestPubKey(1), Account{100, 1}));
    // Balance and nonce are not interchangeable.
    EXPECT_NE(root(k, Account{1, 2}), root(k, Account{2, 1}));
    // Adding the same pair twice is not the same as adding it once.
    StateCommitment twice;
    twice.Add(k, Account{100, 1});
    twice.Add(k, Account{100, 1});
    EXPECT_NE(twice.Root(), base);
}

TEST(StateCommitmentTest, SerializeRoundTrip) {
    StateCommitment c;
    for (uint64_t i = 0; i < 5; ++i) c.Add(TestPubKey(i), Account{1000 * i + 1, i});
    Bytes data = c.Serialize();
    ASSERT_EQ(data.size(), StateCommitment::kBytes);
    auto back = StateCommitment::Deserialize(data);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, c);
    EXPECT_EQ(back->Root(), c.Root());
    EXPECT_EQ(c.Root(), TaggedHash(tags::kStateRoot, data));
    // Lanes are little-endian 16-bit: flipping one byte changes the commitment.
    data[1] ^= 0x01;
    auto flipped = StateCommitment::Deserialize(data);
    ASSERT_TRUE(flipped.has_value());
    EXPECT_NE(*flipped, c);
    EXPECT_FALSE(StateCommitment::Deserialize(Bytes(StateCommitment::kBytes - 1)).has_value());
    EXPECT_FALSE(StateCommitment::Deserialize(Bytes(StateCommitment::kBytes + 1)).has_value());
    EXPECT_FALSE(StateCommitment::Deserialize(Bytes{}).has_value());
}

TEST(StateCommitmentTest, UpdateEqualsRebuildRandomized) {
    std::mt19937_64 rng{20240601};
    std::vector<PubKey> keys;
    for (uint64_t i = 0; i < 200; ++i) keys.push_back(TestPubKey(i));

    MapStateView state;
    // Start with half of the accounts funded.
    for (size_t i = 0; i < keys.size(); i += 2) {
        state.accounts[keys[i]] = Account{rng() % 1'000'000 + 1, rng() % 10};
    }
    StateCommitment c;
    for (const auto& [k, a] : state.accounts) c.Add(k, a);
    ASSERT_EQ(c.Root(), RootOf(state.accounts));

    for (int round = 0; round < 8; ++round) {
        std::map<PubKey, Account> changes;
        size_t n_changes = 1 + rng() % 60;
        for (size_t j = 0; j < n_changes; ++j) {
            const PubKey& k = keys[rng() % keys.size()];
            Account now;
            switch (rng() % 5) {
                case 0:
                    now = Account{};
                    break;  // emptied (or still absent)
                case 1:
                    now = state.GetAccount(k).value_or(Account{});
                    break;  // unchanged
                case 2:
                    now = Account{0, rng() % 5 + 1};
                    break;  // zero balance, used nonce
                default:
                    now = Account{rng() % 1'000'000, rng() % 100};
                    break;
            }
            changes[k] = now;
        }
        UpdateCommitment(c, state, changes);
        state.Apply(changes);
        EXPECT_EQ(c.Root(), RootOf(state.accounts)) << "round " << round;
    }
}

TEST(StateCommitmentTest, EmptyAccountsAreNotInTheSet) {
    const PubKey a = TestPubKey(0), b = TestPubKey(1);
    MapStateView before{{{a, Account{10, 1}}}};
    StateCommitment c;
    c.Add(a, Account{10, 1});
    const StateCommitment start = c;

    // Creating an empty account leaves the commitment unchanged.
    UpdateCommitment(c, before, {{b, Account{}}});
    EXPECT_EQ(c, start);

    // Emptying an account removes it.
    UpdateCommitment(c, before, {{a, Account{}}});
    EXPECT_EQ(c, StateCommitment{});

    // An empty account stored in the view is not removed from the set (it was never in it).
    MapStateView with_empty{{{a, Account{10, 1}}, {b, Account{}}}};
    StateCommitment d = start;
    UpdateCommitment(d, with_empty, {{b, Account{5, 0}}});
    StateCommitment expected = start;
    expected.Add(b, Account{5, 0});
    EXPECT_EQ(d, expected);

    // An unchanged value is neither removed nor added.
    StateCommitment e = start;
    UpdateCommitment(e, before, {{a, Account{10, 1}}});
    EXPECT_EQ(e, start);
}

}  // namespace
}  // namespace cairn::consensus
