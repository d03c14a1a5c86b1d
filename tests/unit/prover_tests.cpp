// Prover compute library: every GEMM backend against a naive reference (random and worst-case
// int8 operands at the k = 65,536 exactness bound), backends bit-identical to each other, bulk
// keystream equal to RowOfA / ColumnOfB, and ProveChallenge's tree equal to the consensus one.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "consensus/compute/challenge.h"
#include "crypto/hash.h"
#include "prover/challenge_prover.h"
#include "prover/gemm_backend.h"

namespace cairn::prover {
namespace {

using consensus::compute::ChallengeShape;

// Naive reference: int64 accumulation, so it is right even if int32 would not be.
std::vector<int32_t> ReferenceGemm(std::span<const int8_t> a, std::span<const int8_t> b, uint32_t n,
                                   uint32_t k) {
    std::vector<int32_t> c(size_t{n} * n);
    for (size_t i = 0; i < n; ++i) {
        for (size_t j = 0; j < n; ++j) {
            int64_t sum = 0;
            for (size_t t = 0; t < k; ++t) sum += int64_t{a[i * k + t]} * int64_t{b[j * k + t]};
            EXPECT_LE(sum, int64_t{1} << 30);
            EXPECT_GE(sum, -(int64_t{1} << 30));
            c[i * n + j] = static_cast<int32_t>(sum);
        }
    }
    return c;
}

std::vector<int8_t> RandomInt8(size_t size, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> dist(-128, 127);
    std::vector<int8_t> v(size);
    for (auto& x : v) x = static_cast<int8_t>(dist(rng));
    return v;
}

std::vector<int32_t> Multiply(GemmBackend& backend, std::span<const int8_t> a,
                              std::span<const int8_t> b, uint32_t n, uint32_t k) {
    std::vector<int32_t> c(size_t{n} * n, 0x5a5a5a5a);  // must be fully overwritten
    backend.Multiply(a, b, n, k, c);
    return c;
}

// The backends usable on this machine. OneDnnBackend refuses to start (std::runtime_error) where
// oneDNN's int8 kernels are not exact (CPUs without VNNI/AMX); ProverGemm.OneDnnExactOnThisCpu
// reports that as a skip, and the other tests then check the remaining backends.
std::unique_ptr<GemmBackend> MakeIfUsable(std::string_view name, unsigned threads) {
    try {
        return MakeGemmBackend(name, threads);
    } catch (const std::runtime_error&) {
        if (name == "onednn") return nullptr;
        throw;
    }
}

std::vector<std::unique_ptr<GemmBackend>> AllBackends(unsigned threads) {
    std::vector<std::unique_ptr<GemmBackend>> out;
    for (const std::string_view name : GemmBackendNames()) {
        auto backend = MakeIfUsable(name, threads);
        if (backend != nullptr) out.push_back(std::move(backend));
    }
    EXPECT_FALSE(out.empty());
    return out;
}

Hash256 Seed(uint8_t b) {
    Hash256 h;
    h.bytes.fill(b);
    h.bytes[0] = 0x42;
    return h;
}

TEST(ProverGemm, FactoryNames) {
    const auto names = GemmBackendNames();
    ASSERT_EQ(names.size(), 2u);
    EXPECT_EQ(names[0], "onednn");
    EXPECT_EQ(names[1], "loop");
    for (const std::string_view name : names) {
        const auto backend = MakeIfUsable(name, 1);
        if (backend != nullptr) {
            EXPECT_EQ(backend->Name(), name);
        }
    }
    EXPECT_NE(MakeGemmBackend("loop", 1), nullptr);
    EXPECT_EQ(MakeGemmBackend("cublas", 1), nullptr);
    EXPECT_EQ(MakeGemmBackend("", 0), nullptr);
    EXPECT_EQ(MakeGemmBackend("ONEDNN", 0), nullptr);
}

TEST(ProverGemm, OneDnnExactOnThisCpu) {
    try {
        const auto backend = MakeGemmBackend("onednn", 0);
        ASSERT_NE(backend, nullptr);
        EXPECT_EQ(backend->Name(), "onednn");
    } catch (const std::runtime_error& e) {
        GTEST_SKIP() << "oneDNN backend unusable here, its tests are skipped: " << e.what();
    }
}

TEST(ProverGemm, RandomMatchesReference) {
    struct Size {
        uint32_t n, k;
    };
    const Size sizes[] = {{1, 1}, {1, 64}, {3, 5}, {17, 100}, {32, 256}, {65, 1000}};
    for (const unsigned threads : {1u, 3u}) {
        for (auto& backend : AllBackends(threads)) {
            for (const Size& sz : sizes) {
                const auto a = RandomInt8(size_t{sz.n} * sz.k, sz.n * 7 + sz.k);
                const auto b = RandomInt8(size_t{sz.n} * sz.k, sz.n * 11 + sz.k + 1);
                EXPECT_EQ(Multiply(*backend, a, b, sz.n, sz.k), ReferenceGemm(a, b, sz.n, sz.k))
                    << backend->Name() << " threads=" << threads << " n=" << sz.n << " k=" << sz.k;
            }
        }
    }
}

// k = 65,536 is the exactness bound: (-128)·(-128)·65,536 = 2^30 exactly. These operands also
// catch int8 kernels that saturate 16-bit intermediates.
TEST(ProverGemm, ExtremeOperandsAtMaxK) {
    constexpr uint32_t n = 4, k = consensus::compute::kMaxK;
    const size_t size = size_t{n} * k;
    std::vector<std::pair<std::vector<int8_t>, std::vector<int8_t>>> cases;
    for (const int8_t x : {int8_t{-128}, int8_t{127}}) {
        for (const int8_t y : {int8_t{-128}, int8_t{127}}) {
            cases.emplace_back(std::vector<int8_t>(size, x), std::vector<int8_t>(size, y));
        }
    }
    // Mixed: per row/column patterns of -128 and 127, alternating, in blocks, and random extremes.
    std::vector<int8_t> a(size), b(size);
    std::mt19937 rng(7);
    for (size_t r = 0; r < n; ++r) {
        for (size_t t = 0; t < k; ++t) {
            const bool rand_bit = rng() & 1;
            a[r * k + t] = (r == 0)   ? ((t % 2) ? 127 : -128)
                           : (r == 1) ? ((t / 64 % 2) ? -128 : 127)
                           : (r == 2) ? (rand_bit ? 127 : -128)
                                      : -128;
            b[r * k + t] = (r == 0)   ? -128
                           : (r == 1) ? ((t % 2) ? -128 : 127)
                           : (r == 2) ? 127
                                      : (rand_bit ? -128 : 127);
        }
    }
    cases.emplace_back(a, b);
    cases.emplace_back(RandomInt8(size, 1), RandomInt8(size, 2));

    for (auto& backend : AllBackends(2)) {
        for (size_t i = 0; i < cases.size(); ++i) {
            const auto& [ca, cb] = cases[i];
            EXPECT_EQ(Multiply(*backend, ca, cb, n, k), ReferenceGemm(ca, cb, n, k))
                << backend->Name() << " case " << i;
        }
    }
    // The all -128 product hits the bound exactly.
    auto loop = MakeGemmBackend("loop", 1);
    EXPECT_EQ(Multiply(*loop, cases[0].first, cases[0].second, n, k)[0], int32_t{1} << 30);
}

TEST(ProverGemm, BackendsBitIdentical) {
    constexpr uint32_t n = 96, k = 4096;
    const auto a = RandomInt8(size_t{n} * k, 100);
    const auto b = RandomInt8(size_t{n} * k, 200);
    const auto want = Multiply(*MakeGemmBackend("loop", 1), a, b, n, k);
    for (const unsigned threads : {0u, 1u, 2u, 5u}) {
        for (auto& backend : AllBackends(threads)) {
            EXPECT_EQ(Multiply(*backend, a, b, n, k), want)
                << backend->Name() << " threads=" << threads;
        }
    }
}

TEST(ProverGemm, BadArgumentsThrow) {
    for (auto& backend : AllBackends(1)) {
        std::vector<int8_t> a(64), b(64);
        std::vector<int32_t> c(1);
        EXPECT_THROW(backend->Multiply(a, b, 1, 0, c), std::invalid_argument);
        EXPECT_THROW(backend->Multiply(a, b, 0, 64, c), std::invalid_argument);
        EXPECT_THROW(backend->Multiply(a, b, 1, 63, c), std::invalid_argument);
        std::vector<int32_t> c2(2);
        EXPECT_THROW(backend->Multiply(a, b, 1, 64, c2), std::invalid_argument);
        std::vector<int8_t> big(65'537);
        EXPECT_THROW(backend->Multiply(big, big, 1, 65'537, c), std::invalid_argument);
        EXPECT_NO_THROW(backend->Multiply(a, b, 1, 64, c));
    }
}

TEST(ProverKeystream, BulkMatchesRowOfAAndColumnOfB) {
    const Hash256 seed = Seed(0x11);
    const ChallengeShape shapes[] = {{2, 16, 128, 4}, {1, 5, 64, 1}, {1, 4, 65'536, 2}};
    for (const ChallengeShape& s : shapes) {
        for (const unsigned threads : {1u, 3u}) {
            for (uint32_t g = 0; g < s.g; ++g) {
                std::vector<int8_t> a(size_t{s.n} * s.k), b(a.size()), want(s.k);
                GenerateChallengeMatrices(seed, s, g, a, b, threads);
                for (uint32_t i = 0; i < s.n; ++i) {
                    consensus::compute::RowOfA(seed, s, g, i, want);
                    EXPECT_TRUE(std::equal(want.begin(), want.end(), a.begin() + size_t{i} * s.k))
                        << "A row " << i << " g=" << g << " k=" << s.k;
                    consensus::compute::ColumnOfB(seed, s, g, i, want);
                    EXPECT_TRUE(std::equal(want.begin(), want.end(), b.begin() + size_t{i} * s.k))
                        << "B column " << i << " g=" << g << " k=" << s.k;
                }
            }
        }
    }
    std::vector<int8_t> a(16 * 128), b(16 * 128), small(16);
    EXPECT_THROW(GenerateChallengeMatrices(seed, {2, 16, 128, 4}, 2, a, b), std::invalid_argument);
    EXPECT_THROW(GenerateChallengeMatrices(seed, {2, 16, 128, 4}, 0, small, b),
                 std::invalid_argument);
    EXPECT_THROW(GenerateChallengeMatrices(seed, {2, 16, 100, 4}, 0, a, b), std::invalid_argument);
}

// Everything a proof exposes must agree with the consensus reference implementation.
void CheckProofAgainstConsensus(const Hash256& seed, const ChallengeShape& s, GemmBackend& backend,
                                unsigned threads) {
    SCOPED_TRACE(std::string(backend.Name()) + " shape {" + std::to_string(s.g) + "," +
                 std::to_string(s.n) + "," + std::to_string(s.k) + "," + std::to_string(s.tile) +
                 "} threads=" + std::to_string(threads));
    const std::vector<Hash256> leaves = consensus::compute::ComputeTileLeaves(seed, s);
    const ChallengeProof proof = ProveChallenge(seed, s, backend, threads);
    ASSERT_EQ(proof.TileCount(), leaves.size());
    ASSERT_EQ(proof.TileCount(), consensus::compute::TileCount(s));
    const Hash256 root = consensus::compute::TileRoot(leaves);
    EXPECT_EQ(proof.Root(), root);

    const uint64_t side = s.n / s.tile;
    for (uint64_t i = 0; i < leaves.size(); ++i) {
        EXPECT_EQ(proof.Leaf(i), leaves[i]) << "leaf " << i;
        const std::vector<Hash256> path = proof.Path(i);
        EXPECT_EQ(path, consensus::compute::TilePath(leaves, i)) << "path " << i;
        EXPECT_TRUE(consensus::compute::VerifyTilePath(leaves[i], i, leaves.size(), path, root))
            << "verify " << i;
        const auto g = static_cast<uint32_t>(i / (side * side));
        const auto tr = static_cast<uint32_t>(i / side % side);
        const auto tc = static_cast<uint32_t>(i % side);
        const std::vector<int32_t> cells = proof.TileCells(i);
        ASSERT_EQ(cells.size(), size_t{s.tile} * s.tile);
        EXPECT_EQ(consensus::compute::TileLeaf(g, tr, tc, cells), leaves[i]) << "cells " << i;
    }
    // A few cells against the validator's O(k) recomputation: the last cell of the last tile.
    const std::vector<int32_t> last = proof.TileCells(leaves.size() - 1);
    EXPECT_EQ(last.back(), consensus::compute::ChallengeCell(seed, s, s.g - 1, s.n - 1, s.n - 1));
    EXPECT_EQ(proof.TileCells(0).front(), consensus::compute::ChallengeCell(seed, s, 0, 0, 0));

    EXPECT_EQ(proof.Timings().int8_ops, 2 * uint64_t{s.g} * s.n * s.n * s.k);
    EXPECT_GE(proof.Timings().keystream_s, 0);
    EXPECT_GE(proof.Timings().gemm_s, 0);
    EXPECT_GE(proof.Timings().hash_s, 0);
    EXPECT_THROW(proof.TileCells(leaves.size()), std::invalid_argument);
    EXPECT_THROW(proof.Path(leaves.size()), std::invalid_argument);
    EXPECT_THROW(proof.Leaf(leaves.size()), std::invalid_argument);
}

TEST(ProverChallenge, MatchesConsensusTree) {
    const ChallengeShape shapes[] = {
        {2, 16, 128, 4},  // 32 leaves
        {1, 32, 256, 8},  // 16 leaves
        {1, 12, 128, 4},  // n/T = 3: 9 leaves, odd nodes carried up on two levels
        {3, 24, 64, 8},   // 27 leaves across three products
        {1, 5, 64, 1},    // 25 one-cell tiles
        {1, 8, 64, 8},    // a single leaf: root = leaf, empty paths
    };
    for (const unsigned threads : {1u, 3u}) {
        for (auto& backend : AllBackends(threads)) {
            for (const ChallengeShape& s : shapes) {
                CheckProofAgainstConsensus(Seed(static_cast<uint8_t>(s.n + s.g)), s, *backend,
                                           threads);
            }
        }
    }
}

TEST(ProverChallenge, SingleLeafShape) {
    const ChallengeShape s{1, 8, 64, 8};
    const auto backend = MakeGemmBackend("loop", 1);
    const ChallengeProof proof = ProveChallenge(Seed(3), s, *backend);
    EXPECT_EQ(proof.TileCount(), 1u);
    EXPECT_EQ(proof.Root(), proof.Leaf(0));
    EXPECT_TRUE(proof.Path(0).empty());
}

TEST(ProverChallenge, InvalidShapesThrow) {
    const auto backend = MakeGemmBackend("loop", 1);
    const ChallengeShape bad[] = {
        {0, 16, 128, 4},           // no products
        {1, 0, 128, 4},            // empty matrices
        {1, 16, 128, 0},           // no tile
        {1, 18, 128, 4},           // T does not divide n
        {1, 16, 100, 4},           // k not a multiple of 64
        {1, 16, 0, 4},             // k below the minimum
        {1, 16, 131'072, 4},       // k above the exactness bound
        {1, 1u << 23, 65'536, 1},  // n*k > 2^38
    };
    for (const ChallengeShape& s : bad) {
        EXPECT_THROW(ProveChallenge(Seed(1), s, *backend), std::invalid_argument)
            << s.g << " " << s.n << " " << s.k << " " << s.tile;
    }
}

}  // namespace
}  // namespace cairn::prover
