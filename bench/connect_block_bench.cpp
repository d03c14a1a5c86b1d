// Block connection throughput (transactions per second), against a large state.
//
// (a) In memory: consensus::ConnectBlock over a hash-map StateView, with a
//     cairn::BlockSignatureChecker without cache (every signature really verified), on 1 or 2
//     threads. The same block is connected each iteration (the view is never written), so only
//     the block's own work is timed. Two breakdown benchmarks split it into the parallel
//     signature stage and the serial rest.
// (b) The node path: cairn::ChainState::ConnectTip on LevelDB, genesis with 1,000,000 funded
//     accounts. Each iteration connects a fresh block on top of the new tip (built with timing
//     paused: fresh transactions are never in the chain's signature cache). The block's state
//     root is computed on an in-memory mirror of the state, so building it does not warm
//     LevelDB's cache for the timed connection.
//
// "spread" blocks: N distinct senders (keyed accounts) pay N distinct other existing accounts.
// "ring" blocks: 1,000 senders each pay the next sender; the identical block is measured against
// 1,000 and 1,000,000 total accounts, to show that connection cost does not grow with the state.
//
// Everything is timed in wall-clock time (UseRealTime): verification runs on several threads.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <thread>

#include <sys/resource.h>

#include "bench_util.h"
#include "consensus/genesis.h"
#include "node/block_producer.h"
#include "node/chainstate.h"
#include "node/signature_cache.h"

namespace cairn::bench {
namespace {

constexpr size_t kMillion = 1'000'000;
constexpr size_t kRingTxs = 1'000;

double SecondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The accounts of a state of `total` accounts: the first min(total, kSenderPool) are the
// keyed senders, the rest filler keys nobody can spend from.
struct StateLayout {
    size_t total;
    size_t keyed;
    const KeyPool& keys;
    const std::vector<PubKey>& fillers;

    explicit StateLayout(size_t total_accounts)
        : total{total_accounts},
          keyed{std::min(total_accounts, kSenderPool)},
          keys{SenderKeys(kSenderPool)},
          fillers{FillerPubKeys(total_accounts - std::min(total_accounts, kSenderPool))} {}
    size_t FillerCount() const { return total - keyed; }
    const PubKey& Account(size_t i) const { return i < keyed ? keys.pub[i] : fillers[i - keyed]; }
};

enum class Pattern { kSpread, kRing };

// The transfers of one block: n senders starting at `first_sender`; spread recipients are
// fillers starting at `first_recipient`, ring recipients the next sender of the ring [0, n).
std::vector<Transaction> MakeTransfers(const StateLayout& layout, Pattern pattern, size_t n,
                                       size_t first_sender, size_t first_recipient,
                                       const std::vector<uint64_t>& nonces,
                                       const consensus::ChainParams& params) {
    std::vector<Transaction> txs;
    std::vector<const SecretKey*> signers;
    txs.reserve(n);
    signers.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        size_t s = pattern == Pattern::kRing ? i : (first_sender + i) % layout.keyed;
        const PubKey& to = pattern == Pattern::kRing
                               ? layout.keys.pub[(i + 1) % n]
                               : layout.fillers[(first_recipient + i) % layout.FillerCount()];
        txs.push_back(MakeTransfer(layout.keys.pub[s], to, 1 + i % 1000, nonces[s], params));
        signers.push_back(&layout.keys.secret[s]);
    }
    SignAll(txs, signers);
    return txs;
}

// ---------------------------------------------------------------------------------------------
// (a) In memory.

struct MemState {
    consensus::ChainParams params = BenchParams();
    StateLayout layout;
    MapView view;
    // Any accumulator works as the parent's: ConnectBlock only updates it by the changes.
    consensus::StateCommitment commitment;
    BlockHeader prev;  // a height-0 parent
    std::map<std::pair<int, size_t>, Block> blocks;

    explicit MemState(size_t total) : layout{total} {
        auto t0 = std::chrono::steady_clock::now();
        view.accounts.reserve(total);
        for (size_t i = 0; i < total; ++i) {
            view.accounts.emplace(layout.Account(i), consensus::Account{kBenchBalance, 0});
        }
        commitment.Add(layout.Account(0), consensus::Account{1, 1});
        prev.network_id = params.network_id;
        prev.height = 0;
        prev.time_ms = 1;
        std::fprintf(stderr, "[setup] in-memory state of %zu accounts: %.1f s\n", total,
                     SecondsSince(t0));
    }

    static MemState& Get(size_t total) {
        static std::map<size_t, std::unique_ptr<MemState>> states;
        auto& s = states[total];
        if (!s) s = std::make_unique<MemState>(total);
        return *s;
    }

