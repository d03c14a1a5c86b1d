#include "rpc/method.h"

#include <sstream>

#include "crypto/hash.h"
#include "util/strencodings.h"

namespace cairn::rpc {

bool Args::Has(const std::string& name) const {
    auto it = m_values.find(name);
    return it != m_values.end() && !it->second.is_null();
}
const json& Args::Get(const std::string& name) const {
    return m_values.at(name);
}
std::string Args::String(const std::string& name) const {
    return Get(name).get<std::string>();
}
uint64_t Args::UInt(const std::string& name) const {
    return Get(name).get<uint64_t>();
}
bool Args::Bool(const std::string& name) const {
    return Get(name).get<bool>();
}

void MethodTable::Add(Method m) {
    std::string name = m.name;
    m_methods.emplace(std::move(name), std::move(m));
}

const Method* MethodTable::Find(const std::string& name) const {
    auto it = m_methods.find(name);
    return it == m_methods.end() ? nullptr : &it->second;
}

namespace {

const char* TypeName(ParamType t) {
    switch (t) {
        case ParamType::kString:
            return "string";
        case ParamType::kUInt:
            return "non-negative integer";
        case ParamType::kBool:
            return "boolean";
        case ParamType::kHash:
            return "hash (64 hex digits)";
        case ParamType::kHex:
            return "hex string";
        case ParamType::kAddress:
            return "address";
        case ParamType::kHashOrHeight:
            return "block hash or height";
    }
    return "value";
}

bool IsHash(const json& v) {
    return v.is_string() && Hash256::FromHex(v.get<std::string>());
}

void CheckType(const Param& p, const json& v) {
    bool ok = false;
    switch (p.type) {
        case ParamType::kString:
        case ParamType::kAddress:
            ok = v.is_string();
            break;
        case ParamType::kUInt:
            ok = v.is_number_unsigned();
            break;
        case ParamType::kBool:
            ok = v.is_boolean();
            break;
        case ParamType::kHash:
            ok = IsHash(v);
            break;
        case ParamType::kHex:
            ok = v.is_string() && ParseHex(v.get<std::string>()).has_value();
            break;
        case ParamType::kHashOrHeight:
            ok = v.is_number_unsigned() || IsHash(v);
            break;
    }
    if (!ok) {
        // Echo at most a short prefix of the bad value: the caller sent it, and it may be huge.
        std::string got = v.dump(-1, ' ', false, json::error_handler_t::replace);
        if (got.size() > 100) got = got.substr(0, 100) + "...";
        throw RpcError(kInvalidParams, "parameter '" + p.name + "' must be of type " +
                                           TypeName(p.type) + ", got " + got);
    }
}

}  // namespace

Args MethodTable::BindParams(const Method& m, const json& params) const {
    std::map<std::string, json> values;
    if (params.is_null()) {
        // No params at all: same as [].
    } else if (params.is_array()) {
        if (params.size() > m.params.size()) {
            throw RpcError(kInvalidParams, m.name + " takes at most " +
                                               std::to_string(m.params.size()) +
                                               " parameters, got " + std::to_string(params.size()));
        }
        for (size_t i = 0; i < params.size(); ++i) values[m.params[i].name] = params[i];
    } else if (params.is_object()) {
        for (const auto& [key, value] : params.items()) {
            bool known = false;
            for (const Param& p : m.params) known = known || p.name == key;
            if (!known) throw RpcError(kInvalidParams, "unknown parameter '" + key + "'");
            values[key] = value;
        }
    } else {
        throw RpcError(kInvalidParams, "params must be an array or an object");
    }
    for (const Param& p : m.params) {
        auto it = values.find(p.name);
        // null is treated as missing, so clients can skip a positional parameter.
        if (it == values.end() || it->second.is_null()) {
            if (p.required) throw RpcError(kInvalidParams, "missing parameter '" + p.name + "'");
            values[p.name] = p.default_value;
            continue;
        }
        CheckType(p, it->second);
    }
    return Args{std::move(values)};
}

std::string MethodTable::Help(const std::optional<std::string>& name) const {
    std::ostringstream ss;
    if (!name) {
        std::string category;
        std::map<std::string, std::vector<const Method*>> by_cat;
        for (const auto& [n, m] : m_methods) by_cat[m.category].push_back(&m);
        for (const auto& [cat, methods] : by_cat) {
            ss << "== " << cat << " ==\n";
            for (const Method* m : methods) {
                ss << m->name;
                for (const Param& p : m->params) {
                    ss << (p.required ? " " : " ( ") << '"' << p.name << '"'
                       << (p.required ? "" : " )");
                }
                ss << "\n";
            }
            ss << "\n";
        }
        return ss.str();
    }
    const Method* m = Find(*name);
    if (!m) throw RpcError(kInvalidParams, "help: unknown command " + *name);
    ss << m->name;
    for (const Param& p : m->params)
        ss << (p.required ? " " : " ( ") << p.name << (p.required ? "" : " )");
    ss << "\n\n" << m->description << "\n";
    if (!m->params.empty()) {
        ss << "\nArguments:\n";
        for (size_t i = 0; i < m->params.size(); ++i) {
            const Param& p = m->params[i];
            ss << i + 1 << ". " << p.name << " (" << TypeName(p.type) << ", "
               << (p.required ? "required" : "optional");
            if (!p.required && !p.default_value.is_null()) {
                ss << ", default="
                   << p.default_value.dump(-1, ' ', false, json::error_handler_t::replace);
            }
            ss << ") " << p.description << "\n";
        }
    }
    ss << "\nResult:\n" << m->result << "\n";
    if (!m->examples.empty()) {
        ss << "\nExamples:\n";
        for (const auto& e : m->examples) ss << "> cairn-cli " << m->name << " " << e << "\n";
    }
    return ss.str();
}

PubKey ParseDeviceKeyArg(const std::string& hex) {
    auto bytes = ParseHex(hex);
    if (!bytes || bytes->size() != 32) {
        throw RpcError(kInvalidParams, "device must be a 64-hex-digit public key");
    }
    auto pk = PubKey::Parse(*bytes);
    if (!pk) throw RpcError(kInvalidParams, "device key is not a valid public key");
    return *pk;
}

}  // namespace cairn::rpc
