// Transaction rules: CheckTransaction (context-free), SignatureChecker, ApplyTransaction (state).
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>

#include "consensus/tx_check.h"
#include "consensus_test_util.h"

namespace cairn::consensus {
namespace {

using test::MakeTransfer;
using test::MapStateView;
using test::TestKey;
using test::TestPubKey;

constexpr Amount kMaxAmount = std::numeric_limits<Amount>::max();
constexpr Amount kFee = 10'000;

class TxCheckTest : public ::testing::Test {
protected:
    ChainParams params = DefaultParams(Network::kDevnet);
    SecretKey alice = TestKey(0);
    PubKey alice_pk = alice.GetPubKey();
    PubKey bob_pk = TestPubKey(1);

    Transaction Transfer(Amount amount = 5 * kCoin, uint64_t nonce = 0, Amount fee = kFee,
                         const Bytes& memo = {}) const {
        return MakeTransfer(alice, bob_pk, amount, nonce, fee, params.network_id, memo);
    }
    // A transfer carrying `payload` verbatim, signed.
    Transaction WithPayload(Bytes payload) const {
        Transaction tx = Transfer();
        tx.payload = std::move(payload);
        test::Sign(tx, alice);
        return tx;
    }
};

// ---- CheckTransaction ----------------------------------------------------------------------

TEST_F(TxCheckTest, ValidTransferPasses) {
    Transaction tx = Transfer();
    EXPECT_ACCEPT(CheckTransaction(tx, params));
    EXPECT_TRUE(SignatureChecker{}.Verify(tx));
}

TEST_F(TxCheckTest, WrongNetworkRejected) {
    for (uint32_t other :
         {params.network_id + 1, uint32_t{0}, GetNetworkInfo(Network::kMain).default_network_id}) {
        Transaction tx = MakeTransfer(alice, bob_pk, kCoin, 0, kFee, other);
        EXPECT_REJECT(CheckTransaction(tx, params), RejectReason::kTxWrongNetwork);
    }
    // The same transaction is valid on the network it was made for.
    ChainParams main = DefaultParams(Network::kMain);
    Transaction tx = MakeTransfer(alice, bob_pk, kCoin, 0, kFee, main.network_id);
    EXPECT_ACCEPT(CheckTransaction(tx, main));
    EXPECT_REJECT(CheckTransaction(tx, params), RejectReason::kTxWrongNetwork);
}

TEST_F(TxCheckTest, UnknownTypeRejected) {
    for (uint64_t type : {uint64_t{0}, uint64_t{7}, uint64_t{99}, uint64_t{1} << 63}) {
        Transaction tx = Transfer();
        tx.type = type;
        test::Sign(tx, alice);
        EXPECT_REJECT(CheckTransaction(tx, params), RejectReason::kTxUnknownType);
    }
}

TEST_F(TxCheckTest, InvalidSenderRejected) {
    ASSERT_FALSE(test::InvalidPubKey().IsValid());
    Transaction tx = Transfer();
    tx.sender = test::InvalidPubKey();
    EXPECT_REJECT(CheckTransaction(tx, params), RejectReason::kTxBadSender);
    // x >= the field size is not a key either.
    tx.sender.bytes.fill(0xff);
    EXPECT_REJECT(CheckTransaction(tx, params), RejectReason::kTxBadSender);
    tx.sender = PubKey{};
    EXPECT_REJECT(CheckTransaction(tx, params), RejectReason::kTxBadSender);
}

TEST_F(TxCheckTest, TooLargeRejected) {
    // A memo that makes the encoded transaction exceed kMaxTxSize.
    Transaction tx = Transfer(kCoin, 0, kMaxAmount, Bytes(kMaxTxSize, 0x42));
    ASSERT_GT(tx.ToBytes().size(), kMaxTxSize);
    EXPECT_REJECT(CheckTransaction(tx, params), RejectReason::kTxTooLarge);
}

TEST_F(TxCheckTest, FeeExactlyMinimumPassesOneLessFails) {
    Transaction tx = Transfer();
    Amount min = test::ExactMinimumFee(tx, params);
    ASSERT_GT(min, 0u);
    tx.fee = min;
    test::Sign(tx, alice);
    EXPECT_EQ(min, tx.ToBytes().size() * params.min_fee_per_byte);
    EXPECT_ACCEPT(CheckTransaction(tx, params));

    tx.fee = min - 1;
    test::Sign(tx, alice);
    // Same encoded size, so the minimum is unchanged and the fee is one unit short.
    ASSERT_EQ(tx.ToBytes().size() * params.min_fee_per_byte, min);
    EXPECT_REJECT(CheckTransaction(tx, params), RejectReason::kTxFeeTooLow);

    tx.fee = 0;
    test::Sign(tx, alice);
    EXPECT_REJECT(CheckTransaction(tx, params), RejectReason::kTxFeeTooLow);
}

TEST_F(TxCheckTest, FeeScalesWithSize) {
    // A longer memo needs a higher fee: the minimum of the short transaction is not enough.
    Transaction short_tx = Transfer();
    Amount short_min = test::ExactMinimumFee(short_tx, params);
    Transaction long_tx = Transfer(5 * kCoin, 0, short_min, Bytes(200, 0x01));
    EXPECT_REJECT(CheckTransaction(long_tx, params), RejectReason::kTxFeeTooLow);
    long_tx.fee = test::ExactMinimumFee(long_tx, params);
    test::Sign(long_tx, alice);
    EXPECT_ACCEPT(CheckTransaction(long_tx, params));
}

TEST_F(TxCheckTest, MinimumFeeOverflowIsRejected) {
    ChainParams p = params;
    p.min_fee_per_byte = kMaxAmount / 2;
    EXPECT_FALSE(MinimumFee(100, p).has_value());
    EXPECT_EQ(MinimumFee(100, params), Amount{1000});
    Transaction tx = Transfer(kCoin, 0, kMaxAmount);
    EXPECT_REJECT(CheckTransaction(tx, p), RejectReason::kTxFeeTooLow);
}

TEST_F(TxCheckTest, ZeroAmountRejected) {
    EXPECT_REJECT(CheckTransaction(Transfer(0), params), RejectReason::kTxZeroAmount);
    EXPECT_ACCEPT(CheckTransaction(Transfer(1), params));
}

TEST_F(TxCheckTest, InvalidRecipientRejected) {
    for (PubKey bad : {test::InvalidPubKey(), PubKey{}}) {
        Transaction tx = MakeTransfer(alice, bad, kCoin, 0, kFee, params.network_id);
        EXPECT_REJECT(CheckTransaction(tx, params), RejectReason::kTxBadRecipient);
    }
}

TEST_F(TxCheckTest, MemoLimit) {
    ASSERT_EQ(params.max_memo_bytes, 256u);
    EXPECT_ACCEPT(CheckTransaction(Transfer(kCoin, 0, kFee, Bytes(256, 0xab)), params));
    EXPECT_REJECT(CheckTransaction(Transfer(kCoin, 0, kFee, Bytes(257, 0xab)), params),
                  RejectReason::kTxMemoTooLong);
    // The limit is the chain parameter, not a constant.
    ChainParams p = params;
    p.max_memo_bytes = 10;
    EXPECT_ACCEPT(CheckTransaction(Transfer(kCoin, 0, kFee, Bytes(10, 0)), p));
    EXPECT_REJECT(CheckTransaction(Transfer(kCoin, 0, kFee, Bytes(11, 0)), p),
                  RejectReason::kTxMemoTooLong);
}

TEST_F(TxCheckTest, MalformedPayloadRejected) {
    Bytes good = test::TransferPayloadBytes(bob_pk, kCoin);
    EXPECT_ACCEPT(CheckTransaction(WithPayload(good), params));

    Bytes trailing = good;
    trailing.push_back(0);
    EXPECT_REJECT(CheckTransaction(WithPayload(trailing), params), RejectReason::kTxMalformed);

    Bytes truncated(good.begin(), good.end() - 1);  // drops the memo length
    EXPECT_REJECT(CheckTransaction(WithPayload(truncated), params), RejectReason::kTxMalformed);

    Bytes short_key(good.begin(), good.begin() + 31);
    EXPECT_REJECT(CheckTransaction(WithPayload(short_key), params), RejectReason::kTxMalformed);

    EXPECT_REJECT(CheckTransaction(WithPayload({}), params), RejectReason::kTxMalformed);

    // Memo length claims more bytes than present.
    Bytes long_claim = test::TransferPayloadBytes(bob_pk, kCoin, Bytes(4, 7));
    long_claim.pop_back();
    EXPECT_REJECT(CheckTransaction(WithPayload(long_claim), params), RejectReason::kTxMalformed);

    // Non-minimal varint amount: 1 encoded as 0x81 0x00.
    Bytes nonminimal(bob_pk.bytes.begin(), bob_pk.bytes.end());
    nonminimal.insert(nonminimal.end(), {0x81, 0x00, 0x00});
    EXPECT_REJECT(CheckTransaction(WithPayload(nonminimal), params), RejectReason::kTxMalformed);
}

// ---- SignatureChecker ----------------------------------------------------------------------

TEST_F(TxCheckTest, SignatureGoodPassesFlippedBitFails) {
    Transaction tx = Transfer();
    SignatureChecker checker;
    ASSERT_TRUE(checker.Verify(tx));
    for (size_t bit : {0u, 7u, 100u, 255u, 256u, 300u, 511u}) {
        Transaction bad = tx;
        bad.signature.bytes[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
        EXPECT_FALSE(checker.Verify(bad)) << "bit " << bit;
    }
}

TEST_F(TxCheckTest, SignatureCoversEverySignedField) {
    const Transaction tx = Transfer();
    SignatureChecker checker;
    auto fails = [&](auto mutate) {
        Transaction bad = tx;
        mutate(bad);
        return !checker.Verify(bad);
    };
    EXPECT_TRUE(fails([](Transaction& t) { t.nonce += 1; }));
    EXPECT_TRUE(fails([](Transaction& t) { t.fee += 1; }));
    EXPECT_TRUE(fails([](Transaction& t) { t.type += 1; }));
    EXPECT_TRUE(fails([](Transaction& t) { t.payload.back() ^= 1; }));
    EXPECT_TRUE(fails([&](Transaction& t) { t.sender = bob_pk; }));
    EXPECT_TRUE(fails([](Transaction& t) { t.sender = test::InvalidPubKey(); }));
    // Signed by someone else.
    Transaction other = tx;
    test::Sign(other, TestKey(1));
    EXPECT_FALSE(checker.Verify(other));
}

TEST_F(TxCheckTest, SignatureForAnotherNetworkFails) {
    Transaction tx = Transfer();
    uint32_t other_net = GetNetworkInfo(Network::kMain).default_network_id;
    ASSERT_NE(other_net, params.network_id);
    // Signed for another network, then relabelled for this one: not valid here.
    Transaction signed_elsewhere = MakeTransfer(alice, bob_pk, 5 * kCoin, 0, kFee, other_net);
    ASSERT_TRUE(SignatureChecker{}.Verify(signed_elsewhere));
    signed_elsewhere.network_id = params.network_id;
    EXPECT_FALSE(SignatureChecker{}.Verify(signed_elsewhere));
    // And this network's signature does not carry over to the other network.
    Transaction replayed = tx;
    replayed.network_id = other_net;
    EXPECT_FALSE(SignatureChecker{}.Verify(replayed));
    EXPECT_NE(tx.SigHash(), replayed.SigHash());
}

// ---- ApplyTransaction ----------------------------------------------------------------------

class TxApplyTest : public TxCheckTest {
protected:
    MapStateView base;
    void Fund(const PubKey& key, Amount balance, uint64_t nonce = 0) {
        base.accounts[key] = Account{balance, nonce};
    }
};

TEST_F(TxApplyTest, SuccessfulTransferMovesAmountChargesFeeAndBumpsNonce) {
    Fund(alice_pk, 100 * kCoin, 3);
    Fund(bob_pk, 7);
    StateDelta delta{base};
    EXPECT_ACCEPT(ApplyTransaction(Transfer(5 * kCoin, 3), params, 1, delta));
    EXPECT_EQ(delta.Get(alice_pk), (Account{100 * kCoin - 5 * kCoin - kFee, 4}));
    EXPECT_EQ(delta.Get(bob_pk), (Account{5 * kCoin + 7, 0}));
    EXPECT_EQ(delta.Changes().size(), 2u);
    // The base view is untouched: the delta holds the changes.
    EXPECT_EQ(base.accounts.at(alice_pk), (Account{100 * kCoin, 3}));
}

TEST_F(TxApplyTest, TransferCreatesRecipient) {
    Fund(alice_pk, kCoin);
    StateDelta delta{base};
    ASSERT_FALSE(delta.GetAccount(bob_pk).has_value());
    EXPECT_ACCEPT(ApplyTransaction(Transfer(1000), params, 1, delta));
    EXPECT_EQ(delta.GetAccount(bob_pk), (Account{1000, 0}));
}

TEST_F(TxApplyTest, SequentialNoncesAndReplay) {
    Fund(alice_pk, kCoin);
    StateDelta delta{base};
    EXPECT_ACCEPT(ApplyTransaction(Transfer(1, 0), params, 1, delta));
    EXPECT_ACCEPT(ApplyTransaction(Transfer(1, 1), params, 1, delta));
    EXPECT_EQ(delta.Get(alice_pk).nonce, 2u);
    auto before = delta.Changes();
    EXPECT_REJECT(ApplyTransaction(Transfer(1, 0), params, 1, delta), RejectReason::kTxNonceTooLow);
    EXPECT_EQ(delta.Changes(), before);
}

TEST_F(TxApplyTest, NonceTooLowAndTooHigh) {
    Fund(alice_pk, kCoin, 5);
    StateDelta delta{base};
    EXPECT_REJECT(ApplyTransaction(Transfer(1, 4), params, 1, delta), RejectReason::kTxNonceTooLow);
    EXPECT_REJECT(ApplyTransaction(Transfer(1, 0), params, 1, delta), RejectReason::kTxNonceTooLow);
    EXPECT_REJECT(ApplyTransaction(Transfer(1, 6), params, 1, delta),
                  RejectReason::kTxNonceTooHigh);
    EXPECT_TRUE(delta.Changes().empty());
    EXPECT_ACCEPT(ApplyTransaction(Transfer(1, 5), params, 1, delta));
}

TEST_F(TxApplyTest, UnknownSenderHasNoFunds) {
    StateDelta delta{base};
    EXPECT_REJECT(ApplyTransaction(Transfer(1, 1), params, 1, delta),
                  RejectReason::kTxNonceTooHigh);
    EXPECT_REJECT(ApplyTransaction(Transfer(1, 0), params, 1, delta),
                  RejectReason::kTxInsufficientFunds);
    EXPECT_TRUE(delta.Changes().empty());
}

TEST_F(TxApplyTest, InsufficientFundsForFee) {
    Fund(alice_pk, kFee - 1);
    StateDelta delta{base};
    EXPECT_REJECT(ApplyTransaction(Transfer(1), params, 1, delta),
                  RejectReason::kTxInsufficientFunds);
    EXPECT_TRUE(delta.Changes().empty());
}

TEST_F(TxApplyTest, BalanceExactlyAmountPlusFeePasses) {
    const Amount amount = 3 * kCoin;
    Fund(alice_pk, amount + kFee);
    StateDelta delta{base};
    EXPECT_ACCEPT(ApplyTransaction(Transfer(amount), params, 1, delta));
    EXPECT_EQ(delta.Get(alice_pk), (Account{0, 1}));
    EXPECT_EQ(delta.Get(bob_pk).balance, amount);
}

TEST_F(TxApplyTest, BalanceOneUnitShortOfAmountPlusFeeFailsAndRollsBack) {
    const Amount amount = 3 * kCoin;
    Fund(alice_pk, amount + kFee - 1);
    StateDelta delta{base};
    // The fee alone is affordable, so the sender was already charged when the amount failed:
    // the rollback must undo that.
    EXPECT_REJECT(ApplyTransaction(Transfer(amount), params, 1, delta),
                  RejectReason::kTxInsufficientFunds);
    EXPECT_TRUE(delta.Changes().empty());
    EXPECT_EQ(delta.Get(alice_pk), (Account{amount + kFee - 1, 0}));
}

TEST_F(TxApplyTest, RecipientOverflowRejectedAndRolledBack) {
    const Amount amount = 10 * kCoin;
    Fund(alice_pk, 100 * kCoin);
    Fund(bob_pk, kMaxAmount - amount + 1);
    StateDelta delta{base};
    EXPECT_REJECT(ApplyTransaction(Transfer(amount), params, 1, delta),
                  RejectReason::kTxBalanceOverflow);
    EXPECT_TRUE(delta.Changes().empty());
    EXPECT_EQ(delta.Get(alice_pk), (Account{100 * kCoin, 0}));
    EXPECT_EQ(delta.Get(bob_pk), (Account{kMaxAmount - amount + 1, 0}));
}

TEST_F(TxApplyTest, RecipientReachingExactlyMaxPasses) {
    const Amount amount = 10 * kCoin;
    Fund(alice_pk, 100 * kCoin);
    Fund(bob_pk, kMaxAmount - amount);
    StateDelta delta{base};
    EXPECT_ACCEPT(ApplyTransaction(Transfer(amount), params, 1, delta));
    EXPECT_EQ(delta.Get(bob_pk).balance, kMaxAmount);
}

TEST_F(TxApplyTest, FailedTransactionKeepsEarlierOnesInTheDelta) {
    Fund(alice_pk, 10 * kCoin);
    Fund(bob_pk, kMaxAmount - kCoin);
    StateDelta delta{base};
    EXPECT_ACCEPT(ApplyTransaction(Transfer(kCoin / 2, 0), params, 1, delta));
    const std::map<PubKey, Account> after_first = delta.Changes();
    EXPECT_REJECT(ApplyTransaction(Transfer(kCoin, 1), params, 1, delta),
                  RejectReason::kTxBalanceOverflow);
    EXPECT_EQ(delta.Changes(), after_first);
    EXPECT_EQ(delta.Get(alice_pk).nonce, 1u);
}

TEST_F(TxApplyTest, SelfTransferOnlyChargesFee) {
    Fund(alice_pk, 10 * kCoin, 2);
    StateDelta delta{base};
    Transaction tx = MakeTransfer(alice, alice_pk, 4 * kCoin, 2, kFee, params.network_id);
    EXPECT_ACCEPT(CheckTransaction(tx, params));
    EXPECT_ACCEPT(ApplyTransaction(tx, params, 1, delta));
    EXPECT_EQ(delta.Get(alice_pk), (Account{10 * kCoin - kFee, 3}));
    EXPECT_EQ(delta.Changes().size(), 1u);
}

TEST_F(TxApplyTest, SelfTransferOfMoreThanBalanceFails) {
    Fund(alice_pk, 10 * kCoin);
    StateDelta delta{base};
    Transaction tx = MakeTransfer(alice, alice_pk, 10 * kCoin, 0, kFee, params.network_id);
    EXPECT_REJECT(ApplyTransaction(tx, params, 1, delta), RejectReason::kTxInsufficientFunds);
    EXPECT_TRUE(delta.Changes().empty());
}

TEST_F(TxApplyTest, MalformedPayloadRolledBack) {
    Fund(alice_pk, 10 * kCoin);
    StateDelta delta{base};
    Bytes payload = test::TransferPayloadBytes(bob_pk, kCoin);
    payload.push_back(0);
    EXPECT_REJECT(ApplyTransaction(WithPayload(payload), params, 1, delta),
                  RejectReason::kTxMalformed);
    EXPECT_TRUE(delta.Changes().empty());
}

TEST_F(TxApplyTest, UnknownTypeRejected) {
    Fund(alice_pk, 10 * kCoin);
    StateDelta delta{base};
    Transaction tx = Transfer();
    tx.type = 77;
    EXPECT_REJECT(ApplyTransaction(tx, params, 1, delta), RejectReason::kTxUnknownType);
    EXPECT_TRUE(delta.Changes().empty());
}

}  // namespace
}  // namespace cairn::consensus
