// Amounts: unsigned 64-bit base units; 1 CAIRN = 10^8 units.
//
// Every sum or product that decides validity goes through CheckedAdd/CheckedMul: an overflow
// is a rejection, never a wrap. Decimal strings are parsed and printed exactly, digit by digit,
// never through floating point.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cairn {

using Amount = uint64_t;

inline constexpr Amount kCoin = 100'000'000;
inline constexpr int kDecimals = 8;

[[nodiscard]] inline std::optional<Amount> CheckedAdd(Amount a, Amount b) {
    Amount r;
    if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
    return r;
}
[[nodiscard]] inline std::optional<Amount> CheckedSub(Amount a, Amount b) {
    if (b > a) return std::nullopt;
    return a - b;
}
[[nodiscard]] inline std::optional<Amount> CheckedMul(Amount a, Amount b) {
    Amount r;
    if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
    return r;
}

// "12.345" -> 1234500000. Accepts digits with at most 8 decimals after an optional '.';
// rejects signs, exponents, spaces, empty parts ("1.", ".5"), and values above 2^64-1 units.
std::optional<Amount> ParseAmount(std::string_view s);

// 1234500000 -> "12.345". Integral amounts print without a point ("5"); never exponent form.
std::string FormatAmount(Amount a);

}  // namespace cairn
