#include "consensus_test_util.h"

#include <stdexcept>
#include <string>

#include "consensus/merkle.h"
#include "crypto/hash.h"

namespace cairn::test {

using consensus::Account;

consensus::CheckResult<consensus::ConnectedBlock> ApplyTxs(const std::vector<Transaction>& txs,
                                                           const consensus::ChainParams& params,
                                                           const consensus::StateView& state,
                                                           uint64_t height) {
    static const consensus::ValidatorSet kOne =
        *consensus::ValidatorSet::Create({{TestPubKey(100), 1}});
    static const consensus::MemoryBlockHashes kNoHashes;
    const PubKey proposer = TestPubKey(100);
    static const consensus::SignatureChecker kChecker;
    const consensus::BlockEnv env{params, height, proposer, kOne, kNoHashes, kChecker};
    return consensus::ApplyBlockState(txs, {}, {}, consensus::compute::VerdictMode::kRecord, env,
                                      state, consensus::StateCommitment{});
}

SecretKey TestKey(uint64_t i) {
    std::string seed = "key" + std::to_string(i);
    Hash256 h = Sha256({reinterpret_cast<const uint8_t*>(seed.data()), seed.size()});
    auto sk = SecretKey::FromBytes(h.bytes);
    if (!sk) throw std::logic_error("test key out of range");
    return *sk;
}

PubKey InvalidPubKey() {
    PubKey pk;
    for (uint8_t x = 1; x != 0; ++x) {
        pk.bytes[31] = x;
        if (!pk.IsValid()) return pk;
    }
    throw std::logic_error("no invalid small x found");
}

Bytes TransferPayloadBytes(const PubKey& to, Amount amount, const Bytes& memo) {
    return consensus::TransferPayload{to, amount, memo}.Encode();
}

void Sign(Transaction& tx, const SecretKey& sk) {
    tx.signature = sk.Sign(tx.SigHash(), kTestAux);
}

Transaction MakeTransfer(const SecretKey& sk, const PubKey& to, Amount amount, uint64_t nonce,
                         Amount fee, uint32_t network_id, const Bytes& memo) {
    Transaction tx;
    tx.network_id = network_id;
    tx.type = consensus::TransferTx::kId;
    tx.sender = sk.GetPubKey();
    tx.nonce = nonce;
    tx.fee = fee;
    tx.payload = TransferPayloadBytes(to, amount, memo);
    Sign(tx, sk);
    return tx;
}

Amount ExactMinimumFee(Transaction tx, const consensus::ChainParams& params) {
    tx.fee = 0;
    for (int i = 0; i < 16; ++i) {
        Amount min = *consensus::MinimumFee(tx.ToBytes().size(), params);
        if (min == tx.fee) return min;
        tx.fee = min;
    }
    throw std::logic_error("minimum fee does not converge");
}

ChainFixture::ChainFixture(size_t n_validators, size_t n_accounts, Amount balance) {
    params = consensus::DefaultParams(Network::kDevnet);
    consensus::Genesis g;
    g.params = params;
    g.time_ms = 1'700'000'000'000;
    for (size_t i = 0; i < n_accounts; ++i) {
        account_keys.push_back(TestKey(i));
        m_account_pubkeys.push_back(account_keys.back().GetPubKey());
        g.accounts.push_back({m_account_pubkeys.back(), balance});
    }
    std::vector<SecretKey> vkeys;
    for (size_t i = 0; i < n_validators; ++i) {
        vkeys.push_back(TestKey(100 + i));
        g.validators.push_back({vkeys.back().GetPubKey(), 1});
    }
    auto built = consensus::BuildGenesis(g);
    if (!built) throw std::logic_error("test genesis: " + built.error());
    genesis = std::move(built).value();
    // Order the secret keys like the (sorted) set.
    for (const consensus::Validator& v : genesis.validators.Validators()) {
        for (const SecretKey& sk : vkeys) {
            if (sk.GetPubKey() == v.key) validator_keys.push_back(sk);
        }
    }
    tip = genesis.block;
    hashes.hashes[0] = genesis.block.Hash();
    state = MapStateView{genesis.accounts};
    commitment = genesis.commitment;
}

Commit ChainFixture::MakeCommit(const BlockHeader& header,
                                const std::vector<uint32_t>& indices) const {
    Commit c;
    c.height = header.height;
    c.round = 0;
    c.block_hash = header.Hash();
    Hash256 msg = VoteSignHash(params.network_id, c.height, c.round, c.block_hash);
    for (uint32_t i : indices) c.sigs.push_back({i, validator_keys.at(i).Sign(msg, kTestAux)});
    return c;
}

Commit ChainFixture::MakeQuorumCommit(const BlockHeader& header) const {
    std::vector<uint32_t> indices;
    uint64_t power = 0;
    const auto& vals = Validators().Validators();
    for (uint32_t i = 0; i < vals.size() && 3 * power <= 2 * Validators().TotalPower(); ++i) {
        indices.push_back(i);
        power += vals[i].power;
    }
    return MakeCommit(header, indices);
}

void ChainFixture::FixRoots(Block& block) {
    std::vector<Hash256> txids;
    for (const Transaction& tx : block.txs) txids.push_back(tx.TxId());
    block.header.tx_root = consensus::ComputeMerkleRoot(txids);
    block.header.last_commit_hash = block.last_commit.Hash();
}

Block ChainFixture::MakeNextBlock(std::vector<Transaction> txs) const {
    Block b;
    BlockHeader& h = b.header;
    h.version = kBlockVersion;
    h.network_id = params.network_id;
    h.height = tip.header.height + 1;
    h.time_ms = tip.header.time_ms + 1000;
    h.prev_hash = tip.Hash();
    h.validator_set_hash = Validators().Hash();
    h.proposer = Validators().ProposerFor(h.height).key;
    b.txs = std::move(txs);
    if (!consensus::NeedsEmptyCommit(h.height)) b.last_commit = MakeQuorumCommit(tip.header);
    FixRoots(b);
    static const consensus::SignatureChecker kChecker;
    const consensus::BlockEnv env{params, h.height, h.proposer, Validators(), hashes, kChecker};
    auto applied = consensus::ApplyBlockState(
        b.txs, b.proofs, b.compute, consensus::compute::VerdictMode::kFill, env, state, commitment);
    if (applied) h.state_root = applied->commitment.Root();
    return b;
}

consensus::BlockContext ChainFixture::Context(const consensus::ChainParams& p) const {
    return consensus::BlockContext{p,     tip.header, Validators(), Validators(),
                                   state, commitment, sig_checker,  hashes};
}

consensus::CheckResult<consensus::ConnectedBlock> ChainFixture::Connect(const Block& block) const {
    return consensus::ConnectBlock(block, Context());
}

void ChainFixture::Advance(const Block& block) {
    auto connected = Connect(block);
    if (!connected) throw std::logic_error("Advance: " + connected.error().ToString());
    state.Apply(connected->changes, connected->entry_changes);
    commitment = connected->commitment;
    hashes.hashes[block.header.height] = block.Hash();
    tip = block;
}

Transaction ChainFixture::Transfer(size_t from, const PubKey& to, Amount amount,
                                   uint64_t nonce) const {
    return MakeTransfer(account_keys.at(from), to, amount, nonce, kTransferFee, params.network_id);
}

}  // namespace cairn::test
