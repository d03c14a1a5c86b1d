// ChainState: the node's view of the chain, backed by ChainDb.
//
// It is the only writer of chain data. ConnectTip validates a block against the tip with the
// consensus rules, checks the node-local rule that a block's time is not too far ahead of the
// local clock, checks the commit that finalized it, and stores everything in one atomic batch.
// Readers (RPC, mempool) may call the const methods from any thread.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "consensus/block_check.h"
#include "consensus/genesis.h"
#include "node/signature_cache.h"
#include "storage/chain_db.h"
#include "util/sync.h"

namespace cairn {

struct ChainTip {
    uint64_t height{0};
    Hash256 hash;
    BlockHeader header;
    Commit commit;  // the commit that finalized the tip (empty for genesis)
    consensus::StateCommitment commitment;
    Amount supply{0};
};

class ChainState {
public:
    struct Options {
        std::string db_path;
        size_t db_cache_bytes{64 << 20};
        // Node-local rule: reject blocks whose time is further than this ahead of our clock.
        uint64_t max_future_block_ms{15'000};
        unsigned verify_threads{2};
    };

    // Opens the database; on first start writes the genesis block. Fails if the database
    // belongs to another genesis.
    static Result<std::unique_ptr<ChainState>, std::string> Open(const Options& options,
                                                                 const consensus::Genesis& genesis);

    const consensus::ChainParams& Params() const { return m_params; }
    const consensus::ValidatorSet& Validators() const { return m_validators; }
    Hash256 GenesisHash() const { return m_genesis_hash; }
    ChainTip Tip() const EXCLUDES(m_mutex);

    // Validates `block` as the child of the tip and `commit` as its finalizing commit, then
    // stores both. On rejection nothing changes. Throws std::runtime_error if storage fails.
    consensus::CheckResult<> ConnectTip(const Block& block, const Commit& commit, uint64_t now_ms);

    // Read access; thread-safe.
    const ChainDb& Db() const { return *m_db; }
    SignatureCache& SigCache() { return m_sig_cache; }

    // Called after each connected block, outside the chain lock.
    void SetBlockConnectedCallback(std::function<void(const Block&)> cb) {
        m_on_connected = std::move(cb);
    }

private:
    ChainState() = default;

    consensus::ChainParams m_params;
    consensus::ValidatorSet m_validators;
    Hash256 m_genesis_hash;
    Options m_options;
    std::unique_ptr<ChainDb> m_db;
    SignatureCache m_sig_cache;
    std::function<void(const Block&)> m_on_connected;

    mutable Mutex m_mutex;
    ChainTip m_tip GUARDED_BY(m_mutex);
    Mutex m_connect_mutex;  // serializes ConnectTip
};

}  // namespace cairn
