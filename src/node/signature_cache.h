// Signature verification for the node: a cache of transactions whose signatures already
// verified (mempool acceptance fills it, so connecting a block of known transactions re-verifies
// nothing), and parallel verification of a block's uncached signatures across all cores.
//
// Consensus sees this only through consensus::SignatureChecker.
#pragma once

#include <mutex>
#include <unordered_set>
#include <vector>

#include "consensus/tx_check.h"

namespace cairn {

class SignatureCache {
public:
    explicit SignatureCache(size_t max_entries = 200'000) : m_max{max_entries} {}
    // The txid commits to the sender, the signed fields and the signature itself.
    bool Contains(const Hash256& txid) const;
    void Insert(const Hash256& txid);

private:
    mutable std::mutex m_mutex;
    std::unordered_set<Hash256> m_verified;
    size_t m_max;
};

// Verifies every transaction's signature up front, in parallel, then answers Verify() from the
// results. REQUIRES: Verify() is called only with transactions of the vector given here.
class BlockSignatureChecker final : public consensus::SignatureChecker {
public:
    BlockSignatureChecker(const std::vector<Transaction>& txs, SignatureCache* cache,
                          unsigned threads);
    bool Verify(const Transaction& tx) const override;

private:
    const std::vector<Transaction>& m_txs;
    std::vector<char> m_valid;
};

}  // namespace cairn
