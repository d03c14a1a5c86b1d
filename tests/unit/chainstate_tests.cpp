// ChainState over a real LevelDB database in a temporary directory: genesis, connecting blocks
// (and refusing bad ones without a trace), persistence across reopening, the genesis check;
// BlockProducer making blocks from the mempool; and cairnd's configuration parsing.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "consensus/rewards/accounting.h"
#include "node/block_producer.h"
#include "node/chainstate.h"
#include "node/config.h"
#include "node/mempool.h"
#include "node_test_util.h"

namespace cairn::test {
namespace {

using consensus::Account;
using consensus::RejectReason;

constexpr Amount kFee = 20'000;

class ChainStateTest : public ::testing::Test {
protected:
    ChainStateTest() : genesis{NodeGenesis()}, validator{NodeValidatorKey()} {
        options.db_path = dir.Sub("chain");
        options.db_cache_bytes = 1 << 20;
        options.verify_threads = 2;
    }

    void SetUp() override {
        auto built = consensus::BuildGenesis(genesis);
        ASSERT_TRUE(built.has_value()) << built.error();
        genesis_state = std::move(built).value();
        Reopen();
    }

    void Reopen() {
        producer.reset();
        mempool.reset();
        chain.reset();
        auto opened = ChainState::Open(options, genesis);
        ASSERT_TRUE(opened.has_value()) << opened.error();
        chain = std::move(opened).value();
    }

    // A mempool and a producer on top of the chain, wired like the node does.
    void StartProducing() {
        mempool =
            std::make_unique<Mempool>(chain->Params(), Mempool::Options{}, &chain->SigCache());
        reports = std::make_unique<ReportPool>(chain->Params(), ReportPool::Options{}, nullptr);
        producer = std::make_unique<BlockProducer>(*chain, *mempool, *reports, validator, 1000);
        chain->SetBlockConnectedCallback([this](const Block& b) {
            mempool->UpdateForBlock(b, chain->Db());
            reports->UpdateForBlock(b);
        });
    }

    Account AccountOf(const PubKey& key) const {
        return chain->Db().GetAccount(key).value_or(Account{});
    }
    Transaction Transfer(size_t from, const PubKey& to, Amount amount, uint64_t nonce) const {
        return MakeTransfer(TestKey(from), to, amount, nonce, kFee, chain->Params().network_id);
    }
    // The sum of every balance the tests can have touched, plus the fees pooled for the epoch's
    // validator payout: the coins that exist.
    Amount SumOfBalances() const {
        const consensus::ChainAccounting acc = consensus::ReadAccounting(chain->Db());
        Amount sum = acc.epoch_fees + acc.fee_carry;
        for (uint64_t i = 0; i < 60; ++i) sum += AccountOf(TestPubKey(i)).balance;
        sum += AccountOf(TestPubKey(100)).balance;
        return sum;
    }
    void ExpectStillAtGenesis() const {
        const ChainTip tip = chain->Tip();
        EXPECT_EQ(tip.height, 0u);
        EXPECT_EQ(tip.hash, genesis_state.block.Hash());
        EXPECT_EQ(tip.commitment, genesis_state.commitment);
        EXPECT_EQ(chain->Db().ReadTip()->height, 0u);
        EXPECT_FALSE(chain->Db().ReadHashAtHeight(1).has_value());
        EXPECT_EQ(*chain->Db().ReadCommitment(), genesis_state.commitment);
        for (size_t i = 0; i < 3; ++i) {
            EXPECT_EQ(AccountOf(TestPubKey(i)), (Account{1000 * kCoin, 0})) << "account " << i;
        }
        EXPECT_EQ(AccountOf(TestPubKey(50)), Account{});
        EXPECT_EQ(AccountOf(validator.GetPubKey()), Account{});
    }

