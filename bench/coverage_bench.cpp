// Proof-of-coverage at block scale: judging one beacon with 14 witnesses (EvaluateProof), its 15
// BIP340 report signatures, and connecting a block of 1,000 such proofs through ConnectBlock with
// a BlockSignatureChecker without cache (every signature really verified) on 1 or 2 threads.
//
// State: 15,000 EU868 radios on a 150 x 100 grid 1 km apart (devnet parameters), written as
// ledger records (no transactions), with the density map their positions give. 1,000 of them
// (interior grid points, each beaconing once) beacon on entropy block 1,000 in block 1,001; each
// beacon is heard by its 14 nearest grid neighbours (1 to 2.2 km away) at 10 dB under the
// free-space bound, so all 14 witnesses are valid and rewarded. The witnesses are 10,080
// distinct radios (3,920 of them hear two beacons), so the block rewrites 1,000 device records
// and 11,080 reward shares. The block is built by AssembleBlock from proofs whose verdicts were
// computed by the rules, and connected to the same parent state each iteration (ConnectBlock
// does not write the view).
//
// Block benchmarks report wall-clock Time; their CPU is the whole process's (all signature
// threads) where the name says process_time. One iteration takes over a second on a small machine:
// use --benchmark_repetitions for spread.
//
// Also reported (counters): the encoded size of a 14-witness proof and of the 1,000-proof block,
// and the daily proof bytes of 1,000,000 hotspots beaconing every 6 hours.
#include <benchmark/benchmark.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include "bench_util.h"
#include "consensus/block_check.h"
#include "consensus/poc/beacon.h"
#include "consensus/poc/fspl.h"
#include "consensus/poc/verdict.h"
#include "consensus/rewards/accounting.h"
#include "depin_bench_util.h"
#include "node/signature_cache.h"

namespace cairn::bench {
namespace {

using consensus::BeaconVerdict;

constexpr size_t kRows = 100;
constexpr size_t kCols = 150;
constexpr size_t kRadios = kRows * kCols;  // 15,000
constexpr size_t kBeacons = 1'000;
constexpr size_t kWitnesses = 14;  // devnet's max_rewarded_witnesses
constexpr uint64_t kParentHeight = 1'000;
constexpr uint64_t kHeight = kParentHeight + 1;  // the block carrying the proofs
constexpr uint64_t kEntropyHeight = kParentHeight;
constexpr uint64_t kWitnessedHeight = kParentHeight - 10;  // within the reciprocity window
constexpr int16_t kSnrDdb = 55;
constexpr int64_t kBelowBoundDdb = 100;  // witnesses report 10 dB under the free-space bound
constexpr std::array<uint8_t, 32> kAux{};

// The 14 nearest grid neighbours: 4 at 1 km, 4 at 1.4 km, 4 at 2 km, 2 at 2.2 km.
constexpr std::array<std::pair<int, int>, kWitnesses> kNeighbours{{{0, 1},
                                                                   {1, 0},
                                                                   {0, -1},
                                                                   {-1, 0},
                                                                   {1, 1},
                                                                   {1, -1},
                                                                   {-1, 1},
                                                                   {-1, -1},
                                                                   {0, 2},
                                                                   {2, 0},
                                                                   {0, -2},
                                                                   {-2, 0},
                                                                   {1, 2},
                                                                   {-1, -2}}};

double SecondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The strongest RSSI (dBm x 10) the free-space rule allows between two grid radios.
int64_t RssiBoundDdbm(const BeaconReport& b, const consensus::poc::LatLon& from,
                      const consensus::poc::LatLon& to) {
    const uint64_t dist = consensus::poc::DistanceMm(from, to);
    const int64_t bound_mdb = (int64_t{b.tx_power_ddbm} + 2 * kRadioGainDdbi) * 100 -
                              consensus::poc::FsplMdb(dist, b.frequency_hz);
    int64_t q = bound_mdb / 100;  // floor division
    if (bound_mdb % 100 != 0 && bound_mdb < 0) --q;
    return q;
}

struct CoverageFixture {
    consensus::ChainParams params = BenchParams();
    DeviceKeys keys;
    std::vector<consensus::poc::LatLon> positions;
    consensus::MemoryState state;
    consensus::MemoryBlockHashes hashes;
    consensus::StateCommitment commitment;  // any accumulator works as the parent's
    BlockHeader prev;
    Commit prev_commit;
    Block block;  // kBeacons proofs of kWitnesses witnesses, all valid
    size_t density_cells{0};

