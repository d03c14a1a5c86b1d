// Block rules (CheckBlockContextFree, ConnectBlock) and the genesis block. Each rejection test
// starts from a block the fixture makes valid and breaks exactly one rule.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>

#include "consensus/block_check.h"
#include "consensus/genesis.h"
#include "consensus/merkle.h"
#include "consensus/rewards/accounting.h"
#include "consensus_test_util.h"

namespace cairn::consensus {
namespace {

using test::ChainFixture;
using test::TestPubKey;

constexpr Amount kBalance = 1000 * kCoin;
constexpr Amount kFee = ChainFixture::kTransferFee;

Hash256 Flip(Hash256 h) {
    h.bytes[0] ^= 0x01;
    return h;
}

// The state root rebuilt from scratch over every account and record.
Hash256 RebuiltRoot(const test::MapStateView& state) {
    StateCommitment c;
    for (const auto& [k, a] : state.accounts)
        if (!a.IsEmpty()) c.Add(k, a);
    for (const auto& [k, v] : state.entries) c.AddEntry(k, v);
    return c.Root();
}

class BlockCheckTest : public ::testing::Test {
protected:
    ChainFixture chain{4, 3, kBalance};
    const PubKey stranger = TestPubKey(50);

    // Two transfers from different senders at the current nonces.
    std::vector<Transaction> TwoTransfers() const {
        uint64_t n0 = chain.state.GetAccount(chain.AccountKey(0))->nonce;
        uint64_t n2 = chain.state.GetAccount(chain.AccountKey(2))->nonce;
        return {chain.Transfer(0, chain.AccountKey(1), 5 * kCoin, n0),
                chain.Transfer(2, stranger, kCoin, n2)};
    }
    Block ValidBlock() const { return chain.MakeNextBlock(TwoTransfers()); }
    // Moves the chain to height 1 so that the next block carries a real commit.
    void AdvanceToHeight1() { chain.Advance(chain.MakeNextBlock(TwoTransfers())); }
};

// ---- Valid blocks --------------------------------------------------------------------------

TEST_F(BlockCheckTest, ValidBlockAtHeight1Connects) {
    Block b = ValidBlock();
    ASSERT_EQ(b.header.height, 1u);
    ASSERT_EQ(b.last_commit, Commit{});
    EXPECT_ACCEPT(CheckBlockContextFree(b, chain.params, chain.sig_checker));
    auto r = chain.Connect(b);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    const PubKey& proposer = b.header.proposer;
    EXPECT_EQ(proposer, chain.Validators().ProposerFor(1).key);
    EXPECT_EQ(r->fees, 2 * kFee);
    EXPECT_EQ(r->changes, (std::map<PubKey, Account>{
                              {chain.AccountKey(0), {kBalance - 5 * kCoin - kFee, 1}},
                              {chain.AccountKey(1), {kBalance + 5 * kCoin, 0}},
                              {chain.AccountKey(2), {kBalance - kCoin - kFee, 1}},
                              {stranger, {kCoin, 0}},
                          }));
    // The fees wait in the epoch's validator pool; the proposer is paid at the epoch's end.
    test::MapStateView after_fees = chain.state;
    after_fees.Apply(r->changes, r->entry_changes);
    EXPECT_EQ(ReadAccounting(after_fees).epoch_fees, 2 * kFee);
    EXPECT_EQ(r->commitment.Root(), b.header.state_root);
    // The incrementally updated root is the root of the whole new state.
    test::MapStateView after = chain.state;
    after.Apply(r->changes, r->entry_changes);
    EXPECT_EQ(r->commitment.Root(), RebuiltRoot(after));
    EXPECT_NE(r->commitment.Root(), chain.genesis.block.header.state_root);
}

TEST_F(BlockCheckTest, ValidBlockAtHeight2Connects) {
    AdvanceToHeight1();
    Block b = chain.MakeNextBlock(TwoTransfers());
    ASSERT_EQ(b.header.height, 2u);
    ASSERT_EQ(b.last_commit.height, 1u);
    ASSERT_EQ(b.last_commit.sigs.size(), 3u);
    auto r = chain.Connect(b);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_EQ(r->commitment.Root(), b.header.state_root);
    EXPECT_EQ(r->changes.at(chain.AccountKey(0)), (Account{kBalance - 10 * kCoin - 2 * kFee, 2}));
    EXPECT_EQ(r->changes.at(chain.AccountKey(1)), (Account{kBalance + 10 * kCoin, 0}));
    EXPECT_EQ(r->changes.at(stranger), (Account{2 * kCoin, 0}));
    // Both blocks' fees are pooled for the epoch's end, whoever proposed them.
    EXPECT_FALSE(r->changes.count(b.header.proposer));
    test::MapStateView after = chain.state;
    after.Apply(r->changes, r->entry_changes);
    EXPECT_EQ(ReadAccounting(after).epoch_fees, 4 * kFee);
    EXPECT_EQ(r->commitment.Root(), RebuiltRoot(after));
}

TEST_F(BlockCheckTest, ChainOfBlocksConnects) {
    for (uint64_t h = 1; h <= 6; ++h) {
        Block b = chain.MakeNextBlock(h % 2 == 0 ? std::vector<Transaction>{} : TwoTransfers());
        EXPECT_ACCEPT(chain.Connect(b));
        chain.Advance(b);
        EXPECT_EQ(chain.tip.header.height, h);
        EXPECT_EQ(chain.commitment.Root(), RebuiltRoot(chain.state));
    }
    EXPECT_EQ(chain.state.GetAccount(chain.AccountKey(0))->nonce, 3u);
}

TEST_F(BlockCheckTest, EmptyBlockKeepsStateRoot) {
    Block b = chain.MakeNextBlock({});
    auto r = chain.Connect(b);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_TRUE(r->changes.empty());
    EXPECT_EQ(r->fees, 0u);
    EXPECT_EQ(b.header.state_root, chain.genesis.block.header.state_root);
    EXPECT_EQ(b.header.tx_root, Hash256::Zero());
}

TEST_F(BlockCheckTest, TransactionsApplyInOrder) {
    // Two transactions from one sender: valid in nonce order, invalid the other way round.
    Transaction t0 = chain.Transfer(0, stranger, kCoin, 0);
    Transaction t1 = chain.Transfer(0, stranger, kCoin, 1);
    EXPECT_ACCEPT(chain.Connect(chain.MakeNextBlock({t0, t1})));
    EXPECT_REJECT(chain.Connect(chain.MakeNextBlock({t1, t0})), RejectReason::kBlockBadTx);
    // A transaction may spend what an earlier one in the block received.
    Transaction to_stranger = chain.Transfer(0, stranger, kCoin, 0);
    Transaction from_stranger = test::MakeTransfer(test::TestKey(50), chain.AccountKey(1),
                                                   kCoin - kFee, 0, kFee, chain.params.network_id);
    EXPECT_ACCEPT(chain.Connect(chain.MakeNextBlock({to_stranger, from_stranger})));
    EXPECT_REJECT(chain.Connect(chain.MakeNextBlock({from_stranger, to_stranger})),
                  RejectReason::kBlockBadTx);
}

// ---- Context-free rejections ---------------------------------------------------------------

TEST_F(BlockCheckTest, BadVersion) {
    for (uint32_t v : {kBlockVersion + 1, uint32_t{0}}) {
        Block b = ValidBlock();
        b.header.version = v;
        EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadVersion);
        EXPECT_REJECT(CheckBlockContextFree(b, chain.params, chain.sig_checker),
                      RejectReason::kBlockBadVersion);
    }
}

TEST_F(BlockCheckTest, WrongNetwork) {
    Block b = ValidBlock();
    b.header.network_id = chain.params.network_id + 1;
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockWrongNetwork);
}

