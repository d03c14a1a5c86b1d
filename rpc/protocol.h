// JSON-RPC 2.0 error codes: the standard ones and Cairn's application codes (doc/rpc.md).
#pragma once

#include <stdexcept>
#include <string>

namespace cairn::rpc {

enum ErrorCode : int {
    // JSON-RPC 2.0 standard codes.
    kParseError = -32700,      // the body is not JSON
    kInvalidRequest = -32600,  // JSON, but not a valid request object
    kMethodNotFound = -32601,
    kInvalidParams = -32602,   // wrong count, name, type or value of a parameter
    kInternalError = -32603,
    // Application codes (Bitcoin Core's numbering where the meaning matches).
    kMiscError = -1,
    kNotFound = -5,             // block, transaction or account not found
    kDeserializationError = -22,  // hex that does not decode to a transaction
    kVerifyRejected = -25,      // transaction invalid under the consensus rules
    kMempoolRejected = -26,     // valid, but the mempool refused it (duplicate, full, limits)
    kAlreadyInChain = -27,
    kMethodDisabled = -32,      // not available on this network (e.g. generate off devnet)
};

// Thrown by method handlers; the dispatcher turns it into a JSON-RPC error object.
struct RpcError : std::runtime_error {
    int code;
    RpcError(int c, const std::string& msg) : std::runtime_error{msg}, code{c} {}
};

}  // namespace cairn::rpc
