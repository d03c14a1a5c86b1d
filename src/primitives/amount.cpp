#include "primitives/amount.h"

namespace cairn {

std::optional<Amount> ParseAmount(std::string_view s) {
    size_t dot = s.find('.');
    std::string_view whole = s.substr(0, dot);
    std::string_view frac = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
    if (whole.empty()) return std::nullopt;
    if (dot != std::string_view::npos && (frac.empty() || frac.size() > kDecimals))
        return std::nullopt;
    Amount units = 0;
    for (char c : whole) {
        if (c < '0' || c > '9') return std::nullopt;
        auto m = CheckedMul(units, 10);
        if (!m) return std::nullopt;
        auto a = CheckedAdd(*m, static_cast<Amount>(c - '0'));
        if (!a) return std::nullopt;
        units = *a;
    }
    auto scaled = CheckedMul(units, kCoin);
    if (!scaled) return std::nullopt;
    Amount f = 0;
    for (size_t i = 0; i < kDecimals; ++i) {
        char c = i < frac.size() ? frac[i] : '0';
        if (c < '0' || c > '9') return std::nullopt;
        f = f * 10 + static_cast<Amount>(c - '0');
    }
    return CheckedAdd(*scaled, f);
}

std::string FormatAmount(Amount a) {
    std::string out = std::to_string(a / kCoin);
    Amount frac = a % kCoin;
    if (frac == 0) return out;
    std::string digits = std::to_string(frac);
    digits.insert(0, kDecimals - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    return out + "." + digits;
}

}  // namespace cairn
