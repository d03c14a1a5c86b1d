// The validator set: construction rules, canonical hash, proposer schedule and commit checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "consensus/validator_set.h"
#include "consensus_test_util.h"

namespace cairn::consensus {
namespace {

using test::TestKey;
using test::TestPubKey;

constexpr uint32_t kNet = 3;

std::vector<Validator> Vals(std::initializer_list<uint64_t> powers, uint64_t first_key = 100) {
    std::vector<Validator> out;
    uint64_t i = first_key;
    for (uint64_t p : powers) out.push_back({TestPubKey(i++), p});
    return out;
}

// A set plus the secret keys in set order.
struct SignedSet {
    ValidatorSet set;
    std::vector<SecretKey> keys;
};

SignedSet MakeSet(std::initializer_list<uint64_t> powers) {
    std::vector<Validator> vals;
    std::vector<SecretKey> sks;
    uint64_t i = 100;
    for (uint64_t p : powers) {
        sks.push_back(TestKey(i++));
        vals.push_back({sks.back().GetPubKey(), p});
    }
    auto set = ValidatorSet::Create(vals);
    if (!set) throw std::logic_error(set.error());
    SignedSet out{std::move(set).value(), {}};
    for (const Validator& v : out.set.Validators()) {
        for (const SecretKey& sk : sks)
            if (sk.GetPubKey() == v.key) out.keys.push_back(sk);
    }
    return out;
}

class ValidatorSetCommitTest : public ::testing::Test {
protected:
    const uint64_t height = 7;
    const Hash256 block_hash = TaggedHash("test", Bytes{1, 2, 3});

