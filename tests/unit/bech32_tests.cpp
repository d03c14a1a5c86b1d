// Bech32 / Bech32m strings (BIP173, BIP350 test vectors) and Cairn addresses.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bech32.h"
#include "crypto/keys.h"
#include "primitives/address.h"
#include "primitives/network.h"
#include "util/strencodings.h"

namespace cairn {
namespace {

using bech32::DecodeError;
using bech32::Encoding;

std::string ToLower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}
std::string ToUpper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// Decode, then encode again with the same variant: the result is the lower-case input.
void ExpectValid(std::string_view str, Encoding expected) {
    SCOPED_TRACE(std::string(str));
    auto dec = bech32::Decode(str);
    ASSERT_TRUE(dec.has_value()) << bech32::DecodeErrorString(dec.error());
    EXPECT_EQ(dec->encoding, expected);
    const std::string lower = ToLower(std::string(str));
    EXPECT_EQ(dec->hrp, lower.substr(0, lower.rfind('1')));
    for (uint8_t d : dec->data) EXPECT_LT(d, 32);
    EXPECT_EQ(bech32::Encode(dec->encoding, dec->hrp, dec->data), lower);
}

// BIP173 "valid Bech32" vectors.
constexpr std::string_view kValidBech32[] = {
    "A12UEL5L",
    "a12uel5l",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "?1ezyfcl",
};

// BIP350 "valid Bech32m" vectors.
constexpr std::string_view kValidBech32m[] = {
    "A1LQFN3A",
    "a1lqfn3a",
    "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
    "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
    "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
    "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
    "?1v759aa",
};

TEST(Bech32Test, ValidBech32Vectors) {
    for (auto s : kValidBech32) ExpectValid(s, Encoding::kBech32);
}

TEST(Bech32Test, ValidBech32mVectors) {
    for (auto s : kValidBech32m) ExpectValid(s, Encoding::kBech32m);
}

TEST(Bech32Test, SpecificDecodings) {
    auto a = bech32::Decode("a12uel5l");
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->hrp, "a");
    EXPECT_TRUE(a->data.empty());

    // The data part "qpzry9x8gf2tvdw0s3jn54khce6mua7l" is the charset itself: values 0..31.
    auto b = bech32::Decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw");
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->hrp, "abcdef");
    ASSERT_EQ(b->data.size(), 32u);
    for (size_t i = 0; i < 32; ++i) EXPECT_EQ(b->data[i], i);

    // Upper-case input gives a lower-case hrp.
    auto c = bech32::Decode("A1LQFN3A");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->hrp, "a");
}

struct InvalidCase {
    std::string str;
    DecodeError error;
};

TEST(Bech32Test, InvalidBech32mVectors) {
    // BIP350 "not valid Bech32m" strings, each with the error our decoder reports.
    const InvalidCase cases[] = {
        {std::string("\x20") + "1xj0phk", DecodeError::kInvalidCharacter},
        {std::string("\x7f") + "1g6xzxy", DecodeError::kInvalidCharacter},
        {std::string("\x80") + "1vctc34", DecodeError::kInvalidCharacter},
        {"an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pt"
         "s4",
         DecodeError::kInvalidLength},
        {"qyrz8wqd2c9m", DecodeError::kNoSeparator},
        {"1qyrz8wqd2c9m", DecodeError::kNoSeparator},  // empty HRP
        {"y1b0jsk6g", DecodeError::kInvalidCharacter},
        {"lt1igcx5c0", DecodeError::kInvalidCharacter},
        {"in1muywd", DecodeError::kInvalidLength},  // checksum too short
        {"mm1crxm3i", DecodeError::kInvalidCharacter},
        {"au1s5cgom", DecodeError::kInvalidCharacter},
        {"M1VUXWEZ", DecodeError::kBadChecksum},   // checksum over the upper-case HRP
        {"16plkw9", DecodeError::kInvalidLength},  // empty HRP, and only 7 characters
        {"1p2gdwpf", DecodeError::kNoSeparator},   // empty HRP
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.str);
        auto dec = bech32::Decode(c.str);
        ASSERT_FALSE(dec.has_value());
        EXPECT_EQ(dec.error(), c.error);
    }
}