    static size_t Index(size_t row, size_t col) { return row * kCols + col; }

    CoverageFixture() {
        const auto t0 = std::chrono::steady_clock::now();
        keys = MakeDeviceKeys(kRadios);
        const auto t_keys = std::chrono::steady_clock::now();
        positions.resize(kRadios);
        for (size_t r = 0; r < kRows; ++r) {
            for (size_t c = 0; c < kCols; ++c) positions[Index(r, c)] = GridPosition(r, c);
        }
        // Owners: one funded account per 4 radios (pseudo keys: accounts are only looked up).
        const std::vector<PubKey> owners = PseudoKeys("cairn-bench/coverage-owner", kRadios / 4);
        WriteInChunks(state, kRadios, [&](consensus::StateDelta& d, size_t i) {
            const PubKey& owner = owners[i % owners.size()];
            consensus::WriteDevice(d, keys.pub[i],
                                   RadioRecord(owner, positions[i], kWitnessedHeight));
            if (i < owners.size()) d.Set(owner, consensus::Account{100 * kCoin, 3});
        });
        density_cells = WriteDensityMap(state, params, CountCells(params, positions));
        hashes.hashes[kEntropyHeight] = Sha256(std::array<uint8_t, 4>{'b', 'e', 'n', 'c'});

        const auto& validators = BenchValidators();
        prev.network_id = params.network_id;
        prev.height = kParentHeight;
        prev.time_ms = 1'000'000;
        prev.proposer = validators.ProposerFor(kParentHeight).key;
        prev.validator_set_hash = validators.Hash();
        prev_commit.height = kParentHeight;
        prev_commit.block_hash = prev.Hash();
        prev_commit.sigs.push_back(
            {*validators.IndexOf(prev.proposer),
             ValidatorKey().Sign(VoteSignHash(params.network_id, kParentHeight, 0, prev.Hash()),
                                 kAux)});

        std::vector<CoverageProof> proofs = MakeProofs();
        JudgeProofs(proofs);

        consensus::BlockTemplate t;
        t.proofs = std::move(proofs);
        t.last_commit = prev_commit;
        t.proposer = validators.ProposerFor(kHeight).key;
        t.time_ms = prev.time_ms + 1'000;
        auto assembled = consensus::AssembleBlock(std::move(t), params, prev, validators, hashes,
                                                  state, commitment, consensus::SignatureChecker{});
        if (!assembled) throw std::runtime_error("AssembleBlock: " + assembled.error().ToString());
        block = std::move(assembled->block);
        std::fprintf(stderr,
                     "[setup] coverage: %zu radios (keys %.1f s), %zu density cells, %zu proofs "
                     "signed and judged, block assembled: %.1f s total\n",
                     kRadios, std::chrono::duration<double>(t_keys - t0).count(), density_cells,
                     block.proofs.size(), SecondsSince(t0));
    }

    // The beaconers: kBeacons interior grid points (2 from every edge), spread evenly.
    std::vector<size_t> Beaconers() const {
        const size_t interior_cols = kCols - 4, interior = (kRows - 4) * interior_cols;
        std::vector<size_t> out;
        for (size_t k = 0; k < kBeacons; ++k) {
            const size_t j = k * interior / kBeacons;
            out.push_back(Index(2 + j / interior_cols, 2 + j % interior_cols));
        }
        return out;
    }

