// Hex, base64 and decimal helpers.
#include <gtest/gtest.h>

#include "util/strencodings.h"

namespace cairn {
namespace {

TEST(StrEncodings, Base64Rfc4648Vectors) {
    const std::pair<std::string, std::string> vectors[] = {
        {"f", "Zg=="},        {"fo", "Zm8="},        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [plain, encoded] : vectors) {
        EXPECT_EQ(EncodeBase64(plain), encoded);
        EXPECT_EQ(DecodeBase64(encoded), plain) << encoded;
    }
}

TEST(StrEncodings, Base64RejectsMalformed) {
    EXPECT_FALSE(DecodeBase64(""));
    EXPECT_FALSE(DecodeBase64("Zg="));                   // not a multiple of 4
    EXPECT_FALSE(DecodeBase64("Z!=="));                  // not in the alphabet
    EXPECT_FALSE(DecodeBase64(std::string(4100, 'A')));  // over the length bound
    EXPECT_EQ(DecodeBase64("AAAA"), std::string(3, '\0'));
}

TEST(StrEncodings, HexAndUInt) {
    EXPECT_EQ(HexStr(Bytes{0x00, 0xab, 0xff}), "00abff");
    EXPECT_EQ(ParseHex("00ABff"), (Bytes{0x00, 0xab, 0xff}));
    EXPECT_FALSE(ParseHex("abc"));
    EXPECT_FALSE(ParseHex("zz"));
    EXPECT_EQ(ParseUInt64("18446744073709551615"), UINT64_MAX);
    EXPECT_FALSE(ParseUInt64("18446744073709551616"));
    EXPECT_FALSE(ParseUInt64("01"));
    EXPECT_FALSE(ParseUInt64("-1"));
    EXPECT_FALSE(ParseUInt64(""));
}

}  // namespace
}  // namespace cairn
