#include "node/block_producer.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "util/logging.h"

namespace cairn {

// Room kept in a block for the header and the last commit, beyond its transactions.
inline constexpr uint64_t kBlockOverheadBytes = 64 * 1024;

uint64_t NowMs() {
    using namespace std::chrono;
    return static_cast<uint64_t>(
        duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

BlockProducer::BlockProducer(ChainState& chain, Mempool& mempool, ReportPool& reports,
                             SecretKey key, uint64_t blocktime_ms)
    : m_chain{chain},
      m_mempool{mempool},
      m_reports{reports},
      m_key{key},
      m_pubkey{key.GetPubKey()},
      m_blocktime_ms{blocktime_ms} {}

BlockProducer::~BlockProducer() {
    Stop();
}

bool BlockProducer::CanFinalizeAlone() const {
    const auto& set = m_chain.Validators();
    auto idx = set.IndexOf(m_pubkey);
    if (!idx) return false;
    return 3 * set.Validators()[*idx].power > 2 * set.TotalPower();
}

void BlockProducer::Start() {
    {
        LockGuard lock{m_mutex};
        m_stop = false;
    }
    m_thread = std::thread([this] { Loop(); });
}

void BlockProducer::Stop() {
    {
        LockGuard lock{m_mutex};
        m_stop = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void BlockProducer::Loop() {
    UniqueLock lock{m_mutex};
    while (!m_stop) {
        uint64_t next = m_chain.Tip().header.time_ms + m_blocktime_ms;
        uint64_t now = NowMs();
        if (now < next) {
            m_cv.wait_for(lock.Native(), std::chrono::milliseconds(next - now));
            continue;
        }
        lock.Unlock();
        Result<Hash256, std::string> r = MakeError(std::string{});
        try {
            r = ProduceBlock();
        } catch (const std::exception& e) {
            // Storage failed under us: carrying on could only make things worse.
            LogError(std::string{"fatal error in block production: "} + e.what());
            if (m_on_fatal) m_on_fatal();
            return;
        }
        if (!r) LogError("block production failed: " + r.error());
        lock.Lock();
        if (!r) m_cv.wait_for(lock.Native(), std::chrono::milliseconds(m_blocktime_ms));
    }
}

Result<Hash256, std::string> BlockProducer::ProduceBlock() {
    LockGuard produce_lock{m_produce_mutex};
    if (!CanFinalizeAlone()) {
        return MakeError(std::string{"this node's validator cannot finalize blocks alone"});
    }
    const ChainTip tip = m_chain.Tip();
    const auto& params = m_chain.Params();
    const auto& validators = m_chain.Validators();
    const uint64_t height = tip.height + 1;
    if (validators.ProposerFor(height).key != m_pubkey) {
        return MakeError("not the scheduled proposer for height " + std::to_string(height));
    }
    // Coverage proofs may fill half the block: their windows are short, transactions wait.
    const size_t budget = params.max_block_bytes - kBlockOverheadBytes;
    consensus::BlockTemplate t;
    t.proofs = m_reports.ProofsForBlock(height, m_chain.Db(), m_chain.Db(),
                                        params.poc.max_proofs_per_block, budget / 2);
    size_t proof_bytes = 0;
    for (const CoverageProof& p : t.proofs) proof_bytes += EncodedSize(p);
    // Compute reports may take a quarter: a bucket's opens are spread over its open window.
    t.compute = m_reports.ComputeForBlock(height, m_chain.Db(),
                                          params.compute.max_entries_per_block, budget / 4);
    size_t compute_bytes = 0;
    for (const ComputeEntry& e : t.compute) compute_bytes += EncodedSize(e);
    t.txs = m_mempool.SelectForBlock(m_chain.Db(), params.max_block_txs,
                                     budget - proof_bytes - compute_bytes);
    t.last_commit = tip.commit;
    t.proposer = m_pubkey;
    t.time_ms = NowMs();
    const bool had_reports = !t.proofs.empty() || !t.compute.empty();
    consensus::BlockTemplate without_reports = t;
    without_reports.proofs.clear();
    without_reports.compute.clear();
    const ParallelOpenChecker checker{std::max(1u, std::thread::hardware_concurrency())};
    auto assembled = consensus::AssembleBlock(std::move(t), params, tip.header, validators,
                                              m_chain.Db(), m_chain.Db(), tip.commitment, checker);
    if (!assembled && had_reports) {
        // The pool judged its reports on this very state, so this means a bug; keep the chain
        // moving with the transactions alone rather than stall.
        LogError("block template with reports invalid (" + assembled.error().ToString() +
                 "); producing without them");
        assembled =
            consensus::AssembleBlock(std::move(without_reports), params, tip.header, validators,
                                     m_chain.Db(), m_chain.Db(), tip.commitment, checker);
    }
    if (!assembled) return MakeError("template invalid: " + assembled.error().ToString());
    const Block& block = assembled->block;
    const Hash256 hash = block.Hash();
    Commit commit;
    commit.height = height;
    commit.round = 0;
    commit.block_hash = hash;
    commit.sigs.push_back({*validators.IndexOf(m_pubkey),
                           m_key.Sign(VoteSignHash(params.network_id, height, 0, hash))});
    auto r = m_chain.ConnectTip(block, commit, NowMs());
    if (!r) return MakeError("own block rejected: " + r.error().ToString());
    LogInfo("new block height=" + std::to_string(height) + " hash=" + hash.Hex() + " txs=" +
            std::to_string(block.txs.size()) + " proofs=" + std::to_string(block.proofs.size()) +
            " compute=" + std::to_string(block.compute.size()));
    return hash;
}

Result<std::vector<Hash256>, std::string> BlockProducer::ProduceBlocks(uint64_t n) {
    std::vector<Hash256> out;
    for (uint64_t i = 0; i < n; ++i) {
        auto r = ProduceBlock();
        if (!r) return MakeError(r.error());
        out.push_back(*r);
    }
    return out;
}

}  // namespace cairn
