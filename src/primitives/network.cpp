#include "primitives/network.h"

namespace cairn {
namespace {
constexpr NetworkInfo kNetworks[] = {
    {Network::kMain, "main", "cairn", 1, 8645, 8646},
    {Network::kTest, "test", "tcairn", 2, 18645, 18646},
    {Network::kDevnet, "devnet", "dcairn", 3, 28645, 28646},
};
}  // namespace

const NetworkInfo& GetNetworkInfo(Network n) { return kNetworks[static_cast<int>(n)]; }

std::optional<Network> NetworkFromName(std::string_view name) {
    for (const auto& info : kNetworks)
        if (info.name == name) return info.network;
    return std::nullopt;
}

}  // namespace cairn
