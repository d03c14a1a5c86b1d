// Closing an epoch at network scale: rewards::CloseEpoch for 100,000 and 1,000,000 radios, each
// interactive and holding a RewardShare, and its parts.
//
// State (devnet parameters, built once per size as ledger records, no transactions): N EU868
// radios on a square grid 1 km apart (witnessed at height 20, so all are interactive at the
// epoch's end, height 30), one RewardShare per radio with random HIP-15-sized units, N / 4 funded
// owner accounts (half of the radios belong to the first tenth of the owners), the accounting
// record, and the density map of these same radios (the previous boundary's: a steady state, in
// which the boundary rewrites no cell). Device and owner keys are distinct pseudo-random 32-byte
// strings, not curve points: epoch accounting only stores, orders and looks up keys, and deriving
// a million real keys would dominate the setup.
//
// Benchmarks:
//   BM_CloseEpoch/N       CloseEpoch(params, 30, validators, delta) on a fresh StateDelta over the
//                         state: shares scanned, erased and paid, owners credited, validators
//                         paid, density map recomputed and compared with the stored one.
//   BM_EpochBoundary/N    CloseEpoch plus UpdateCommitment of the resulting delta: what an epoch's
//                         last block costs ConnectBlock on top of an ordinary block.
//   BM_EpochDensityMap/N  ComputeDensityMap over the N radios' cells on Cairn's grid
//                         (CairnCellGrid), the density part of CloseEpoch.
//   BM_EpochCommitment/N  UpdateCommitment(StateCommitment&, const StateDelta&) over the delta
//                         CloseEpoch leaves (N erased shares, ~N/4 credited accounts).
// The payout part alone (ComputeCoveragePayout over N device shares) is BM_CoveragePayout in
// rewards_bench.cpp.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>

#include "bench_util.h"
#include "consensus/rewards/accounting.h"
#include "consensus/rewards/density_state.h"
#include "consensus/rewards/epoch_rewards.h"
#include "consensus/state_commitment.h"
#include "depin_bench_util.h"

namespace cairn::bench {
namespace {

using consensus::rewards::kUnitOne;

constexpr uint64_t kWitnessedHeight = 20;

struct EpochFixture {
    consensus::ChainParams params = BenchParams();
    uint64_t height = params.rewards.epoch_length;  // the first epoch's last block
    size_t devices;
    size_t owners;
    size_t density_cells{0};
    consensus::MemoryState state;
    std::vector<consensus::rewards::CellId> cells;  // the radios' count-level cells

    explicit EpochFixture(size_t n) : devices{n}, owners{std::max<size_t>(n / 4, 1)} {
        const auto t0 = std::chrono::steady_clock::now();
        const std::vector<PubKey> device_keys = PseudoKeys("cairn-bench/epoch-device", n);
        const std::vector<PubKey> owner_keys = PseudoKeys("cairn-bench/epoch-owner", owners);
        const size_t cols = static_cast<size_t>(std::ceil(std::sqrt(static_cast<double>(n))));
        std::vector<consensus::poc::LatLon> positions(n);
        for (size_t i = 0; i < n; ++i) positions[i] = GridPosition(i / cols, i % cols);
        std::mt19937_64 rng{n};
        WriteInChunks(state, n, [&](consensus::StateDelta& d, size_t i) {
            const size_t owner = rng() % 2 == 0 ? rng() % (owners / 10 + 1) : rng() % owners;
            consensus::WriteDevice(
                d, device_keys[i],
                RadioRecord(owner_keys[owner], positions[i], kWitnessedHeight, uint64_t{1}));
            consensus::RewardShare s;
            s.beacon_units = 1 + rng() % (2 * kUnitOne);
            s.witness_units = rng() % 4 == 0 ? 0 : 1 + rng() % (30 * kUnitOne);
            consensus::WriteRewardShare(d, device_keys[i], s);
            if (i < owners) d.Set(owner_keys[i], consensus::Account{10 * kCoin, 2});
        });
        {
            consensus::StateDelta d{state};
            consensus::ChainAccounting acc;
            acc.burned = static_cast<Amount>(n) * 11 * kCoin;  // onboarding and location fees
            acc.epoch_fees = 50 * kCoin;
            consensus::WriteAccounting(d, acc);
            state.Apply(d.Changes(), d.EntryChanges());
        }
        const auto t_records = std::chrono::steady_clock::now();
        cells = CountCells(params, positions);
        density_cells = WriteDensityMap(state, params, cells);
        std::fprintf(stderr,
                     "[setup] epoch: %zu radios + shares, %zu owners: %.1f s; density map of %zu "
                     "cells: %.1f s; %zu state records\n",
                     n, owners, std::chrono::duration<double>(t_records - t0).count(),
                     density_cells, SecondsSince(t_records), state.entries.size());
    }

