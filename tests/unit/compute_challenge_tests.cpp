// Proof-of-compute challenge: shapes, keystream layout, exact int8 dot products, tile Merkle
// paths, and test vectors pinning the specification.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <iostream>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "compute_test_util.h"
#include "consensus/compute/challenge.h"
#include "crypto/hash.h"
#include "crypto/keys.h"
#include "util/strencodings.h"

namespace cairn::consensus::compute {
namespace {

Hash256 Filled(uint8_t b) {
    Hash256 h;
    h.bytes.fill(b);
    return h;
}

PubKey TestDevice() {
    std::array<uint8_t, 32> sk_bytes;
    sk_bytes.fill(0x01);
    return SecretKey::FromBytes(sk_bytes).value().GetPubKey();
}

std::vector<int8_t> Row(const Hash256& seed, const ChallengeShape& s, uint32_t g, uint32_t i) {
    std::vector<int8_t> v(s.k);
    RowOfA(seed, s, g, i, v);
    return v;
}

std::vector<int8_t> Col(const Hash256& seed, const ChallengeShape& s, uint32_t g, uint32_t j) {
    std::vector<int8_t> v(s.k);
    ColumnOfB(seed, s, g, j, v);
    return v;
}

std::string Hex8(const std::vector<int8_t>& v) {
    std::vector<uint8_t> b(v.begin(), v.begin() + 8);
    return HexStr(b);
}

std::vector<Hash256> Leaves(size_t count) {
    std::vector<Hash256> leaves;
    for (size_t i = 0; i < count; ++i) {
        const std::array<int32_t, 4> cells = {static_cast<int32_t>(i), -1, 2, -3};
        leaves.push_back(TileLeaf(static_cast<uint32_t>(i), 0, 0, cells));
    }
    return leaves;
}

TEST(ComputeChallengeShape, Edges) {
    EXPECT_TRUE(IsValidShape({1, 1, 64, 1}));
    EXPECT_TRUE(IsValidShape({4, 16, 128, 4}));
    EXPECT_TRUE(IsValidShape({1, 8, 65'536, 8}));
    EXPECT_FALSE(IsValidShape({0, 8, 64, 4}));                   // g
    EXPECT_FALSE(IsValidShape({1, 0, 64, 1}));                   // n
    EXPECT_FALSE(IsValidShape({1, 8, 64, 0}));                   // tile
    EXPECT_FALSE(IsValidShape({1, 8, 64, 3}));                   // tile does not divide n
    EXPECT_FALSE(IsValidShape({1, 8, 64, 16}));                  // tile > n
    EXPECT_FALSE(IsValidShape({1, 8, 0, 4}));                    // k
    EXPECT_FALSE(IsValidShape({1, 8, 32, 4}));                   // k < 64
    EXPECT_FALSE(IsValidShape({1, 8, 96, 4}));                   // k % 64
    EXPECT_FALSE(IsValidShape({1, 8, 65'600, 4}));               // k > 2^16 (a multiple of 64)
    EXPECT_TRUE(IsValidShape({1, 1u << 22, 65'536, 1}));         // n*k == 2^38
    EXPECT_FALSE(IsValidShape({1, (1u << 22) + 1, 65'536, 1}));  // n*k > 2^38
    EXPECT_TRUE(IsValidShape({1, 1u << 31, 128, 1}));            // n*k == 2^38
    EXPECT_FALSE(IsValidShape({1, 1u << 31, 192, 1}));
    EXPECT_FALSE(IsValidShape({1, std::numeric_limits<uint32_t>::max(), 65'536, 1}));
    EXPECT_EQ(TileCount({3, 16, 64, 4}), 3u * 16u);
    EXPECT_THROW(TileCount({3, 16, 64, 5}), std::invalid_argument);
}

TEST(ComputeChallengeStream, DeterministicAndDistinct) {
    const ChallengeShape s{3, 8, 128, 4};
    const Hash256 seed = ChallengeSeed(Filled(0x11), TestDevice());
    const Hash256 seed2 = ChallengeSeed(Filled(0x12), TestDevice());
    EXPECT_NE(seed, seed2);
    EXPECT_EQ(Row(seed, s, 1, 2), Row(seed, s, 1, 2));
    EXPECT_EQ(Col(seed, s, 1, 2), Col(seed, s, 1, 2));
    EXPECT_NE(Row(seed, s, 1, 2), Col(seed, s, 1, 2));  // A vs B
    EXPECT_NE(Row(seed, s, 1, 2), Row(seed, s, 2, 2));  // g
    EXPECT_NE(Col(seed, s, 1, 2), Col(seed, s, 0, 2));
    EXPECT_NE(Row(seed, s, 1, 2), Row(seed, s, 1, 3));   // i
    EXPECT_NE(Col(seed, s, 1, 2), Col(seed, s, 1, 3));   // j
    EXPECT_NE(Row(seed, s, 1, 2), Row(seed2, s, 1, 2));  // seed
    EXPECT_NE(Col(seed, s, 1, 2), Col(seed2, s, 1, 2));
    // A row depends on k but not on n or G.
    EXPECT_EQ(Row(seed, s, 1, 2), Row(seed, {5, 64, 128, 1}, 1, 2));
    // Preconditions.
    std::vector<int8_t> out(s.k);
    EXPECT_THROW(RowOfA(seed, s, 3, 0, out), std::invalid_argument);
    EXPECT_THROW(RowOfA(seed, s, 0, 8, out), std::invalid_argument);
    EXPECT_THROW(ColumnOfB(seed, s, 0, 8, out), std::invalid_argument);
    EXPECT_THROW(RowOfA(seed, {3, 8, 96, 4}, 0, 0, out), std::invalid_argument);
    std::vector<int8_t> short_out(s.k - 1);
    EXPECT_THROW(RowOfA(seed, s, 0, 0, short_out), std::invalid_argument);
}

TEST(ComputeChallengeStream, RowsAndColumnsAreSlicesOfOneStream) {
    const ChallengeShape s{2, 16, 128, 4};
    const Hash256 seed = ChallengeSeed(Filled(0x11), TestDevice());
    for (uint32_t g = 0; g < s.g; ++g) {
        const std::vector<int8_t> a = test::RawChaChaStream(seed, 0, g, 0, size_t{s.n} * s.k);
        const std::vector<int8_t> b = test::RawChaChaStream(seed, 0, g, 1, size_t{s.n} * s.k);
        for (uint32_t i = 0; i < s.n; ++i) {
            const std::vector<int8_t> row(a.begin() + i * s.k, a.begin() + (i + 1) * s.k);
            const std::vector<int8_t> col(b.begin() + i * s.k, b.begin() + (i + 1) * s.k);
            EXPECT_EQ(Row(seed, s, g, i), row) << "g=" << g << " i=" << i;
            EXPECT_EQ(Col(seed, s, g, i), col) << "g=" << g << " j=" << i;
        }
    }
}

TEST(ComputeChallengeStream, LastRowOfLargestShapeUsesTheLastCounter) {
    // n*k == 2^38: the last row ends at block 2^32 - 1, the counter's last value; no wrap.
    const ChallengeShape s{1, 1u << 22, 65'536, 1};
    const Hash256 seed = ChallengeSeed(Filled(0x11), TestDevice());
    const std::vector<int8_t> row = Row(seed, s, 0, s.n - 1);
    const std::vector<int8_t> first = test::RawChaChaStream(seed, 0xFFFF'FC00u, 0, 0, 64);
    const std::vector<int8_t> last = test::RawChaChaStream(seed, 0xFFFF'FFFFu, 0, 0, 64);
    EXPECT_TRUE(std::equal(first.begin(), first.end(), row.begin()));
    EXPECT_TRUE(std::equal(last.begin(), last.end(), row.end() - 64));
}

TEST(ComputeChallengeCell, MatchesNaiveGemm) {
    const ChallengeShape s{2, 16, 128, 4};
    const Hash256 seed = ChallengeSeed(Filled(0x11), TestDevice());
    for (uint32_t g = 0; g < s.g; ++g) {
        const std::vector<int8_t> a =
            test::RawChaChaStream(seed, 0, g, 0, size_t{s.n} * s.k);  // row-major
        const std::vector<int8_t> b =
            test::RawChaChaStream(seed, 0, g, 1, size_t{s.n} * s.k);  // column-major
        for (uint32_t i = 0; i < s.n; ++i) {
            for (uint32_t j = 0; j < s.n; ++j) {
                int64_t ref = 0;
                for (uint32_t t = 0; t < s.k; ++t) {
                    ref += int64_t{a[size_t{i} * s.k + t]} * int64_t{b[size_t{j} * s.k + t]};
                }
                EXPECT_EQ(int64_t{ChallengeCell(seed, s, g, i, j)}, ref)
                    << "g=" << g << " i=" << i << " j=" << j;
            }
        }
    }
}

TEST(ComputeChallengeCell, TileLeavesMatchCells) {
    const ChallengeShape s{2, 8, 64, 4};
    const Hash256 seed = ChallengeSeed(Filled(0x11), TestDevice());
    const std::vector<Hash256> leaves = ComputeTileLeaves(seed, s);
    ASSERT_EQ(leaves.size(), TileCount(s));
    size_t index = 0;
    for (uint32_t g = 0; g < s.g; ++g) {
        for (uint32_t tr = 0; tr < 2; ++tr) {
            for (uint32_t tc = 0; tc < 2; ++tc) {
                std::vector<int32_t> cells;
                for (uint32_t r = 0; r < 4; ++r) {
                    for (uint32_t c = 0; c < 4; ++c) {
                        cells.push_back(ChallengeCell(seed, s, g, tr * 4 + r, tc * 4 + c));
                    }
                }
                EXPECT_EQ(leaves[index++], TileLeaf(g, tr, tc, cells));
            }
        }
    }
}

TEST(ComputeChallengeDot, ExtremeBoundIsExact) {
    const std::vector<int8_t> min(65'536, -128), max(65'536, 127);
    EXPECT_EQ(DotInt8(min, min), int32_t{1} << 30);
    EXPECT_EQ(DotInt8(min, max), -128 * 127 * 65'536);
    EXPECT_EQ(DotInt8(max, max), 127 * 127 * 65'536);
    EXPECT_EQ(DotInt8({}, {}), 0);
    const std::vector<int8_t> too_long(65'537, 1), shorter(10, 1);
    EXPECT_THROW(DotInt8(too_long, too_long), std::invalid_argument);
    EXPECT_THROW(DotInt8(min, shorter), std::invalid_argument);
}

TEST(ComputeChallengeMerkle, LeafEncoding) {
    const std::array<int32_t, 4> cells = {1, -1, 0x01020304, std::numeric_limits<int32_t>::min()};
    std::vector<uint8_t> expect = {7, 0, 0,    0,    2,    0,    0, 0, 3, 0, 0, 0, 1, 0,
                                   0, 0, 0xff, 0xff, 0xff, 0xff, 4, 3, 2, 1, 0, 0, 0, 0x80};
    EXPECT_EQ(TileLeaf(7, 2, 3, cells), TaggedHash("Cairn/ComputeTile", expect));
    EXPECT_NE(TileLeaf(7, 2, 3, cells), TileLeaf(7, 3, 2, cells));
    EXPECT_THROW(TileLeaf(0, 0, 0, {}), std::invalid_argument);
}

TEST(ComputeChallengeMerkle, RootShape) {
    EXPECT_EQ(TileRoot({}), Hash256::Zero());
    const std::vector<Hash256> l = Leaves(3);
    EXPECT_EQ(TileRoot({l[0]}), l[0]);
    std::array<uint8_t, 64> buf;
    std::copy(l[0].bytes.begin(), l[0].bytes.end(), buf.begin());
    std::copy(l[1].bytes.begin(), l[1].bytes.end(), buf.begin() + 32);
    const Hash256 n01 = TaggedHash("Cairn/ComputeNode", buf);
    EXPECT_EQ(TileRoot({l[0], l[1]}), n01);
    // Three leaves: the odd third is carried up, not duplicated.
    std::copy(n01.bytes.begin(), n01.bytes.end(), buf.begin());
    std::copy(l[2].bytes.begin(), l[2].bytes.end(), buf.begin() + 32);
    EXPECT_EQ(TileRoot(l), TaggedHash("Cairn/ComputeNode", buf));
    EXPECT_NE(TileRoot(l), TileRoot({l[0], l[1], l[2], l[2]}));
}

TEST(ComputeChallengeMerkle, PathsVerifyAndRejectTampering) {
    for (size_t count = 1; count <= 17; ++count) {
        const std::vector<Hash256> leaves = Leaves(count);
        const Hash256 root = TileRoot(leaves);
        for (size_t i = 0; i < count; ++i) {
            const std::vector<Hash256> path = TilePath(leaves, i);
            SCOPED_TRACE(testing::Message() << "count=" << count << " index=" << i);
            EXPECT_TRUE(VerifyTilePath(leaves[i], i, count, path, root));
            // Wrong leaf.
            const Hash256 other = leaves[(i + 1) % count];
            if (count > 1) {
                EXPECT_FALSE(VerifyTilePath(other, i, count, path, root));
            }
            EXPECT_FALSE(VerifyTilePath(Filled(0x5a), i, count, path, root));
            // Wrong index.
            for (size_t j = 0; j < count; ++j) {
                if (j != i) {
                    EXPECT_FALSE(VerifyTilePath(leaves[i], j, count, path, root));
                }
            }
            EXPECT_FALSE(VerifyTilePath(leaves[i], count, count, path, root));
            // Wrong sibling, missing sibling, extra sibling.
            for (size_t p = 0; p < path.size(); ++p) {
                std::vector<Hash256> bad = path;
                bad[p].bytes[0] ^= 1;
                EXPECT_FALSE(VerifyTilePath(leaves[i], i, count, bad, root));
            }
            if (!path.empty()) {
                const std::span<const Hash256> shorter(path.data(), path.size() - 1);
                EXPECT_FALSE(VerifyTilePath(leaves[i], i, count, shorter, root));
            }
            std::vector<Hash256> longer = path;
            longer.push_back(root);
            EXPECT_FALSE(VerifyTilePath(leaves[i], i, count, longer, root));
            // Wrong leaf_count: 0, and any count whose tree gives this index a different path
            // shape (the root alone does not commit to the count; verifiers take it from the
            // shape).
            EXPECT_FALSE(VerifyTilePath(leaves[i], i, 0, path, root));
            for (size_t wrong = i + 1; wrong <= 40; ++wrong) {
                if (wrong == count) continue;
                const std::vector<Hash256> other_path = TilePath(Leaves(wrong), i);
                if (other_path.size() != path.size()) {
                    EXPECT_FALSE(VerifyTilePath(leaves[i], i, wrong, path, root)) << wrong;
                }
            }
        }
    }
    // Concrete wrong-count cases: leaf 4 of 5 is carried up twice (one sibling).
    const std::vector<Hash256> five = Leaves(5);
    const std::vector<Hash256> path = TilePath(five, 4);
    ASSERT_EQ(path.size(), 1u);
    EXPECT_TRUE(VerifyTilePath(five[4], 4, 5, path, TileRoot(five)));
    EXPECT_FALSE(VerifyTilePath(five[4], 4, 6, path, TileRoot(five)));
    EXPECT_FALSE(VerifyTilePath(five[4], 4, 8, path, TileRoot(five)));
    EXPECT_FALSE(VerifyTilePath(five[4], 4, 4, path, TileRoot(five)));
    EXPECT_THROW(TilePath(five, 5), std::invalid_argument);
}

TEST(ComputeChallengeVectors, Pinned) {
    const PubKey device = TestDevice();
    const Hash256 seed = ChallengeSeed(Filled(0x11), device);
    const ChallengeShape s{1, 8, 64, 4};
    const std::string row = Hex8(Row(seed, s, 0, 0));
    const std::string col = Hex8(Col(seed, s, 0, 0));
    const int32_t cell = ChallengeCell(seed, s, 0, 0, 0);
    const std::vector<Hash256> leaves = ComputeTileLeaves(seed, s);
    const Hash256 root = TileRoot(leaves);
    std::cout << "compute challenge vectors: block hash 11..11, device sk 01..01\n"
              << "  device pubkey    " << device.Hex() << "\n"
              << "  seed             " << seed.Hex() << "\n"
              << "  shape            {g=1, n=8, k=64, tile=4}\n"
              << "  RowOfA(0,0)[0:8] " << row << "\n"
              << "  ColOfB(0,0)[0:8] " << col << "\n"
              << "  C_0[0][0]        " << cell << "\n"
              << "  tile root        " << root.Hex() << "\n";
    // Cross-checked against an independent pure-Python ChaCha20 (RFC 8439) + SHA-256.
    EXPECT_EQ(device.Hex(), "1b84c5567b126440995d3ed5aaba0565d71e1834604819ff9c17f5e9d5dd078f");
    EXPECT_EQ(seed.Hex(), "71d27af106ebe296a39680d99e77c1792bac988a814c396d5908225e510a3278");
    EXPECT_EQ(row, "1c3dbff8fce14a6c");
    EXPECT_EQ(col, "ab8252516bc95f81");
    EXPECT_EQ(cell, 22297);
    EXPECT_EQ(root.Hex(), "79fb7185f0d8ea4aba7c92f814d6798ec4e257f83f5920dbde197a21ab19d198");
}

}  // namespace
}  // namespace cairn::consensus::compute
