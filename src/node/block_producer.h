// BlockProducer: makes blocks as this node's validator.
//
// Every `blocktime` ms it builds a block from the mempool on top of the tip, signs its vote for
// it, and connects it with the commit. Alone it can only finalize blocks when its own voting
// power is more than 2/3 of the set (the single-validator devnet); multi-validator rounds come
// with the BFT engine. ProduceBlocks(n) makes n blocks at once for tests (RPC `generate`).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "crypto/keys.h"
#include "node/chainstate.h"
#include "node/mempool.h"
#include "node/report_pool.h"
#include "util/sync.h"

namespace cairn {

class BlockProducer {
public:
    BlockProducer(ChainState& chain, Mempool& mempool, ReportPool& reports, SecretKey key,
                  uint64_t blocktime_ms);
    ~BlockProducer();

    // Called (from the producer thread) when production fails in a way that must stop the node.
    void SetFatalErrorHandler(std::function<void()> handler) { m_on_fatal = std::move(handler); }

    // True if this validator alone holds more than 2/3 of the voting power.
    bool CanFinalizeAlone() const;
    void Start();
    void Stop();
    // Makes one block now; returns its hash or an error message.
    Result<Hash256, std::string> ProduceBlock();
    Result<std::vector<Hash256>, std::string> ProduceBlocks(uint64_t n);

private:
    void Loop();

    ChainState& m_chain;
    Mempool& m_mempool;
    ReportPool& m_reports;
    const SecretKey m_key;
    const PubKey m_pubkey;
    const uint64_t m_blocktime_ms;
    std::function<void()> m_on_fatal;

    Mutex m_produce_mutex;  // one block at a time (timer and RPC generate)
    Mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stop GUARDED_BY(m_mutex){false};
    std::thread m_thread;
};

uint64_t NowMs();

}  // namespace cairn
