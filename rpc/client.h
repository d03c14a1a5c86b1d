// A minimal blocking JSON-RPC 2.0 client over HTTP/1.1, for cairn-cli and cairn-wallet.
//
// Credentials come from --rpcuser/--rpcpassword or the node's cookie file in its data
// directory. Errors are returned as values with a message fit for the user.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "primitives/network.h"
#include "util/result.h"

namespace cairn::rpc {

struct ClientOptions {
    std::string host{"127.0.0.1"};
    uint16_t port{0};
    std::string user;      // empty: read the cookie
    std::string password;
    std::string cookie_file;  // <datadir>/.cookie
    int timeout_seconds{60};
};

struct ClientError {
    enum class Kind { kConnect, kAuth, kHttp, kProtocol, kRpc } kind;
    std::string message;
    int rpc_code{0};  // for kRpc: the JSON-RPC error code
};

class Client {
public:
    explicit Client(ClientOptions options) : m_options{std::move(options)} {}
    // Sends one request and returns its "result", or the error.
    Result<nlohmann::json, ClientError> Call(const std::string& method,
                                             const nlohmann::json& params);
    // Sends a raw HTTP POST body; returns (status, body). For tests and tools.
    Result<std::pair<int, std::string>, ClientError> Post(const std::string& body);

private:
    Result<std::string, ClientError> AuthHeader() const;
    ClientOptions m_options;
};

// Fills host/port/cookie from common flags: --network, --datadir, --rpcconnect, --rpcport.
ClientOptions DefaultClientOptions(Network net, const std::string& datadir);

}  // namespace cairn::rpc