    const Block& BlockFor(Pattern pattern, size_t n) {
        auto& b = blocks[{static_cast<int>(pattern), n}];
        if (b.txs.empty()) {
            std::vector<uint64_t> nonces(layout.keyed, 0);
            auto txs = MakeTransfers(layout, pattern, n, 0, 0, nonces, params);
            b = MakeBlock(params, prev, Commit{}, std::move(txs), view, commitment, 2).block;
        }
        return b;
    }
};

// Connects `block` on top of `m` once; false, with the error reported, if it is rejected.
bool ConnectOnce(benchmark::State& state, MemState& m, const Block& block,
                 const consensus::SignatureChecker& sigs) {
    const auto& validators = BenchValidators();
    static const consensus::MemoryBlockHashes kNoHashes;
    consensus::BlockContext ctx{m.params, m.prev,       validators, validators,
                                m.view,   m.commitment, sigs,       kNoHashes};
    auto r = consensus::ConnectBlock(block, ctx);
    if (!r) {
        state.SkipWithError(("block rejected: " + r.error().ToString()).c_str());
        return false;
    }
    benchmark::DoNotOptimize(r);
    return true;
}

void RunMemConnect(benchmark::State& state, Pattern pattern, size_t n, unsigned threads,
                   size_t accounts) {
    MemState& m = MemState::Get(accounts);
    const Block& block = m.BlockFor(pattern, n);
    for (auto _ : state) {
        BlockSignatureChecker sigs{block, m.params, nullptr, threads};
        if (!ConnectOnce(state, m, block, sigs)) break;
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
}

// Args: txs, verify threads. 1,000,000 accounts.
void BM_ConnectBlockMem(benchmark::State& state) {
    RunMemConnect(state, Pattern::kSpread, static_cast<size_t>(state.range(0)),
                  static_cast<unsigned>(state.range(1)), kMillion);
}
BENCHMARK(BM_ConnectBlockMem)
    ->ArgNames({"txs", "threads"})
    ->Args({1000, 1})
    ->Args({1000, 2})
    ->Args({5000, 1})
    ->Args({5000, 2})
    ->Args({10000, 2})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The identical 1,000-transfer ring block against 1,000 and 1,000,000 accounts, 2 threads.
void BM_ConnectBlockMemRing(benchmark::State& state) {
    RunMemConnect(state, Pattern::kRing, kRingTxs, 2, static_cast<size_t>(state.range(0)));
}
BENCHMARK(BM_ConnectBlockMemRing)
    ->ArgName("accounts")
    ->Arg(1'000)
    ->Arg(1'000'000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Breakdown 1: only the parallel stage (BlockSignatureChecker: CheckTransaction and the
// signature of every transaction, no cache).
void BM_BlockSigCheck(benchmark::State& state) {
    const size_t n = static_cast<size_t>(state.range(0));
    const unsigned threads = static_cast<unsigned>(state.range(1));
    MemState& m = MemState::Get(kMillion);
    const Block& block = m.BlockFor(Pattern::kSpread, n);
    for (auto _ : state) {
        BlockSignatureChecker sigs{block, m.params, nullptr, threads};
        benchmark::DoNotOptimize(sigs);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
}
BENCHMARK(BM_BlockSigCheck)
    ->ArgNames({"txs", "threads"})
    ->Args({5000, 1})
    ->Args({5000, 2})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Breakdown 2: ConnectBlock with the signatures already verified (checker built outside the
// loop): the serial remainder (hashing, Merkle root, apply, state commitment).
void BM_ConnectBlockMemPreverified(benchmark::State& state) {
    const size_t n = static_cast<size_t>(state.range(0));
    MemState& m = MemState::Get(kMillion);
    const Block& block = m.BlockFor(Pattern::kSpread, n);
    BlockSignatureChecker sigs{block, m.params, nullptr, 2};
    // The checks run in the background; wait for them so no iteration measures them.
    if (!block.txs.empty()) (void)sigs.Verify(block.txs.front());
    for (auto _ : state) {
        if (!ConnectOnce(state, m, block, sigs)) break;
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
}
BENCHMARK(BM_ConnectBlockMemPreverified)
    ->ArgName("txs")
    ->Arg(5000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------------------------
// (b) ChainState on LevelDB.

double ProcessCpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

// Waits (at most 60 s) until this process's background threads (LevelDB compaction) have used
// less than 5% of a core over 250 ms; returns the seconds waited.
double WaitForProcessIdle() {
    auto t0 = std::chrono::steady_clock::now();
    double cpu = ProcessCpuSeconds();
    while (SecondsSince(t0) < 60) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        double now = ProcessCpuSeconds();
        if (now - cpu < 0.0125) break;
        cpu = now;
    }
    return SecondsSince(t0);
}

class DbChain {
public:
    explicit DbChain(size_t total) : m_layout{total}, m_nonces(m_layout.keyed, 0) {
        auto t0 = std::chrono::steady_clock::now();
        consensus::Genesis genesis;
        genesis.params = m_params;
        genesis.time_ms = 1;
        genesis.validators = {{ValidatorKey().GetPubKey(), 1}};
        genesis.accounts.reserve(total);
        m_mirror.accounts.reserve(total + 1);
        for (size_t i = 0; i < total; ++i) {
            genesis.accounts.push_back({m_layout.Account(i), kBenchBalance});
            m_mirror.accounts.emplace(m_layout.Account(i), consensus::Account{kBenchBalance, 0});
        }
        std::string templ =
            (std::filesystem::temp_directory_path() / "cairn-bench-XXXXXX").string();
        if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        m_dir = templ;
        auto t1 = std::chrono::steady_clock::now();
        ChainState::Options options;
        options.db_path = m_dir + "/chain";
        options.verify_threads = 2;
        auto cs = ChainState::Open(options, genesis);
        if (!cs) throw std::runtime_error("ChainState::Open: " + cs.error());
        m_chain = std::move(cs).value();
        auto t2 = std::chrono::steady_clock::now();
        // One empty block moves the genesis memtable to LevelDB's background compaction; let
        // that finish so it does not run during the first timed blocks.
        BuiltBlock empty = Next(Pattern::kSpread, 0);
        if (!m_chain->ConnectTip(empty.block, empty.commit, NowMs())) {
            throw std::runtime_error("warm-up block rejected");
        }
        double idle_wait = WaitForProcessIdle();
        std::fprintf(stderr,
                     "[setup] LevelDB chain of %zu accounts: keys+genesis list %.1f s, "
                     "ChainState::Open (BuildGenesis + write) %.1f s, compaction %.1f s\n",
                     total, std::chrono::duration<double>(t1 - t0).count(),
                     std::chrono::duration<double>(t2 - t1).count(), idle_wait);
    }
    ~DbChain() {
        m_chain.reset();
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }

    static DbChain& Get(size_t total) {
        static std::map<size_t, std::unique_ptr<DbChain>> chains;
        auto& c = chains[total];
        if (!c) c = std::make_unique<DbChain>(total);
        return *c;
    }

    ChainState& Chain() { return *m_chain; }

    // The next block on top of the tip; assumes it will be connected (advances the nonces and
    // the mirror state).
    BuiltBlock Next(Pattern pattern, size_t n) {
        if (pattern == Pattern::kSpread && n > 0 &&
            (n > m_layout.keyed || n > m_layout.FillerCount())) {
            throw std::runtime_error("spread block larger than the state's sender or filler pool");
        }
        const ChainTip tip = m_chain->Tip();
        auto txs = MakeTransfers(m_layout, pattern, n, m_next_sender, m_next_recipient, m_nonces,
                                 m_params);
        BuiltBlock b = MakeBlock(m_params, tip.header, tip.commit, std::move(txs), m_mirror,
                                 tip.commitment, NowMs());
        for (size_t i = 0; i < n; ++i) {
            size_t s = pattern == Pattern::kRing ? i : (m_next_sender + i) % m_layout.keyed;
            m_nonces[s]++;
        }
        if (pattern == Pattern::kSpread && n > 0) {
            m_next_sender = (m_next_sender + n) % m_layout.keyed;
            m_next_recipient = (m_next_recipient + n) % m_layout.FillerCount();
        }
        m_mirror.Apply(b.connected.changes);
        return b;
    }

private:
    consensus::ChainParams m_params = BenchParams();
    StateLayout m_layout;
    std::vector<uint64_t> m_nonces;
    MapView m_mirror;
    std::string m_dir;
    std::unique_ptr<ChainState> m_chain;
    size_t m_next_sender{0};
    size_t m_next_recipient{0};
};

void RunChainStateConnect(benchmark::State& state, Pattern pattern, size_t n, size_t accounts) {
    DbChain& db = DbChain::Get(accounts);
    for (auto _ : state) {
        state.PauseTiming();
        BuiltBlock b = db.Next(pattern, n);
        state.ResumeTiming();
        auto r = db.Chain().ConnectTip(b.block, b.commit, NowMs());
        if (!r) {
            state.SkipWithError(("block rejected: " + r.error().ToString()).c_str());
            break;
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
}

// Args: txs. 1,000,000 accounts, spread blocks.
void BM_ChainStateConnect(benchmark::State& state) {
    RunChainStateConnect(state, Pattern::kSpread, static_cast<size_t>(state.range(0)), kMillion);
}
BENCHMARK(BM_ChainStateConnect)
    ->ArgName("txs")
    ->Arg(1000)
    ->Arg(5000)
    ->Arg(10000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The same 1,000-transfer ring block shape against 1,000 and 1,000,000 accounts.
void BM_ChainStateConnectRing(benchmark::State& state) {
    RunChainStateConnect(state, Pattern::kRing, kRingTxs, static_cast<size_t>(state.range(0)));
}
BENCHMARK(BM_ChainStateConnectRing)
    ->ArgName("accounts")
    ->Arg(1'000)
    ->Arg(1'000'000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// An empty block: the fixed per-block cost (commit check, synchronous LevelDB write).
void BM_ChainStateConnectEmpty(benchmark::State& state) {
    RunChainStateConnect(state, Pattern::kSpread, 0, kMillion);
}
BENCHMARK(BM_ChainStateConnectEmpty)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cairn::bench