    TempDir dir{"cairn-chainstate"};
    consensus::Genesis genesis;
    consensus::GenesisState genesis_state;
    SecretKey validator;
    ChainState::Options options;
    std::unique_ptr<ChainState> chain;
    std::unique_ptr<Mempool> mempool;
    std::unique_ptr<ReportPool> reports;
    std::unique_ptr<BlockProducer> producer;
};

TEST_F(ChainStateTest, OpenWritesGenesis) {
    const Hash256 genesis_hash = genesis_state.block.Hash();
    EXPECT_EQ(chain->GenesisHash(), genesis_hash);
    const ChainTip tip = chain->Tip();
    EXPECT_EQ(tip.height, 0u);
    EXPECT_EQ(tip.hash, genesis_hash);
    EXPECT_EQ(tip.header, genesis_state.block.header);
    EXPECT_EQ(tip.commit, Commit{});
    EXPECT_EQ(tip.commitment, genesis_state.commitment);
    EXPECT_EQ(tip.commitment.Root(), tip.header.state_root);
    EXPECT_EQ(tip.supply, 3000 * kCoin);

    const ChainDb& db = chain->Db();
    EXPECT_EQ(db.ReadGenesisHash(), genesis_hash);
    EXPECT_EQ(db.ReadHashAtHeight(0), genesis_hash);
    EXPECT_EQ(db.ReadBlock(genesis_hash), genesis_state.block);
    EXPECT_EQ(db.ReadSupply(), 3000 * kCoin);
    ASSERT_TRUE(db.ReadTip().has_value());
    EXPECT_EQ(db.ReadTip()->hash, genesis_hash);
    for (size_t i = 0; i < 3; ++i) EXPECT_EQ(AccountOf(TestPubKey(i)), (Account{1000 * kCoin, 0}));
    EXPECT_FALSE(db.GetAccount(TestPubKey(3)).has_value());

    EXPECT_EQ(chain->Params().network, Network::kDevnet);
    EXPECT_EQ(chain->Params().network_id, genesis.params.network_id);
    ASSERT_EQ(chain->Validators().Size(), 1u);
    EXPECT_EQ(chain->Validators().Validators()[0].key, validator.GetPubKey());
    EXPECT_TRUE(std::filesystem::exists(options.db_path));
}

TEST_F(ChainStateTest, ConnectTipValidBlock) {
    std::vector<Block> connected_blocks;
    chain->SetBlockConnectedCallback([&](const Block& b) { connected_blocks.push_back(b); });

    Transaction t0 = Transfer(0, TestPubKey(1), 5 * kCoin, 0);
    Transaction t1 = Transfer(0, TestPubKey(50), 7 * kCoin, 1);
    Transaction t2 = Transfer(2, TestPubKey(50), 1 * kCoin, 0);
    SignedBlock sb = MakeSignedBlock(*chain, validator, {t0, t1, t2});
    const Hash256 hash = sb.block.Hash();
    auto r = chain->ConnectTip(sb.block, sb.commit, sb.block.header.time_ms);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();

    const ChainTip tip = chain->Tip();
    EXPECT_EQ(tip.height, 1u);
    EXPECT_EQ(tip.hash, hash);
    EXPECT_EQ(tip.header, sb.block.header);
    EXPECT_EQ(tip.commit, sb.commit);
    EXPECT_EQ(tip.commitment.Root(), sb.block.header.state_root);
    EXPECT_EQ(tip.supply, 3000 * kCoin);

    // Accounts.
    EXPECT_EQ(AccountOf(TestPubKey(0)), (Account{1000 * kCoin - 12 * kCoin - 2 * kFee, 2}));
    EXPECT_EQ(AccountOf(TestPubKey(1)), (Account{1005 * kCoin, 0}));
    EXPECT_EQ(AccountOf(TestPubKey(2)), (Account{999 * kCoin - kFee, 1}));
    EXPECT_EQ(AccountOf(TestPubKey(50)), (Account{8 * kCoin, 0}));
    // Fees are pooled until the epoch ends, not paid to the proposer at once.
    EXPECT_EQ(AccountOf(validator.GetPubKey()), Account{});
    EXPECT_EQ(consensus::ReadAccounting(chain->Db()).epoch_fees, 3 * kFee);
    // Nothing is minted or burned.
    EXPECT_EQ(chain->Db().ReadSupply(), 3000 * kCoin);
    EXPECT_EQ(SumOfBalances(), 3000 * kCoin);

    // Block, height index, transaction index, commit.
    const ChainDb& db = chain->Db();
    EXPECT_EQ(db.ReadBlock(hash), sb.block);
    EXPECT_EQ(db.ReadHashAtHeight(1), hash);
    EXPECT_EQ(db.ReadTip()->hash, hash);
    EXPECT_EQ(db.ReadTipCommit(), sb.commit);
    EXPECT_EQ(*db.ReadCommitment(), tip.commitment);
    const std::vector<Transaction> txs{t0, t1, t2};
    for (uint32_t i = 0; i < txs.size(); ++i) {
        auto loc = db.ReadTxLocation(txs[i].TxId());
        ASSERT_TRUE(loc.has_value()) << "tx " << i;
        EXPECT_EQ(loc->height, 1u);
        EXPECT_EQ(loc->position, i);
    }
    EXPECT_FALSE(db.ReadTxLocation(Transfer(0, TestPubKey(1), kCoin, 2).TxId()).has_value());

    ASSERT_EQ(connected_blocks.size(), 1u);
    EXPECT_EQ(connected_blocks[0], sb.block);

    // The next block carries this block's commit as its last commit.
    Transaction t3 = Transfer(1, TestPubKey(0), 2 * kCoin, 0);
    SignedBlock sb2 = MakeSignedBlock(*chain, validator, {t3});
    EXPECT_EQ(sb2.block.last_commit, sb.commit);
    r = chain->ConnectTip(sb2.block, sb2.commit, sb2.block.header.time_ms);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_EQ(chain->Tip().height, 2u);
    EXPECT_EQ(db.ReadHashAtHeight(2), sb2.block.Hash());
    EXPECT_EQ(db.ReadTxLocation(t3.TxId())->height, 2u);
    EXPECT_EQ(db.ReadTxLocation(t0.TxId())->height, 1u);
    EXPECT_EQ(SumOfBalances(), 3000 * kCoin);
    EXPECT_EQ(chain->Tip().supply, 3000 * kCoin);
    EXPECT_EQ(connected_blocks.size(), 2u);
}

TEST_F(ChainStateTest, ConnectTipEmptyBlock) {
    SignedBlock sb = MakeSignedBlock(*chain, validator, {});
    auto r = chain->ConnectTip(sb.block, sb.commit, sb.block.header.time_ms);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_EQ(chain->Tip().height, 1u);
    // No transactions, no fees: the state is unchanged.
    EXPECT_EQ(chain->Tip().commitment, genesis_state.commitment);
    EXPECT_EQ(chain->Tip().header.state_root, genesis_state.block.header.state_root);
}

TEST_F(ChainStateTest, BadStateRootChangesNothing) {
    bool callback_called = false;
    chain->SetBlockConnectedCallback([&](const Block&) { callback_called = true; });
    Transaction t0 = Transfer(0, TestPubKey(50), 5 * kCoin, 0);
    SignedBlock sb = MakeSignedBlock(*chain, validator, {t0});
    sb.block.header.state_root.bytes[0] ^= 0x01;
    sb.commit = SignCommit(*chain, validator, sb.block);  // a valid commit for the bad block
    auto r = chain->ConnectTip(sb.block, sb.commit, sb.block.header.time_ms);
    EXPECT_REJECT(r, RejectReason::kBlockBadStateRoot);
    ExpectStillAtGenesis();
    EXPECT_FALSE(chain->Db().ReadTxLocation(t0.TxId()).has_value());
    EXPECT_FALSE(chain->Db().ReadBlock(sb.block.Hash()).has_value());
    EXPECT_FALSE(callback_called);

    // The honest block still connects afterwards.
    SignedBlock good = MakeSignedBlock(*chain, validator, {t0});
    r = chain->ConnectTip(good.block, good.commit, good.block.header.time_ms);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_TRUE(callback_called);
}

TEST_F(ChainStateTest, InvalidTransactionChangesNothing) {
    // An overspend: the block's transactions do not apply.
    Transaction t0 = Transfer(0, TestPubKey(50), 2000 * kCoin, 0);
    SignedBlock sb = MakeSignedBlock(*chain, validator, {t0});
    auto r = chain->ConnectTip(sb.block, sb.commit, sb.block.header.time_ms);
    EXPECT_REJECT(r, RejectReason::kBlockBadTx);
    ExpectStillAtGenesis();
}

TEST_F(ChainStateTest, BlockTimeTooNew) {
    Transaction t0 = Transfer(0, TestPubKey(50), 5 * kCoin, 0);
    SignedBlock sb = MakeSignedBlock(*chain, validator, {t0});
    const uint64_t t = sb.block.header.time_ms;
    auto r = chain->ConnectTip(sb.block, sb.commit, t - 15'001);
    EXPECT_REJECT(r, RejectReason::kBlockTimeTooNew);
    ExpectStillAtGenesis();
    r = chain->ConnectTip(sb.block, sb.commit, t - 60'000);
    EXPECT_REJECT(r, RejectReason::kBlockTimeTooNew);
    ExpectStillAtGenesis();
    // Exactly 15 s ahead is still fine.
    r = chain->ConnectTip(sb.block, sb.commit, t - 15'000);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_EQ(chain->Tip().height, 1u);
}

TEST_F(ChainStateTest, BlockTimeTooNewAgainstTheRealClock) {
    SignedBlock sb = MakeSignedBlock(*chain, validator, {}, NowMs() + 60'000);
    EXPECT_REJECT(chain->ConnectTip(sb.block, sb.commit, NowMs()), RejectReason::kBlockTimeTooNew);
    ExpectStillAtGenesis();
}

TEST_F(ChainStateTest, BadCommitRejected) {
    Transaction t0 = Transfer(0, TestPubKey(50), 5 * kCoin, 0);
    SignedBlock sb = MakeSignedBlock(*chain, validator, {t0});
    const uint64_t now = sb.block.header.time_ms;

    Commit bad_sig = sb.commit;
    bad_sig.sigs.at(0).signature.bytes[5] ^= 0x01;
    EXPECT_REJECT(chain->ConnectTip(sb.block, bad_sig, now),
                  RejectReason::kBlockCommitBadSignature);
    ExpectStillAtGenesis();

    // Signed by a key that is not the validator at that index.
    Commit wrong_key = sb.commit;
    wrong_key.sigs.at(0).signature =
        TestKey(7).Sign(VoteSignHash(chain->Params().network_id, 1, 0, sb.block.Hash()), kTestAux);
    EXPECT_REJECT(chain->ConnectTip(sb.block, wrong_key, now),
                  RejectReason::kBlockCommitBadSignature);

    // A commit for another block.
    SignedBlock other = MakeSignedBlock(*chain, validator, {});
    EXPECT_REJECT(chain->ConnectTip(sb.block, other.commit, now), RejectReason::kBlockBadCommit);

    // No signatures at all.
    Commit empty = sb.commit;
    empty.sigs.clear();
    EXPECT_REJECT(chain->ConnectTip(sb.block, empty, now),
                  RejectReason::kBlockCommitInsufficientPower);
    ExpectStillAtGenesis();
    EXPECT_FALSE(chain->Db().ReadTxLocation(t0.TxId()).has_value());

    EXPECT_TRUE(chain->ConnectTip(sb.block, sb.commit, now).has_value());
}

TEST_F(ChainStateTest, WrongParentRejected) {
    SignedBlock sb = MakeSignedBlock(*chain, validator, {});
    ASSERT_TRUE(chain->ConnectTip(sb.block, sb.commit, sb.block.header.time_ms).has_value());
    // The same block again is no longer a child of the tip.
    EXPECT_REJECT(chain->ConnectTip(sb.block, sb.commit, sb.block.header.time_ms),
                  RejectReason::kBlockBadHeight);
    EXPECT_EQ(chain->Tip().height, 1u);
}

TEST_F(ChainStateTest, ReopenKeepsTipCommitmentAndAccounts) {
    StartProducing();
    ASSERT_TRUE(mempool->Accept(Transfer(0, TestPubKey(50), 3 * kCoin, 0), chain->Db(), NowMs())
                    .has_value());
    ASSERT_TRUE(mempool->Accept(Transfer(1, TestPubKey(0), 4 * kCoin, 0), chain->Db(), NowMs())
                    .has_value());
    auto produced = producer->ProduceBlocks(2);
    ASSERT_TRUE(produced.has_value()) << produced.error();
    Transaction t = Transfer(0, TestPubKey(51), kCoin, 1);
    ASSERT_TRUE(mempool->Accept(t, chain->Db(), NowMs()).has_value());
    ASSERT_TRUE(producer->ProduceBlock().has_value());

    const ChainTip before = chain->Tip();
    ASSERT_EQ(before.height, 3u);
    std::vector<Account> accounts_before;
    for (uint64_t i : {0, 1, 2, 50, 51, 100}) accounts_before.push_back(AccountOf(TestPubKey(i)));

    Reopen();
    const ChainTip after = chain->Tip();
    EXPECT_EQ(after.height, before.height);
    EXPECT_EQ(after.hash, before.hash);
    EXPECT_EQ(after.header, before.header);
    EXPECT_EQ(after.commit, before.commit);
    EXPECT_EQ(after.commitment, before.commitment);
    EXPECT_EQ(after.supply, before.supply);
    EXPECT_EQ(chain->GenesisHash(), genesis_state.block.Hash());
    std::vector<Account> accounts_after;
    for (uint64_t i : {0, 1, 2, 50, 51, 100}) accounts_after.push_back(AccountOf(TestPubKey(i)));
    EXPECT_EQ(accounts_after, accounts_before);
    EXPECT_EQ(chain->Db().ReadTxLocation(t.TxId())->height, 3u);

    // The chain continues after the restart (the next block carries the stored tip commit).
    StartProducing();
    auto next = producer->ProduceBlock();
    ASSERT_TRUE(next.has_value()) << next.error();
    EXPECT_EQ(chain->Tip().height, 4u);
    EXPECT_EQ(chain->Db().ReadBlock(*next)->last_commit, before.commit);
}

TEST_F(ChainStateTest, OpenWithDifferentGenesisFails) {
    const std::string stored = chain->GenesisHash().Hex();
    chain.reset();
    consensus::Genesis other = NodeGenesis(3, 999 * kCoin);
    auto built = consensus::BuildGenesis(other);
    ASSERT_TRUE(built.has_value());
    const std::string configured = built->block.Hash().Hex();
    ASSERT_NE(stored, configured);

    auto opened = ChainState::Open(options, other);
    ASSERT_FALSE(opened.has_value());
    EXPECT_NE(opened.error().find(stored), std::string::npos) << opened.error();
    EXPECT_NE(opened.error().find(configured), std::string::npos) << opened.error();

    // The database is untouched and still opens with its own genesis.
    Reopen();
    EXPECT_EQ(chain->GenesisHash().Hex(), stored);
}

TEST_F(ChainStateTest, OpenFailsWhileDatabaseIsOpen) {
    auto second = ChainState::Open(options, genesis);
    EXPECT_FALSE(second.has_value());
}

TEST_F(ChainStateTest, OpenRejectsInvalidGenesis) {
    consensus::Genesis bad = genesis;
    bad.validators.clear();
    TempDir other{"cairn-badgenesis"};
    ChainState::Options o = options;
    o.db_path = other.Sub("chain");
    auto opened = ChainState::Open(o, bad);
    ASSERT_FALSE(opened.has_value());
    EXPECT_NE(opened.error().find("invalid genesis"), std::string::npos) << opened.error();
}

TEST_F(ChainStateTest, ProducerMakesBlocksFromMempool) {
    StartProducing();
    EXPECT_TRUE(producer->CanFinalizeAlone());
    Transaction a0 = Transfer(0, TestPubKey(50), 3 * kCoin, 0);
    Transaction a1 = Transfer(0, TestPubKey(50), 4 * kCoin, 1);
    Transaction b0 = Transfer(1, TestPubKey(51), 1 * kCoin, 0);
    for (const Transaction& tx : {a0, a1, b0}) {
        auto r = mempool->Accept(tx, chain->Db(), NowMs());
        ASSERT_TRUE(r.has_value()) << r.error().ToString();
    }
    auto hash = producer->ProduceBlock();
    ASSERT_TRUE(hash.has_value()) << hash.error();
    EXPECT_EQ(chain->Tip().hash, *hash);
    auto block = chain->Db().ReadBlock(*hash);
    ASSERT_TRUE(block.has_value());
    EXPECT_EQ(block->txs.size(), 3u);
    EXPECT_EQ(block->header.proposer, validator.GetPubKey());
    // The connected-block callback emptied the mempool.
    EXPECT_EQ(mempool->Info().count, 0u);
    EXPECT_EQ(AccountOf(TestPubKey(0)), (Account{993 * kCoin - 2 * kFee, 2}));
    EXPECT_EQ(AccountOf(TestPubKey(50)), (Account{7 * kCoin, 0}));
    EXPECT_EQ(consensus::ReadAccounting(chain->Db()).epoch_fees, 3 * kFee);
    EXPECT_EQ(SumOfBalances(), 3000 * kCoin);
    for (const Transaction& tx : {a0, a1, b0}) {
        EXPECT_EQ(chain->Db().ReadTxLocation(tx.TxId())->height, 1u);
    }

    auto more = producer->ProduceBlocks(3);
    ASSERT_TRUE(more.has_value()) << more.error();
    EXPECT_EQ(more->size(), 3u);
    EXPECT_EQ(chain->Tip().height, 4u);
    EXPECT_EQ(chain->Tip().hash, more->back());
}

TEST_F(ChainStateTest, ProducerThatIsNotTheValidatorFails) {
    mempool = std::make_unique<Mempool>(chain->Params(), Mempool::Options{}, &chain->SigCache());
    ReportPool reports{chain->Params(), ReportPool::Options{}, nullptr};
    BlockProducer stranger{*chain, *mempool, reports, TestKey(7), 1000};
    EXPECT_FALSE(stranger.CanFinalizeAlone());
    auto r = stranger.ProduceBlock();
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().find("cannot finalize"), std::string::npos) << r.error();
    EXPECT_EQ(chain->Tip().height, 0u);
}

// ---------------------------------------------------------------------------------------------
// cairnd configuration.

class NodeConfigTest : public ::testing::Test {
protected:
    // Parses `args` after the program name, always with --datadir in the temporary directory
    // unless the test gives one (so a cairn.conf in $HOME never interferes).
    Result<NodeConfig, std::string> Parse(std::vector<std::string> args, bool add_datadir = true) {
        if (add_datadir) args.insert(args.begin(), "--datadir=" + dir.Str());
        std::vector<const char*> argv{"cairnd"};
        for (const std::string& a : args) argv.push_back(a.c_str());
        info.clear();
        return ParseNodeConfig(static_cast<int>(argv.size()), argv.data(), info);
    }
    std::string Error(std::vector<std::string> args) {
        auto r = Parse(std::move(args));
        if (r.has_value()) {
            ADD_FAILURE() << "parsed, expected an error";
            return {};
        }
        EXPECT_FALSE(r.error().empty());
        return r.error();
    }
    void WriteConf(const std::string& text, Network net = Network::kDevnet) {
        std::filesystem::create_directories(NetworkDataDir(dir.Str(), net));
        std::ofstream{NetworkDataDir(dir.Str(), net) + "/cairn.conf"} << text;
    }

    TempDir dir{"cairn-config"};
    std::string info;
};

TEST_F(NodeConfigTest, Defaults) {
    auto c = Parse({});
    ASSERT_TRUE(c.has_value()) << c.error();
    EXPECT_TRUE(info.empty());
    EXPECT_EQ(c->network, Network::kDevnet);
    EXPECT_EQ(c->datadir, dir.Str() + "/devnet");
    EXPECT_EQ(c->conf_file, "");
    EXPECT_EQ(c->blocktime_ms, 1000u);
    EXPECT_TRUE(c->produce);
    EXPECT_EQ(c->rpcport, GetNetworkInfo(Network::kDevnet).default_rpc_port);
    EXPECT_TRUE(c->rpcbind.empty());
    EXPECT_TRUE(c->rpcuser.empty());
    EXPECT_EQ(c->rpcthreads, 4);
    EXPECT_EQ(c->maxmempool_mb, 64u);
}

TEST_F(NodeConfigTest, GoodFlags) {
    auto c =
        Parse({"--blocktime=250", "--produce=0", "--printtoconsole", "--rpcbind=127.0.0.1",
               "--rpcbind=::1", "--rpcport=12345", "--rpcallowip=10.0.0.0/8", "--rpcuser=alice",
               "--rpcpassword=secret", "--rpcauth=bob:salt$" + std::string(64, 'a'),
               "--rpcthreads=8", "--rpcworkqueue=100", "--maxmempool=300", "--dbcache=100",
               "--genesis=/some/genesis.json"});
    ASSERT_TRUE(c.has_value()) << c.error();
    EXPECT_EQ(c->blocktime_ms, 250u);
    EXPECT_FALSE(c->produce);
    EXPECT_TRUE(c->print_to_console);
    EXPECT_EQ(c->rpcbind, (std::vector<std::string>{"127.0.0.1", "::1"}));
    EXPECT_EQ(c->rpcport, 12345);
    EXPECT_EQ(c->rpcallowip, std::vector<std::string>{"10.0.0.0/8"});
    EXPECT_EQ(c->rpcuser, "alice");
    EXPECT_EQ(c->rpcpassword, "secret");
    EXPECT_EQ(c->rpcauth, std::vector<std::string>{"bob:salt$" + std::string(64, 'a')});
    EXPECT_EQ(c->rpcthreads, 8);
    EXPECT_EQ(c->rpcworkqueue, 100);
    EXPECT_EQ(c->maxmempool_mb, 300u);
    EXPECT_EQ(c->dbcache_mb, 100u);
    EXPECT_EQ(c->genesis_file, "/some/genesis.json");
}

TEST_F(NodeConfigTest, NetworksAndDataDir) {
    auto main = Parse({"--network=main", "--genesis=g.json"});
    ASSERT_TRUE(main.has_value()) << main.error();
    EXPECT_EQ(main->network, Network::kMain);
    EXPECT_EQ(main->datadir, dir.Str());
    EXPECT_EQ(main->rpcport, GetNetworkInfo(Network::kMain).default_rpc_port);
    auto test = Parse({"--network=test", "--genesis=g.json"});
    ASSERT_TRUE(test.has_value()) << test.error();
    EXPECT_EQ(test->network, Network::kTest);
    EXPECT_EQ(test->datadir, dir.Str() + "/test");
    // Only devnet may run without a genesis file.
    EXPECT_NE(Error({"--network=main"}).find("--genesis"), std::string::npos);
}

TEST_F(NodeConfigTest, Errors) {
    EXPECT_NE(Error({"--nosuchflag=1"}).find("nosuchflag"), std::string::npos);
    EXPECT_NE(Error({"--blocktime=abc"}).find("blocktime"), std::string::npos);
    EXPECT_NE(Error({"--blocktime=5"}).find("--blocktime"), std::string::npos);
    EXPECT_NE(Error({"--blocktime=3600001"}).find("--blocktime"), std::string::npos);
    EXPECT_NE(Error({"--blocktime=-1"}).find("blocktime"), std::string::npos);
    EXPECT_NE(Error({"--rpcuser=alice"}).find("--rpcpassword"), std::string::npos);
    EXPECT_NE(Error({"--rpcpassword=secret"}).find("--rpcuser"), std::string::npos);
    EXPECT_NE(Error({"--network=moon"}).find("unknown network 'moon'"), std::string::npos);
    EXPECT_NE(Error({"--rpcport=70000"}).find("rpcport"), std::string::npos);
    EXPECT_NE(Error({"--rpcthreads=0"}).find("--rpcthreads"), std::string::npos);
    EXPECT_NE(Error({"--rpcworkqueue=0"}).find("--rpcworkqueue"), std::string::npos);
    EXPECT_NE(Error({"--maxmempool=0"}).find("--maxmempool"), std::string::npos);
    EXPECT_NE(Error({"--dbcache=1"}).find("--dbcache"), std::string::npos);
    EXPECT_NE(Error({"--produce=maybe"}).find("produce"), std::string::npos);
    EXPECT_NE(Error({"--conf=" + dir.Sub("missing.conf")}).find("missing.conf"), std::string::npos);
}

TEST_F(NodeConfigTest, ReadsConfigFileInDataDir) {
    WriteConf(
        "# a comment\n"
        "blocktime=2000\n"
        "rpcuser=alice\n"
        "rpcpassword=secret\n"
        "rpcport=23456\n"
        "rpcallowip=10.0.0.0/8\n"
        "rpcallowip=192.168.1.1\n"
        "produce=0\n");
    auto c = Parse({});
    ASSERT_TRUE(c.has_value()) << c.error();
    EXPECT_EQ(c->conf_file, dir.Str() + "/devnet/cairn.conf");
    EXPECT_EQ(c->blocktime_ms, 2000u);
    EXPECT_EQ(c->rpcuser, "alice");
    EXPECT_EQ(c->rpcpassword, "secret");
    EXPECT_EQ(c->rpcport, 23456);
    EXPECT_EQ(c->rpcallowip, (std::vector<std::string>{"10.0.0.0/8", "192.168.1.1"}));
    EXPECT_FALSE(c->produce);

    // Flags win over the file.
    auto flagged = Parse({"--blocktime=3000", "--rpcport=34567"});
    ASSERT_TRUE(flagged.has_value()) << flagged.error();
    EXPECT_EQ(flagged->blocktime_ms, 3000u);
    EXPECT_EQ(flagged->rpcport, 34567);
    EXPECT_EQ(flagged->rpcuser, "alice");
}

TEST_F(NodeConfigTest, ExplicitConfFile) {
    const std::string path = dir.Sub("other.conf");
    std::ofstream{path} << "blocktime=500\n";
    auto c = Parse({"--conf=" + path});
    ASSERT_TRUE(c.has_value()) << c.error();
    EXPECT_EQ(c->conf_file, path);
    EXPECT_EQ(c->blocktime_ms, 500u);
}

TEST_F(NodeConfigTest, ConfigFileErrors) {
    WriteConf("blocktime=2000\nthis line is not a setting\n");
    auto r = Parse({});
    ASSERT_FALSE(r.has_value());
    EXPECT_FALSE(r.error().empty());

    WriteConf("nosuchkey=1\n");
    r = Parse({});
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().find("nosuchkey"), std::string::npos) << r.error();

    WriteConf("blocktime=abc\n");
    r = Parse({});
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().find("blocktime"), std::string::npos) << r.error();

    WriteConf("blocktime=1\n");
    r = Parse({});
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().find("--blocktime"), std::string::npos) << r.error();

    WriteConf("rpcuser=alice\n");
    r = Parse({});
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().find("--rpcpassword"), std::string::npos) << r.error();

