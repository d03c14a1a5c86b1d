// Mempool: Accept throughput for new transactions from many senders (signatures verified: each
// round uses a fresh pool and a fresh signature cache), and SelectForBlock of 5,000 transactions.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <stdexcept>

#include "bench_util.h"
#include "node/mempool.h"

namespace cairn::bench {
namespace {

constexpr uint64_t kNowMs = 1'700'000'000'000;

// Signed transfers: `per_sender` consecutive nonces from each of `senders` keyed accounts, with
// fees that vary by sender so the fee-rate order matters. Ordered nonce by nonce.
struct MempoolFixture {
    consensus::ChainParams params = BenchParams();
    MapView view;
    std::vector<Transaction> txs;

    MempoolFixture(size_t senders, size_t per_sender) {
        const auto& keys = SenderKeys(kSenderPool);
        std::vector<const SecretKey*> signers;
        for (size_t s = 0; s < senders; ++s) {
            view.accounts[keys.pub[s]] = consensus::Account{kBenchBalance, 0};
        }
        for (size_t k = 0; k < per_sender; ++k) {
            for (size_t s = 0; s < senders; ++s) {
                const PubKey& to = keys.pub[(s + 1) % senders];
                txs.push_back(MakeTransfer(keys.pub[s], to, 1000 + s, k, params,
                                           kBenchFee + 10 * ((s * 7919) % 1000)));
                signers.push_back(&keys.secret[s]);
            }
        }
        SignAll(txs, signers);
    }
};

void BM_MempoolAccept(benchmark::State& state) {
    static const MempoolFixture f{kSenderPool, 1};
    std::unique_ptr<SignatureCache> cache;
    std::unique_ptr<Mempool> pool;
    size_t i = f.txs.size();
    for (auto _ : state) {
        if (i == f.txs.size()) {
            state.PauseTiming();
            pool.reset();
            cache = std::make_unique<SignatureCache>();
            pool = std::make_unique<Mempool>(f.params, Mempool::Options{}, cache.get());
            i = 0;
            state.ResumeTiming();
        }
        auto r = pool->Accept(f.txs[i++], f.view, kNowMs);
        if (!r) {
            state.SkipWithError(("rejected: " + r.error().ToString()).c_str());
            break;
        }
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MempoolAccept);

// A pool holding 5,000 transactions, `per_sender` per sender; built once per shape.
struct FilledPool {
    MempoolFixture f;
    SignatureCache cache;
    Mempool pool{f.params, Mempool::Options{}, &cache};

    explicit FilledPool(size_t per_sender) : f{5000 / per_sender, per_sender} {
        for (const auto& tx : f.txs) {
            if (auto r = pool.Accept(tx, f.view, kNowMs); !r) {
                throw std::runtime_error("prefill rejected: " + r.error().ToString());
            }
        }
    }
    static const FilledPool& Get(size_t per_sender) {
        static std::map<size_t, std::unique_ptr<FilledPool>> pools;
        auto& p = pools[per_sender];
        if (!p) p = std::make_unique<FilledPool>(per_sender);
        return *p;
    }
};

// Arg: transactions per sender (5,000 in all).
void BM_MempoolSelectForBlock(benchmark::State& state) {
    const FilledPool& p = FilledPool::Get(static_cast<size_t>(state.range(0)));
    const MempoolFixture& f = p.f;
    const Mempool& pool = p.pool;
    size_t selected = 0;
    for (auto _ : state) {
        auto txs = pool.SelectForBlock(f.view, 5000, f.params.max_block_bytes);
        selected = txs.size();
        benchmark::DoNotOptimize(txs);
    }
    if (selected != f.txs.size()) state.SkipWithError("did not select every transaction");
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(selected));
}
BENCHMARK(BM_MempoolSelectForBlock)
    ->ArgName("per_sender")
    ->Arg(1)
    ->Arg(4)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cairn::bench
