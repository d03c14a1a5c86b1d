#include "node/signature_cache.h"

#include <algorithm>
#include <exception>
#include <functional>
#include <system_error>

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

bool VerifyReportWithCache(const PubKey& device, const Hash256& sighash, const Signature& sig,
                           SignatureCache* cache) {
    Writer w;
    w.Fixed(device.bytes);
    w.Fixed(sighash.bytes);
    w.Fixed(sig.bytes);
    const Hash256 key = Sha256(w.Data());
    if (cache && cache->Contains(key)) return true;
    if (!VerifySchnorr(device, sighash, sig)) return false;
    if (cache) cache->Insert(key);
    return true;
}

BlockSignatureChecker::BlockSignatureChecker(const Block& block,
                                             const consensus::ChainParams& params,
                                             SignatureCache* cache, unsigned threads)
    : m_txs{block.txs},
      m_proofs{block.proofs},
      m_proof_valid(block.proofs.size(), 0),
      m_params{params},
      m_sig_valid(block.txs.size(), 0),
      m_results(block.txs.size()),
      m_cache{cache},
      m_threads{threads},
      m_errors(threads) {
    // Work items are weighted by signatures: a transaction has one, a proof one per report.
    std::vector<size_t> weight_end;  // cumulative weight after each item
    size_t total = 0;
    for (size_t i = 0; i < m_txs.size(); ++i) weight_end.push_back(total += 1);
    for (const CoverageProof& p : m_proofs) weight_end.push_back(total += 1 + p.witnesses.size());
    // Small blocks are not worth a thread.
    threads = std::min<unsigned>(threads, static_cast<unsigned>(total / 16));
    const size_t items = weight_end.size();
    if (threads == 0) {
        CheckRange(0, items);
        return;
    }
    size_t b = 0;
    for (unsigned t = 0; t < threads && b < items; ++t) {
        const size_t target = total * (t + 1) / threads;
        size_t e = b;
        while (e < items && (weight_end[e] <= target || e == b)) ++e;
        if (t + 1 == threads) e = items;
        try {
            m_workers.emplace_back([this, b, e, t] {
                try {
                    CheckRange(b, e);
                } catch (...) {
                    m_errors[t] = std::current_exception();
                }
            });
        } catch (const std::system_error&) {
            break;  // no more threads: this thread checks the rest below
        }
        b = e;
    }
    if (b < items) CheckRange(b, items);
}

std::vector<consensus::compute::OpenCheck> CheckOpensInParallel(
    std::span<const consensus::compute::OpenCheckInput> inputs, unsigned threads) {
    std::vector<consensus::compute::OpenCheck> out(inputs.size());
    threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(inputs.size())));
    // Interleaved, so workers get a similar mix whatever the block's order. A worker's exception
    // (out of memory, an OpenSSL failure) is carried to the caller, never left to terminate.
    std::vector<std::exception_ptr> errors(threads);
    auto work = [&](unsigned t, unsigned stride) {
        try {
            for (size_t i = t; i < inputs.size(); i += stride) {
                out[i] = consensus::compute::CheckOpenCells(inputs[i]);
            }
        } catch (...) {
            errors[t] = std::current_exception();
        }
    };
    std::vector<std::thread> workers;
    unsigned started = 1;
    try {
        for (; started < threads; ++started) workers.emplace_back(work, started, threads);
    } catch (const std::system_error&) {
        // No more threads: the calling thread does the unstarted workers' share below.
    }
    work(0, threads);
    for (unsigned t = started; t < threads; ++t) work(t, threads);
    for (auto& w : workers) w.join();
    for (const auto& e : errors) {
        if (e) std::rethrow_exception(e);
    }
    return out;
}

BlockSignatureChecker::~BlockSignatureChecker() {
    Join();
}

void BlockSignatureChecker::CheckRange(size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
        if (i >= m_txs.size()) {
            const CoverageProof& p = m_proofs[i - m_txs.size()];
            const uint32_t net = m_params.network_id;
            bool valid = VerifyReportWithCache(p.beacon.beaconer, p.beacon.SigHash(net),
                                               p.beacon.signature, m_cache);
            const Hash256 beacon_id = p.beacon.Id();
            for (size_t k = 0; valid && k < p.witnesses.size(); ++k) {
                const WitnessReport r = p.witnesses[k].ToReport(beacon_id);
                valid = VerifyReportWithCache(r.witness, r.SigHash(net), r.signature, m_cache);
            }
            m_proof_valid[i - m_txs.size()] = valid ? 1 : 0;
            continue;
        }
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

void BlockSignatureChecker::Join() const {
    std::call_once(m_joined, [this] {
        for (auto& w : m_workers) w.join();
    });
}

void BlockSignatureChecker::Wait() const {
    Join();
    // A worker that failed (out of memory) leaves its results unknown: fail the check loudly.
    for (const auto& e : m_errors) {
        if (e) std::rethrow_exception(e);
    }
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

bool BlockSignatureChecker::VerifyReports(const CoverageProof& proof, uint32_t network_id) const {
    Wait();
    const CoverageProof* p = &proof;
    const CoverageProof* begin = m_proofs.data();
    if (network_id == m_params.network_id && std::less_equal<>{}(begin, p) &&
        std::less<>{}(p, begin + m_proofs.size())) {
        return m_proof_valid[static_cast<size_t>(p - begin)] != 0;
    }
    return consensus::SignatureChecker::VerifyReports(proof, network_id);
}

bool BlockSignatureChecker::VerifyComputeReport(const ComputeReport& report,
                                                uint32_t network_id) const {
    return VerifyReportWithCache(ComputeReportDevice(report),
                                 ComputeReportSigHash(report, network_id),
                                 ComputeReportSignature(report), m_cache);
}

std::vector<consensus::compute::OpenCheck> BlockSignatureChecker::CheckOpens(
    std::span<const consensus::compute::OpenCheckInput> inputs) const {
    return CheckOpensInParallel(inputs, std::max(1u, m_threads));
}

}  // namespace cairn
