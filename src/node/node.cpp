#include "node/node.h"

#include <thread>

#include "node/genesis_file.h"
#include "primitives/address.h"
#include "util/logging.h"

namespace cairn {

Node::~Node() {
    Stop();
}

Result<std::optional<SecretKey>, std::string> Node::LoadValidatorKey(bool create) {
    const std::string path = m_config.datadir + "/validator_key";
    if (auto text = ReadFile(path)) {
        std::string hex = *text;
        while (!hex.empty() && (hex.back() == '\n' || hex.back() == ' ')) hex.pop_back();
        auto bytes = ParseHex(hex);
        auto sk = bytes ? SecretKey::FromBytes(*bytes) : std::nullopt;
        if (bytes) MemoryCleanse(bytes->data(), bytes->size());
        if (!sk) return MakeError("malformed validator key file " + path);
        return std::optional<SecretKey>{*sk};
    }
    if (!create) return std::optional<SecretKey>{};
    SecretKey sk = SecretKey::Generate();
    std::string err;
    if (!WriteSecretFile(path, HexStr(sk.Bytes()) + "\n", err)) return MakeError(err);
    LogInfo("generated validator key " + path);
    return std::optional<SecretKey>{sk};
}

Result<consensus::Genesis, std::string> Node::LoadGenesis() {
    const std::string datadir_genesis = m_config.datadir + "/genesis.json";
    const bool have_copy = FileExists(datadir_genesis);
    std::string path = m_config.genesis_file.empty() ? datadir_genesis : m_config.genesis_file;
    if (!m_config.genesis_file.empty() || have_copy) {
        auto text = ReadFile(path);
        if (!text) return MakeError("cannot read genesis file " + path);
        auto g = ParseGenesisJson(*text);
        if (!g) return MakeError(path + ": " + g.error());
        if (g->params.network != m_config.network) {
            return MakeError(path + ": genesis is for another network");
        }
        // Keep a copy beside the chain, so later starts need no --genesis. A different
        // --genesis on a later start is caught by the database's genesis hash.
        std::string err;
        if (!have_copy && !WriteFileAtomic(datadir_genesis, *text, 0644, err)) {
            return MakeError(err);
        }
        return g;
    }
    // First devnet start: a deterministic genesis around this node's new validator key.
    auto key = LoadValidatorKey(/*create=*/true);
    if (!key) return MakeError(key.error());
    consensus::Genesis g = DevnetGenesis((*key)->GetPubKey());
    std::string err;
    if (!WriteFileAtomic(datadir_genesis, GenesisToJson(g).dump(2) + "\n", 0644, err)) {
        return MakeError(err);
    }
    LogInfo("created devnet genesis " + datadir_genesis);
    return g;
}

Result<bool, std::string> Node::Init() {
    std::string err;
    if (!CreateDirectories(m_config.datadir, err)) return MakeError(err);
    if (!m_lock.Acquire(m_config.datadir, err)) return MakeError(err);
    if (!Logger::Instance().Open(m_config.datadir + "/debug.log", m_config.print_to_console, err)) {
        return MakeError(err);
    }
    LogInfo(std::string{"Cairn version "} + CAIRN_VERSION);
    LogInfo("network " + std::string{GetNetworkInfo(m_config.network).name} + ", data directory " +
            m_config.datadir);
    if (!m_config.conf_file.empty()) LogInfo("config file " + m_config.conf_file);

    auto genesis = LoadGenesis();
    if (!genesis) return MakeError(genesis.error());
    ChainState::Options opts;
    opts.db_path = m_config.datadir + "/chain";
    opts.db_cache_bytes = m_config.dbcache_mb << 20;
    opts.verify_threads = std::max(1u, std::thread::hardware_concurrency());
    auto chain = ChainState::Open(opts, *genesis);
    if (!chain) return MakeError(chain.error());
    m_chain = std::move(chain).value();
    const ChainTip tip = m_chain->Tip();
    LogInfo("genesis " + m_chain->GenesisHash().Hex());
    LogInfo("tip height " + std::to_string(tip.height) + " " + tip.hash.Hex());

    Mempool::Options mopts;
    mopts.max_bytes = m_config.maxmempool_mb << 20;
    m_mempool = std::make_unique<Mempool>(m_chain->Params(), mopts, &m_chain->SigCache());
    m_mempool->SetTipHeight(tip.height);
    m_reports = std::make_unique<ReportPool>(m_chain->Params(), ReportPool::Options{},
                                             &m_chain->SigCache());
    m_chain->SetBlockConnectedCallback([this](const Block& b) {
        m_mempool->UpdateForBlock(b, m_chain->Db());
        m_reports->UpdateForBlock(b);
    });

    auto key = LoadValidatorKey(/*create=*/false);
    if (!key) return MakeError(key.error());
    if (*key) {
        const PubKey pk = (*key)->GetPubKey();
        if (m_chain->Validators().IndexOf(pk)) {
            LogInfo("validator " + EncodeAddress(m_config.network, pk));
            m_producer = std::make_unique<BlockProducer>(*m_chain, *m_mempool, *m_reports, **key,
                                                         m_config.blocktime_ms);
            if (!m_producer->CanFinalizeAlone()) {
                LogWarning(
                    "this validator holds 2/3 or less of the voting power: it cannot "
                    "finalize blocks alone and multi-validator consensus is not "
                    "implemented yet");
            }
        } else {
            LogWarning("validator_key is not in this chain's validator set: not producing");
        }
    }
    return true;
}

void Node::StartProducing() {
    if (m_producer && m_config.produce && m_producer->CanFinalizeAlone()) {
        LogInfo("producing a block every " + std::to_string(m_config.blocktime_ms) + " ms");
        m_producer->Start();
    }
}

void Node::Stop() {
    if (m_producer) m_producer->Stop();
}

}  // namespace cairn