TEST_F(BlockCheckTest, TooManyTxs) {
    Block b = ValidBlock();
    ChainParams p = chain.params;
    p.max_block_txs = 2;
    EXPECT_ACCEPT(ConnectBlock(b, chain.Context(p)));
    p.max_block_txs = 1;
    EXPECT_REJECT(ConnectBlock(b, chain.Context(p)), RejectReason::kBlockTooManyTxs);
}

TEST_F(BlockCheckTest, TooLarge) {
    Block b = ValidBlock();
    ChainParams p = chain.params;
    p.max_block_bytes = b.ToBytes().size();
    EXPECT_ACCEPT(ConnectBlock(b, chain.Context(p)));
    p.max_block_bytes = b.ToBytes().size() - 1;
    EXPECT_REJECT(ConnectBlock(b, chain.Context(p)), RejectReason::kBlockTooLarge);
}

TEST_F(BlockCheckTest, BadTxRoot) {
    Block b = ValidBlock();
    b.header.tx_root = Flip(b.header.tx_root);
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadTxRoot);
    // Reordered transactions no longer match the root.
    Block swapped = ValidBlock();
    std::swap(swapped.txs[0], swapped.txs[1]);
    EXPECT_REJECT(chain.Connect(swapped), RejectReason::kBlockBadTxRoot);
    // A transaction dropped from the list.
    Block dropped = ValidBlock();
    dropped.txs.pop_back();
    EXPECT_REJECT(chain.Connect(dropped), RejectReason::kBlockBadTxRoot);
    // An empty block must carry the zero root.
    Block empty = chain.MakeNextBlock({});
    empty.header.tx_root = Flip(Hash256::Zero());
    EXPECT_REJECT(chain.Connect(empty), RejectReason::kBlockBadTxRoot);
}

