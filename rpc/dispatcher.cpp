#include "rpc/dispatcher.h"

#include "util/logging.h"

#include <algorithm>

namespace cairn::rpc {

json ErrorReply(int code, const std::string& message, const json& id) {
    return {{"jsonrpc", "2.0"}, {"error", {{"code", code}, {"message", message}}}, {"id", id}};
}

json Dispatcher::HandleOne(const json& req) const {
    if (!req.is_object()) return ErrorReply(kInvalidRequest, "request must be an object", nullptr);
    const bool has_id = req.contains("id");
    json id = has_id ? req["id"] : json{};
    if (has_id && !(id.is_null() || id.is_string() || id.is_number())) {
        return ErrorReply(kInvalidRequest, "id must be a string, number or null", nullptr);
    }
    if (req.contains("jsonrpc") && req["jsonrpc"] != "2.0") {
        return ErrorReply(kInvalidRequest, "jsonrpc must be \"2.0\"", id);
    }
    if (!req.contains("method") || !req["method"].is_string()) {
        return ErrorReply(kInvalidRequest, "method must be a string", id);
    }
    const std::string name = req["method"].get<std::string>();
    json params = req.contains("params") ? req["params"] : json{};
    json reply;
    try {
        const Method* m = m_table.Find(name);
        if (!m) throw RpcError(kMethodNotFound, "method not found: " + name);
        if (!params.is_null() && !params.is_array() && !params.is_object()) {
            throw RpcError(kInvalidRequest, "params must be an array or an object");
        }
        Args args = m_table.BindParams(*m, params);
        reply = {{"jsonrpc", "2.0"}, {"result", m->handler(args)}, {"id", id}};
    } catch (const RpcError& e) {
        reply = ErrorReply(e.code, e.what(), id);
    } catch (const json::exception& e) {
        // A handler read a value of the wrong shape: the caller's input, not our fault.
        reply = ErrorReply(kInvalidParams, std::string{"invalid parameter: "} + e.what(), id);
    } catch (const std::exception& e) {
        // The name is the caller's: keep the log line one printable line.
        std::string shown = name.substr(0, 64);
        for (char& c : shown) c = (c < 0x20 || c > 0x7e) ? '?' : c;
        LogError("RPC " + shown + " failed: " + e.what());
        reply = ErrorReply(kInternalError, std::string{"internal error: "} + e.what(), id);
    }
    if (!has_id) return json{};  // notification: no reply
    return reply;
}

namespace {

// Deepest nesting of arrays and objects in a JSON text (outside strings). Deeply nested input
// would make the recursive parser, copies and dumps overflow the stack, so it is refused first.
size_t NestingDepth(const std::string& body) {
    size_t depth = 0, max_depth = 0;
    bool in_string = false, escaped = false;
    for (char c : body) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            max_depth = std::max(max_depth, ++depth);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return max_depth;
}

}  // namespace

HttpResponse Dispatcher::HandleBody(const std::string& body) const {
    if (NestingDepth(body) > kMaxJsonDepth) {
        return {200, ErrorReply(kInvalidRequest,
                                "JSON nested deeper than " + std::to_string(kMaxJsonDepth), nullptr)
                         .dump()};
    }
    json req = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (req.is_discarded()) {
        return {200, ErrorReply(kParseError, "parse error: body is not valid JSON", nullptr)
                         .dump(-1, ' ', false, json::error_handler_t::replace)};
    }
    if (req.is_array()) {
        if (req.empty()) {
            return {200, ErrorReply(kInvalidRequest, "empty batch", nullptr)
                             .dump(-1, ' ', false, json::error_handler_t::replace)};
        }
        if (req.size() > m_max_batch) {
            return {200, ErrorReply(kInvalidRequest,
                                    "batch larger than " + std::to_string(m_max_batch), nullptr)
                             .dump(-1, ' ', false, json::error_handler_t::replace)};
        }
        json replies = json::array();
        for (const json& r : req) {
            json one = HandleOne(r);
            if (!one.is_null()) replies.push_back(std::move(one));
        }
        if (replies.empty()) return {204, ""};
        return {200, replies.dump(-1, ' ', false, json::error_handler_t::replace)};
    }
    json one = HandleOne(req);
    if (one.is_null()) return {204, ""};
    return {200, one.dump(-1, ' ', false, json::error_handler_t::replace)};
}

}  // namespace cairn::rpc