    std::vector<CoverageProof> MakeProofs() const {
        const consensus::RadioRegion& region = params.poc.regions.at(kRegionEU868);
        const Hash256 entropy = *hashes.HashAtHeight(kEntropyHeight);
        const std::vector<size_t> beaconers = Beaconers();
        std::vector<CoverageProof> proofs(kBeacons);
        ParallelFor(kBeacons, [&](size_t k) {
            const size_t b = beaconers[k];
            CoverageProof& p = proofs[k];
            const consensus::poc::BeaconChallenge c =
                consensus::poc::DeriveBeacon(entropy, keys.pub[b], region);
            p.beacon.beaconer = keys.pub[b];
            p.beacon.entropy_height = kEntropyHeight;
            p.beacon.payload = c.payload;
            p.beacon.frequency_hz = c.frequency_hz;
            p.beacon.channel = c.channel;
            p.beacon.datarate = 5;
            p.beacon.tx_power_ddbm = kRadioTxPowerDdbm;
            p.beacon.signature = keys.secret[b].Sign(p.beacon.SigHash(params.network_id), kAux);
            const Hash256 beacon_id = p.beacon.Id();
            const size_t row = b / kCols, col = b % kCols;
            for (const auto& [dr, dc] : kNeighbours) {
                const size_t w = Index(static_cast<size_t>(static_cast<int>(row) + dr),
                                       static_cast<size_t>(static_cast<int>(col) + dc));
                ProofWitness pw;
                pw.witness = keys.pub[w];
                pw.rssi_ddbm = static_cast<int16_t>(
                    RssiBoundDdbm(p.beacon, positions[b], positions[w]) - kBelowBoundDdb);
                pw.snr_ddb = kSnrDdb;
                pw.frequency_hz = p.beacon.frequency_hz;
                pw.signature =
                    keys.secret[w].Sign(pw.ToReport(beacon_id).SigHash(params.network_id), kAux);
                p.witnesses.push_back(pw);
            }
        });
        return proofs;
    }

    // Fills the verdicts as a proposer does (each proof sees the effects of those before it) and
    // checks that every beacon and witness came out valid and rewarded.
    void JudgeProofs(std::vector<CoverageProof>& proofs) const {
        consensus::StateDelta delta{state};
        for (CoverageProof& p : proofs) {
            const consensus::ProofEvaluation ev =
                consensus::EvaluateProof(p.beacon, p.witnesses, kHeight, params, hashes, delta);
            if (ev.beacon != BeaconVerdict::kValid || ev.rewarded != kWitnesses) {
                throw std::runtime_error(
                    "proof judged " + std::string{consensus::BeaconVerdictCode(ev.beacon)} +
                    " with " + std::to_string(ev.rewarded) + " rewarded witnesses");
            }
            p.beacon_verdict = static_cast<uint8_t>(ev.beacon);
            for (size_t i = 0; i < p.witnesses.size(); ++i) {
                p.witnesses[i].verdict = static_cast<uint8_t>(ev.witnesses[i]);
            }
            if (auto r = consensus::ApplyCoverageProof(p, kHeight, params, hashes, delta); !r) {
                throw std::runtime_error("ApplyCoverageProof: " + r.error().ToString());
            }
        }
    }

