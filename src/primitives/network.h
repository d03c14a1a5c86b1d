// The networks Cairn knows: each has its own address prefix, default ports and network id.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cairn {

enum class Network : uint8_t { kMain, kTest, kDevnet };

struct NetworkInfo {
    Network network;
    std::string_view name;  // "main", "test", "devnet"
    std::string_view hrp;   // bech32m human-readable prefix of addresses
    uint32_t default_network_id;
    uint16_t default_rpc_port;
    uint16_t default_p2p_port;
};

const NetworkInfo& GetNetworkInfo(Network n);
std::optional<Network> NetworkFromName(std::string_view name);

}  // namespace cairn
