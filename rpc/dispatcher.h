// JSON-RPC 2.0 over the HTTP body: single requests, batches and notifications.
//
// A request without an "id" is a notification: it runs but gets no reply, and a batch of only
// notifications answers HTTP 204. Errors use the standard codes (-32700 parse, -32600 invalid
// request, -32601 method not found, -32602 invalid params, -32603 internal) and the
// application codes in rpc/protocol.h.
#pragma once

#include <string>

#include "rpc/http_server.h"
#include "rpc/method.h"

namespace cairn::rpc {

// Requests nested deeper than this are refused before parsing (-32600).
inline constexpr size_t kMaxJsonDepth = 64;

class Dispatcher {
public:
    explicit Dispatcher(const MethodTable& table, size_t max_batch = 1000)
        : m_table{table}, m_max_batch{max_batch} {}
    HttpResponse HandleBody(const std::string& body) const;

private:
    // Returns the reply object, or null for a notification.
    json HandleOne(const json& request) const;

    const MethodTable& m_table;
    size_t m_max_batch;
};

json ErrorReply(int code, const std::string& message, const json& id);

}  // namespace cairn::rpc
