// Cheater specs: "kind=N,kind:N,..." options that say how many simulated devices of each cheating
// kind to run, for the radio fleet (fleet.h) and the compute fleet (compute_fleet.h) alike.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

namespace cairn::devsim {

// How many devices of each kind.
template <typename Kind>
struct KindCounts {
    std::map<Kind, uint32_t> counts;
    uint32_t Of(Kind k) const {
        auto it = counts.find(k);
        return it == counts.end() ? 0 : it->second;
    }
    uint32_t Total() const {
        uint32_t n = 0;
        for (const auto& [k, c] : counts) n += c;
        return n;
    }
};

// One non-empty item of a spec: the item, its kind name, and its count if it gives one
// ("name=N" or "name:N"); bad_count if that count is not a number of at most max_count.
struct SpecItem {
    std::string_view text;
    std::string_view name;
    std::optional<uint64_t> count;
    bool bad_count{false};
};

// The items of a comma-separated spec, in order. The views point into `spec`.
std::vector<SpecItem> SplitCheatSpec(std::string_view spec, uint64_t max_count);

}  // namespace cairn::devsim