TEST(Bech32Test, InvalidBech32Vectors) {
    // BIP173 "not valid Bech32" strings.
    const InvalidCase cases[] = {
        {std::string("\x20") + "1nwldj5", DecodeError::kInvalidCharacter},
        {std::string("\x7f") + "1axkwrx", DecodeError::kInvalidCharacter},
        {std::string("\x80") + "1eym55h", DecodeError::kInvalidCharacter},
        {"an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569p"
         "vx",
         DecodeError::kInvalidLength},
        {"pzry9x0s0muk", DecodeError::kNoSeparator},
        {"1pzry9x0s0muk", DecodeError::kNoSeparator},
        {"x1b4n0q5v", DecodeError::kInvalidCharacter},
        {"li1dgmt3", DecodeError::kInvalidLength},
        {std::string("de1lg7wt") + "\xff", DecodeError::kInvalidCharacter},
        {"A1G7SGD8", DecodeError::kBadChecksum},
        {"10a06t8", DecodeError::kInvalidLength},
        {"1qzzfhee", DecodeError::kNoSeparator},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.str);
        auto dec = bech32::Decode(c.str);
        ASSERT_FALSE(dec.has_value());
        EXPECT_EQ(dec.error(), c.error);
    }
}

// Segwit addresses from BIP173/BIP350 decoded at the string level only: version and program
// length rules are segwit-specific and not implemented, so vectors that are invalid only for
// those reasons are skipped. What we can check: the checksum variant, and that the data
// regroups into the listed witness program.
struct SegwitCase {
    std::string_view address;
    Encoding encoding;
    std::string_view script_pubkey;  // version opcode, push length, program
};