    static Commit Sign(const SignedSet& s, const std::vector<uint32_t>& indices, uint64_t height,
                       const Hash256& block_hash, uint32_t net = kNet, uint32_t round = 0) {
        Commit c;
        c.height = height;
        c.round = round;
        c.block_hash = block_hash;
        Hash256 msg = VoteSignHash(net, height, round, block_hash);
        for (uint32_t i : indices) c.sigs.push_back({i, s.keys.at(i).Sign(msg, test::kTestAux)});
        return c;
    }
    Commit Sign(const SignedSet& s, const std::vector<uint32_t>& indices) const {
        return Sign(s, indices, height, block_hash);
    }
    CheckResult<> Verify(const Commit& c, const SignedSet& s) const {
        return VerifyCommit(c, s.set, kNet, height, block_hash);
    }
};

// ---- Create --------------------------------------------------------------------------------

TEST(ValidatorSetTest, CreateSortsByKeyAndSumsPower) {
    auto vals = Vals({1, 2, 3, 4, 5});
    auto set = ValidatorSet::Create(vals);
    ASSERT_TRUE(set.has_value()) << set.error();
    ASSERT_EQ(set->Size(), 5u);
    EXPECT_EQ(set->TotalPower(), 15u);
    EXPECT_TRUE(
        std::is_sorted(set->Validators().begin(), set->Validators().end(),
                       [](const Validator& a, const Validator& b) { return a.key < b.key; }));
    // Each validator keeps its power and can be found by key.
    for (const Validator& v : vals) {
        auto idx = set->IndexOf(v.key);
        ASSERT_TRUE(idx.has_value());
        EXPECT_EQ(set->Validators()[*idx], v);
    }
    EXPECT_FALSE(set->IndexOf(TestPubKey(1)).has_value());
}

TEST(ValidatorSetTest, CreateRejectsEmpty) {
    EXPECT_FALSE(ValidatorSet::Create({}).has_value());
}

TEST(ValidatorSetTest, CreateRejectsDuplicateKey) {
    auto vals = Vals({1, 2, 3});
    vals.push_back({vals[1].key, 5});
    EXPECT_FALSE(ValidatorSet::Create(vals).has_value());
    // Same key, same power.
    auto same = Vals({1, 1});
    same[1] = same[0];
    EXPECT_FALSE(ValidatorSet::Create(same).has_value());
}

TEST(ValidatorSetTest, CreateRejectsZeroPowerAndPowerAboveBound) {
    EXPECT_FALSE(ValidatorSet::Create(Vals({1, 0, 1})).has_value());
    EXPECT_FALSE(ValidatorSet::Create(Vals({kMaxValidatorPower + 1})).has_value());
    EXPECT_TRUE(ValidatorSet::Create(Vals({kMaxValidatorPower})).has_value());
}

TEST(ValidatorSetTest, CreateRejectsInvalidKey) {
    auto vals = Vals({1, 1});
    vals.push_back({test::InvalidPubKey(), 1});
    EXPECT_FALSE(ValidatorSet::Create(vals).has_value());
    vals.back().key = PubKey{};
    EXPECT_FALSE(ValidatorSet::Create(vals).has_value());
}

TEST(ValidatorSetTest, CreateRejectsTooMany) {
    std::vector<Validator> vals;
    for (uint64_t i = 0; i < kMaxValidators; ++i) vals.push_back({TestPubKey(1000 + i), 1});
    auto at_bound = ValidatorSet::Create(vals);
    ASSERT_TRUE(at_bound.has_value()) << at_bound.error();
    EXPECT_EQ(at_bound->TotalPower(), kMaxValidators);
    vals.push_back({TestPubKey(1000 + kMaxValidators), 1});
    EXPECT_FALSE(ValidatorSet::Create(vals).has_value());
}

TEST(ValidatorSetTest, HashIndependentOfInputOrder) {
    auto vals = Vals({3, 1, 4, 1, 5});
    auto a = ValidatorSet::Create(vals);
    std::reverse(vals.begin(), vals.end());
    auto b = ValidatorSet::Create(vals);
    std::rotate(vals.begin(), vals.begin() + 2, vals.end());
    auto c = ValidatorSet::Create(vals);
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(a->Hash(), b->Hash());
    EXPECT_EQ(a->Hash(), c->Hash());
    EXPECT_EQ(a->Validators(), c->Validators());
}

TEST(ValidatorSetTest, HashCommitsToKeysAndPowers) {
    auto base = ValidatorSet::Create(Vals({1, 1, 1}));
    auto other_power = ValidatorSet::Create(Vals({1, 1, 2}));
    auto other_key = ValidatorSet::Create(Vals({1, 1, 1}, 200));
    auto fewer = ValidatorSet::Create(Vals({1, 1}));
    ASSERT_TRUE(base && other_power && other_key && fewer);
    EXPECT_NE(base->Hash(), other_power->Hash());
    EXPECT_NE(base->Hash(), other_key->Hash());
    EXPECT_NE(base->Hash(), fewer->Hash());
}

TEST(ValidatorSetTest, SerializeDecodeRoundTripAndCanonical) {
    auto set = ValidatorSet::Create(Vals({5, 6, 7}));
    ASSERT_TRUE(set.has_value());
    Writer w;
    set->Serialize(w);
    auto back = DecodeValidatorSet(w.Data());
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->Validators(), set->Validators());
    EXPECT_EQ(back->Hash(), set->Hash());
    // The same validators encoded out of order are not canonical.
    Writer unsorted;
    unsorted.VarInt(3);
    for (int i = 2; i >= 0; --i) {
        unsorted.Fixed(set->Validators()[i].key.bytes);
        unsorted.VarInt(set->Validators()[i].power);
    }
    EXPECT_FALSE(DecodeValidatorSet(unsorted.Data()).has_value());
    Bytes trailing = w.Data();
    trailing.push_back(0);
    EXPECT_FALSE(DecodeValidatorSet(trailing).has_value());
}

TEST(ValidatorSetTest, ProposerRoundRobin) {
    auto set = ValidatorSet::Create(Vals({1, 1, 1, 1}));
    ASSERT_TRUE(set.has_value());
    const auto& v = set->Validators();
    for (uint64_t h = 0; h < 12; ++h) EXPECT_EQ(set->ProposerFor(h), v[h % 4]) << h;
    // Every validator proposes once per n heights.
    std::vector<PubKey> seen;
    for (uint64_t h = 1; h <= 4; ++h) seen.push_back(set->ProposerFor(h).key);
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end());
    auto single = ValidatorSet::Create(Vals({9}));
    ASSERT_TRUE(single.has_value());
    EXPECT_EQ(single->ProposerFor(12345).key, single->Validators()[0].key);
}

