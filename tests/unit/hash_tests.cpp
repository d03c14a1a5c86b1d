// SHA-256 known answers, BIP340-style tagged hashes and Hash256 hex handling.
#include <gtest/gtest.h>

#include <cctype>
#include <iterator>
#include <string>
#include <string_view>

#include "crypto/hash.h"
#include "util/strencodings.h"

namespace cairn {
namespace {

ByteSpan AsBytes(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

TEST(HashTest, Sha256KnownVectors) {
    // FIPS 180-2 examples.
    EXPECT_EQ(Sha256(AsBytes("")).Hex(),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(Sha256(AsBytes("abc")).Hex(),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(Sha256(AsBytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).Hex(),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const std::string million_a(1'000'000, 'a');
    EXPECT_EQ(Sha256(AsBytes(million_a)).Hex(),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(HashTest, TaggedHashMatchesDefinition) {
    const std::string_view tag = "Cairn/Test";
    const Bytes msg = {0x00, 0x01, 0x02, 0xfe, 0xff};

    // SHA256(SHA256(tag) || SHA256(tag) || m), assembled by hand.
    const Hash256 tag_hash = Sha256(AsBytes(tag));
    Bytes preimage;
    preimage.insert(preimage.end(), tag_hash.bytes.begin(), tag_hash.bytes.end());
    preimage.insert(preimage.end(), tag_hash.bytes.begin(), tag_hash.bytes.end());
    preimage.insert(preimage.end(), msg.begin(), msg.end());
    EXPECT_EQ(preimage.size(), 64u + msg.size());

    const Hash256 expected = Sha256(preimage);
    EXPECT_EQ(TaggedHash(tag, msg), expected);

    // Empty message.
    Bytes empty_pre(tag_hash.bytes.begin(), tag_hash.bytes.end());
    empty_pre.insert(empty_pre.end(), tag_hash.bytes.begin(), tag_hash.bytes.end());
    EXPECT_EQ(TaggedHash(tag, {}), Sha256(empty_pre));

    // A tagged hash is not the plain hash of the message.
    EXPECT_NE(TaggedHash(tag, msg), Sha256(msg));
}

TEST(HashTest, DifferentTagsGiveDifferentHashes) {
    const Bytes msg = {1, 2, 3, 4};
    const std::string_view all_tags[] = {
        tags::kTxId,       tags::kTxSig,     tags::kBlockHash, tags::kMerkleLeaf,
        tags::kMerkleNode, tags::kVote,      tags::kCommit,    tags::kValidatorSet,
        tags::kStateLeaf,  tags::kStateRoot, tags::kGenesis,
    };
    for (size_t i = 0; i < std::size(all_tags); ++i) {
        for (size_t j = i + 1; j < std::size(all_tags); ++j) {
            EXPECT_NE(all_tags[i], all_tags[j]);
            EXPECT_NE(TaggedHash(all_tags[i], msg), TaggedHash(all_tags[j], msg))
                << all_tags[i] << " vs " << all_tags[j];
        }
    }
    // Tags differing only in case are different tags.
    EXPECT_NE(TaggedHash("Cairn/TxId", msg), TaggedHash("cairn/txid", msg));
}

TEST(HashTest, Hash256HexRoundTrip) {
    const Hash256 h = Sha256(AsBytes("abc"));
    const std::string hex = h.Hex();
    ASSERT_EQ(hex.size(), 64u);
    auto parsed = Hash256::FromHex(hex);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, h);

    // Upper-case hex parses to the same value; Hex() always prints lower case.
    std::string upper = hex;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto parsed_upper = Hash256::FromHex(upper);
    ASSERT_TRUE(parsed_upper.has_value());
    EXPECT_EQ(*parsed_upper, h);
    EXPECT_EQ(parsed_upper->Hex(), hex);

    // Byte order is not reversed: the first byte prints first.
    Hash256 one;
    one.bytes[0] = 0x01;
    one.bytes[31] = 0xab;
    EXPECT_EQ(one.Hex(), "01000000000000000000000000000000000000000000000000000000000000ab");
    EXPECT_EQ(Hash256::FromHex(one.Hex()), one);
}

TEST(HashTest, Hash256FromHexRejectsBadInput) {
    const std::string good(64, 'a');
    ASSERT_TRUE(Hash256::FromHex(good).has_value());
    EXPECT_FALSE(Hash256::FromHex("").has_value());
    EXPECT_FALSE(Hash256::FromHex(std::string(62, 'a')).has_value());
    EXPECT_FALSE(Hash256::FromHex(std::string(63, 'a')).has_value());
    EXPECT_FALSE(Hash256::FromHex(std::string(65, 'a')).has_value());
    EXPECT_FALSE(Hash256::FromHex(std::string(66, 'a')).has_value());
    EXPECT_FALSE(Hash256::FromHex(std::string(128, 'a')).has_value());
    EXPECT_FALSE(Hash256::FromHex("0x" + std::string(62, 'a')).has_value());
    EXPECT_FALSE(Hash256::FromHex(" " + std::string(63, 'a')).has_value());
    for (char bad : {'g', 'G', 'z', ' ', '-', '+', '\0', 'x'}) {
        for (size_t pos : {size_t{0}, size_t{31}, size_t{63}}) {
            std::string s = good;
            s[pos] = bad;
            EXPECT_FALSE(Hash256::FromHex(s).has_value()) << "char " << int(bad) << " at " << pos;
        }
    }
}

TEST(HashTest, Hash256ZeroAndOrdering) {
    EXPECT_TRUE(Hash256::Zero().IsZero());
    EXPECT_EQ(Hash256::Zero().Hex(), std::string(64, '0'));
    Hash256 h;
    EXPECT_TRUE(h.IsZero());
    h.bytes[31] = 1;
    EXPECT_FALSE(h.IsZero());
    EXPECT_LT(Hash256::Zero(), h);
    Hash256 g;
    g.bytes[0] = 1;
    EXPECT_LT(h, g);  // lexicographic over bytes, first byte most significant
    EXPECT_FALSE(Sha256(AsBytes("")).IsZero());
}

}  // namespace
}  // namespace cairn
