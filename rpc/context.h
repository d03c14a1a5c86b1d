// What RPC methods reach in the node. Filled by node assembly (src/node/node.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "node/block_producer.h"
#include "node/chainstate.h"
#include "node/mempool.h"
#include "node/report_pool.h"

namespace cairn::rpc {

struct NodeContext {
    ChainState* chain{nullptr};
    Mempool* mempool{nullptr};
    ReportPool* reports{nullptr};
    BlockProducer* producer{nullptr};  // null when this node does not produce blocks
    std::function<void()> request_shutdown;
    uint64_t start_time_ms{0};
};

class MethodTable;

void RegisterBlockchainMethods(MethodTable& t, NodeContext& ctx);
void RegisterTransactionMethods(MethodTable& t, NodeContext& ctx);
void RegisterControlMethods(MethodTable& t, NodeContext& ctx);
void RegisterDepinMethods(MethodTable& t, NodeContext& ctx);
void RegisterComputeMethods(MethodTable& t, NodeContext& ctx);

inline void RegisterAllMethods(MethodTable& t, NodeContext& ctx) {
    RegisterBlockchainMethods(t, ctx);
    RegisterTransactionMethods(t, ctx);
    RegisterControlMethods(t, ctx);
    RegisterDepinMethods(t, ctx);
    RegisterComputeMethods(t, ctx);
}

}  // namespace cairn::rpc