// ---- VerifyCommit --------------------------------------------------------------------------

TEST_F(ValidatorSetCommitTest, OneOfOneSigns) {
    SignedSet s = MakeSet({1});
    EXPECT_ACCEPT(Verify(Sign(s, {0}), s));
    EXPECT_REJECT(Verify(Sign(s, {}), s), RejectReason::kBlockCommitInsufficientPower);
}

TEST_F(ValidatorSetCommitTest, FourEqualNeedThree) {
    SignedSet s = MakeSet({1, 1, 1, 1});
    EXPECT_ACCEPT(Verify(Sign(s, {0, 1, 2, 3}), s));
    EXPECT_ACCEPT(Verify(Sign(s, {0, 1, 2}), s));
    EXPECT_ACCEPT(Verify(Sign(s, {1, 2, 3}), s));
    EXPECT_ACCEPT(Verify(Sign(s, {0, 2, 3}), s));
    EXPECT_REJECT(Verify(Sign(s, {0, 1}), s), RejectReason::kBlockCommitInsufficientPower);
    EXPECT_REJECT(Verify(Sign(s, {2, 3}), s), RejectReason::kBlockCommitInsufficientPower);
    EXPECT_REJECT(Verify(Sign(s, {}), s), RejectReason::kBlockCommitInsufficientPower);
}

TEST_F(ValidatorSetCommitTest, ExactlyTwoThirdsIsInsufficient) {
    SignedSet s = MakeSet({1, 1, 1});
    EXPECT_REJECT(Verify(Sign(s, {0, 1}), s), RejectReason::kBlockCommitInsufficientPower);
    EXPECT_REJECT(Verify(Sign(s, {1, 2}), s), RejectReason::kBlockCommitInsufficientPower);
    EXPECT_ACCEPT(Verify(Sign(s, {0, 1, 2}), s));
    // 6 validators: 4 of 6 is exactly 2/3, 5 is more.
    SignedSet six = MakeSet({1, 1, 1, 1, 1, 1});
    EXPECT_REJECT(Verify(Sign(six, {0, 1, 2, 3}), six),
                  RejectReason::kBlockCommitInsufficientPower);
    EXPECT_ACCEPT(Verify(Sign(six, {0, 1, 2, 3, 4}), six));
}

TEST_F(ValidatorSetCommitTest, PowerIsWeighted) {
    SignedSet s = MakeSet({10, 1, 1, 1});
    uint32_t heavy = 0;
    for (uint32_t i = 0; i < s.set.Size(); ++i)
        if (s.set.Validators()[i].power == 10) heavy = i;
    // 10 of 13 > 2/3.
    EXPECT_ACCEPT(Verify(Sign(s, {heavy}), s));
    // The three light validators (3 of 13) are not enough.
    std::vector<uint32_t> light;
    for (uint32_t i = 0; i < 4; ++i)
        if (i != heavy) light.push_back(i);
    EXPECT_REJECT(Verify(Sign(s, light), s), RejectReason::kBlockCommitInsufficientPower);
    // Powers 2,1: the power-2 validator alone is exactly 2/3.
    SignedSet t = MakeSet({2, 1});
    uint32_t two = t.set.Validators()[0].power == 2 ? 0 : 1;
    EXPECT_REJECT(Verify(Sign(t, {two}), t), RejectReason::kBlockCommitInsufficientPower);
    EXPECT_ACCEPT(Verify(Sign(t, {0, 1}), t));
}

TEST_F(ValidatorSetCommitTest, BadSignatureRejected) {
    SignedSet s = MakeSet({1, 1, 1, 1});
    Commit c = Sign(s, {0, 1, 2, 3});
    c.sigs[2].signature.bytes[10] ^= 0x01;
    EXPECT_REJECT(Verify(c, s), RejectReason::kBlockCommitBadSignature);
    // A bad signature is rejected even if the others alone would be enough.
    Commit enough = Sign(s, {0, 1, 2, 3});
    enough.sigs[3].signature = Signature{};
    EXPECT_REJECT(Verify(enough, s), RejectReason::kBlockCommitBadSignature);
}