    static double SecondsSince(std::chrono::steady_clock::time_point t) {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    }

    static EpochFixture& Get(size_t n) {
        static std::map<size_t, std::unique_ptr<EpochFixture>> fixtures;
        auto& f = fixtures[n];
        if (!f) f = std::make_unique<EpochFixture>(n);
        return *f;
    }

    // CloseEpoch on `delta`; throws on a rejection (the state is built to be valid).
    consensus::rewards::EpochOutcome Close(consensus::StateDelta& delta) const {
        auto r = consensus::rewards::CloseEpoch(params, height, BenchValidators(), delta);
        if (!r) throw std::runtime_error("CloseEpoch: " + r.error().ToString());
        return std::move(r).value();
    }
};

void OutcomeCounters(benchmark::State& state, const EpochFixture& f,
                     const consensus::rewards::EpochOutcome& out,
                     const consensus::StateDelta& delta) {
    state.counters["devices_paid"] = static_cast<double>(out.summary.devices_paid);
    state.counters["owners_paid"] = static_cast<double>(out.summary.owners_paid);
    state.counters["entry_changes"] = static_cast<double>(delta.EntryChanges().size());
    state.counters["account_changes"] = static_cast<double>(delta.Changes().size());
    state.counters["density_cells"] = static_cast<double>(f.density_cells);
}

void BM_CloseEpoch(benchmark::State& state) {
    const EpochFixture& f = EpochFixture::Get(static_cast<size_t>(state.range(0)));
    for (auto _ : state) {
        auto delta = std::make_unique<consensus::StateDelta>(f.state);
        consensus::rewards::EpochOutcome out = f.Close(*delta);
        state.PauseTiming();  // freeing the delta and the outcome is not timed
        OutcomeCounters(state, f, out, *delta);
        delta.reset();
        out = {};
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CloseEpoch)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_EpochBoundary(benchmark::State& state) {
    const EpochFixture& f = EpochFixture::Get(static_cast<size_t>(state.range(0)));
    for (auto _ : state) {
        auto delta = std::make_unique<consensus::StateDelta>(f.state);
        consensus::rewards::EpochOutcome out = f.Close(*delta);
        consensus::StateCommitment c;
        consensus::UpdateCommitment(c, *delta);
        benchmark::DoNotOptimize(c);
        state.PauseTiming();
        OutcomeCounters(state, f, out, *delta);
        delta.reset();
        out = {};
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_EpochBoundary)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_EpochDensityMap(benchmark::State& state) {
    const EpochFixture& f = EpochFixture::Get(static_cast<size_t>(state.range(0)));
    const consensus::rewards::CairnCellGrid grid;
    size_t cells = 0;
    for (auto _ : state) {
        consensus::rewards::DensityMap map =
            consensus::rewards::ComputeDensityMap(grid, f.params.poc.density, f.cells);
        cells = map.size();
        benchmark::DoNotOptimize(map);
    }
    state.counters["density_cells"] = static_cast<double>(cells);
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_EpochDensityMap)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_EpochCommitment(benchmark::State& state) {
    const EpochFixture& f = EpochFixture::Get(static_cast<size_t>(state.range(0)));
    consensus::StateDelta delta{f.state};
    const consensus::rewards::EpochOutcome out = f.Close(delta);
    // The first update also reads the erased shares' old values from the base view (StateDelta
    // remembers them); later ones find them in the delta. Report the first separately.
    const auto t0 = std::chrono::steady_clock::now();
    {
        consensus::StateCommitment c;
        consensus::UpdateCommitment(c, delta);
        benchmark::DoNotOptimize(c);
    }
    const double first_ms = EpochFixture::SecondsSince(t0) * 1e3;
    for (auto _ : state) {
        consensus::StateCommitment c;
        consensus::UpdateCommitment(c, delta);
        benchmark::DoNotOptimize(c);
    }
    OutcomeCounters(state, f, out, delta);
    state.counters["first_call_ms"] = first_ms;
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(delta.EntryChanges().size() +
                                                                      delta.Changes().size()));
}
BENCHMARK(BM_EpochCommitment)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cairn::bench