TEST_F(BlockCheckTest, DuplicateTx) {
    Block b = ValidBlock();
    b.txs.push_back(b.txs[0]);
    ChainFixture::FixRoots(b);
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockDuplicateTx);
    EXPECT_REJECT(CheckBlockContextFree(b, chain.params, chain.sig_checker),
                  RejectReason::kBlockDuplicateTx);
}

TEST_F(BlockCheckTest, TxWithBadSignature) {
    Block b = ValidBlock();
    b.txs[1].signature.bytes[5] ^= 0x01;
    ChainFixture::FixRoots(b);
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadTx);
    EXPECT_REJECT(CheckBlockContextFree(b, chain.params, chain.sig_checker),
                  RejectReason::kBlockBadTx);
}

TEST_F(BlockCheckTest, ConnectUsesTheContextsSignatureChecker) {
    struct RejectAll : SignatureChecker {
        bool Verify(const Transaction&) const override { return false; }
    } reject_all;
    Block b = ValidBlock();
    BlockContext ctx = chain.Context();
    BlockContext strict{ctx.params, ctx.prev,       ctx.validators, ctx.prev_validators,
                        ctx.state,  ctx.commitment, reject_all,     ctx.hashes};
    EXPECT_REJECT(ConnectBlock(b, strict), RejectReason::kBlockBadTx);
    EXPECT_ACCEPT(ConnectBlock(chain.MakeNextBlock({}), strict));
}

TEST_F(BlockCheckTest, TxFailingContextFreeCheck) {
    Block b = ValidBlock();
    b.txs[0] = test::MakeTransfer(chain.account_keys[0], stranger, 0, 0, kFee,
                                  chain.params.network_id);  // zero amount
    ChainFixture::FixRoots(b);
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadTx);
    Block wrong_net = ValidBlock();
    wrong_net.txs[0] = test::MakeTransfer(chain.account_keys[0], stranger, kCoin, 0, kFee,
                                          chain.params.network_id + 1);
    ChainFixture::FixRoots(wrong_net);
    EXPECT_REJECT(chain.Connect(wrong_net), RejectReason::kBlockBadTx);
}

// ---- Contextual rejections -----------------------------------------------------------------

TEST_F(BlockCheckTest, TxWithWrongNonce) {
    Block b = chain.MakeNextBlock({chain.Transfer(0, stranger, kCoin, 1)});
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadTx);
    // A replay of an already included transaction.
    AdvanceToHeight1();
    Block replay = chain.MakeNextBlock({chain.Transfer(0, chain.AccountKey(1), 5 * kCoin, 0)});
    EXPECT_REJECT(chain.Connect(replay), RejectReason::kBlockBadTx);
}

TEST_F(BlockCheckTest, TxWithInsufficientFunds) {
    Block b = chain.MakeNextBlock({chain.Transfer(0, stranger, kBalance, 0)});
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadTx);
}

TEST_F(BlockCheckTest, BadHeight) {
    for (uint64_t h : {uint64_t{0}, uint64_t{2}, uint64_t{100}}) {
        Block b = ValidBlock();
        b.header.height = h;
        EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadHeight);
    }
    AdvanceToHeight1();
    Block b = chain.MakeNextBlock({});
    b.header.height = 1;
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadHeight);
}

