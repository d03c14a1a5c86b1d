#include "node_test_util.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <system_error>

#include "consensus/merkle.h"

namespace cairn::test {

TempDir::TempDir(const std::string& tag) {
    static std::atomic<uint64_t> counter{0};
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    for (int attempt = 0; attempt < 100; ++attempt) {
        std::filesystem::path p = std::filesystem::temp_directory_path() /
                                  (tag + "-" + std::to_string(::getpid()) + "-" +
                                   std::to_string(now) + "-" + std::to_string(counter++));
        std::error_code ec;
        if (std::filesystem::create_directory(p, ec) && !ec) {
            m_path = p;
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

SecretKey NodeValidatorKey() {
    return TestKey(100);
}

consensus::Genesis NodeGenesis(size_t n_accounts, Amount balance, uint64_t time_ms) {
    consensus::Genesis g;
    g.params = consensus::DefaultParams(Network::kDevnet);
    g.time_ms = time_ms;
    for (size_t i = 0; i < n_accounts; ++i) g.accounts.push_back({TestPubKey(i), balance});
    g.validators.push_back({NodeValidatorKey().GetPubKey(), 10});
    return g;
}

Commit SignCommit(const ChainState& chain, const SecretKey& validator, const Block& block) {
    auto index = chain.Validators().IndexOf(validator.GetPubKey());
    if (!index) throw std::logic_error("SignCommit: key is not a validator");
    Commit commit;
    commit.height = block.header.height;
    commit.round = 0;
    commit.block_hash = block.Hash();
    commit.sigs.push_back(
        {*index, validator.Sign(VoteSignHash(chain.Params().network_id, commit.height, commit.round,
                                             commit.block_hash),
                                kTestAux)});
    return commit;
}

void FixBlockRoots(Block& block) {
    std::vector<Hash256> txids;
    txids.reserve(block.txs.size());
    for (const Transaction& tx : block.txs) txids.push_back(tx.TxId());
    block.header.tx_root = consensus::ComputeMerkleRoot(txids);
    block.header.last_commit_hash = block.last_commit.Hash();
}

SignedBlock MakeSignedBlock(const ChainState& chain, const SecretKey& validator,
                            std::vector<Transaction> txs, uint64_t time_ms) {
    const ChainTip tip = chain.Tip();
    const PubKey proposer = validator.GetPubKey();
    SignedBlock out;
    Block& b = out.block;
    BlockHeader& h = b.header;
    h.version = kBlockVersion;
    h.network_id = chain.Params().network_id;
    h.height = tip.height + 1;
    h.time_ms = time_ms != 0 ? time_ms : tip.header.time_ms + 1000;
    h.prev_hash = tip.hash;
    h.validator_set_hash = chain.Validators().Hash();
    h.proposer = proposer;
    b.txs = std::move(txs);
    if (!consensus::NeedsEmptyCommit(h.height)) b.last_commit = tip.commit;
    FixBlockRoots(b);
    static const consensus::SignatureChecker kChecker;
    const consensus::BlockEnv env{chain.Params(),     h.height,   proposer,
                                  chain.Validators(), chain.Db(), kChecker};
    auto applied = consensus::ApplyBlockState(b.txs, b.proofs, b.compute,
                                              consensus::compute::VerdictMode::kFill, env,
                                              chain.Db(), tip.commitment);
    if (applied) h.state_root = applied->commitment.Root();
    out.commit = SignCommit(chain, validator, b);
    return out;
}

}  // namespace cairn::test
