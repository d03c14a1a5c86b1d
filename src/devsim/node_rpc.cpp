#include "devsim/node_rpc.h"

#include <chrono>
#include <exception>
#include <map>
#include <thread>

namespace cairn::devsim {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxBatch = 500;
constexpr auto kRetryFor = std::chrono::seconds(10);
constexpr auto kRetryPause = std::chrono::milliseconds(100);

}  // namespace

std::string ReasonCode(const std::string& message) {
    const size_t colon = message.find(':');
    return colon == std::string::npos ? message : message.substr(0, colon);
}

std::pair<int, std::string> NodeRpc::PostWithRetry(rpc::Client& client, const std::string& body) {
    const auto deadline = std::chrono::steady_clock::now() + kRetryFor;
    for (;;) {
        ++m_requests;
        auto r = client.Post(body);
        // A refused connection never reached the node, and 503 means it did not run the
        // request: both are safe to send again.
        const bool retry = (!r && r.error().kind == rpc::ClientError::Kind::kConnect &&
                            r.error().message.rfind("could not connect", 0) == 0) ||
                           (r && r->first == 503);
        if (!retry || std::chrono::steady_clock::now() >= deadline) {
            if (!r) throw RpcFailure{0, r.error().message};
            if (r->first == 401 || r->first == 403) {
                throw RpcFailure{0, "the node refused the RPC credentials (HTTP " +
                                        std::to_string(r->first) + ")"};
            }
            return *r;
        }
        std::this_thread::sleep_for(kRetryPause);
    }
}

json NodeRpc::Call(const std::string& method, const json& params) {
    auto replies = Batch({{method, params}});
    if (!replies.at(0).ok) {
        throw RpcFailure{replies[0].code, method + ": " + replies[0].message};
    }
    return std::move(replies[0].result);
}

void NodeRpc::SendChunk(rpc::Client& client, const std::vector<std::pair<std::string, json>>& calls,
                        size_t start, size_t end, std::vector<RpcReply>& out) {
    json req = json::array();
    for (size_t i = start; i < end; ++i) {
        req.push_back({{"jsonrpc", "2.0"},
                       {"id", i},
                       {"method", calls[i].first},
                       {"params", calls[i].second}});
    }
    auto [status, body] = PostWithRetry(client, req.dump());
    json reply = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (reply.is_object() && reply.contains("error") && !reply["error"].is_null()) {
        // The whole batch was refused (e.g. too large).
        throw RpcFailure{reply["error"].value("code", 0),
                         reply["error"].value("message", std::string{"batch refused"})};
    }
    if (!reply.is_array()) {
        throw RpcFailure{
            0, "HTTP status " + std::to_string(status) + " without a JSON-RPC batch reply"};
    }
    std::map<size_t, const json*> by_id;
    for (const json& r : reply) {
        if (r.is_object() && r.contains("id") && r["id"].is_number_unsigned()) {
            by_id[r["id"].get<size_t>()] = &r;
        }
    }
    for (size_t i = start; i < end; ++i) {
        auto it = by_id.find(i);
        if (it == by_id.end()) {
            out[i] = {false, nullptr, 0, "no reply for this call"};
            continue;
        }
        const json& r = *it->second;
        if (r.contains("error") && !r["error"].is_null()) {
            out[i] = {false, nullptr, r["error"].value("code", 0),
                      r["error"].value("message", std::string{"unknown error"})};
        } else {
            out[i] = {true, r.value("result", json{}), 0, {}};
        }
    }
}

std::vector<RpcReply> NodeRpc::Batch(const std::vector<std::pair<std::string, json>>& calls,
                                     size_t connections) {
    std::vector<RpcReply> out(calls.size());
    const size_t chunks = (calls.size() + kMaxBatch - 1) / kMaxBatch;
    if (connections <= 1 || chunks <= 1) {
        for (size_t start = 0; start < calls.size(); start += kMaxBatch) {
            SendChunk(m_client, calls, start, std::min(calls.size(), start + kMaxBatch), out);
        }
        return out;
    }
    // Each worker takes the next chunk, on its own client (one connection per request).
    std::atomic<size_t> next{0};
    std::vector<std::exception_ptr> errors(std::min(connections, chunks));
    std::vector<std::thread> workers;
    for (size_t t = 0; t < errors.size(); ++t) {
        workers.emplace_back([&, t] {
            rpc::Client client = m_client;
            try {
                for (size_t c; (c = next.fetch_add(1)) < chunks;) {
                    const size_t start = c * kMaxBatch;
                    SendChunk(client, calls, start, std::min(calls.size(), start + kMaxBatch), out);
                }
            } catch (...) {
                errors[t] = std::current_exception();
            }
        });
    }
    for (std::thread& w : workers) w.join();
    for (const std::exception_ptr& e : errors) {
        if (e) std::rethrow_exception(e);
    }
    return out;
}

}  // namespace cairn::devsim
