// cairnd's configuration: command-line flags and the cairn.conf file, which takes the same keys
// (`key=value` lines, `#` comments). Flags win over the file. A malformed flag, file or value is
// an error message, never a silent default.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "primitives/network.h"
#include "util/datadir.h"
#include "util/result.h"

namespace cairn {

struct NodeConfig {
    Network network{Network::kDevnet};
    std::string datadir;    // network-specific directory actually used
    std::string conf_file;  // empty if none was read
    std::string genesis_file;
    uint64_t blocktime_ms{1000};
    bool produce{true};
    bool print_to_console{false};
    // RPC
    std::vector<std::string> rpcbind;  // addresses; default 127.0.0.1
    uint16_t rpcport{0};
    std::vector<std::string> rpcallowip;  // CIDRs or addresses; loopback always allowed
    std::string rpcuser;
    std::string rpcpassword;
    std::vector<std::string> rpcauth;  // user:salt$hash
    int rpcthreads{4};
    int rpcworkqueue{64};
    size_t rpc_max_body_bytes{4 << 20};
    // Resources
    size_t maxmempool_mb{64};
    size_t dbcache_mb{64};
};

// Parses argv (and the config file it names or finds). Returns nullopt-with-text for --help /
// --version (the text to print, exit 0) through `info`.
Result<NodeConfig, std::string> ParseNodeConfig(int argc, const char* const argv[],
                                                std::string& info);

}  // namespace cairn
