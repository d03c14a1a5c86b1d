#include "node/signature_cache.h"

#include <algorithm>
#include <functional>

namespace cairn {

bool SignatureCache::Contains(const Hash256& txid) const {
    LockGuard lock{m_mutex};
    return m_verified.count(txid) > 0;
}

void SignatureCache::Insert(const Hash256& txid) {
    LockGuard lock{m_mutex};
    // Crude but bounded: when full, forget everything; re-verifying is only a cost.
    if (m_verified.size() >= m_max) m_verified.clear();
    m_verified.insert(txid);
}

bool VerifyWithCache(const Transaction& tx, const Hash256& txid, SignatureCache* cache) {
    if (cache && cache->Contains(txid)) return true;
    if (!consensus::SignatureChecker{}.Verify(tx)) return false;
    if (cache) cache->Insert(txid);
    return true;
}

BlockSignatureChecker::BlockSignatureChecker(const std::vector<Transaction>& txs,
                                             const consensus::ChainParams& params,
                                             SignatureCache* cache, unsigned threads)
    : m_txs{txs},
      m_params{params},
      m_sig_valid(txs.size(), 0),
      m_results(txs.size()),
      m_cache{cache} {
    // Small blocks are not worth a thread.
    threads = std::min<unsigned>(threads, static_cast<unsigned>(txs.size() / 16));
    if (threads == 0) {
        CheckRange(0, txs.size());
        return;
    }
    const size_t chunk = (txs.size() + threads - 1) / threads;
    for (unsigned t = 0; t < threads; ++t) {
        size_t b = t * chunk, e = std::min(txs.size(), b + chunk);
        if (b < e) m_workers.emplace_back([this, b, e] { CheckRange(b, e); });
    }
}

BlockSignatureChecker::~BlockSignatureChecker() {
    Wait();
}

void BlockSignatureChecker::CheckRange(size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
        const Transaction& tx = m_txs[i];
        if (auto r = consensus::CheckTransaction(tx, m_params); !r) {
            m_results[i] = r.error();
            continue;
        }
        const bool valid = VerifyWithCache(tx, tx.TxId(), m_cache);
        m_sig_valid[i] = valid ? 1 : 0;
        if (!valid) m_results[i] = consensus::Reject{consensus::RejectReason::kTxBadSignature, {}};
    }
}

void BlockSignatureChecker::Wait() const {
    std::call_once(m_joined, [this] {
        for (auto& w : m_workers) w.join();
    });
}

std::optional<size_t> BlockSignatureChecker::IndexOf(const Transaction& tx) const {
    const Transaction* p = &tx;
    const Transaction* begin = m_txs.data();
    if (std::less_equal<>{}(begin, p) && std::less<>{}(p, begin + m_txs.size())) {
        return static_cast<size_t>(p - begin);
    }
    return std::nullopt;
}

bool BlockSignatureChecker::Verify(const Transaction& tx) const {
    Wait();
    if (auto i = IndexOf(tx)) return m_sig_valid[*i] != 0;
    return consensus::SignatureChecker::Verify(tx);
}

consensus::CheckResult<> BlockSignatureChecker::CheckContextFree(
    const Transaction& tx, const consensus::ChainParams& params) const {
    Wait();
    // Results were computed with m_params; other parameters mean a direct check.
    if (auto i = IndexOf(tx); i && &params == &m_params) {
        if (m_results[*i]) return Unexpected<consensus::Reject>{*m_results[*i]};
        return {};
    }
    return consensus::SignatureChecker::CheckContextFree(tx, params);
}

}  // namespace cairn
