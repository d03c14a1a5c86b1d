#include "devsim/verdict_counts.h"

namespace cairn::devsim {

nlohmann::json CountsJson(const VerdictCounts& m) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : m) j[k] = v;
    return j;
}

VerdictCounts CountsFrom(const nlohmann::json& j) {
    VerdictCounts m;
    if (!j.is_object()) return m;
    for (const auto& [k, v] : j.items()) {
        if (v.is_number_unsigned()) m[k] = v.get<uint64_t>();
    }
    return m;
}

VerdictCounts Minus(const VerdictCounts& a, const VerdictCounts& b) {
    VerdictCounts out;
    for (const auto& [k, v] : a) {
        auto it = b.find(k);
        const uint64_t before = it == b.end() ? 0 : it->second;
        if (v > before) out[k] = v - before;
    }
    return out;
}

}  // namespace cairn::devsim
