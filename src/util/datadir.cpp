#include "util/datadir.h"

#include <cstdlib>

namespace cairn {

std::string DefaultDataDir() {
    const char* home = std::getenv("HOME");
    return std::string{home && *home ? home : "."} + "/.cairn";
}

std::string NetworkDataDir(const std::string& base, Network net) {
    if (net == Network::kMain) return base;
    return base + "/" + std::string{GetNetworkInfo(net).name};
}

std::string DataDirFor(const std::optional<std::string>& base, Network net) {
    return NetworkDataDir(base ? *base : DefaultDataDir(), net);
}

}  // namespace cairn
