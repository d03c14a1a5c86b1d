// Transaction checks for the node: a cache of transactions whose signatures already verified
// (mempool acceptance fills it, so connecting a block of known transactions re-verifies
// nothing), and a block checker that runs every transaction's context-free checks and
// signature on all cores up front.
//
// Consensus sees this only through consensus::SignatureChecker.
#pragma once

#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

#include "consensus/tx_check.h"
#include "primitives/block.h"
#include "util/sync.h"

namespace cairn {

class SignatureCache {
public:
    explicit SignatureCache(size_t max_entries = 200'000) : m_max{max_entries} {}
    // The txid commits to the sender, the signed fields and the signature itself.
    bool Contains(const Hash256& txid) const;
    void Insert(const Hash256& txid);

private:
    mutable Mutex m_mutex;
    std::unordered_set<Hash256> m_verified GUARDED_BY(m_mutex);
    size_t m_max;
};

// The transaction's signature is valid: answered from `cache` (may be null) when it has the
// txid, otherwise verified and, if valid, remembered there.
bool VerifyWithCache(const Transaction& tx, const Hash256& txid, SignatureCache* cache);

// A device report's signature is valid: answered from `cache` (may be null) when it holds the
// report, otherwise verified and, if valid, remembered. The pool checks reports on arrival
// through this, so the proposer's and validators' later block checks find them cached.
bool VerifyReportWithCache(const PubKey& device, const Hash256& sighash, const Signature& sig,
                           SignatureCache* cache);

// compute::CheckOpenCells for every input, spread over `threads` threads (opens are independent
// and each costs about a millisecond at the largest tiers). Results are in input order.
std::vector<consensus::compute::OpenCheck> CheckOpensInParallel(
    std::span<const consensus::compute::OpenCheckInput> inputs, unsigned threads);

// The checker block production uses: direct signature checks, opens on `threads` threads.
class ParallelOpenChecker final : public consensus::SignatureChecker {
public:
    explicit ParallelOpenChecker(unsigned threads) : m_threads{threads} {}
    std::vector<consensus::compute::OpenCheck> CheckOpens(
        std::span<const consensus::compute::OpenCheckInput> inputs) const override {
        return CheckOpensInParallel(inputs, m_threads);
    }

private:
    const unsigned m_threads;
};

// Starts CheckTransaction and the signature check of every transaction of a block, and of
// every report signature in its coverage proofs, on `threads` background threads at
// construction, so the caller can apply the block meanwhile; the first answer waits for them.
// Verify()/CheckContextFree()/VerifyReports() with an object that is not an element of the
// block fall back to checking it directly.
// REQUIRES: `block` and `params` outlive the checker.
class BlockSignatureChecker final : public consensus::SignatureChecker {
public:
    BlockSignatureChecker(const Block& block, const consensus::ChainParams& params,
                          SignatureCache* cache, unsigned threads);
    ~BlockSignatureChecker() override;
    BlockSignatureChecker(const BlockSignatureChecker&) = delete;
    BlockSignatureChecker& operator=(const BlockSignatureChecker&) = delete;
    bool Verify(const Transaction& tx) const override;
    consensus::CheckResult<> CheckContextFree(const Transaction& tx,
                                              const consensus::ChainParams& params) const override;
    bool VerifyReports(const CoverageProof& proof, uint32_t network_id) const override;
    bool VerifyComputeReport(const ComputeReport& report, uint32_t network_id) const override;
    std::vector<consensus::compute::OpenCheck> CheckOpens(
        std::span<const consensus::compute::OpenCheckInput> inputs) const override;

private:
    std::optional<size_t> IndexOf(const Transaction& tx) const;
    // Work item i < txs is a transaction; the rest are the proofs, in order.
    void CheckRange(size_t begin, size_t end);
    void Join() const;
    // Join(), then rethrows a worker's exception.
    void Wait() const;

    const std::vector<Transaction>& m_txs;
    const std::vector<CoverageProof>& m_proofs;
    std::vector<char> m_proof_valid;
    const consensus::ChainParams& m_params;
    std::vector<char> m_sig_valid;
    std::vector<std::optional<consensus::Reject>> m_results;
    SignatureCache* m_cache;
    unsigned m_threads;
    mutable std::vector<std::thread> m_workers;
    std::vector<std::exception_ptr> m_errors;  // one per worker, set if it threw
    mutable std::once_flag m_joined;
};

}  // namespace cairn
