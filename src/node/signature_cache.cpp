#include "node/signature_cache.h"

#include <algorithm>
#include <functional>
#include <thread>

namespace cairn {

bool SignatureCache::Contains(const Hash256& txid) const {
    std::lock_guard lock{m_mutex};
    return m_verified.count(txid) > 0;
}

void SignatureCache::Insert(const Hash256& txid) {
    std::lock_guard lock{m_mutex};
    // Crude but bounded: when full, forget everything; re-verifying is only a cost.
    if (m_verified.size() >= m_max) m_verified.clear();
    m_verified.insert(txid);
}

BlockSignatureChecker::BlockSignatureChecker(const std::vector<Transaction>& txs,
                                             SignatureCache* cache, unsigned threads)
    : m_txs{txs}, m_valid(txs.size(), 0) {
    std::vector<size_t> todo;
    std::vector<Hash256> ids(txs.size());
    for (size_t i = 0; i < txs.size(); ++i) {
        ids[i] = txs[i].TxId();
        if (cache && cache->Contains(ids[i])) {
            m_valid[i] = 1;
        } else {
            todo.push_back(i);
        }
    }
    auto work = [&](size_t begin, size_t end) {
        for (size_t k = begin; k < end; ++k) {
            size_t i = todo[k];
            m_valid[i] = consensus::SignatureChecker::Verify(txs[i]) ? 1 : 0;
        }
    };
    threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(todo.size() / 16)));
    if (threads <= 1) {
        work(0, todo.size());
    } else {
        std::vector<std::thread> pool;
        size_t chunk = (todo.size() + threads - 1) / threads;
        for (unsigned t = 0; t < threads; ++t) {
            size_t b = t * chunk, e = std::min(todo.size(), b + chunk);
            if (b < e) pool.emplace_back(work, b, e);
        }
        for (auto& th : pool) th.join();
    }
    if (cache) {
        for (size_t i : todo)
            if (m_valid[i]) cache->Insert(ids[i]);
    }
}

bool BlockSignatureChecker::Verify(const Transaction& tx) const {
    const Transaction* p = &tx;
    const Transaction* begin = m_txs.data();
    if (std::less_equal<>{}(begin, p) && std::less<>{}(p, begin + m_txs.size())) {
        return m_valid[static_cast<size_t>(p - begin)] != 0;
    }
    return consensus::SignatureChecker::Verify(tx);
}

}  // namespace cairn
