// Prover compute: int8 GEMM throughput per backend (counter GOPS = 2·n²·k per second / 10^9, on
// wall-clock time, all hardware threads) and the whole ProveChallenge pipeline at the devnet
// "cpu-dev" tier {g=1, n=256, k=8192, T=8}, split into keystream / GEMM / hash time.
// The loop backend runs only at the two smaller GEMM sizes: it is the slow baseline.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "consensus/compute/challenge.h"
#include "crypto/hash.h"
#include "prover/challenge_prover.h"
#include "prover/gemm_backend.h"

namespace cairn::bench {
namespace {

unsigned AllThreads() {
    return std::max(1u, std::thread::hardware_concurrency());
}

std::vector<int8_t> RandomInt8(size_t size, uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<int8_t> v(size);
    for (auto& x : v) x = static_cast<int8_t>(rng());
    return v;
}

void BM_ProverGemm(benchmark::State& state, const char* backend_name, uint32_t n, uint32_t k) {
    const auto backend = prover::MakeGemmBackend(backend_name, AllThreads());
    if (backend == nullptr) {
        state.SkipWithError("unknown backend");
        return;
    }
    const auto a = RandomInt8(size_t{n} * k, 1);
    const auto b = RandomInt8(size_t{n} * k, 2);
    std::vector<int32_t> c(size_t{n} * n);
    backend->Multiply(a, b, n, k, c);  // warm-up: first-call dispatch and page faults
    double seconds = 0;
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        backend->Multiply(a, b, n, k, c);
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        benchmark::DoNotOptimize(c.data());
        benchmark::ClobberMemory();
    }
    const double ops = 2.0 * n * n * k * static_cast<double>(state.iterations());
    state.counters["GOPS"] = benchmark::Counter(seconds > 0 ? ops / seconds / 1e9 : 0);
    state.counters["threads"] = benchmark::Counter(AllThreads());
}
BENCHMARK_CAPTURE(BM_ProverGemm, onednn / 256x8192, "onednn", 256, 8192)->UseRealTime();
BENCHMARK_CAPTURE(BM_ProverGemm, onednn / 512x16384, "onednn", 512, 16384)->UseRealTime();
BENCHMARK_CAPTURE(BM_ProverGemm, onednn / 1024x8192, "onednn", 1024, 8192)->UseRealTime();
BENCHMARK_CAPTURE(BM_ProverGemm, loop / 256x8192, "loop", 256, 8192)->UseRealTime();
BENCHMARK_CAPTURE(BM_ProverGemm, loop / 512x16384, "loop", 512, 16384)->UseRealTime();
// The GPU tiers' k = 65,536 (their n = 16,384 products do not fit a small machine): the rate
// a CPU prover would reach on them.
BENCHMARK_CAPTURE(BM_ProverGemm, onednn / 1024x65536, "onednn", 1024, 65536)->UseRealTime();
BENCHMARK_CAPTURE(BM_ProverGemm, loop / 256x65536, "loop", 256, 65536)->UseRealTime();

// One whole challenge per iteration; the counters are per-challenge averages.
void BM_ProverChallenge(benchmark::State& state, const char* backend_name) {
    const consensus::compute::ChallengeShape shape{1, 256, 8192, 8};  // devnet "cpu-dev"
    const auto backend = prover::MakeGemmBackend(backend_name, AllThreads());
    if (backend == nullptr) {
        state.SkipWithError("unknown backend");
        return;
    }
    Hash256 seed;
    seed.bytes.fill(0x5e);
    double keystream = 0, gemm = 0, hash = 0;
    uint64_t ops = 0;
    for (auto _ : state) {
        const prover::ChallengeProof proof = prover::ProveChallenge(seed, shape, *backend);
        benchmark::DoNotOptimize(proof.Root());
        keystream += proof.Timings().keystream_s;
        gemm += proof.Timings().gemm_s;
        hash += proof.Timings().hash_s;
        ops += proof.Timings().int8_ops;
        seed.bytes[0]++;  // a fresh challenge each time
    }
    using benchmark::Counter;
    state.counters["keystream_ms"] = Counter(keystream * 1e3, Counter::kAvgIterations);
    state.counters["gemm_ms"] = Counter(gemm * 1e3, Counter::kAvgIterations);
    state.counters["hash_ms"] = Counter(hash * 1e3, Counter::kAvgIterations);
    const double total = keystream + gemm + hash;
    state.counters["GOPS"] = Counter(total > 0 ? static_cast<double>(ops) / total / 1e9 : 0);
    state.counters["gemm_GOPS"] = Counter(gemm > 0 ? static_cast<double>(ops) / gemm / 1e9 : 0);
}
BENCHMARK_CAPTURE(BM_ProverChallenge, onednn / cpu - dev, "onednn")->UseRealTime();
BENCHMARK_CAPTURE(BM_ProverChallenge, loop / cpu - dev, "loop")->UseRealTime();

}  // namespace
}  // namespace cairn::bench
