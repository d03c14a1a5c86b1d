// Mempool: acceptance rules, the per-sender nonce chain, block templates, revalidation after a
// block, and the byte bound with fee-rate eviction.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "consensus_test_util.h"
#include "node/mempool.h"
#include "node/signature_cache.h"

namespace cairn::test {
namespace {

using consensus::Account;
using consensus::RejectReason;

constexpr uint64_t kNow = 1'700'000'000'000;

// Expects `r` (a Mempool::Accept result) to be a consensus rejection with `reason`.
void ExpectConsensusReject(const Result<Hash256, MempoolReject>& r, RejectReason reason) {
    ASSERT_FALSE(r.has_value()) << "accepted, expected " << consensus::RejectCode(reason);
    EXPECT_EQ(r.error().kind, MempoolRejectKind::kConsensus) << r.error().ToString();
    ASSERT_TRUE(r.error().consensus.has_value());
    EXPECT_EQ(consensus::RejectCode(r.error().consensus->reason), consensus::RejectCode(reason))
        << r.error().ToString();
    EXPECT_NE(r.error().ToString().find(std::string{consensus::RejectCode(reason)}),
              std::string::npos);
}

void ExpectOtherReject(const Result<Hash256, MempoolReject>& r, MempoolRejectKind kind) {
    ASSERT_FALSE(r.has_value()) << "accepted, expected a mempool rejection";
    EXPECT_EQ(r.error().kind, kind) << r.error().ToString();
    EXPECT_FALSE(r.error().consensus.has_value());
}

class MempoolTest : public ::testing::Test {
protected:
    MempoolTest() : params{consensus::DefaultParams(Network::kDevnet)} {
        for (uint64_t i = 0; i < 6; ++i) {
            keys.push_back(TestKey(i));
            state.accounts[keys.back().GetPubKey()] = Account{1000 * kCoin, 0};
        }
    }

    PubKey Pub(size_t i) const { return keys.at(i).GetPubKey(); }
    // A transfer of `amount` from account `from` to a fresh recipient.
    Transaction Tx(size_t from, uint64_t nonce, Amount fee, Amount amount = kCoin,
                   const Bytes& memo = {}) const {
        return MakeTransfer(keys.at(from), TestPubKey(50), amount, nonce, fee, params.network_id,
                            memo);
    }
    std::unique_ptr<Mempool> MakePool(Mempool::Options options = {}) {
        return std::make_unique<Mempool>(params, options, &sig_cache);
    }

