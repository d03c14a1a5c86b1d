// Mempool: transactions waiting for a block.
//
// Validated against the tip state: each sender's pending transactions form a gap-free nonce
// chain starting at the account's next nonce, and the whole chain must apply in order (so the
// balance covers every pending amount and fee). Block templates take transactions by fee rate
// (fee per encoded byte) while respecting each sender's nonce order. The pool is bounded in
// bytes: when full, the transaction with the lowest fee rate among the senders' last
// transactions is evicted (never one in the middle of a chain), or the newcomer is refused if it
// pays less. After each block, included transactions leave and the rest are revalidated.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "consensus/block_check.h"
#include "consensus/tx_check.h"
#include "node/signature_cache.h"
#include "util/sync.h"

namespace cairn {

struct MempoolEntry {
    Transaction tx;
    Hash256 txid;
    size_t size{0};
    uint64_t time_ms{0};  // when it entered
    // Fee rate in units per byte, scaled by 1000 to keep integer precision; 128-bit so that
    // no fee overflows (it saturates at UINT64_MAX).
    uint64_t FeeRateMilli() const {
        if (size == 0) return 0;
        unsigned __int128 rate = static_cast<unsigned __int128>(tx.fee) * 1000 / size;
        return rate > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(rate);
    }
};

struct MempoolInfo {
    size_t count{0};
    size_t bytes{0};
    size_t max_bytes{0};
    Amount min_fee_per_byte{0};
};

enum class MempoolRejectKind { kConsensus, kDuplicate, kConflict, kFull, kTooManyPending };

struct MempoolReject {
    MempoolRejectKind kind;
    std::optional<consensus::Reject> consensus;  // set for kConsensus
    std::string ToString() const;
};

class Mempool {
public:
    struct Options {
        size_t max_bytes{64 << 20};
        size_t max_pending_per_sender{64};
    };
    Mempool(const consensus::ChainParams& params, Options options, SignatureCache* sig_cache)
        : m_params{params}, m_options{options}, m_sig_cache{sig_cache} {}

    // Validates tx against `tip_state` and the sender's pending chain; returns its txid.
    Result<Hash256, MempoolReject> Accept(const Transaction& tx,
                                          const consensus::StateView& tip_state, uint64_t now_ms);

    // Transactions for a block, best fee rate first within nonce order; every returned
    // transaction applies in order on `tip_state`. At most max_txs and max_bytes.
    std::vector<Transaction> SelectForBlock(const consensus::StateView& tip_state, size_t max_txs,
                                            size_t max_bytes) const;

    // After a block: drops its transactions and revalidates the rest against the new state.
    void UpdateForBlock(const Block& block, const consensus::StateView& tip_state);
    // The height of the tip the pool validates against (set at startup; UpdateForBlock keeps
    // it current). Rules such as location-assertion intervals depend on it.
    void SetTipHeight(uint64_t height);

    std::optional<MempoolEntry> Get(const Hash256& txid) const;
    std::vector<Hash256> Txids() const;
    MempoolInfo Info() const;
    // The next nonce a sender can use, counting pending transactions; nullopt if none pending.
    std::optional<uint64_t> NextNonce(const PubKey& sender) const;

private:
    void RemoveLocked(const Hash256& txid) REQUIRES(m_mutex);
    // Evicts lower fee-rate sender tails until `size` more bytes fit; false if they cannot.
    bool EvictFor(size_t size, uint64_t fee_rate_milli, const PubKey& incoming_sender)
        REQUIRES(m_mutex);

    const consensus::ChainParams m_params;
    const Options m_options;
    SignatureCache* m_sig_cache;

    mutable Mutex m_mutex;
    std::unordered_map<Hash256, MempoolEntry> m_entries GUARDED_BY(m_mutex);
    // Per sender: nonce -> txid, a gap-free chain.
    std::map<PubKey, std::map<uint64_t, Hash256>> m_by_sender GUARDED_BY(m_mutex);
    size_t m_bytes GUARDED_BY(m_mutex){0};
    uint64_t m_next_height GUARDED_BY(m_mutex){1};  // of the block pending transactions go into
};

}  // namespace cairn