TEST_F(ValidatorSetCommitTest, SignatureUnderWrongIndexRejected) {
    SignedSet s = MakeSet({1, 1, 1, 1});
    Commit c = Sign(s, {0, 1, 2});
    std::swap(c.sigs[0].signature, c.sigs[1].signature);
    EXPECT_REJECT(Verify(c, s), RejectReason::kBlockCommitBadSignature);
    // Validator 3's signature presented as validator 2's.
    Commit d = Sign(s, {0, 1, 3});
    d.sigs[2].validator_index = 2;
    EXPECT_REJECT(Verify(d, s), RejectReason::kBlockCommitBadSignature);
}

TEST_F(ValidatorSetCommitTest, UnorderedOrDuplicateIndicesRejected) {
    SignedSet s = MakeSet({1, 1, 1, 1});
    Commit unordered = Sign(s, {0, 2, 1});
    EXPECT_REJECT(Verify(unordered, s), RejectReason::kBlockBadCommit);
    // The same signature counted twice would reach 3 of 4 with two signers.
    Commit dup = Sign(s, {0, 1, 1});
    EXPECT_REJECT(Verify(dup, s), RejectReason::kBlockBadCommit);
    Commit dup2 = Sign(s, {0, 0, 0});
    EXPECT_REJECT(Verify(dup2, s), RejectReason::kBlockBadCommit);
}

TEST_F(ValidatorSetCommitTest, IndexOutOfRangeRejected) {
    SignedSet s = MakeSet({1, 1, 1, 1});
    Commit c = Sign(s, {0, 1, 2});
    c.sigs.push_back({4, c.sigs[2].signature});
    EXPECT_REJECT(Verify(c, s), RejectReason::kBlockBadCommit);
    Commit far = Sign(s, {0, 1, 2});
    far.sigs.push_back({UINT32_MAX, far.sigs[0].signature});
    EXPECT_REJECT(Verify(far, s), RejectReason::kBlockBadCommit);
}

TEST_F(ValidatorSetCommitTest, WrongHeightOrBlockRejected) {
    SignedSet s = MakeSet({1, 1, 1, 1});
    // Validly signed, but for another height / block.
    Commit other_height = Sign(s, {0, 1, 2, 3}, height + 1, block_hash);
    EXPECT_REJECT(Verify(other_height, s), RejectReason::kBlockBadCommit);
    Commit other_block = Sign(s, {0, 1, 2, 3}, height, TaggedHash("test", Bytes{9}));
    EXPECT_REJECT(Verify(other_block, s), RejectReason::kBlockBadCommit);
    // Relabelled after signing: the labels match but the signatures do not.
    Commit relabelled = other_block;
    relabelled.block_hash = block_hash;
    EXPECT_REJECT(Verify(relabelled, s), RejectReason::kBlockCommitBadSignature);
}

TEST_F(ValidatorSetCommitTest, RoundIsSigned) {
    SignedSet s = MakeSet({1, 1, 1, 1});
    Commit round2 = Sign(s, {0, 1, 2}, height, block_hash, kNet, 2);
    EXPECT_ACCEPT(Verify(round2, s));
    round2.round = 0;
    EXPECT_REJECT(Verify(round2, s), RejectReason::kBlockCommitBadSignature);
}

TEST_F(ValidatorSetCommitTest, SignatureForAnotherNetworkRejected) {
    SignedSet s = MakeSet({1, 1, 1, 1});
    Commit c = Sign(s, {0, 1, 2, 3}, height, block_hash, kNet + 1);
    EXPECT_REJECT(Verify(c, s), RejectReason::kBlockCommitBadSignature);
    EXPECT_ACCEPT(VerifyCommit(c, s.set, kNet + 1, height, block_hash));
}

TEST_F(ValidatorSetCommitTest, SignatureFromAnotherSetRejected) {
    SignedSet s = MakeSet({1, 1, 1, 1});
    auto other = ValidatorSet::Create(Vals({1, 1, 1, 1}, 300));
    ASSERT_TRUE(other.has_value());
    EXPECT_REJECT(VerifyCommit(Sign(s, {0, 1, 2}), *other, kNet, height, block_hash),
                  RejectReason::kBlockCommitBadSignature);
}

}  // namespace
}  // namespace cairn::consensus
