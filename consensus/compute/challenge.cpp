#include "consensus/compute/challenge.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <span>
#include <stdexcept>

namespace cairn::consensus::compute {
namespace {

constexpr uint32_t kBlockBytes = 64;
// Bytes per cipher call, encrypted from a shared all-zero buffer (so the output is written once).
constexpr size_t kCipherChunk = 64 * 1024;

void PutU32Le(uint8_t* p, uint32_t v) {
    for (size_t b = 0; b < 4; ++b) p[b] = static_cast<uint8_t>(v >> (8 * b));
}

void CheckIndex(const ChallengeShape& s, uint32_t g, uint32_t row, size_t out_size) {
    if (!IsValidShape(s)) throw std::invalid_argument("invalid compute challenge shape");
    if (g >= s.g || row >= s.n) throw std::invalid_argument("compute challenge index out of range");
    if (out_size != s.k) throw std::invalid_argument("compute challenge output size is not k");
}

// Row i of A_g (which = A) or column i of B_g (which = B): bytes [i*k, (i+1)*k) of the stream.
void Segment(const Hash256& seed, const ChallengeShape& s, uint32_t g, uint32_t i, uint32_t which,
             std::span<int8_t> out) {
    CheckIndex(s, g, i, out.size());
    MatrixStream(seed, g, which, uint64_t{i} * s.k, out);
}

}  // namespace

void MatrixStream(const Hash256& seed, uint32_t g, uint32_t stream, uint64_t offset,
                  std::span<int8_t> out) {
    if (offset % kBlockBytes != 0 || offset + out.size() > kMaxMatrixBytes) {
        throw std::invalid_argument("keystream range outside one matrix");
    }
    // The cipher is fetched once and each thread reuses one context (as in state_commitment.cpp).
    static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "ChaCha20", nullptr);
    thread_local struct CtxHolder {
        EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
        ~CtxHolder() { EVP_CIPHER_CTX_free(ctx); }
    } holder;
    static const std::array<unsigned char, kCipherChunk> zeros{};
    // EVP's 16-byte IV: u32le block counter, then the 12-byte nonce (g, stream, 0). One context
    // runs through the whole range: consecutive updates continue the block counter.
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

bool IsValidShape(const ChallengeShape& s) {
    if (s.g < 1 || s.n < 1 || s.tile < 1 || s.n % s.tile != 0) return false;
    if (s.k % kBlockBytes != 0 || s.k < kMinK || s.k > kMaxK) return false;
    if (uint64_t{s.n} * s.k > kMaxMatrixBytes) return false;
    // G·n² cells must be countable in 64 bits (spot checks draw cell indices).
    return uint64_t{s.n} * s.n <= UINT64_MAX / s.g;
}

Hash256 ChallengeSeed(const Hash256& block_hash, const PubKey& device) {
    std::array<uint8_t, 64> buf;
    std::copy(block_hash.bytes.begin(), block_hash.bytes.end(), buf.begin());
    std::copy(device.bytes.begin(), device.bytes.end(), buf.begin() + 32);
    return TaggedHash(tags::kComputeSeed, buf);
}

void RowOfA(const Hash256& seed, const ChallengeShape& s, uint32_t g, uint32_t i,
            std::span<int8_t> out) {
    Segment(seed, s, g, i, kStreamA, out);
}

void ColumnOfB(const Hash256& seed, const ChallengeShape& s, uint32_t g, uint32_t j,
               std::span<int8_t> out) {
    Segment(seed, s, g, j, kStreamB, out);
}

int32_t ChallengeCell(const Hash256& seed, const ChallengeShape& s, uint32_t g, uint32_t i,
                      uint32_t j) {
    if (!IsValidShape(s)) throw std::invalid_argument("invalid compute challenge shape");
    std::vector<int8_t> row(s.k), col(s.k);
    RowOfA(seed, s, g, i, row);
    ColumnOfB(seed, s, g, j, col);
    return DotInt8(row, col);
}

int32_t DotInt8(std::span<const int8_t> a, std::span<const int8_t> b) {
    if (a.size() != b.size() || a.size() > kMaxK) {
        throw std::invalid_argument("DotInt8 needs equal lengths of at most 65,536");
    }
    // |a[t]*b[t]| <= 2^14 and t < 2^16, so |sum| <= 2^30 after every step: no overflow.
    int32_t sum = 0;
    for (size_t t = 0; t < a.size(); ++t) sum += int32_t{a[t]} * int32_t{b[t]};
    return sum;
}

Hash256 TileLeaf(uint32_t g, uint32_t tile_row, uint32_t tile_col, std::span<const int32_t> cells) {
    if (cells.empty()) throw std::invalid_argument("empty compute tile");
    std::vector<uint8_t> buf(12 + 4 * cells.size());
    PutU32Le(buf.data(), g);
    PutU32Le(buf.data() + 4, tile_row);
    PutU32Le(buf.data() + 8, tile_col);
    for (size_t c = 0; c < cells.size(); ++c) {
        PutU32Le(buf.data() + 12 + 4 * c, static_cast<uint32_t>(cells[c]));
    }
    return TaggedHash(tags::kComputeTile, buf);
}

uint64_t TileCount(const ChallengeShape& s) {
    if (!IsValidShape(s)) throw std::invalid_argument("invalid compute challenge shape");
    const uint64_t side = s.n / s.tile;
    return uint64_t{s.g} * side * side;
}

std::vector<Hash256> ComputeTileLeaves(const Hash256& seed, const ChallengeShape& s) {
    std::vector<Hash256> leaves;
    leaves.reserve(TileCount(s));  // validates the shape
    const size_t n = s.n, k = s.k, t = s.tile;
    std::vector<int8_t> a(n * k), b(n * k);  // A_g row-major, B_g column-major
    std::vector<int32_t> cells(t * t);
    for (uint32_t g = 0; g < s.g; ++g) {
        for (uint32_t i = 0; i < s.n; ++i) {
            RowOfA(seed, s, g, i, std::span<int8_t>(a).subspan(i * k, k));
            ColumnOfB(seed, s, g, i, std::span<int8_t>(b).subspan(i * k, k));
        }
        const std::span<const int8_t> av(a), bv(b);
        for (uint32_t tr = 0; tr < s.n / s.tile; ++tr) {
            for (uint32_t tc = 0; tc < s.n / s.tile; ++tc) {
                for (size_t r = 0; r < t; ++r) {
                    for (size_t c = 0; c < t; ++c) {
                        cells[r * t + c] = DotInt8(av.subspan((tr * t + r) * k, k),
                                                   bv.subspan((tc * t + c) * k, k));
                    }
                }
                leaves.push_back(TileLeaf(g, tr, tc, cells));
            }
        }
    }
    return leaves;
}

Hash256 TileNode(const Hash256& left, const Hash256& right) {
    std::array<uint8_t, 64> buf;
    std::copy(left.bytes.begin(), left.bytes.end(), buf.begin());
    std::copy(right.bytes.begin(), right.bytes.end(), buf.begin() + 32);
    return TaggedHash(tags::kComputeNode, buf);
}

namespace {

// The level above `level` in the tile tree: pairs hashed with TileNode, an odd last node carried.
std::vector<Hash256> LevelAbove(const std::vector<Hash256>& level) {
    std::vector<Hash256> next;
    next.reserve((level.size() + 1) / 2);
    for (size_t i = 0; i + 1 < level.size(); i += 2)
        next.push_back(TileNode(level[i], level[i + 1]));
    if (level.size() % 2 == 1) next.push_back(level.back());
    return next;
}

}  // namespace

Hash256 TileRoot(const std::vector<Hash256>& leaves) {
    if (leaves.empty()) return Hash256::Zero();
    std::vector<Hash256> level = leaves;
    while (level.size() > 1) level = LevelAbove(level);
    return level[0];
}

std::vector<Hash256> TilePath(const std::vector<Hash256>& leaves, size_t index) {
    if (index >= leaves.size()) throw std::invalid_argument("tile path index out of range");
    std::vector<Hash256> path;
    std::vector<Hash256> level = leaves;
    while (level.size() > 1) {
        const size_t sibling = index ^ 1;
        if (sibling < level.size()) path.push_back(level[sibling]);  // else carried up
        level = LevelAbove(level);
        index /= 2;
    }
    return path;
}

size_t TilePathLength(uint64_t index, uint64_t leaf_count) {
    size_t length = 0;
    for (uint64_t width = leaf_count; width > 1; width = (width + 1) / 2, index /= 2) {
        if ((index ^ 1) < width) ++length;
    }
    return length;
}

bool VerifyTilePath(const Hash256& leaf, size_t index, size_t leaf_count,
                    std::span<const Hash256> path, const Hash256& root) {
    if (index >= leaf_count) return false;
    Hash256 cur = leaf;
    size_t used = 0;
    for (size_t width = leaf_count; width > 1; width = (width + 1) / 2, index /= 2) {
        if ((index ^ 1) >= width) continue;  // the odd last node, carried up unchanged
        if (used == path.size()) return false;
        const Hash256& sib = path[used++];
        cur = (index % 2 == 0) ? TileNode(cur, sib) : TileNode(sib, cur);
    }
    return used == path.size() && cur == root;
}

}  // namespace cairn::consensus::compute