    static CoverageFixture& Get() {
        static const std::unique_ptr<CoverageFixture> f = std::make_unique<CoverageFixture>();
        return *f;
    }
};

// Sizes shared by the benchmarks' counters.
void SizeCounters(benchmark::State& state, const CoverageFixture& f) {
    const double proof_bytes = static_cast<double>(EncodedSize(f.block.proofs.front()));
    state.counters["proof_bytes"] = proof_bytes;
    // 1,000,000 hotspots, one beacon (one proof) every 6 hours each.
    state.counters["bytes_per_day_1M"] = proof_bytes * 1e6 * 4;
}

// ---- One proof ----

void BM_EvaluateProof14(benchmark::State& state) {
    const CoverageFixture& f = CoverageFixture::Get();
    size_t k = 0;
    for (auto _ : state) {
        const CoverageProof& p = f.block.proofs[k];
        consensus::ProofEvaluation ev =
            consensus::EvaluateProof(p.beacon, p.witnesses, kHeight, f.params, f.hashes, f.state);
        if (ev.rewarded != kWitnesses) {
            state.SkipWithError("proof no longer valid");
            break;
        }
        benchmark::DoNotOptimize(ev);
        k = (k + 1) % f.block.proofs.size();
    }
    state.SetItemsProcessed(state.iterations());  // proofs
    SizeCounters(state, f);
}
BENCHMARK(BM_EvaluateProof14)->Unit(benchmark::kMicrosecond);

void BM_VerifyProofSignatures14(benchmark::State& state) {
    const CoverageFixture& f = CoverageFixture::Get();
    const consensus::SignatureChecker checker;
    size_t k = 0;
    for (auto _ : state) {
        if (!checker.VerifyReports(f.block.proofs[k], f.params.network_id)) {
            state.SkipWithError("bad report signature");
            break;
        }
        k = (k + 1) % f.block.proofs.size();
    }
    state.counters["sigs"] = 1 + kWitnesses;
    state.counters["sigs_per_s"] = benchmark::Counter(
        static_cast<double>(state.iterations() * (1 + kWitnesses)), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_VerifyProofSignatures14)->Unit(benchmark::kMicrosecond);

// ---- A block of 1,000 proofs ----

bool Connect(benchmark::State& state, const CoverageFixture& f,
             const consensus::SignatureChecker& sigs) {
    const auto& validators = BenchValidators();
    const consensus::BlockContext ctx{f.params, f.prev,       validators, validators,
                                      f.state,  f.commitment, sigs,       f.hashes};
    auto r = consensus::ConnectBlock(f.block, ctx);
    if (!r) {
        state.SkipWithError(("block rejected: " + r.error().ToString()).c_str());
        return false;
    }
    benchmark::DoNotOptimize(r);
    return true;
}

void BlockCounters(benchmark::State& state, const CoverageFixture& f) {
    SizeCounters(state, f);
    state.counters["block_bytes"] = static_cast<double>(f.block.ToBytes().size());
    state.counters["proofs"] = static_cast<double>(f.block.proofs.size());
    state.counters["sigs"] = static_cast<double>(f.block.proofs.size() * (1 + kWitnesses));
    state.counters["beacons_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations() * f.block.proofs.size()),
                           benchmark::Counter::kIsRate);
}

// Arg: signature threads. The full block: shape, commit, proofs applied (EvaluateProof and the
// bookkeeping of 1,000 beacons), state commitment, every report signature (no cache).
void BM_ConnectBlock1000Beacons(benchmark::State& state) {
    const CoverageFixture& f = CoverageFixture::Get();
    const unsigned threads = static_cast<unsigned>(state.range(0));
    for (auto _ : state) {
        BlockSignatureChecker sigs{f.block, f.params, nullptr, threads};
        if (!Connect(state, f, sigs)) break;
    }
    BlockCounters(state, f);
}
BENCHMARK(BM_ConnectBlock1000Beacons)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);

// Breakdown 1: the parallel stage alone (BlockSignatureChecker verifying the 15,000 report
// signatures, no cache).
void BM_BlockSigCheck1000Beacons(benchmark::State& state) {
    const CoverageFixture& f = CoverageFixture::Get();
    const unsigned threads = static_cast<unsigned>(state.range(0));
    for (auto _ : state) {
        BlockSignatureChecker sigs{f.block, f.params, nullptr, threads};
        if (!sigs.VerifyReports(f.block.proofs.front(), f.params.network_id)) {  // waits
            state.SkipWithError("bad report signature");
            break;
        }
    }
    BlockCounters(state, f);
}
BENCHMARK(BM_BlockSigCheck1000Beacons)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);

// Breakdown 2: ConnectBlock with the signatures already verified (checker built and joined
// outside the loop): the serial remainder (block hash and proof root, 1,000 proofs evaluated and
// booked, state commitment).
void BM_ConnectBlock1000BeaconsPreverified(benchmark::State& state) {
    const CoverageFixture& f = CoverageFixture::Get();
    BlockSignatureChecker sigs{f.block, f.params, nullptr, 2};
    if (!sigs.VerifyReports(f.block.proofs.front(), f.params.network_id)) {
        state.SkipWithError("bad report signature");
        return;
    }
    for (auto _ : state) {
        if (!Connect(state, f, sigs)) break;
    }
    BlockCounters(state, f);
}
BENCHMARK(BM_ConnectBlock1000BeaconsPreverified)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cairn::bench