TEST_F(BlockCheckTest, BadPrevHash) {
    Block b = ValidBlock();
    b.header.prev_hash = Flip(b.header.prev_hash);
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadPrevHash);
    // At height 2, pointing at the grandparent (genesis) instead of the parent.
    const Hash256 genesis_hash = chain.genesis.block.Hash();
    AdvanceToHeight1();
    Block c = chain.MakeNextBlock({});
    c.header.prev_hash = genesis_hash;
    EXPECT_REJECT(chain.Connect(c), RejectReason::kBlockBadPrevHash);
}

TEST_F(BlockCheckTest, TimeNotAfterParent) {
    const uint64_t parent = chain.tip.header.time_ms;
    for (uint64_t t : {parent, parent - 1, uint64_t{0}}) {
        Block b = ValidBlock();
        b.header.time_ms = t;
        EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockTimeTooEarly);
    }
    Block next_ms = ValidBlock();
    next_ms.header.time_ms = parent + 1;
    EXPECT_ACCEPT(chain.Connect(next_ms));
}

TEST_F(BlockCheckTest, BadStateRoot) {
    Block b = ValidBlock();
    b.header.state_root = Flip(b.header.state_root);
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadStateRoot);
    // The root of the state without the proposer's fee credit.
    Block no_fees = ValidBlock();
    StateDelta delta{chain.state};
    for (const Transaction& tx : no_fees.txs)
        ASSERT_TRUE(ApplyTransaction(tx, chain.params, 1, delta));
    StateCommitment c = chain.commitment;
    UpdateCommitment(c, chain.state, delta.Changes());
    no_fees.header.state_root = c.Root();
    EXPECT_REJECT(chain.Connect(no_fees), RejectReason::kBlockBadStateRoot);
    // The parent's root, as if the transactions had not been applied.
    Block stale = ValidBlock();
    stale.header.state_root = chain.tip.header.state_root;
    EXPECT_REJECT(chain.Connect(stale), RejectReason::kBlockBadStateRoot);
}

TEST_F(BlockCheckTest, BadValidatorSetHash) {
    Block b = ValidBlock();
    b.header.validator_set_hash = Flip(b.header.validator_set_hash);
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadValidatorSetHash);
}

TEST_F(BlockCheckTest, WrongProposer) {
    // An empty block, so the proposer does not affect the state root.
    Block b = chain.MakeNextBlock({});
    b.header.proposer = chain.Validators().ProposerFor(b.header.height + 1).key;
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockWrongProposer);
    b.header.proposer = TestPubKey(0);  // not a validator at all
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockWrongProposer);
}

TEST_F(BlockCheckTest, BadLastCommitHash) {
    Block b = ValidBlock();
    b.header.last_commit_hash = Flip(b.header.last_commit_hash);
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadLastCommitHash);
    // At height 2: a signature removed from the commit without updating the hash.
    AdvanceToHeight1();
    Block c = chain.MakeNextBlock({});
    c.last_commit.sigs.pop_back();
    EXPECT_REJECT(chain.Connect(c), RejectReason::kBlockBadLastCommitHash);
}

TEST_F(BlockCheckTest, Height1WithNonEmptyCommit) {
    Block b = ValidBlock();
    b.last_commit = chain.MakeQuorumCommit(chain.genesis.block.header);
    ChainFixture::FixRoots(b);
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockBadCommit);
    // Even a commit with no signatures but a non-default field.
    Block c = ValidBlock();
    c.last_commit.round = 1;
    ChainFixture::FixRoots(c);
    EXPECT_REJECT(chain.Connect(c), RejectReason::kBlockBadCommit);
}

TEST_F(BlockCheckTest, Height2WithInsufficientCommit) {
    AdvanceToHeight1();
    Block b = chain.MakeNextBlock({});
    b.last_commit = chain.MakeCommit(chain.tip.header, {0, 1});
    ChainFixture::FixRoots(b);
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockCommitInsufficientPower);
    // Adding the third signature makes it valid.
    b.last_commit = chain.MakeCommit(chain.tip.header, {0, 1, 3});
    ChainFixture::FixRoots(b);
    EXPECT_ACCEPT(chain.Connect(b));
}

