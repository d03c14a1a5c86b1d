#include "devsim/cheat_spec.h"

#include <cstdlib>
#include <string>

namespace cairn::devsim {

std::vector<SpecItem> SplitCheatSpec(std::string_view spec, uint64_t max_count) {
    std::vector<SpecItem> items;
    size_t pos = 0;
    while (pos <= spec.size()) {
        size_t comma = spec.find(',', pos);
        if (comma == std::string_view::npos) comma = spec.size();
        const std::string_view text = spec.substr(pos, comma - pos);
        pos = comma + 1;
        if (text.empty()) continue;
        const size_t sep = text.find_first_of("=:");
        SpecItem item{text, text.substr(0, sep), std::nullopt, false};
        if (sep != std::string_view::npos) {
            const std::string num{text.substr(sep + 1)};
            char* end = nullptr;
            const uint64_t n = std::strtoull(num.c_str(), &end, 10);
            item.bad_count = num.empty() || *end != '\0' || n > max_count;
            item.count = n;
        }
        items.push_back(item);
    }
    return items;
}

}  // namespace cairn::devsim
