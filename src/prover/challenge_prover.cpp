#include "prover/challenge_prover.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <limits>
#include <stdexcept>

#include "prover/parallel.h"

namespace cairn::prover {

using consensus::compute::ChallengeShape;

namespace {

// Keystream layout of consensus/compute/challenge.h: nonce (u32le g, u32le stream, u32le 0).
constexpr uint32_t kStreamA = 0;
constexpr uint32_t kStreamB = 1;
constexpr uint64_t kBlockBytes = 64;
// Bytes per cipher call, encrypted from a shared all-zero buffer (so the output is written once).
constexpr size_t kCipherChunk = 64 * 1024;
// Below this many nodes a tree level is hashed on the calling thread (thread start-up would cost
// more than the hashing).
constexpr size_t kParallelLevel = 4096;

void PutU32Le(uint8_t* p, uint32_t v) {
    for (size_t b = 0; b < 4; ++b) p[b] = static_cast<uint8_t>(v >> (8 * b));
}

// out = ChaCha20 keystream (key = seed, nonce = (g, stream, 0)) from byte `offset` of the stream;
// offset is a multiple of 64 and offset + out.size() <= 2^38, so the block counter never wraps.
void Keystream(const Hash256& seed, uint32_t g, uint32_t stream, uint64_t offset,
               std::span<int8_t> out) {
    static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "ChaCha20", nullptr);
    thread_local struct CtxHolder {
        EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
        ~CtxHolder() { EVP_CIPHER_CTX_free(ctx); }
    } holder;
    static const std::array<unsigned char, kCipherChunk> zeros{};
    // EVP's 16-byte IV: u32le block counter, then the 12-byte nonce. One context runs through the
    // whole range: consecutive updates continue the block counter, which never wraps here.
    std::array<uint8_t, 16> iv{};
    PutU32Le(iv.data(), static_cast<uint32_t>(offset / kBlockBytes));
    PutU32Le(iv.data() + 4, g);
    PutU32Le(iv.data() + 8, stream);
    if (cipher == nullptr || holder.ctx == nullptr ||
        EVP_EncryptInit_ex2(holder.ctx, cipher, seed.bytes.data(), iv.data(), nullptr) != 1) {
        throw std::runtime_error("OpenSSL ChaCha20 init failed");
    }
    for (size_t done = 0; done < out.size(); done += kCipherChunk) {
        const int len = static_cast<int>(std::min(kCipherChunk, out.size() - done));
        int written = 0;
        if (EVP_EncryptUpdate(holder.ctx, reinterpret_cast<unsigned char*>(out.data() + done),
                              &written, zeros.data(), len) != 1 ||
            written != len) {
            throw std::runtime_error("OpenSSL ChaCha20 failed");
        }
    }
}

// A_g into `a` and B_g into `b` (equal sizes, multiples of 64): the 64-byte blocks of both, A's
// then B's, are split across the threads in contiguous ranges.
void GenerateBoth(const Hash256& seed, uint32_t g, std::span<int8_t> a, std::span<int8_t> b,
                  unsigned threads) {
    const uint64_t blocks = a.size() / kBlockBytes;
    ParallelFor(2 * blocks, threads, [&](size_t begin, size_t end) {
        if (begin < blocks) {  // the part of the range inside A
            const size_t stop = std::min<size_t>(end, blocks);
            Keystream(seed, g, kStreamA, begin * kBlockBytes,
                      a.subspan(begin * kBlockBytes, (stop - begin) * kBlockBytes));
        }
        if (end > blocks) {  // the part inside B
            const size_t start = std::max<size_t>(begin, blocks) - blocks;
            Keystream(seed, g, kStreamB, start * kBlockBytes,
                      b.subspan(start * kBlockBytes, (end - blocks - start) * kBlockBytes));
        }
    });
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void CheckShape(const ChallengeShape& s) {
    if (!consensus::compute::IsValidShape(s)) {
        throw std::invalid_argument("invalid compute challenge shape");
    }
}

}  // namespace

void GenerateChallengeMatrices(const Hash256& seed, const ChallengeShape& s, uint32_t g,
                               std::span<int8_t> a, std::span<int8_t> b, unsigned threads) {
    CheckShape(s);
    if (g >= s.g) throw std::invalid_argument("compute challenge product index out of range");
    const uint64_t bytes = uint64_t{s.n} * s.k;
    if (a.size() != bytes || b.size() != bytes) {
        throw std::invalid_argument("challenge matrix spans must hold n*k bytes");
    }
    GenerateBoth(seed, g, a, b, threads);
}

ChallengeProof ProveChallenge(const Hash256& seed, const ChallengeShape& s, GemmBackend& backend,
                              unsigned threads) {
    CheckShape(s);
    const uint64_t n = s.n, k = s.k, t = s.tile, side = n / t;
    const uint64_t cells_per_product = n * n;  // n < 2^32, so no overflow
    if (cells_per_product > std::numeric_limits<size_t>::max() / sizeof(int32_t) / s.g) {
        throw std::invalid_argument("compute challenge shape too large for the in-memory prover");
    }

    ChallengeProof proof;
    proof.m_shape = s;
    proof.m_cells.resize(cells_per_product * s.g);
    std::vector<Hash256>& leaves = proof.m_levels.emplace_back(s.g * side * side);
    ProverTimings& timings = proof.m_timings;
    timings.int8_ops = 2 * uint64_t{s.g} * n * n * k;

    std::vector<int8_t> a(n * k), b(n * k);
    for (uint32_t g = 0; g < s.g; ++g) {
        auto start = std::chrono::steady_clock::now();
        GenerateChallengeMatrices(seed, s, g, a, b, threads);
        timings.keystream_s += SecondsSince(start);

        start = std::chrono::steady_clock::now();
        const std::span<int32_t> c =
            std::span<int32_t>(proof.m_cells).subspan(g * cells_per_product, cells_per_product);
        backend.Multiply(a, b, s.n, s.k, c);
        timings.gemm_s += SecondsSince(start);

        start = std::chrono::steady_clock::now();
        ParallelFor(side * side, threads, [&](size_t begin, size_t end) {
            std::vector<int32_t> tile(t * t);
            for (size_t idx = begin; idx < end; ++idx) {
                const uint64_t tr = idx / side, tc = idx % side;
                for (uint64_t r = 0; r < t; ++r) {
                    const int32_t* src = c.data() + (tr * t + r) * n + tc * t;
                    std::copy(src, src + t, tile.begin() + r * t);
                }
                leaves[g * side * side + idx] = consensus::compute::TileLeaf(
                    g, static_cast<uint32_t>(tr), static_cast<uint32_t>(tc), tile);
            }
        });
        timings.hash_s += SecondsSince(start);
    }

    // The tree, level by level, with TileRoot's rule: pairs hashed, an odd last node carried up.
    const auto start = std::chrono::steady_clock::now();
    while (proof.m_levels.back().size() > 1) {
        const size_t below = proof.m_levels.back().size();
        std::vector<Hash256> next((below + 1) / 2);
        const std::vector<Hash256>& level = proof.m_levels.back();
        ParallelFor(below / 2, below / 2 >= kParallelLevel ? threads : 1,
                    [&](size_t begin, size_t end) {
                        for (size_t i = begin; i < end; ++i) {
                            next[i] = consensus::compute::TileNode(level[2 * i], level[2 * i + 1]);
                        }
                    });
        if (below % 2 == 1) next.back() = level.back();
        proof.m_levels.push_back(std::move(next));
    }
    timings.hash_s += SecondsSince(start);
    return proof;
}

void ChallengeProof::CheckIndex(uint64_t tile_index) const {
    if (tile_index >= TileCount()) throw std::invalid_argument("tile index out of range");
}

std::vector<int32_t> ChallengeProof::TileCells(uint64_t tile_index) const {
    CheckIndex(tile_index);
    const uint64_t n = m_shape.n, t = m_shape.tile, side = n / t;
    const uint64_t g = tile_index / (side * side), tr = tile_index / side % side,
                   tc = tile_index % side;
    std::vector<int32_t> cells(t * t);
    for (uint64_t r = 0; r < t; ++r) {
        const int32_t* src = m_cells.data() + g * n * n + (tr * t + r) * n + tc * t;
        std::copy(src, src + t, cells.begin() + r * t);
    }
    return cells;
}

const Hash256& ChallengeProof::Leaf(uint64_t tile_index) const {
    CheckIndex(tile_index);
    return m_levels.front()[tile_index];
}

std::vector<Hash256> ChallengeProof::Path(uint64_t tile_index) const {
    CheckIndex(tile_index);
    std::vector<Hash256> path;
    for (size_t level = 0; level + 1 < m_levels.size(); ++level, tile_index /= 2) {
        const uint64_t sibling = tile_index ^ 1;
        if (sibling < m_levels[level].size()) path.push_back(m_levels[level][sibling]);
    }
    return path;
}

}  // namespace cairn::prover