TEST(Bech32Test, SegwitAddressesAtStringLevel) {
    const SegwitCase cases[] = {
        {"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", Encoding::kBech32,
         "0014751e76e8199196d454941c45d1b3a323f1433bd6"},
        {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", Encoding::kBech32,
         "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"},
        {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
         Encoding::kBech32m,
         "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"},
        {"BC1SW50QGDZ25J", Encoding::kBech32m, "6002751e"},
        {"bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", Encoding::kBech32m,
         "5210751e76e8199196d454941c45d1b3a323"},
        {"tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy", Encoding::kBech32,
         "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
        {"tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", Encoding::kBech32m,
         "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
        {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", Encoding::kBech32m,
         "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.address));
        auto dec = bech32::Decode(c.address);
        ASSERT_TRUE(dec.has_value());
        EXPECT_EQ(dec->encoding, c.encoding);
        ASSERT_FALSE(dec->data.empty());
        const uint8_t version = dec->data[0];
        std::vector<uint8_t> program;
        ASSERT_TRUE(
            bech32::ConvertBits({dec->data.begin() + 1, dec->data.end()}, 5, 8, false, program));
        auto spk = ParseHex(c.script_pubkey);
        ASSERT_TRUE(spk.has_value());
        const uint8_t expected_version = (*spk)[0] == 0 ? 0 : (*spk)[0] - 0x50;
        EXPECT_EQ(version, expected_version);
        EXPECT_EQ((*spk)[1], program.size());
        EXPECT_EQ(Bytes(spk->begin() + 2, spk->end()), program);
    }

    // BIP350 invalid addresses that are decided at the string level.
    struct {
        std::string_view address;
        bool decodes;
        Encoding encoding;  // when it decodes: the (wrong) variant it carries
    } const invalid[] = {
        {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", true, Encoding::kBech32},
        {"tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf", true, Encoding::kBech32},
        {"BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL", true, Encoding::kBech32},
        {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", true, Encoding::kBech32m},
        {"tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47", true,
         Encoding::kBech32m},
        {"bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4", false, {}},
        {"tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq", false, {}},
        // BIP173: a plain checksum error.
        {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", false, {}},
    };
    for (const auto& c : invalid) {
        SCOPED_TRACE(std::string(c.address));
        auto dec = bech32::Decode(c.address);
        ASSERT_EQ(dec.has_value(), c.decodes);
        if (c.decodes) {
            EXPECT_EQ(dec->encoding, c.encoding);
        }
    }
    EXPECT_EQ(
        bech32::Decode("tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq").error(),
        DecodeError::kMixedCase);
    EXPECT_EQ(
        bech32::Decode("bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4").error(),
        DecodeError::kInvalidCharacter);
    EXPECT_EQ(bech32::Decode("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5").error(),
              DecodeError::kBadChecksum);
}

TEST(Bech32Test, NoStringIsBothVariants) {
    for (auto s : kValidBech32) {
        auto dec = bech32::Decode(s);
        ASSERT_TRUE(dec.has_value());
        EXPECT_NE(bech32::Encode(Encoding::kBech32m, dec->hrp, dec->data), ToLower(std::string(s)));
    }
}

TEST(Bech32Test, ConvertBits) {
    // 8 -> 5 with padding and back.
    const std::vector<uint8_t> bytes = {0x00, 0xff, 0x12, 0x34, 0x56};
    std::vector<uint8_t> five;
    ASSERT_TRUE(bech32::ConvertBits(bytes, 8, 5, true, five));
    EXPECT_EQ(five.size(), 8u);  // 40 bits exactly
    std::vector<uint8_t> back;
    ASSERT_TRUE(bech32::ConvertBits(five, 5, 8, false, back));
    EXPECT_EQ(back, bytes);

    // 32 bytes -> 52 groups (4 bits of padding) -> 32 bytes.
    std::vector<uint8_t> key(32, 0xa5);
    five.clear();
    ASSERT_TRUE(bech32::ConvertBits(key, 8, 5, true, five));
    EXPECT_EQ(five.size(), 52u);
    back.clear();
    ASSERT_TRUE(bech32::ConvertBits(five, 5, 8, false, back));
    EXPECT_EQ(back, key);

    // Non-zero padding is rejected.
    std::vector<uint8_t> bad = five;
    bad.back() |= 1;
    back.clear();
    EXPECT_FALSE(bech32::ConvertBits(bad, 5, 8, false, back));
    // A whole extra group of padding (5 bits or more) is rejected: 8 groups are 40 bits, 9 groups
    // leave 5 bits over after 5 bytes.
    std::vector<uint8_t> nine;
    ASSERT_TRUE(bech32::ConvertBits(bytes, 8, 5, true, nine));
    nine.push_back(0);
    back.clear();
    EXPECT_FALSE(bech32::ConvertBits(nine, 5, 8, false, back));
    // Out-of-range input value.
    back.clear();
    EXPECT_FALSE(bech32::ConvertBits({32}, 5, 8, false, back));
}

// ---------------------------------------------------------------------------------------------
// Addresses

PubKey TestKey(uint8_t seed) {
    std::array<uint8_t, 32> raw{};
    raw.fill(seed);
    auto sk = SecretKey::FromBytes(raw);
    EXPECT_TRUE(sk.has_value());
    return sk->GetPubKey();
}

constexpr Network kAllNetworks[] = {Network::kMain, Network::kTest, Network::kDevnet};

TEST(AddressTest, RoundTripEveryNetwork) {
    for (Network net : kAllNetworks) {
        const std::string hrp{GetNetworkInfo(net).hrp};
        for (uint8_t seed : {1, 2, 0x7f}) {
            const PubKey pk = TestKey(seed);
            const std::string addr = EncodeAddress(net, pk);
            SCOPED_TRACE(addr);
            EXPECT_EQ(addr.rfind(hrp + "1", 0), 0u);
            EXPECT_EQ(addr.size(), hrp.size() + 1 + 52 + 6);
            auto dec = DecodeAddress(net, addr);
            ASSERT_TRUE(dec.has_value()) << AddressErrorString(dec.error());
            EXPECT_EQ(*dec, pk);
            // The string is plain bech32m of the key bytes.
            auto raw = bech32::Decode(addr);
            ASSERT_TRUE(raw.has_value());
            EXPECT_EQ(raw->encoding, Encoding::kBech32m);
        }
    }
    EXPECT_EQ(GetNetworkInfo(Network::kMain).hrp, "cairn");
    EXPECT_EQ(GetNetworkInfo(Network::kTest).hrp, "tcairn");
    EXPECT_EQ(GetNetworkInfo(Network::kDevnet).hrp, "dcairn");
}

TEST(AddressTest, EveryMistypedCharacterIsABadChecksum) {
    constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    for (Network net : kAllNetworks) {
        const std::string addr = EncodeAddress(net, TestKey(3));
        const size_t sep = addr.rfind('1');
        // Every data/checksum character replaced by every other charset character.
        for (size_t pos = sep + 1; pos < addr.size(); ++pos) {
            for (char c : kCharset) {
                if (c == addr[pos]) continue;
                std::string typo = addr;
                typo[pos] = c;
                auto dec = DecodeAddress(net, typo);
                ASSERT_FALSE(dec.has_value()) << typo;
                EXPECT_EQ(dec.error(), AddressError::kBadChecksum) << typo;
            }
        }
        // A typo in the prefix is caught by the checksum too.
        std::string typo = addr;
        typo[0] = typo[0] == 'c' ? 'x' : 'c';
        auto dec = DecodeAddress(net, typo);
        ASSERT_FALSE(dec.has_value());
        EXPECT_EQ(dec.error(), AddressError::kBadChecksum);
    }
}

TEST(AddressTest, WrongNetwork) {
    const PubKey pk = TestKey(4);
    for (Network from : kAllNetworks) {
        for (Network to : kAllNetworks) {
            auto dec = DecodeAddress(to, EncodeAddress(from, pk));
            if (from == to) {
                EXPECT_TRUE(dec.has_value());
            } else {
                ASSERT_FALSE(dec.has_value());
                EXPECT_EQ(dec.error(), AddressError::kWrongNetwork);
            }
        }
    }
    // A valid bech32m string with an unrelated prefix.
    std::vector<uint8_t> data5;
    ASSERT_TRUE(bech32::ConvertBits({pk.bytes.begin(), pk.bytes.end()}, 8, 5, true, data5));
    auto dec = DecodeAddress(Network::kMain, bech32::Encode(Encoding::kBech32m, "bc", data5));
    ASSERT_FALSE(dec.has_value());
    EXPECT_EQ(dec.error(), AddressError::kWrongNetwork);
}

TEST(AddressTest, Bech32IsNotBech32m) {
    const PubKey pk = TestKey(5);
    std::vector<uint8_t> data5;
    ASSERT_TRUE(bech32::ConvertBits({pk.bytes.begin(), pk.bytes.end()}, 8, 5, true, data5));
    for (Network net : kAllNetworks) {
        const std::string addr = bech32::Encode(Encoding::kBech32, GetNetworkInfo(net).hrp, data5);
        auto dec = DecodeAddress(net, addr);
        ASSERT_FALSE(dec.has_value());
        EXPECT_EQ(dec.error(), AddressError::kNotBech32m);
    }
}

TEST(AddressTest, CaseHandling) {
    const PubKey pk = TestKey(6);
    for (Network net : kAllNetworks) {
        const std::string addr = EncodeAddress(net, pk);
        // Encoders produce lower case.
        EXPECT_EQ(addr, ToLower(addr));
        // The whole address in upper case is accepted.
        auto upper = DecodeAddress(net, ToUpper(addr));
        ASSERT_TRUE(upper.has_value());
        EXPECT_EQ(*upper, pk);
        // Mixed case is rejected, wherever the odd character is.
        for (size_t pos : {size_t{0}, addr.size() / 2, addr.size() - 1}) {
            std::string mixed = addr;
            // Flip the nearest letter at or before pos.
            size_t p = pos;
            while (p > 0 && !std::isalpha(static_cast<unsigned char>(mixed[p]))) --p;
            ASSERT_TRUE(std::isalpha(static_cast<unsigned char>(mixed[p])));
            mixed[p] = static_cast<char>(std::toupper(static_cast<unsigned char>(mixed[p])));
            auto dec = DecodeAddress(net, mixed);
            ASSERT_FALSE(dec.has_value()) << mixed;
            EXPECT_EQ(dec.error(), AddressError::kBadEncoding) << mixed;
        }
    }
}

TEST(AddressTest, MalformedPayloads) {
    // 31 bytes of payload.
    std::vector<uint8_t> data5;
    ASSERT_TRUE(bech32::ConvertBits(std::vector<uint8_t>(31, 0x11), 8, 5, true, data5));
    auto dec = DecodeAddress(Network::kMain, bech32::Encode(Encoding::kBech32m, "cairn", data5));
    ASSERT_FALSE(dec.has_value());
    EXPECT_EQ(dec.error(), AddressError::kBadLength);

    // 33 bytes of payload.
    data5.clear();
    ASSERT_TRUE(bech32::ConvertBits(std::vector<uint8_t>(33, 0x11), 8, 5, true, data5));
    dec = DecodeAddress(Network::kMain, bech32::Encode(Encoding::kBech32m, "cairn", data5));
    ASSERT_FALSE(dec.has_value());
    EXPECT_EQ(dec.error(), AddressError::kBadLength);

    // 32 bytes that are not a curve point (BIP340 vector 5's public key).
    auto raw = ParseHex("eefdea4cdb677750a420fee807eacf21eb9898ae79b9768766e4faa04a2d4a34");
    ASSERT_TRUE(raw.has_value());
    data5.clear();
    ASSERT_TRUE(bech32::ConvertBits(*raw, 8, 5, true, data5));
    dec = DecodeAddress(Network::kMain, bech32::Encode(Encoding::kBech32m, "cairn", data5));
    ASSERT_FALSE(dec.has_value());
    EXPECT_EQ(dec.error(), AddressError::kNotOnCurve);

    // Not bech32 at all.
    for (std::string_view s : {"", "cairn", "cairn1", "notanaddress", "cairn1qqqqqqqqqqqqqqbq"}) {
        auto d = DecodeAddress(Network::kMain, s);
        ASSERT_FALSE(d.has_value()) << s;
    }
    EXPECT_EQ(DecodeAddress(Network::kMain, "").error(), AddressError::kBadEncoding);
    EXPECT_EQ(DecodeAddress(Network::kMain, "cairn1bbbbbbbbbb").error(),
              AddressError::kBadEncoding);

    // Every error has a message.
    for (AddressError e :
         {AddressError::kBadEncoding, AddressError::kBadChecksum, AddressError::kNotBech32m,
          AddressError::kWrongNetwork, AddressError::kBadLength, AddressError::kNotOnCurve}) {
        EXPECT_FALSE(AddressErrorString(e).empty());
    }
}

}  // namespace
}  // namespace cairn
