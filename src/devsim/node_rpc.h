// NodeRpc: cairn-devsim's connection to the node — single JSON-RPC calls and batches (one HTTP
// request for many calls, which the node answers in order), over rpc::Client.
//
// Transport failures (cannot connect, server busy) are retried for a few seconds before they
// throw; JSON-RPC errors are answers, returned per call in a batch and thrown by Call.
#pragma once

#include <atomic>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "rpc/client.h"

namespace cairn::devsim {

// A JSON-RPC error answer (code and message) or, with code 0, a transport failure.
class RpcFailure : public std::runtime_error {
public:
    RpcFailure(int code, const std::string& message) : std::runtime_error{message}, m_code{code} {}
    int Code() const { return m_code; }

private:
    int m_code;
};

struct RpcReply {
    bool ok{false};
    nlohmann::json result;
    int code{0};
    std::string message;
};

class NodeRpc {
public:
    explicit NodeRpc(rpc::ClientOptions options) : m_client{std::move(options)} {}

    // The call's result; throws RpcFailure on an error answer or a transport failure.
    nlohmann::json Call(const std::string& method, const nlohmann::json& params);
    // One reply per call, in order (sent in chunks of at most 500). With connections > 1 the
    // chunks go over that many connections at once, so the node may run them in any order:
    // only for calls that do not depend on each other. Throws RpcFailure only on transport
    // failures.
    std::vector<RpcReply> Batch(const std::vector<std::pair<std::string, nlohmann::json>>& calls,
                                size_t connections = 1);

    // How many HTTP requests were sent.
    uint64_t Requests() const { return m_requests; }

private:
    std::pair<int, std::string> PostWithRetry(rpc::Client& client, const std::string& body);
    void SendChunk(rpc::Client& client,
                   const std::vector<std::pair<std::string, nlohmann::json>>& calls, size_t start,
                   size_t end, std::vector<RpcReply>& out);

    rpc::Client m_client;
    std::atomic<uint64_t> m_requests{0};
};

// The reason code a refusal message starts with ("report-entropy-expired: ..." ->
// "report-entropy-expired").
std::string ReasonCode(const std::string& message);

}  // namespace cairn::devsim