    consensus::ChainParams params;
    std::vector<SecretKey> keys;
    MapStateView state;
    SignatureCache sig_cache;
};

TEST_F(MempoolTest, AcceptsValidTransfer) {
    auto pool = MakePool();
    Transaction tx = Tx(0, 0, 10'000);
    auto r = pool->Accept(tx, state, kNow);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_EQ(*r, tx.TxId());

    auto entry = pool->Get(tx.TxId());
    ASSERT_TRUE(entry.has_value());
    EXPECT_EQ(entry->tx, tx);
    EXPECT_EQ(entry->txid, tx.TxId());
    EXPECT_EQ(entry->size, tx.ToBytes().size());
    EXPECT_EQ(entry->time_ms, kNow);
    EXPECT_EQ(entry->FeeRateMilli(), tx.fee * 1000 / tx.ToBytes().size());
    // A verified signature is remembered, so connecting the block re-verifies nothing.
    EXPECT_TRUE(sig_cache.Contains(tx.TxId()));
    // The pool never changes the committed state.
    EXPECT_EQ(state.accounts.at(Pub(0)), (Account{1000 * kCoin, 0}));
}

TEST_F(MempoolTest, RejectsDuplicate) {
    auto pool = MakePool();
    Transaction tx = Tx(0, 0, 10'000);
    ASSERT_TRUE(pool->Accept(tx, state, kNow).has_value());
    auto r = pool->Accept(tx, state, kNow + 1);
    ExpectOtherReject(r, MempoolRejectKind::kDuplicate);
    EXPECT_EQ(r.error().ToString(), "txn-already-in-mempool");
    EXPECT_EQ(pool->Info().count, 1u);
    EXPECT_EQ(pool->Get(tx.TxId())->time_ms, kNow);
}

TEST_F(MempoolTest, RejectsBadSignature) {
    auto pool = MakePool();
    Transaction tx = Tx(0, 0, 10'000);
    tx.signature.bytes[10] ^= 0x01;
    ExpectConsensusReject(pool->Accept(tx, state, kNow), RejectReason::kTxBadSignature);

    // A signed field changed after signing.
    Transaction changed = Tx(0, 0, 10'000);
    changed.fee += 1;
    ExpectConsensusReject(pool->Accept(changed, state, kNow), RejectReason::kTxBadSignature);

    // Signed by another key than the sender's.
    Transaction other = Tx(0, 0, 10'000);
    Sign(other, keys.at(1));
    ExpectConsensusReject(pool->Accept(other, state, kNow), RejectReason::kTxBadSignature);

    EXPECT_EQ(pool->Info().count, 0u);
    EXPECT_FALSE(sig_cache.Contains(tx.TxId()));
    EXPECT_FALSE(pool->NextNonce(Pub(0)).has_value());
}

TEST_F(MempoolTest, RejectsFeeTooLow) {
    auto pool = MakePool();
    Transaction probe = Tx(0, 0, 10'000);
    const Amount min_fee = ExactMinimumFee(probe, params);
    ExpectConsensusReject(pool->Accept(Tx(0, 0, min_fee - 1), state, kNow),
                          RejectReason::kTxFeeTooLow);
    ExpectConsensusReject(pool->Accept(Tx(0, 0, 0), state, kNow), RejectReason::kTxFeeTooLow);
    EXPECT_EQ(pool->Info().count, 0u);
    // Exactly the minimum is enough.
    auto r = pool->Accept(Tx(0, 0, min_fee), state, kNow);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
}

TEST_F(MempoolTest, RejectsStaleNonce) {
    state.accounts[Pub(0)].nonce = 5;
    auto pool = MakePool();
    ExpectConsensusReject(pool->Accept(Tx(0, 4, 10'000), state, kNow),
                          RejectReason::kTxNonceTooLow);
    ExpectConsensusReject(pool->Accept(Tx(0, 0, 10'000), state, kNow),
                          RejectReason::kTxNonceTooLow);
    EXPECT_TRUE(pool->Accept(Tx(0, 5, 10'000), state, kNow).has_value());
    // A second transaction with a nonce the pending chain already uses: no replacement.
    ExpectOtherReject(pool->Accept(Tx(0, 5, 20'000), state, kNow), MempoolRejectKind::kConflict);
    EXPECT_EQ(pool->Info().count, 1u);
}

// A block was written (the account's nonce moved on) but UpdateForBlock has not run yet: the
// included prefix of a pending chain is skipped, a conflicting nonce is still refused, and
// nothing is orphaned once the update runs.
TEST_F(MempoolTest, AcceptDuringBlockConnectionOrphansNothing) {
    state.accounts[Pub(0)].nonce = 5;
    auto pool = MakePool();
    const Transaction t5 = Tx(0, 5, 10'000), t6 = Tx(0, 6, 10'000);
    ASSERT_TRUE(pool->Accept(t5, state, kNow).has_value());
    ASSERT_TRUE(pool->Accept(t6, state, kNow).has_value());
    state.accounts[Pub(0)].nonce = 6;  // the block with t5 is in the database
    ExpectOtherReject(pool->Accept(Tx(0, 6, 20'000), state, kNow), MempoolRejectKind::kConflict);
    const Transaction t7 = Tx(0, 7, 10'000);
    ASSERT_TRUE(pool->Accept(t7, state, kNow).has_value());
    Block block;
    block.txs = {t5};
    pool->UpdateForBlock(block, state);
    EXPECT_EQ(pool->Info().count, 2u);
    EXPECT_EQ(pool->Txids().size(), 2u);
    EXPECT_FALSE(pool->Get(t5.TxId()).has_value());
    EXPECT_TRUE(pool->Get(t6.TxId()).has_value());
    EXPECT_TRUE(pool->Get(t7.TxId()).has_value());
}

TEST(MempoolEntryTest, FeeRateDoesNotOverflow) {
    MempoolEntry e;
    e.size = 150;
    e.tx.fee = 18'446'744'073'709'561ULL;                     // * 1000 would wrap in 64 bits
    EXPECT_EQ(e.FeeRateMilli(), 122'978'293'824'730'406ULL);  // exact, not wrapped
    e.tx.fee = UINT64_MAX;
    e.size = 1;
    EXPECT_EQ(e.FeeRateMilli(), UINT64_MAX);
}

TEST_F(MempoolTest, RejectsNonceGap) {
    auto pool = MakePool();
    ExpectConsensusReject(pool->Accept(Tx(0, 1, 10'000), state, kNow),
                          RejectReason::kTxNonceTooHigh);
    ASSERT_TRUE(pool->Accept(Tx(0, 0, 10'000), state, kNow).has_value());
    ExpectConsensusReject(pool->Accept(Tx(0, 2, 10'000), state, kNow),
                          RejectReason::kTxNonceTooHigh);
    EXPECT_EQ(pool->Info().count, 1u);
    EXPECT_EQ(pool->NextNonce(Pub(0)), 1u);
}

TEST_F(MempoolTest, AcceptsConsecutiveNonceChain) {
    auto pool = MakePool();
    std::vector<Hash256> ids;
    for (uint64_t n = 0; n < 5; ++n) {
        auto r = pool->Accept(Tx(0, n, 10'000 + n), state, kNow + n);
        ASSERT_TRUE(r.has_value()) << "nonce " << n << ": " << r.error().ToString();
        ids.push_back(*r);
        EXPECT_EQ(pool->NextNonce(Pub(0)), n + 1);
    }
    EXPECT_EQ(pool->Info().count, 5u);
    // Txids() lists each sender's chain in nonce order.
    EXPECT_EQ(pool->Txids(), ids);
}

TEST_F(MempoolTest, CumulativeBalanceRule) {
    // 10 CAIRN: the first transaction spends 6 (+ fee), the second 6 more cannot be paid.
    state.accounts[Pub(0)] = Account{10 * kCoin, 0};
    auto pool = MakePool();
    ASSERT_TRUE(pool->Accept(Tx(0, 0, 10'000, 6 * kCoin), state, kNow).has_value());
    Transaction second = Tx(0, 1, 10'000, 6 * kCoin);
    // Alone, on the committed state, the second would be fine apart from its nonce.
    ExpectConsensusReject(pool->Accept(second, state, kNow), RejectReason::kTxInsufficientFunds);
    EXPECT_EQ(pool->Info().count, 1u);
    EXPECT_EQ(pool->NextNonce(Pub(0)), 1u);
    // What is left after the first transaction and both fees still can be spent.
    const Amount left = 10 * kCoin - 6 * kCoin - 10'000 - 10'000;
    auto r = pool->Accept(Tx(0, 1, 10'000, left), state, kNow);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    ExpectConsensusReject(pool->Accept(Tx(0, 2, 10'000, 1), state, kNow),
                          RejectReason::kTxInsufficientFunds);
}

TEST_F(MempoolTest, RejectsUnknownSenderAndWrongNetwork) {
    auto pool = MakePool();
    // An account that never existed has nothing to pay the fee with.
    Transaction tx = MakeTransfer(TestKey(40), Pub(0), kCoin, 0, 10'000, params.network_id);
    ExpectConsensusReject(pool->Accept(tx, state, kNow), RejectReason::kTxInsufficientFunds);
    Transaction wrong = MakeTransfer(keys[0], Pub(1), kCoin, 0, 10'000, params.network_id + 1);
    ExpectConsensusReject(pool->Accept(wrong, state, kNow), RejectReason::kTxWrongNetwork);
    EXPECT_EQ(pool->Info().count, 0u);
    EXPECT_TRUE(pool->Txids().empty());
}

// Fees from 16384 to 2^21-1 units all encode as 3-byte varints, so the transfers below (same
// amount, recipient and memo) all have the same size and their fee rates order like their fees.
TEST_F(MempoolTest, SelectOrdersByFeeRateKeepingNonceOrder) {
    auto pool = MakePool();
    // Sender 0: a cheap transaction first, then an expensive one (its nonce order wins).
    Transaction a0 = Tx(0, 0, 17'000);
    Transaction a1 = Tx(0, 1, 90'000);
    // Sender 1: medium, then cheaper; sender 2: the best head.
    Transaction b0 = Tx(1, 0, 30'000);
    Transaction b1 = Tx(1, 1, 20'000);
    Transaction c0 = Tx(2, 0, 50'000);
    for (const Transaction& tx : {a0, a1, b0, b1, c0}) {
        ASSERT_EQ(tx.ToBytes().size(), a0.ToBytes().size());
        auto r = pool->Accept(tx, state, kNow);
        ASSERT_TRUE(r.has_value()) << r.error().ToString();
    }
    auto selected = pool->SelectForBlock(state, 100, 1'000'000);
    // Heads a0 17k, b0 30k, c0 50k -> c0, b0; then b1 20k beats a0 17k; then a0 and a1, whose
    // high fee could not move it ahead of its sender's earlier nonce.
    EXPECT_EQ(selected, (std::vector<Transaction>{c0, b0, b1, a0, a1}));

    // Every returned transaction applies in order on the state.
    consensus::StateDelta delta{state};
    for (const Transaction& tx : selected) {
        auto r = consensus::ApplyTransaction(tx, params, 1, delta);
        EXPECT_TRUE(r.has_value()) << r.error().ToString();
    }
    // Selecting removes nothing.
    EXPECT_EQ(pool->Info().count, 5u);
}

TEST_F(MempoolTest, SelectRespectsMaxTxs) {
    auto pool = MakePool();
    Transaction a0 = Tx(0, 0, 17'000);
    Transaction b0 = Tx(1, 0, 30'000);
    Transaction b1 = Tx(1, 1, 20'000);
    Transaction c0 = Tx(2, 0, 50'000);
    for (const Transaction& tx : {a0, b0, b1, c0}) {
        ASSERT_TRUE(pool->Accept(tx, state, kNow).has_value());
    }
    EXPECT_EQ(pool->SelectForBlock(state, 2, 1'000'000), (std::vector<Transaction>{c0, b0}));
    EXPECT_EQ(pool->SelectForBlock(state, 3, 1'000'000), (std::vector<Transaction>{c0, b0, b1}));
    EXPECT_EQ(pool->SelectForBlock(state, 4, 1'000'000),
              (std::vector<Transaction>{c0, b0, b1, a0}));
    EXPECT_TRUE(pool->SelectForBlock(state, 0, 1'000'000).empty());
}

TEST_F(MempoolTest, SelectRespectsMaxBytes) {
    auto pool = MakePool();
    Transaction a0 = Tx(0, 0, 17'000);
    Transaction b0 = Tx(1, 0, 30'000);
    Transaction b1 = Tx(1, 1, 20'000);
    Transaction c0 = Tx(2, 0, 50'000);
    // A large transaction with the best rate of all.
    Transaction big = Tx(3, 0, 900'000, kCoin, Bytes(250, 0x42));
    for (const Transaction& tx : {a0, b0, b1, c0, big}) {
        auto r = pool->Accept(tx, state, kNow);
        ASSERT_TRUE(r.has_value()) << r.error().ToString();
    }
    const size_t s = a0.ToBytes().size();
    const size_t s_big = big.ToBytes().size();
    ASSERT_GT(pool->Get(big.TxId())->FeeRateMilli(), pool->Get(c0.TxId())->FeeRateMilli());
    ASSERT_GT(s_big, 2 * s + s / 2);

    // Room for big and one more: b0 no longer fits, and neither does a0.
    EXPECT_EQ(pool->SelectForBlock(state, 100, s_big + 2 * s - 1),
              (std::vector<Transaction>{big, c0}));
    // big does not fit at all; the others fill the space in rate order. b1 does not fit, which
    // ends sender 1's chain; a0 does not fit either.
    EXPECT_EQ(pool->SelectForBlock(state, 100, 2 * s + s / 2), (std::vector<Transaction>{c0, b0}));
    // Exactly enough for everything.
    EXPECT_EQ(pool->SelectForBlock(state, 100, s_big + 4 * s).size(), 5u);
    EXPECT_EQ(pool->SelectForBlock(state, 100, s_big + 4 * s - 1).size(), 4u);
    EXPECT_TRUE(pool->SelectForBlock(state, 100, s - 1).empty());
}

TEST_F(MempoolTest, UpdateForBlockRemovesIncludedTransactions) {
    auto pool = MakePool();
    Transaction a0 = Tx(0, 0, 17'000);
    Transaction a1 = Tx(0, 1, 17'000);
    Transaction b0 = Tx(1, 0, 30'000);
    for (const Transaction& tx : {a0, a1, b0}) {
        ASSERT_TRUE(pool->Accept(tx, state, kNow).has_value());
    }
    Block block;
    block.txs = {a0, b0};
    auto connected = test::ApplyTxs(block.txs, params, state);
    ASSERT_TRUE(connected.has_value()) << connected.error().ToString();
    state.Apply(connected->changes, connected->entry_changes);

    pool->UpdateForBlock(block, state);
    EXPECT_EQ(pool->Txids(), std::vector<Hash256>{a1.TxId()});
    EXPECT_FALSE(pool->Get(a0.TxId()).has_value());
    EXPECT_FALSE(pool->Get(b0.TxId()).has_value());
    EXPECT_EQ(pool->Info().count, 1u);
    EXPECT_EQ(pool->Info().bytes, a1.ToBytes().size());
    EXPECT_EQ(pool->NextNonce(Pub(0)), 2u);
    EXPECT_FALSE(pool->NextNonce(Pub(1)).has_value());
    // The remaining transaction is what a template on the new state holds.
    EXPECT_EQ(pool->SelectForBlock(state, 100, 1'000'000), std::vector<Transaction>{a1});
    // The sender's chain continues from the pool's next nonce.
    EXPECT_TRUE(pool->Accept(Tx(0, 2, 17'000), state, kNow).has_value());
}

TEST_F(MempoolTest, UpdateForBlockDropsInvalidatedTransactions) {
    auto pool = MakePool();
    // Sender 2 has two pending transactions of 1 CAIRN each.
    Transaction c0 = Tx(2, 0, 17'000);
    Transaction c1 = Tx(2, 1, 17'000);
    // Sender 3 likewise, but the block will spend less of its balance.
    Transaction d0 = Tx(3, 0, 17'000);
    Transaction d1 = Tx(3, 1, 17'000);
    Transaction d2 = Tx(3, 2, 17'000);
    // Sender 4 is not touched by the block.
    Transaction e0 = Tx(4, 0, 17'000);
    for (const Transaction& tx : {c0, c1, d0, d1, d2, e0}) {
        ASSERT_TRUE(pool->Accept(tx, state, kNow).has_value());
    }
    // The block carries other transactions of senders 2 and 3 that never were in the pool
    // (e.g. sent to another node): sender 2's nearly empties its balance, sender 3's is small.
    Transaction x2 = Tx(2, 0, 17'000, 1000 * kCoin - kCoin / 2);
    Transaction x3 = Tx(3, 0, 18'000, kCoin);
    Block block;
    block.txs = {x2, x3};
    auto connected = test::ApplyTxs(block.txs, params, state);
    ASSERT_TRUE(connected.has_value()) << connected.error().ToString();
    state.Apply(connected->changes, connected->entry_changes);

    pool->UpdateForBlock(block, state);
    // c0 and d0 now have a used nonce; c1 has the right nonce but no funds left; d1 and d2
    // still apply; e0 is unaffected.
    EXPECT_FALSE(pool->Get(c0.TxId()).has_value());
    EXPECT_FALSE(pool->Get(c1.TxId()).has_value());
    EXPECT_FALSE(pool->Get(d0.TxId()).has_value());
    EXPECT_TRUE(pool->Get(d1.TxId()).has_value());
    EXPECT_TRUE(pool->Get(d2.TxId()).has_value());
    EXPECT_TRUE(pool->Get(e0.TxId()).has_value());
    EXPECT_EQ(pool->Info().count, 3u);
    EXPECT_EQ(pool->Info().bytes, d1.ToBytes().size() + d2.ToBytes().size() + e0.ToBytes().size());
    EXPECT_FALSE(pool->NextNonce(Pub(2)).has_value());
    EXPECT_EQ(pool->NextNonce(Pub(3)), 3u);
    EXPECT_EQ(pool->NextNonce(Pub(4)), 1u);
    EXPECT_EQ(pool->SelectForBlock(state, 100, 1'000'000).size(), 3u);
}

TEST_F(MempoolTest, UpdateForBlockDropsChainAfterFailure) {
    state.accounts[Pub(0)] = Account{5 * kCoin, 0};
    auto pool = MakePool();
    std::vector<Transaction> chain;
    for (uint64_t n = 0; n < 4; ++n) chain.push_back(Tx(0, n, 17'000, kCoin));
    for (const Transaction& tx : chain) ASSERT_TRUE(pool->Accept(tx, state, kNow).has_value());
    // The account loses funds behind the pool's back (as a new state with the same nonce):
    // only the first two transactions remain payable, and everything after a failure goes.
    state.accounts[Pub(0)] = Account{2 * kCoin + 2 * 17'000, 0};
    pool->UpdateForBlock(Block{}, state);
    EXPECT_EQ(pool->Txids(), (std::vector<Hash256>{chain[0].TxId(), chain[1].TxId()}));
    EXPECT_EQ(pool->NextNonce(Pub(0)), 2u);
}

TEST_F(MempoolTest, ByteBoundEvictsLowestFeeRateTail) {
    const size_t s = Tx(0, 0, 20'000).ToBytes().size();
    auto pool = MakePool({.max_bytes = 3 * s + s / 2, .max_pending_per_sender = 64});
    Transaction a0 = Tx(0, 0, 20'000);
    Transaction a1 = Tx(0, 1, 25'000);
    Transaction b0 = Tx(1, 0, 40'000);
    for (const Transaction& tx : {a0, a1, b0}) {
        ASSERT_EQ(tx.ToBytes().size(), s);
        auto r = pool->Accept(tx, state, kNow);
        ASSERT_TRUE(r.has_value()) << r.error().ToString();
    }
    EXPECT_EQ(pool->Info().bytes, 3 * s);

    // A better newcomer evicts the lowest-rate tail: a1 (25k), not a0 (20k) in the middle of a
    // chain, whose removal would leave a1 with a gap.
    Transaction c0 = Tx(2, 0, 60'000);
    auto r = pool->Accept(c0, state, kNow);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_FALSE(pool->Get(a1.TxId()).has_value());
    EXPECT_TRUE(pool->Get(a0.TxId()).has_value());
    EXPECT_EQ(pool->NextNonce(Pub(0)), 1u);
    EXPECT_EQ(pool->Info().count, 3u);
    EXPECT_EQ(pool->Info().bytes, 3 * s);

    // Now a0 is sender 0's tail and the lowest rate: a slightly better newcomer evicts it.
    Transaction d0 = Tx(3, 0, 22'000);
    r = pool->Accept(d0, state, kNow);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_FALSE(pool->Get(a0.TxId()).has_value());
    EXPECT_FALSE(pool->NextNonce(Pub(0)).has_value());

    // A newcomer paying less than every tail is refused, and so is one paying the same.
    ExpectOtherReject(pool->Accept(Tx(4, 0, 21'000), state, kNow), MempoolRejectKind::kFull);
    r = pool->Accept(Tx(4, 0, 22'000), state, kNow);
    ExpectOtherReject(r, MempoolRejectKind::kFull);
    EXPECT_NE(r.error().ToString().find("mempool-full"), std::string::npos);
    EXPECT_FALSE(pool->NextNonce(Pub(4)).has_value());
    EXPECT_EQ(pool->Txids().size(), 3u);
    EXPECT_TRUE(pool->Get(b0.TxId()).has_value());
    EXPECT_TRUE(pool->Get(c0.TxId()).has_value());
    EXPECT_TRUE(pool->Get(d0.TxId()).has_value());
    EXPECT_LE(pool->Info().bytes, pool->Info().max_bytes);

    // A sender's own chain is never evicted for its next transaction; the other lowest goes.
    Transaction d1 = Tx(3, 1, 100'000);
    r = pool->Accept(d1, state, kNow);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_TRUE(pool->Get(d0.TxId()).has_value());
    EXPECT_FALSE(pool->Get(b0.TxId()).has_value());
    EXPECT_EQ(pool->NextNonce(Pub(3)), 2u);
}

TEST_F(MempoolTest, ByteBoundRefusedNewcomerEvictsNothing) {
    const size_t s = Tx(0, 0, 20'000).ToBytes().size();
    auto pool = MakePool({.max_bytes = 2 * s + s / 2, .max_pending_per_sender = 64});
    Transaction low = Tx(0, 0, 20'000);
    Transaction high = Tx(1, 0, 1'000'000);
    ASSERT_TRUE(pool->Accept(low, state, kNow).has_value());
    ASSERT_TRUE(pool->Accept(high, state, kNow).has_value());
    // A large newcomer whose rate lies between the two: it would fit only if both left, and
    // `high` pays more, so it is refused, and it must not have evicted `low` on the way.
    Transaction big = Tx(2, 0, 100'000, kCoin, Bytes(120, 0x42));
    const size_t s_big = big.ToBytes().size();
    ASSERT_GT(s + s_big, 2 * s + s / 2);
    ASSERT_LE(s_big, 2 * s + s / 2);
    const uint64_t rate_big = big.fee * 1000 / s_big;
    ASSERT_GT(rate_big, pool->Get(low.TxId())->FeeRateMilli());
    ASSERT_LT(rate_big, pool->Get(high.TxId())->FeeRateMilli());

    ExpectOtherReject(pool->Accept(big, state, kNow), MempoolRejectKind::kFull);
    EXPECT_TRUE(pool->Get(low.TxId()).has_value()) << "a refused newcomer evicted a transaction";
    EXPECT_TRUE(pool->Get(high.TxId()).has_value());
    EXPECT_EQ(pool->Info().count, 2u);
    EXPECT_EQ(pool->Info().bytes, 2 * s);
}

TEST_F(MempoolTest, ByteBoundRefusesTransactionLargerThanPool) {
    const size_t s = Tx(0, 0, 20'000).ToBytes().size();
    auto pool = MakePool({.max_bytes = s + 10, .max_pending_per_sender = 64});
    Transaction big = Tx(1, 0, 2'000'000, kCoin, Bytes(100, 0x42));
    ASSERT_GT(big.ToBytes().size(), s + 10);
    ExpectOtherReject(pool->Accept(big, state, kNow), MempoolRejectKind::kFull);
    EXPECT_EQ(pool->Info().count, 0u);
    EXPECT_TRUE(pool->Accept(Tx(0, 0, 20'000), state, kNow).has_value());
}

TEST_F(MempoolTest, TooManyPendingPerSender) {
    auto pool = MakePool({.max_bytes = 1 << 20, .max_pending_per_sender = 3});
    std::vector<Transaction> chain;
    for (uint64_t n = 0; n < 4; ++n) chain.push_back(Tx(0, n, 17'000));
    for (size_t i = 0; i < 3; ++i) ASSERT_TRUE(pool->Accept(chain[i], state, kNow).has_value());
    auto r = pool->Accept(chain[3], state, kNow);
    ExpectOtherReject(r, MempoolRejectKind::kTooManyPending);
    EXPECT_NE(r.error().ToString().find("too-many-pending"), std::string::npos);
    EXPECT_EQ(pool->NextNonce(Pub(0)), 3u);
    // Other senders are not limited by sender 0's chain.
    EXPECT_TRUE(pool->Accept(Tx(1, 0, 17'000), state, kNow).has_value());

    // Once a block includes the first, there is room again.
    Block block;
    block.txs = {chain[0]};
    auto connected = test::ApplyTxs(block.txs, params, state);
    ASSERT_TRUE(connected.has_value());
    state.Apply(connected->changes, connected->entry_changes);
    pool->UpdateForBlock(block, state);
    EXPECT_TRUE(pool->Accept(chain[3], state, kNow).has_value());
    EXPECT_EQ(pool->NextNonce(Pub(0)), 4u);
}

TEST_F(MempoolTest, InfoTxidsAndNextNonce) {
    auto pool = MakePool({.max_bytes = 12345, .max_pending_per_sender = 64});
    MempoolInfo info = pool->Info();
    EXPECT_EQ(info.count, 0u);
    EXPECT_EQ(info.bytes, 0u);
    EXPECT_EQ(info.max_bytes, 12345u);
    EXPECT_EQ(info.min_fee_per_byte, params.min_fee_per_byte);
    EXPECT_TRUE(pool->Txids().empty());
    EXPECT_FALSE(pool->NextNonce(Pub(0)).has_value());
    EXPECT_FALSE(pool->Get(Hash256{}).has_value());

    state.accounts[Pub(1)].nonce = 7;
    Transaction a0 = Tx(0, 0, 17'000);
    Transaction a1 = Tx(0, 1, 18'000);
    Transaction b7 = Tx(1, 7, 19'000, kCoin, Bytes(3, 1));
    for (const Transaction& tx : {a0, a1, b7}) {
        ASSERT_TRUE(pool->Accept(tx, state, kNow).has_value());
    }
    info = pool->Info();
    EXPECT_EQ(info.count, 3u);
    EXPECT_EQ(info.bytes, a0.ToBytes().size() + a1.ToBytes().size() + b7.ToBytes().size());
    auto ids = pool->Txids();
    std::sort(ids.begin(), ids.end());
    std::vector<Hash256> expected{a0.TxId(), a1.TxId(), b7.TxId()};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(ids, expected);
    EXPECT_EQ(pool->NextNonce(Pub(0)), 2u);
    EXPECT_EQ(pool->NextNonce(Pub(1)), 8u);
    EXPECT_FALSE(pool->NextNonce(Pub(2)).has_value());
}

TEST(MempoolReject, ToStringNamesTheReason) {
    MempoolReject consensus_reject{MempoolRejectKind::kConsensus,
                                   consensus::Reject{RejectReason::kTxFeeTooLow, "fee 1"}};
    EXPECT_NE(consensus_reject.ToString().find("tx-fee-too-low"), std::string::npos);
    EXPECT_EQ((MempoolReject{MempoolRejectKind::kDuplicate, std::nullopt}).ToString(),
              "txn-already-in-mempool");
    EXPECT_NE((MempoolReject{MempoolRejectKind::kFull, std::nullopt}).ToString().find("full"),
              std::string::npos);
    EXPECT_NE((MempoolReject{MempoolRejectKind::kTooManyPending, std::nullopt})
                  .ToString()
                  .find("too-many-pending"),
              std::string::npos);
}

}  // namespace
}  // namespace cairn::test