    // Keys that choose the file itself are refused inside it.
    for (const char* key : {"datadir=/tmp/elsewhere", "network=test", "conf=/tmp/x.conf"}) {
        WriteConf(std::string{key} + "\n");
        r = Parse({});
        ASSERT_FALSE(r.has_value()) << key;
        EXPECT_NE(r.error().find("only be given on the command line"), std::string::npos)
            << r.error();
    }
}

TEST_F(NodeConfigTest, HelpAndVersionFillInfo) {
    auto help = Parse({"--help"});
    ASSERT_TRUE(help.has_value()) << help.error();
    EXPECT_NE(info.find("Usage: cairnd"), std::string::npos) << info;
    EXPECT_NE(info.find("--blocktime"), std::string::npos) << info;
    EXPECT_NE(info.find("--rpcauth"), std::string::npos) << info;

    auto h = Parse({"-h"});
    ASSERT_TRUE(h.has_value());
    EXPECT_NE(info.find("Usage: cairnd"), std::string::npos);

    auto version = Parse({"--version"});
    ASSERT_TRUE(version.has_value()) << version.error();
    EXPECT_NE(info.find("cairnd "), std::string::npos) << info;
    EXPECT_NE(info.find(CAIRN_VERSION), std::string::npos) << info;

    // A plain run leaves it empty.
    auto plain = Parse({});
    ASSERT_TRUE(plain.has_value());
    EXPECT_TRUE(info.empty());
}

}  // namespace
}  // namespace cairn::test
