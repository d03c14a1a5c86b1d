// Amounts: exact decimal parsing/formatting and checked arithmetic.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "primitives/amount.h"

namespace cairn {
namespace {

constexpr Amount kMax = std::numeric_limits<Amount>::max();

TEST(AmountTest, ParseExact) {
    struct {
        std::string_view text;
        Amount units;
    } const cases[] = {
        {"0", 0},
        {"1", kCoin},
        {"0.00000001", 1},
        {"0.1", 10'000'000},
        {"12.345", 1'234'500'000},
        {"12.34500000", 1'234'500'000},
        {"21000000", 21'000'000 * kCoin},
        {"0.0", 0},
        {"0.00000000", 0},
        {"1.5", 150'000'000},
        {"184467440737.09551615", kMax},  // 2^64 - 1 units
        {"184467440737", 184'467'440'737 * kCoin},
        {"184467440737.0955161", 18'446'744'073'709'551'610ULL},
    };
    for (const auto& c : cases) {
        auto v = ParseAmount(c.text);
        ASSERT_TRUE(v.has_value()) << c.text;
        EXPECT_EQ(*v, c.units) << c.text;
    }
}

TEST(AmountTest, ParseRejects) {
    for (std::string_view s : {
             "",
             ".",
             "1.",  // empty fraction
             ".5",  // empty whole part
             "-1",  // sign
             "+1",  // sign
             "-0",
             "1e5",  // exponent
             "1E5",
             " 1",  // spaces
             "1 ",
             "1 .5",
             "1.123456789",  // 9 decimals
             "0.000000001",
             "184467440737.09551616",  // 2^64 units
             "184467440738",           // whole part alone overflows after scaling
             "999999999999999999999",  // overflows while reading digits
             "18446744073709551616",
             "1.2.3",
             "1..2",
             "1,5",
             "0x10",
             "abc",
             "1a",
             "1.0a",
             "inf",
             "nan",
         }) {
        EXPECT_FALSE(ParseAmount(s).has_value()) << '"' << s << '"';
    }
    // An embedded NUL is not ignored.
    EXPECT_FALSE(ParseAmount(std::string_view("1\0", 2)).has_value());
}

// Current behaviour: leading zeros in the whole part are accepted ("01" == "1"), unlike
// ParseUInt64, which rejects them. Pinned here so a change is noticed.
TEST(AmountTest, ParseAcceptsLeadingZeros) {
    EXPECT_EQ(ParseAmount("01"), std::optional<Amount>{kCoin});
    EXPECT_EQ(ParseAmount("00"), std::optional<Amount>{0});
    EXPECT_EQ(ParseAmount("007.5"), std::optional<Amount>{750'000'000});
    EXPECT_EQ(ParseAmount("0000000000000000000000001"), std::optional<Amount>{kCoin});
}

TEST(AmountTest, FormatExact) {
    EXPECT_EQ(FormatAmount(0), "0");
    EXPECT_EQ(FormatAmount(1), "0.00000001");
    EXPECT_EQ(FormatAmount(10), "0.0000001");
    EXPECT_EQ(FormatAmount(kCoin), "1");
    EXPECT_EQ(FormatAmount(5 * kCoin), "5");
    EXPECT_EQ(FormatAmount(kCoin + 1), "1.00000001");
    EXPECT_EQ(FormatAmount(1'234'500'000), "12.345");
    EXPECT_EQ(FormatAmount(150'000'000), "1.5");
    EXPECT_EQ(FormatAmount(99'999'999), "0.99999999");
    EXPECT_EQ(FormatAmount(100 * kCoin), "100");
    EXPECT_EQ(FormatAmount(kMax), "184467440737.09551615");
}

TEST(AmountTest, FormatParseRoundTrip) {
    std::mt19937_64 rng{20240611};
    auto check = [](Amount a) {
        const std::string s = FormatAmount(a);
        auto back = ParseAmount(s);
        ASSERT_TRUE(back.has_value()) << s;
        EXPECT_EQ(*back, a) << s;
        // Canonical form: no trailing zeros after the point, no exponent.
        if (s.find('.') != std::string::npos) {
            EXPECT_NE(s.back(), '0') << s;
        }
        EXPECT_EQ(s.find_first_not_of("0123456789."), std::string::npos) << s;
    };
    for (int i = 0; i < 20000; ++i) {
        const Amount a = rng();
        check(a);
        check(a % (1000 * kCoin));       // small amounts with fractions
        check((a % 1'000'000) * kCoin);  // integral amounts
        check(a >> (rng() % 64));        // every magnitude
    }
    for (Amount a : {Amount{0}, Amount{1}, kCoin - 1, kCoin, kCoin + 1, kMax - 1, kMax}) check(a);
}

TEST(AmountTest, CheckedAdd) {
    EXPECT_EQ(CheckedAdd(0, 0), std::optional<Amount>{0});
    EXPECT_EQ(CheckedAdd(1, 2), std::optional<Amount>{3});
    EXPECT_EQ(CheckedAdd(kMax, 0), std::optional<Amount>{kMax});
    EXPECT_EQ(CheckedAdd(kMax - 1, 1), std::optional<Amount>{kMax});
    EXPECT_EQ(CheckedAdd(kMax, 1), std::nullopt);
    EXPECT_EQ(CheckedAdd(1, kMax), std::nullopt);
    EXPECT_EQ(CheckedAdd(kMax, kMax), std::nullopt);
    EXPECT_EQ(CheckedAdd(kMax / 2 + 1, kMax / 2 + 1), std::nullopt);
    EXPECT_EQ(CheckedAdd(kMax / 2, kMax / 2 + 1), std::optional<Amount>{kMax});
}

TEST(AmountTest, CheckedSub) {
    EXPECT_EQ(CheckedSub(5, 3), std::optional<Amount>{2});
    EXPECT_EQ(CheckedSub(5, 5), std::optional<Amount>{0});
    EXPECT_EQ(CheckedSub(3, 5), std::nullopt);
    EXPECT_EQ(CheckedSub(0, 1), std::nullopt);
    EXPECT_EQ(CheckedSub(kMax, kMax), std::optional<Amount>{0});
    EXPECT_EQ(CheckedSub(kMax, 0), std::optional<Amount>{kMax});
    EXPECT_EQ(CheckedSub(kMax - 1, kMax), std::nullopt);
}

TEST(AmountTest, CheckedMul) {
    EXPECT_EQ(CheckedMul(0, kMax), std::optional<Amount>{0});
    EXPECT_EQ(CheckedMul(kMax, 0), std::optional<Amount>{0});
    EXPECT_EQ(CheckedMul(kMax, 1), std::optional<Amount>{kMax});
    EXPECT_EQ(CheckedMul(6, 7), std::optional<Amount>{42});
    EXPECT_EQ(CheckedMul(kMax, 2), std::nullopt);
    EXPECT_EQ(CheckedMul(Amount{1} << 32, Amount{1} << 32), std::nullopt);
    EXPECT_EQ(CheckedMul(Amount{1} << 32, (Amount{1} << 32) - 1),
              std::optional<Amount>{kMax - ((Amount{1} << 32) - 1)});
    // kMax = 3 * 5 * 17 * 257 * 641 * 65537 * 6700417: exact products do not overflow.
    EXPECT_EQ(CheckedMul(kMax / 641, 641), std::optional<Amount>{kMax});
    EXPECT_EQ(CheckedMul(kMax / 641 + 1, 641), std::nullopt);
    // 184467440738 coins is just past the largest representable whole-coin amount.
    EXPECT_EQ(CheckedMul(184'467'440'737, kCoin), std::optional<Amount>{184'467'440'737 * kCoin});
    EXPECT_EQ(CheckedMul(184'467'440'738, kCoin), std::nullopt);
}

}  // namespace
}  // namespace cairn
