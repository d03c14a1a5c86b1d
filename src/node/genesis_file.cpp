#include "node/genesis_file.h"

#include "primitives/address.h"

namespace cairn {

namespace {
template <typename T>
bool ReadUInt(const nlohmann::json& obj, const char* key, T& out, std::string& err) {
    if (!obj.contains(key)) return true;
    const auto& v = obj.at(key);
    if (!v.is_number_unsigned() || v.get<uint64_t>() > std::numeric_limits<T>::max()) {
        err = std::string{"genesis: '"} + key + "' must be a non-negative integer";
        return false;
    }
    out = static_cast<T>(v.get<uint64_t>());
    return true;
}
}  // namespace

Result<consensus::Genesis, std::string> ParseGenesisJson(const std::string& text) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
        return MakeError(std::string{"genesis: not a JSON object"});
    }
    if (!j.contains("network") || !j["network"].is_string()) {
        return MakeError(std::string{"genesis: 'network' (main, test or devnet) is required"});
    }
    auto net = NetworkFromName(j["network"].get<std::string>());
    if (!net) return MakeError(std::string{"genesis: unknown network"});
    // A misspelt key must not silently fall back to a default.
    auto unknown_key = [](const nlohmann::json& obj,
                          std::initializer_list<std::string_view> known) -> std::string {
        for (const auto& [key, value] : obj.items()) {
            bool ok = false;
            for (auto k : known) ok = ok || key == k;
            if (!ok) return key;
        }
        return {};
    };
    if (auto k = unknown_key(
            j, {"network", "network_id", "time_ms", "params", "accounts", "validators"});
        !k.empty()) {
        return MakeError("genesis: unknown key '" + k + "'");
    }
    if (j.contains("params") && j["params"].is_object()) {
        if (auto k = unknown_key(j["params"], {"min_fee_per_byte", "max_block_bytes",
                                               "max_block_txs", "max_memo_bytes"});
            !k.empty()) {
            return MakeError("genesis: unknown parameter '" + k + "'");
        }
    }
    if (!j.contains("time_ms")) return MakeError(std::string{"genesis: 'time_ms' is required"});
    consensus::Genesis g;
    g.params = consensus::DefaultParams(*net);
    std::string err;
    if (!ReadUInt(j, "network_id", g.params.network_id, err) ||
        !ReadUInt(j, "time_ms", g.time_ms, err)) {
        return MakeError(err);
    }
    if (j.contains("params")) {
        const auto& p = j["params"];
        if (!p.is_object()) return MakeError(std::string{"genesis: 'params' must be an object"});
        if (!ReadUInt(p, "min_fee_per_byte", g.params.min_fee_per_byte, err) ||
            !ReadUInt(p, "max_block_bytes", g.params.max_block_bytes, err) ||
            !ReadUInt(p, "max_block_txs", g.params.max_block_txs, err) ||
            !ReadUInt(p, "max_memo_bytes", g.params.max_memo_bytes, err)) {
            return MakeError(err);
        }
        if (g.params.max_block_bytes < consensus::kMinBlockBytes || g.params.max_block_txs < 1 ||
            g.params.max_block_txs > kMaxBlockTxsDecode || g.params.max_memo_bytes > 4096) {
            return MakeError(std::string{"genesis: block or memo limits out of range"});
        }
    }
    auto parse_key = [&](const nlohmann::json& e, PubKey& out) -> bool {
        if (!e.is_object() || !e.contains("address") || !e["address"].is_string()) {
            err = "genesis: each entry needs an 'address'";
            return false;
        }
        auto pk = DecodeAddress(*net, e["address"].get<std::string>());
        if (!pk) {
            err = "genesis: address " + e["address"].get<std::string>() + ": " +
                  AddressErrorString(pk.error());
            return false;
        }
        out = *pk;
        return true;
    };
    if (!j.contains("accounts") || !j["accounts"].is_array()) {
        return MakeError(std::string{"genesis: 'accounts' array is required"});
    }
    for (const auto& e : j["accounts"]) {
        consensus::GenesisAccount a;
        if (!parse_key(e, a.key)) return MakeError(err);
        if (!e.contains("balance") || !e["balance"].is_string()) {
            return MakeError(std::string{"genesis: 'balance' must be a decimal string"});
        }
        auto amount = ParseAmount(e["balance"].get<std::string>());
        if (!amount) return MakeError("genesis: bad balance " + e["balance"].dump());
        a.balance = *amount;
        g.accounts.push_back(a);
    }
    if (!j.contains("validators") || !j["validators"].is_array()) {
        return MakeError(std::string{"genesis: 'validators' array is required"});
    }
    for (const auto& e : j["validators"]) {
        consensus::Validator v;
        if (!parse_key(e, v.key)) return MakeError(err);
        if (!e.contains("power")) return MakeError(std::string{"genesis: validator needs 'power'"});
        if (!ReadUInt(e, "power", v.power, err)) return MakeError(err);
        g.validators.push_back(v);
    }
    if (auto built = consensus::BuildGenesis(g); !built) {
        return MakeError("genesis: " + built.error());
    }
    return g;
}

nlohmann::json GenesisToJson(const consensus::Genesis& g) {
    const Network net = g.params.network;
    nlohmann::json accounts = nlohmann::json::array();
    for (const auto& a : g.accounts) {
        accounts.push_back(
            {{"address", EncodeAddress(net, a.key)}, {"balance", FormatAmount(a.balance)}});
    }
    nlohmann::json validators = nlohmann::json::array();
    for (const auto& v : g.validators) {
        validators.push_back({{"address", EncodeAddress(net, v.key)}, {"power", v.power}});
    }
    return {{"network", GetNetworkInfo(net).name},
            {"network_id", g.params.network_id},
            {"time_ms", g.time_ms},
            {"params",
             {{"min_fee_per_byte", g.params.min_fee_per_byte},
              {"max_block_bytes", g.params.max_block_bytes},
              {"max_block_txs", g.params.max_block_txs},
              {"max_memo_bytes", g.params.max_memo_bytes}}},
            {"accounts", accounts},
            {"validators", validators}};
}

SecretKey DevnetFaucetKey() {
    static constexpr std::string_view kSeed = "cairn devnet faucet";
    Hash256 h = Sha256({reinterpret_cast<const uint8_t*>(kSeed.data()), kSeed.size()});
    return *SecretKey::FromBytes(h.bytes);
}

consensus::Genesis DevnetGenesis(const PubKey& validator) {
    consensus::Genesis g;
    g.params = consensus::DefaultParams(Network::kDevnet);
    g.time_ms = kDevnetGenesisTimeMs;
    g.accounts.push_back({DevnetFaucetKey().GetPubKey(), kDevnetFaucetBalance});
    g.validators.push_back({validator, kDevnetValidatorPower});
    return g;
}

}  // namespace cairn
