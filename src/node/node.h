// Node: assembles chain state, mempool, block production and the RPC server from a
// NodeConfig, and tears them down in reverse order.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "node/block_producer.h"
#include "node/chainstate.h"
#include "node/config.h"
#include "node/mempool.h"
#include "util/fs.h"

namespace cairn {

class NodeServices;  // RPC side, defined in the program that links rpc/

class Node {
public:
    explicit Node(NodeConfig config) : m_config{std::move(config)} {}
    ~Node();

    // Locks the data directory, loads or creates genesis and keys, opens the chain.
    Result<bool, std::string> Init();
    // Starts block production.
    void StartProducing();
    void Stop();

    const NodeConfig& Config() const { return m_config; }
    ChainState& Chain() { return *m_chain; }
    Mempool& Pool() { return *m_mempool; }
    ReportPool& Reports() { return *m_reports; }
    BlockProducer* Producer() { return m_producer.get(); }

private:
    Result<consensus::Genesis, std::string> LoadGenesis();
    Result<std::optional<SecretKey>, std::string> LoadValidatorKey(bool create);

    NodeConfig m_config;
    DirectoryLock m_lock;
    std::unique_ptr<ChainState> m_chain;
    std::unique_ptr<Mempool> m_mempool;
    std::unique_ptr<ReportPool> m_reports;
    std::unique_ptr<BlockProducer> m_producer;
};

}  // namespace cairn
