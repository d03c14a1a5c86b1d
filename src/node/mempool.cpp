#include "node/mempool.h"

#include <iterator>
#include <queue>

namespace cairn {

using consensus::RejectReason;

std::string MempoolReject::ToString() const {
    switch (kind) {
        case MempoolRejectKind::kConsensus:
            return consensus ? consensus->ToString() : std::string{"invalid"};
        case MempoolRejectKind::kDuplicate:
            return "txn-already-in-mempool";
        case MempoolRejectKind::kConflict:
            return "txn-mempool-conflict: another pending transaction has this nonce";
        case MempoolRejectKind::kFull:
            return "mempool-full: fee rate too low to enter";
        case MempoolRejectKind::kTooManyPending:
            return "too-many-pending: sender chain limit";
    }
    return "unknown";
}

namespace {
Unexpected<MempoolReject> ConsensusReject(consensus::Reject r) {
    return Unexpected<MempoolReject>{MempoolReject{MempoolRejectKind::kConsensus, std::move(r)}};
}
Unexpected<MempoolReject> OtherReject(MempoolRejectKind k) {
    return Unexpected<MempoolReject>{MempoolReject{k, std::nullopt}};
}
}  // namespace

Result<Hash256, MempoolReject> Mempool::Accept(const Transaction& tx,
                                               const consensus::StateView& tip_state,
                                               uint64_t now_ms) {
    Hash256 txid = tx.TxId();
    if (auto r = consensus::CheckTransaction(tx, m_params); !r) return ConsensusReject(r.error());
    {
        LockGuard lock{m_mutex};
        if (m_entries.count(txid)) return OtherReject(MempoolRejectKind::kDuplicate);
    }
    // Verify outside the lock: it is the expensive part.
    if (!VerifyWithCache(tx, txid, m_sig_cache)) {
        return ConsensusReject({RejectReason::kTxBadSignature, {}});
    }

    LockGuard lock{m_mutex};
    if (m_entries.count(txid)) return OtherReject(MempoolRejectKind::kDuplicate);
    static const std::map<uint64_t, Hash256> kNoChain;
    auto chain_it = m_by_sender.find(tx.sender);
    const auto& chain = chain_it == m_by_sender.end() ? kNoChain : chain_it->second;
    // No replacement: a second transaction for a pending nonce is refused, never swapped in.
    if (chain.count(tx.nonce)) return OtherReject(MempoolRejectKind::kConflict);
    if (chain.size() >= m_options.max_pending_per_sender) {
        return OtherReject(MempoolRejectKind::kTooManyPending);
    }
    // Replay the sender's pending chain, then the new transaction, on the tip state. Entries
    // below the account's nonce were just included in a block whose UpdateForBlock has not run
    // yet: they are skipped, and leave the pool when it does.
    consensus::StateDelta delta{tip_state};
    const uint64_t confirmed_nonce = delta.Get(tx.sender).nonce;
    for (const auto& [nonce, id] : chain) {
        if (nonce < confirmed_nonce) continue;
        if (!consensus::ApplyTransaction(m_entries.at(id).tx, m_params, m_next_height, delta))
            break;
    }
    if (auto r = consensus::ApplyTransaction(tx, m_params, m_next_height, delta); !r) {
        return ConsensusReject(r.error());
    }
    MempoolEntry entry{tx, txid, tx.ToBytes().size(), now_ms};
    if (!EvictFor(entry.size, entry.FeeRateMilli(), tx.sender)) {
        return OtherReject(MempoolRejectKind::kFull);
    }
    m_by_sender[tx.sender][tx.nonce] = txid;
    m_bytes += entry.size;
    m_entries.emplace(txid, std::move(entry));
    return txid;
}

bool Mempool::EvictFor(size_t size, uint64_t fee_rate_milli, const PubKey& incoming_sender) {
    // Plan the evictions first and apply them only if the newcomer then fits, so that a refused
    // newcomer evicts nothing.
    std::map<PubKey, size_t> planned;  // per sender: how many tail entries the plan takes
    std::vector<Hash256> plan;
    size_t bytes = m_bytes;
    while (bytes + size > m_options.max_bytes) {
        // The sender tail with the lowest fee rate; evicting a tail never breaks a chain.
        const MempoolEntry* worst = nullptr;
        for (const auto& [sender, chain] : m_by_sender) {
            if (sender == incoming_sender) continue;
            auto p = planned.find(sender);
            const size_t taken = p == planned.end() ? 0 : p->second;
            if (taken >= chain.size()) continue;
            const MempoolEntry& tail = m_entries.at(std::next(chain.rbegin(), taken)->second);
            if (!worst || tail.FeeRateMilli() < worst->FeeRateMilli()) worst = &tail;
        }
        if (!worst || worst->FeeRateMilli() >= fee_rate_milli) return false;
        plan.push_back(worst->txid);
        ++planned[worst->tx.sender];
        bytes -= worst->size;
    }
    for (const Hash256& id : plan) RemoveLocked(id);
    return true;
}

void Mempool::RemoveLocked(const Hash256& txid) {
    auto it = m_entries.find(txid);
    if (it == m_entries.end()) return;
    auto sit = m_by_sender.find(it->second.tx.sender);
    if (sit != m_by_sender.end()) {
        sit->second.erase(it->second.tx.nonce);
        if (sit->second.empty()) m_by_sender.erase(sit);
    }
    m_bytes -= it->second.size;
    m_entries.erase(it);
}

std::vector<Transaction> Mempool::SelectForBlock(const consensus::StateView& tip_state,
                                                 size_t max_txs, size_t max_bytes) const {
    LockGuard lock{m_mutex};
    struct Head {
        uint64_t rate;
        Hash256 txid;
        bool operator<(const Head& o) const {
            return rate != o.rate ? rate < o.rate : o.txid < txid;  // max-heap, txid tiebreak
        }
    };
    std::priority_queue<Head> heads;
    for (const auto& [sender, chain] : m_by_sender) {
        const MempoolEntry& e = m_entries.at(chain.begin()->second);
        heads.push({e.FeeRateMilli(), e.txid});
    }
    consensus::StateDelta delta{tip_state};
    std::vector<Transaction> out;
    size_t bytes = 0;
    while (!heads.empty() && out.size() < max_txs) {
        Head h = heads.top();
        heads.pop();
        const MempoolEntry& e = m_entries.at(h.txid);
        if (bytes + e.size > max_bytes) continue;  // this sender's chain stops here
        if (!consensus::ApplyTransaction(e.tx, m_params, m_next_height, delta)) continue;
        out.push_back(e.tx);
        bytes += e.size;
        const auto& chain = m_by_sender.at(e.tx.sender);
        auto next = chain.find(e.tx.nonce + 1);
        if (next != chain.end()) {
            const MempoolEntry& n = m_entries.at(next->second);
            heads.push({n.FeeRateMilli(), n.txid});
        }
    }
    return out;
}

void Mempool::UpdateForBlock(const Block& block, const consensus::StateView& tip_state) {
    LockGuard lock{m_mutex};
    m_next_height = block.header.height + 1;
    for (const Transaction& tx : block.txs) RemoveLocked(tx.TxId());
    // Revalidate each sender's chain: drop stale nonces and everything after a failure.
    std::vector<Hash256> drop;
    for (const auto& [sender, chain] : m_by_sender) {
        consensus::StateDelta delta{tip_state};
        const uint64_t next_nonce = delta.Get(sender).nonce;
        bool failed = false;
        for (const auto& [nonce, id] : chain) {
            // A nonce the block used (by another transaction than ours): only this one goes.
            if (nonce < next_nonce) {
                drop.push_back(id);
                continue;
            }
            if (failed ||
                !consensus::ApplyTransaction(m_entries.at(id).tx, m_params, m_next_height, delta)) {
                failed = true;
                drop.push_back(id);
            }
        }
    }
    for (const Hash256& id : drop) RemoveLocked(id);
}

void Mempool::SetTipHeight(uint64_t height) {
    LockGuard lock{m_mutex};
    m_next_height = height + 1;
}

std::optional<MempoolEntry> Mempool::Get(const Hash256& txid) const {
    LockGuard lock{m_mutex};
    auto it = m_entries.find(txid);
    if (it == m_entries.end()) return std::nullopt;
    return it->second;
}

std::vector<Hash256> Mempool::Txids() const {
    LockGuard lock{m_mutex};
    std::vector<Hash256> out;
    out.reserve(m_entries.size());
    for (const auto& [sender, chain] : m_by_sender)
        for (const auto& [nonce, id] : chain) out.push_back(id);
    return out;
}

MempoolInfo Mempool::Info() const {
    LockGuard lock{m_mutex};
    return {m_entries.size(), m_bytes, m_options.max_bytes, m_params.min_fee_per_byte};
}

std::optional<uint64_t> Mempool::NextNonce(const PubKey& sender) const {
    LockGuard lock{m_mutex};
    auto it = m_by_sender.find(sender);
    if (it == m_by_sender.end() || it->second.empty()) return std::nullopt;
    return it->second.rbegin()->first + 1;
}

}  // namespace cairn
