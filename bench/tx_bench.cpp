// Transfer validation on one thread: CheckTransaction + BIP340 verify + ApplyTransaction on a
// StateDelta over an in-memory StateView, and each part on its own.
#include <benchmark/benchmark.h>

#include "bench_util.h"
#include "consensus/tx_check.h"

namespace cairn::bench {
namespace {

// 4096 signed transfers from distinct senders (nonce 0) to distinct recipients, and the state
// that funds the senders.
struct TxFixture {
    static constexpr size_t kTxs = 4096;
    consensus::ChainParams params = BenchParams();
    MapView view;
    std::vector<Transaction> txs;

    TxFixture() {
        const auto& keys = SenderKeys(kSenderPool);
        const auto& fillers = FillerPubKeys(kTxs);
        std::vector<const SecretKey*> signers;
        for (size_t i = 0; i < kTxs; ++i) {
            view.accounts[keys.pub[i]] = consensus::Account{kBenchBalance, 0};
            view.accounts[fillers[i]] = consensus::Account{kBenchBalance, 0};
            txs.push_back(MakeTransfer(keys.pub[i], fillers[i], 1 + i, 0, params));
            signers.push_back(&keys.secret[i]);
        }
        SignAll(txs, signers);
    }
    static const TxFixture& Get() {
        static const TxFixture f;
        return f;
    }
};

void BM_TransferValidate(benchmark::State& state) {
    const TxFixture& f = TxFixture::Get();
    const consensus::SignatureChecker checker;
    size_t i = 0;
    for (auto _ : state) {
        const Transaction& tx = f.txs[i];
        consensus::StateDelta delta{f.view};
        if (!consensus::CheckTransaction(tx, f.params) || !checker.Verify(tx) ||
            !consensus::ApplyTransaction(tx, f.params, 1, delta)) {
            state.SkipWithError("transfer rejected");
            break;
        }
        benchmark::DoNotOptimize(delta);
        i = (i + 1) % TxFixture::kTxs;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TransferValidate);

// The parts, to see where the non-signature time goes.
void BM_TransferCheckTransaction(benchmark::State& state) {
    const TxFixture& f = TxFixture::Get();
    size_t i = 0;
    for (auto _ : state) {
        auto r = consensus::CheckTransaction(f.txs[i], f.params);
        if (!r) state.SkipWithError("rejected");
        i = (i + 1) % TxFixture::kTxs;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TransferCheckTransaction);

void BM_TransferApply(benchmark::State& state) {
    const TxFixture& f = TxFixture::Get();
    size_t i = 0;
    for (auto _ : state) {
        consensus::StateDelta delta{f.view};
        auto r = consensus::ApplyTransaction(f.txs[i], f.params, 1, delta);
        if (!r) state.SkipWithError("rejected");
        benchmark::DoNotOptimize(delta);
        i = (i + 1) % TxFixture::kTxs;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TransferApply);

void BM_TxId(benchmark::State& state) {
    const TxFixture& f = TxFixture::Get();
    size_t i = 0;
    for (auto _ : state) {
        Hash256 id = f.txs[i].TxId();
        benchmark::DoNotOptimize(id);
        i = (i + 1) % TxFixture::kTxs;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TxId);

}  // namespace
}  // namespace cairn::bench