TEST_F(BlockCheckTest, Height2WithEmptyOrForeignCommit) {
    const BlockHeader genesis_header = chain.genesis.block.header;
    AdvanceToHeight1();
    Block empty = chain.MakeNextBlock({});
    empty.last_commit = Commit{};
    ChainFixture::FixRoots(empty);
    EXPECT_REJECT(chain.Connect(empty), RejectReason::kBlockBadCommit);
    // A quorum commit, but for the grandparent.
    Block foreign = chain.MakeNextBlock({});
    foreign.last_commit = chain.MakeQuorumCommit(genesis_header);
    ChainFixture::FixRoots(foreign);
    EXPECT_REJECT(chain.Connect(foreign), RejectReason::kBlockBadCommit);
}

TEST_F(BlockCheckTest, Height2WithBadCommitSignature) {
    AdvanceToHeight1();
    Block b = chain.MakeNextBlock({});
    b.last_commit.sigs[1].signature.bytes[0] ^= 0x80;
    ChainFixture::FixRoots(b);
    EXPECT_REJECT(chain.Connect(b), RejectReason::kBlockCommitBadSignature);
}

TEST_F(BlockCheckTest, CommitIsCheckedAgainstThePreviousValidatorSet) {
    AdvanceToHeight1();
    Block b = chain.MakeNextBlock({});
    EXPECT_ACCEPT(chain.Connect(b));
    std::vector<Validator> others;
    for (uint64_t i = 0; i < 4; ++i) others.push_back({TestPubKey(300 + i), 1});
    auto other_set = ValidatorSet::Create(others);
    ASSERT_TRUE(other_set.has_value());
    BlockContext ctx = chain.Context();
    BlockContext changed{ctx.params, ctx.prev,       ctx.validators,  *other_set,
                         ctx.state,  ctx.commitment, ctx.sig_checker, ctx.hashes};
    EXPECT_REJECT(ConnectBlock(b, changed), RejectReason::kBlockCommitBadSignature);
}

TEST_F(BlockCheckTest, FeesGoToTheEpochValidatorPool) {
    const PubKey proposer = chain.Validators().ProposerFor(chain.tip.header.height + 1).key;
    const Amount proposer_before = chain.state.GetAccount(proposer).value_or(Account{}).balance;
    Block b = chain.MakeNextBlock({chain.Transfer(0, stranger, kCoin, 0)});
    chain.Advance(b);
    EXPECT_EQ(chain.state.GetAccount(proposer).value_or(Account{}).balance, proposer_before);
    EXPECT_EQ(ReadAccounting(chain.state).epoch_fees, ChainFixture::kTransferFee);
}

TEST(BlockCheckStateTest, NeedsEmptyCommitOnlyUpToHeight1) {
    EXPECT_TRUE(NeedsEmptyCommit(0));
    EXPECT_TRUE(NeedsEmptyCommit(1));
    EXPECT_FALSE(NeedsEmptyCommit(2));
    EXPECT_FALSE(NeedsEmptyCommit(1000));
}

// ---- Genesis -------------------------------------------------------------------------------

Genesis BaseGenesis() {
    Genesis g;
    g.params = DefaultParams(Network::kDevnet);
    g.time_ms = 1'700'000'000'000;
    g.accounts = {{TestPubKey(0), 100 * kCoin}, {TestPubKey(1), 50 * kCoin}};
    g.validators = {{TestPubKey(100), 1}, {TestPubKey(101), 2}};
    return g;
}

Hash256 GenesisHash(const Genesis& g) {
    auto built = BuildGenesis(g);
    if (!built) throw std::logic_error(built.error());
    return built->block.Hash();
}

TEST(BlockCheckGenesisTest, BuildsExpectedHeader) {
    Genesis g = BaseGenesis();
    auto built = BuildGenesis(g);
    ASSERT_TRUE(built.has_value()) << built.error();
    const BlockHeader& h = built->block.header;
    EXPECT_EQ(h.version, kBlockVersion);
    EXPECT_EQ(h.height, 0u);
    EXPECT_EQ(h.network_id, g.params.network_id);
    EXPECT_EQ(h.time_ms, g.time_ms);
    EXPECT_EQ(h.tx_root, Hash256::Zero());
    EXPECT_TRUE(built->block.txs.empty());
    EXPECT_EQ(h.last_commit_hash, Commit{}.Hash());
    EXPECT_EQ(h.validator_set_hash, built->validators.Hash());
    EXPECT_EQ(built->validators.TotalPower(), 3u);
    Writer pw;
    SerializeParams(g.params, pw);
    EXPECT_EQ(h.prev_hash, TaggedHash(tags::kGenesis, pw.Data()));
    EXPECT_EQ(built->supply, 150 * kCoin);
    std::map<PubKey, Account> expected{{TestPubKey(0), {100 * kCoin, 0}},
                                       {TestPubKey(1), {50 * kCoin, 0}}};
    EXPECT_EQ(built->accounts, expected);
    EXPECT_EQ(h.state_root, built->commitment.Root());
    EXPECT_EQ(h.state_root, RebuiltRoot(test::MapStateView{expected}));
}

