// The transactions Merkle root, including the CVE-2012-2459 duplication case.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <set>
#include <vector>

#include "consensus/merkle.h"
#include "crypto/hash.h"

namespace cairn::consensus {
namespace {

Hash256 Id(uint64_t i) {
    Hash256 h;
    for (size_t b = 0; b < 8; ++b) h.bytes[b] = static_cast<uint8_t>(i >> (8 * b));
    h.bytes[31] = 0xa5;
    return h;
}

std::vector<Hash256> Ids(size_t n) {
    std::vector<Hash256> out;
    for (size_t i = 0; i < n; ++i) out.push_back(Id(i));
    return out;
}

Hash256 Leaf(const Hash256& id) {
    return TaggedHash(tags::kMerkleLeaf, id.bytes);
}

Hash256 Node(const Hash256& l, const Hash256& r) {
    std::array<uint8_t, 64> buf;
    std::copy(l.bytes.begin(), l.bytes.end(), buf.begin());
    std::copy(r.bytes.begin(), r.bytes.end(), buf.begin() + 32);
    return TaggedHash(tags::kMerkleNode, buf);
}

TEST(MerkleTest, EmptyRootIsZero) {
    EXPECT_EQ(ComputeMerkleRoot({}), Hash256::Zero());
}

TEST(MerkleTest, SingleLeafIsTaggedLeafHash) {
    Hash256 a = Id(1);
    EXPECT_EQ(ComputeMerkleRoot({a}), Leaf(a));
    EXPECT_NE(ComputeMerkleRoot({a}), a);
    // Even the all-zero txid gets a non-zero root, distinct from the empty list's.
    EXPECT_NE(ComputeMerkleRoot({Hash256::Zero()}), Hash256::Zero());
}

TEST(MerkleTest, TreeShape) {
    auto ids = Ids(5);
    Hash256 la = Leaf(ids[0]), lb = Leaf(ids[1]), lc = Leaf(ids[2]), ld = Leaf(ids[3]),
            le = Leaf(ids[4]);
    EXPECT_EQ(ComputeMerkleRoot(Ids(2)), Node(la, lb));
    // An odd node is carried up unchanged, not paired with itself.
    EXPECT_EQ(ComputeMerkleRoot(Ids(3)), Node(Node(la, lb), lc));
    EXPECT_EQ(ComputeMerkleRoot(Ids(4)), Node(Node(la, lb), Node(lc, ld)));
    EXPECT_EQ(ComputeMerkleRoot(ids), Node(Node(Node(la, lb), Node(lc, ld)), le));
}

TEST(MerkleTest, RootDependsOnOrder) {
    auto ids = Ids(4);
    Hash256 root = ComputeMerkleRoot(ids);
    std::swap(ids[0], ids[1]);
    EXPECT_NE(ComputeMerkleRoot(ids), root);
    auto ids3 = Ids(3);
    Hash256 root3 = ComputeMerkleRoot(ids3);
    std::swap(ids3[1], ids3[2]);
    EXPECT_NE(ComputeMerkleRoot(ids3), root3);
}

TEST(MerkleTest, Cve2012_2459DuplicatedTailDiffers) {
    auto ids = Ids(3);
    std::vector<Hash256> dup = ids;
    dup.push_back(ids[2]);
    EXPECT_NE(ComputeMerkleRoot(ids), ComputeMerkleRoot(dup));

    for (size_t n = 1; n <= 40; ++n) {
        auto list = Ids(n);
        Hash256 root = ComputeMerkleRoot(list);
        auto with_dup = list;
        with_dup.push_back(list.back());
        EXPECT_NE(root, ComputeMerkleRoot(with_dup)) << "n=" << n;
        // Bitcoin's other variant: duplicating the last two (a whole odd subtree pair).
        if (n >= 2) {
            auto dup2 = list;
            dup2.push_back(list[n - 2]);
            dup2.push_back(list[n - 1]);
            EXPECT_NE(root, ComputeMerkleRoot(dup2)) << "n=" << n;
        }
    }
}

TEST(MerkleTest, EveryPrefixHasADistinctRoot) {
    auto ids = Ids(40);
    std::set<Hash256> roots;
    for (size_t n = 0; n <= ids.size(); ++n) {
        std::vector<Hash256> prefix(ids.begin(), ids.begin() + static_cast<long>(n));
        EXPECT_TRUE(roots.insert(ComputeMerkleRoot(prefix)).second) << "n=" << n;
    }
}

TEST(MerkleTest, InnerNodeAsTxidGivesDifferentRoot) {
    auto ids = Ids(4);
    Hash256 n01 = Node(Leaf(ids[0]), Leaf(ids[1]));
    Hash256 n23 = Node(Leaf(ids[2]), Leaf(ids[3]));
    Hash256 root = ComputeMerkleRoot(ids);
    ASSERT_EQ(root, Node(n01, n23));
    // A list whose elements are the inner nodes of another list.
    EXPECT_NE(ComputeMerkleRoot({n01, n23}), root);
    EXPECT_NE(ComputeMerkleRoot({root}), root);
    EXPECT_NE(ComputeMerkleRoot({n01}), ComputeMerkleRoot(Ids(2)));
    // Same with a carried-up odd node: [a,b,c] has inner node n01 next to leaf(c).
    auto ids3 = Ids(3);
    EXPECT_NE(ComputeMerkleRoot({n01, ids3[2]}), ComputeMerkleRoot(ids3));
    // A leaf hash used as a txid is hashed again, not taken as the leaf.
    EXPECT_NE(ComputeMerkleRoot({Leaf(ids[0]), Leaf(ids[1])}), ComputeMerkleRoot(Ids(2)));
}

}  // namespace
}  // namespace cairn::consensus
