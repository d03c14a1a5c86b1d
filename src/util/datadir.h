// Where a network's data lives: one rule shared by cairnd, cairn-cli and cairn-wallet, so the
// clients find the cookie and key files exactly where the node wrote them.
#pragma once

#include <optional>
#include <string>

#include "primitives/network.h"

namespace cairn {

// The base data directory when none is given: $HOME/.cairn (./.cairn without a HOME).
std::string DefaultDataDir();
// The directory for `net` under a base directory: main uses the base, others a subdirectory
// named after the network.
std::string NetworkDataDir(const std::string& base, Network net);
// NetworkDataDir of the given base, or of DefaultDataDir() when there is none.
std::string DataDirFor(const std::optional<std::string>& base, Network net);

}  // namespace cairn