TEST(BlockCheckGenesisTest, RejectsDuplicateAccount) {
    Genesis g = BaseGenesis();
    g.accounts.push_back({TestPubKey(0), 1});
    EXPECT_FALSE(BuildGenesis(g).has_value());
}

TEST(BlockCheckGenesisTest, RejectsZeroBalance) {
    Genesis g = BaseGenesis();
    g.accounts.push_back({TestPubKey(2), 0});
    EXPECT_FALSE(BuildGenesis(g).has_value());
}

TEST(BlockCheckGenesisTest, RejectsInvalidAccountKey) {
    Genesis g = BaseGenesis();
    g.accounts.push_back({test::InvalidPubKey(), 1});
    EXPECT_FALSE(BuildGenesis(g).has_value());
}

TEST(BlockCheckGenesisTest, SupplyBound) {
    constexpr Amount kMax = std::numeric_limits<Amount>::max();
    Genesis g = BaseGenesis();
    g.accounts = {{TestPubKey(0), kMax - 1}, {TestPubKey(1), 1}};
    auto at_max = BuildGenesis(g);
    ASSERT_TRUE(at_max.has_value()) << at_max.error();
    EXPECT_EQ(at_max->supply, kMax);
    g.accounts.push_back({TestPubKey(2), 1});
    EXPECT_FALSE(BuildGenesis(g).has_value());
    g.accounts = {{TestPubKey(0), kMax}, {TestPubKey(1), kMax}};
    EXPECT_FALSE(BuildGenesis(g).has_value());
}

TEST(BlockCheckGenesisTest, RejectsInvalidValidatorSet) {
    Genesis g = BaseGenesis();
    g.validators.clear();
    EXPECT_FALSE(BuildGenesis(g).has_value());
    g = BaseGenesis();
    g.validators.push_back(g.validators[0]);
    EXPECT_FALSE(BuildGenesis(g).has_value());
    g = BaseGenesis();
    g.validators[0].power = 0;
    EXPECT_FALSE(BuildGenesis(g).has_value());
}

TEST(BlockCheckGenesisTest, HashCommitsToEveryParameterAndInput) {
    const Genesis base = BaseGenesis();
    const Hash256 h = GenesisHash(base);
    EXPECT_EQ(GenesisHash(base), h);  // deterministic
    // Account order does not matter: the state is a set.
    Genesis reordered = base;
    std::swap(reordered.accounts[0], reordered.accounts[1]);
    EXPECT_EQ(GenesisHash(reordered), h);

    auto changed = [&](auto mutate) {
        Genesis g = base;
        mutate(g);
        return GenesisHash(g) != h;
    };
    EXPECT_TRUE(changed([](Genesis& g) { g.params.network = Network::kTest; }));
    EXPECT_TRUE(changed([](Genesis& g) { g.params.network_id += 1; }));
    EXPECT_TRUE(changed([](Genesis& g) { g.params.min_fee_per_byte += 1; }));
    EXPECT_TRUE(changed([](Genesis& g) { g.params.max_block_bytes += 1; }));
    EXPECT_TRUE(changed([](Genesis& g) { g.params.max_block_txs += 1; }));
    EXPECT_TRUE(changed([](Genesis& g) { g.params.max_memo_bytes += 1; }));
    EXPECT_TRUE(changed([](Genesis& g) { g.time_ms += 1; }));
    EXPECT_TRUE(changed([](Genesis& g) { g.accounts[0].balance += 1; }));
    EXPECT_TRUE(changed([](Genesis& g) { g.accounts.pop_back(); }));
    EXPECT_TRUE(changed([](Genesis& g) { g.validators[0].power += 1; }));
    EXPECT_TRUE(changed([](Genesis& g) { g.validators.pop_back(); }));
}

}  // namespace
}  // namespace cairn::consensus
