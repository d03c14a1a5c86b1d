// RPC methods are declared once, as data: name, description, typed parameters with defaults,
// result description and examples, plus the handler. `help`, doc/rpc.md, argument checking
// and the mapping of positional to named parameters all read this declaration, so they cannot
// drift apart.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/keys.h"

#include "rpc/protocol.h"

namespace cairn::rpc {

using json = nlohmann::json;

enum class ParamType {
    kString,
    kUInt,  // JSON integer >= 0 (up to 2^64-1)
    kBool,
    kHash,          // 64 hex digits
    kHex,           // even-length hex
    kAddress,       // bech32m address of this network (checked by the handler)
    kHashOrHeight,  // block hash string or height integer
};

struct Param {
    std::string name;
    ParamType type;
    bool required{true};
    json default_value{};  // used when optional and absent (null if no default)
    std::string description;
};

// The validated arguments of one call, by parameter name.
class Args {
public:
    explicit Args(std::map<std::string, json> values) : m_values{std::move(values)} {}
    bool Has(const std::string& name) const;
    const json& Get(const std::string& name) const;  // REQUIRES: Has(name)
    std::string String(const std::string& name) const;
    uint64_t UInt(const std::string& name) const;
    bool Bool(const std::string& name) const;

private:
    std::map<std::string, json> m_values;
};

struct Method {
    std::string name;
    std::string category;
    std::string description;
    std::vector<Param> params;
    std::string result;                 // what the result holds
    std::vector<std::string> examples;  // cairn-cli argument lines
    std::function<json(const Args&)> handler;
};

class MethodTable {
public:
    void Add(Method m);
    const Method* Find(const std::string& name) const;
    const std::map<std::string, Method>& All() const { return m_methods; }
    // One line per method, or the full help of one method.
    std::string Help(const std::optional<std::string>& method) const;

    // Maps positional (array) or named (object) params to validated Args; throws
    // RpcError(kInvalidParams) naming the problem.
    Args BindParams(const Method& m, const json& params) const;

private:
    std::map<std::string, Method> m_methods;
};

// A device key parameter: 64 hex digits of a valid public key, else RpcError(kInvalidParams).
PubKey ParseDeviceKeyArg(const std::string& hex);

}  // namespace cairn::rpc
