// Proof-of-compute challenge: G int8 matrix products C_g = A_g · B_g per device, derived from a
// per-device seed, and the Merkle commitment over their output tiles.
//
// A device proves work by computing, for g in [0, G), C_g = A_g · B_g with A_g n×k and B_g k×n,
// signed 8-bit entries and int32 accumulation, and committing to the outputs tile by tile.
// Validators later recompute a few output cells on CPU: C_g[i][j] needs only row i of A_g and
// column j of B_g, each regenerated from the seed in O(k) without the rest of the matrices.
//
// Keystream layout. Every matrix comes from ChaCha20 with key = seed:
//   A_g: nonce (u32le g, u32le 0, u32le 0), row-major: row i is bytes [i*k, (i+1)*k);
//   B_g: nonce (u32le g, u32le 1, u32le 0), column-major: column j is bytes [j*k, (j+1)*k).
// Each byte is an int8 (two's complement). Why row-major A and column-major B: both a row of A
// and a column of B are then ONE contiguous keystream segment, so a validator generates exactly
// the k bytes it needs (starting the block counter at (i*k)/64, a block boundary since 64 | k),
// and it is the "TN" layout (both operands K-contiguous) that GPU int8 GEMMs (cuBLASLt IMMA,
// tensor cores) require, so provers multiply the generated buffers as they are.
//
// OpenSSL pitfall: EVP_chacha20's 16-byte IV is a 4-byte little-endian block counter followed by
// a 12-byte nonce, and when the 32-bit counter wraps OpenSSL carries into the first nonce word
// instead of wrapping (RFC 8439 would wrap). The shape bound n*k <= 2^38 keeps every block index
// of a matrix in [0, 2^32), so the counter never wraps and the question never arises.
//
// Exactness bound. Every product |a·b| <= 128·128 = 2^14 (int8 in [-128, 127]), so with
// k <= 65,536 = 2^16 every partial sum satisfies |sum| <= 2^14 · 2^16 = 2^30 < 2^31 - 1: the
// int32 accumulation is exact in ANY summation order (blocked, split-k, tensor-core tiles), so
// GPU and CPU results are bit-identical and a spot check is a plain equality.
//
// Output tiles. Product g's n×n output is split into (n/T)^2 tiles of T×T int32 cells, row-major
// inside the tile, each cell 4 little-endian bytes; tiles are ordered (g, tile_row, tile_col).
// leaf = TaggedHash("Cairn/ComputeTile", u32le g || u32le tile_row || u32le tile_col || cells),
// inner node = TaggedHash("Cairn/ComputeNode", left || right), with distinct tags so a leaf is
// never read as a node; an odd node at the end of a level is carried up unchanged (as in
// consensus/merkle.h, whose "Cairn/MerkleLeaf" leaf re-hash does not fit tile leaves).
//
// Pure and deterministic: integer arithmetic only, no I/O, clock or threads. Precondition
// violations (invalid shape, out-of-range index, wrong span size) throw std::invalid_argument.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "crypto/hash.h"
#include "crypto/keys.h"

namespace cairn::consensus::compute {

inline constexpr uint32_t kMinK = 64;
inline constexpr uint32_t kMaxK = 65'536;
// n*k bytes per matrix = at most 2^32 ChaCha20 blocks of 64 bytes: the counter never wraps.
inline constexpr uint64_t kMaxMatrixBytes = uint64_t{1} << 38;

struct ChallengeShape {
    uint32_t g = 0;     // number of products
    uint32_t n = 0;     // A is n×k, B is k×n, C is n×n
    uint32_t k = 0;     // inner dimension
    uint32_t tile = 0;  // output tile side T; T divides n
};

// Valid iff g >= 1, n >= 1, tile >= 1, n % tile == 0, k % 64 == 0, 64 <= k <= 65,536 (the
// exactness bound), n*k <= 2^38 (the keystream counter never wraps) and g*n² fits in 64 bits
// (cell indices).
bool IsValidShape(const ChallengeShape& s);

// seed = TaggedHash("Cairn/ComputeSeed", block hash at h0 || device key (32 bytes)).
Hash256 ChallengeSeed(const Hash256& block_hash, const PubKey& device);

// The two matrices' keystreams: A_g is stream kStreamA of product g, B_g stream kStreamB.
inline constexpr uint32_t kStreamA = 0;
inline constexpr uint32_t kStreamB = 1;

// out = bytes [offset, offset + out.size()) of the ChaCha20 keystream with key = seed and nonce
// (u32le g, u32le stream, 0): the whole of A_g (stream A) or B_g (stream B) as one byte range,
// which provers generate in bulk. REQUIRES offset % 64 == 0 and offset + out.size() <= 2^38 (the
// block counter never wraps); throws std::invalid_argument otherwise, std::runtime_error if
// OpenSSL fails.
void MatrixStream(const Hash256& seed, uint32_t g, uint32_t stream, uint64_t offset,
                  std::span<int8_t> out);

// Row i of A_g (out.size() == k); requires a valid shape, g < s.g and i < s.n.
void RowOfA(const Hash256& seed, const ChallengeShape& s, uint32_t g, uint32_t i,
            std::span<int8_t> out);
// Column j of B_g (out.size() == k); requires a valid shape, g < s.g and j < s.n.
void ColumnOfB(const Hash256& seed, const ChallengeShape& s, uint32_t g, uint32_t j,
               std::span<int8_t> out);

// C_g[i][j] from row i of A_g and column j of B_g alone: O(k) keystream and arithmetic.
int32_t ChallengeCell(const Hash256& seed, const ChallengeShape& s, uint32_t g, uint32_t i,
                      uint32_t j);

// Exact int32 dot product of two int8 vectors of equal length <= 65,536 (see the bound above).
int32_t DotInt8(std::span<const int8_t> a, std::span<const int8_t> b);

// The leaf of output tile (g, tile_row, tile_col); cells are its T×T cells, row-major, nonempty.
Hash256 TileLeaf(uint32_t g, uint32_t tile_row, uint32_t tile_col, std::span<const int32_t> cells);

// Number of tile leaves of a valid shape: g * (n/T)^2.
uint64_t TileCount(const ChallengeShape& s);

// The full reference computation (naive loops) of every tile leaf, in (g, tile_row, tile_col)
// order. O(g·n²·k): for tests and small tiers only.
std::vector<Hash256> ComputeTileLeaves(const Hash256& seed, const ChallengeShape& s);

// An inner node of the tile tree: TaggedHash("Cairn/ComputeNode", left || right).
Hash256 TileNode(const Hash256& left, const Hash256& right);

// The Merkle root over the leaves in order; all zeros for no leaves, the leaf itself for one.
Hash256 TileRoot(const std::vector<Hash256>& leaves);

// The sibling hashes, bottom-up, from leaf `index` to the root; a level where the node is the
// carried-up odd last one contributes no sibling. Requires index < leaves.size().
std::vector<Hash256> TilePath(const std::vector<Hash256>& leaves, size_t index);

// The number of siblings on the path of leaf `index` in a tree of `leaf_count` leaves (levels
// where the node is the carried-up odd last one have none). REQUIRES index < leaf_count.
size_t TilePathLength(uint64_t index, uint64_t leaf_count);

// True iff `path` leads from `leaf` at `index` in a tree of `leaf_count` leaves to `root`, with
// exactly as many siblings as that position needs. The root does not commit to leaf_count on
// its own: a verifier must take it from the shape (TileCount), never from the prover.
bool VerifyTilePath(const Hash256& leaf, size_t index, size_t leaf_count,
                    std::span<const Hash256> path, const Hash256& root);

}  // namespace cairn::consensus::compute
