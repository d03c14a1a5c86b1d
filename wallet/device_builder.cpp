#include "wallet/device_builder.h"

#include <limits>
#include <locale>

#include <boost/algorithm/string/predicate.hpp>

#include <nlohmann/json.hpp>

#include "consensus/devices/device_record.h"
#include "consensus/tx/compute_txs.h"
#include "consensus/tx/device_txs.h"
#include "primitives/address.h"
#include "util/fs.h"
#include "util/strencodings.h"
#include "wallet/keystore.h"
#include "wallet/tx_builder.h"

namespace cairn::wallet {
namespace {

using nlohmann::json;

Unexpected<std::string> Fail(std::string msg) {
    return Unexpected<std::string>{std::move(msg)};
}

void Cleanse(std::string& s) {
    MemoryCleanse(s.data(), s.size());
}

// --- Exact decimals ---

enum class DecimalError { kSyntax, kTooManyDecimals, kTooLarge };

// "[-]digits[.digits]" in units of 10^-decimals, exactly. At most 11 integer digits (leading
// zeros aside), so that the scaled value always fits in an int64.
Result<int64_t, DecimalError> ParseFixed(std::string_view s, int decimals) {
    bool negative = false;
    if (!s.empty() && s.front() == '-') {
        negative = true;
        s.remove_prefix(1);
    }
    const size_t dot = s.find('.');
    std::string_view whole = s.substr(0, dot);
    std::string_view frac = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
    auto all_digits = [](std::string_view d) {
        for (char c : d) {
            if (c < '0' || c > '9') return false;
        }
        return true;
    };
    if (whole.empty() || !all_digits(whole)) return MakeError(DecimalError::kSyntax);
    if (dot != std::string_view::npos && (frac.empty() || !all_digits(frac))) {
        return MakeError(DecimalError::kSyntax);
    }
    if (frac.size() > static_cast<size_t>(decimals)) {
        return MakeError(DecimalError::kTooManyDecimals);
    }
    while (whole.size() > 1 && whole.front() == '0') whole.remove_prefix(1);
    if (whole.size() > 11) return MakeError(DecimalError::kTooLarge);
    int64_t value = 0;
    for (char c : whole) value = value * 10 + (c - '0');
    for (int i = 0; i < decimals; ++i) {
        value = value * 10 + (static_cast<size_t>(i) < frac.size() ? frac[i] - '0' : 0);
    }
    return negative ? -value : value;
}

constexpr int kDegreeDecimals = 7;

Result<int32_t, std::string> ParseDegrees(std::string_view text, const char* what, int64_t min,
                                          int64_t max_inclusive, const char* range) {
    const std::string quoted = std::string{what} + " '" + std::string{text} + "'";
    auto v = ParseFixed(text, kDegreeDecimals);
    if (!v) {
        switch (v.error()) {
            case DecimalError::kSyntax:
                return Fail("invalid " + quoted +
                            " (decimal degrees such as 52.3731 or -33.8688, no exponent)");
            case DecimalError::kTooManyDecimals:
                return Fail(quoted +
                            " has more than 7 decimals (the chain stores 1e-7 degrees; round it "
                            "yourself)");
            case DecimalError::kTooLarge:
                break;
        }
        return Fail(quoted + " is out of range (" + range + ")");
    }
    if (*v < min || *v > max_inclusive) return Fail(quoted + " is out of range (" + range + ")");
    return static_cast<int32_t>(*v);
}

// --- Device key file ---

// The parsed text with its secret_key string wiped (best effort, as in keystore.cpp: copies
// inside the parser are out of reach). Discarded on a parse error.
json ParseWiped(std::string_view text) {
    json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_object()) {
        auto it = doc.find("secret_key");
        if (it != doc.end() && it->is_string()) Cleanse(it->get_ref<std::string&>());
    }
    return doc;
}

bool HasDeviceKind(const json& doc) {
    if (!doc.is_object()) return false;
    auto it = doc.find("kind");
    return it != doc.end() && it->is_string() &&
           it->get_ref<const std::string&>() == kDeviceKeyFileKind;
}

}  // namespace

// --- Transactions ---

Result<Transaction, std::string> BuildRegisterDevice(const SecretKey& owner_sk,
                                                     const SecretKey& device_sk,
                                                     const consensus::ChainParams& params,
                                                     consensus::DeviceClass device_class,
                                                     ByteSpan class_data, uint64_t nonce,
                                                     std::optional<Amount> fee) {
    consensus::RegisterDevicePayload p;
    p.device_class = device_class;
    p.device = device_sk.GetPubKey();
    p.class_data.assign(class_data.begin(), class_data.end());
    const Hash256 consent = consensus::DeviceRegistrationHash(
        params.network_id, owner_sk.GetPubKey(), p.device, device_class, p.class_data);
    p.device_signature = device_sk.Sign(consent);
    if (!VerifySchnorr(p.device, consent, p.device_signature)) {
        return Fail("device signature self-check failed");
    }
    return BuildTransaction(owner_sk, params, consensus::RegisterDeviceTx::kId, p.Encode(), nonce,
                            fee);
}

Result<Transaction, std::string> BuildSetComputeTier(const SecretKey& owner_sk,
                                                     const consensus::ChainParams& params,
                                                     const PubKey& device, uint8_t tier,
                                                     uint64_t nonce, std::optional<Amount> fee) {
    if (!consensus::FindComputeTier(params.compute, tier)) return Fail("unknown compute tier");
    const consensus::SetComputeTierPayload p{device, tier};
    return BuildTransaction(owner_sk, params, consensus::SetComputeTierTx::kId, p.Encode(), nonce,
                            fee);
}

Result<Transaction, std::string> BuildReactivateCompute(const SecretKey& owner_sk,
                                                        const consensus::ChainParams& params,
                                                        const PubKey& device, uint64_t nonce,
                                                        std::optional<Amount> fee) {
    const consensus::ReactivateComputePayload p{device};
    return BuildTransaction(owner_sk, params, consensus::ReactivateComputeTx::kId, p.Encode(),
                            nonce, fee);
}

Result<Transaction, std::string> BuildAssertLocation(const SecretKey& owner_sk,
                                                     const consensus::ChainParams& params,
                                                     const PubKey& device,
                                                     const consensus::poc::LatLon& position,
                                                     uint16_t gain_ddbi, uint8_t region,
                                                     uint64_t nonce, std::optional<Amount> fee) {
    consensus::AssertLocationPayload p;
    p.device = device;
    p.position = position;
    p.gain_ddbi = gain_ddbi;
    p.region = region;
    return BuildTransaction(owner_sk, params, consensus::AssertLocationTx::kId, p.Encode(), nonce,
                            fee);
}

Result<Transaction, std::string> BuildTransferDevice(const SecretKey& owner_sk,
                                                     const consensus::ChainParams& params,
                                                     const PubKey& device, const PubKey& new_owner,
                                                     uint64_t nonce, std::optional<Amount> fee) {
    consensus::TransferDevicePayload p;
    p.device = device;
    p.new_owner = new_owner;
    return BuildTransaction(owner_sk, params, consensus::TransferDeviceTx::kId, p.Encode(), nonce,
                            fee);
}

// --- Operator input ---

Result<int32_t, std::string> ParseLatitudeE7(std::string_view text) {
    return ParseDegrees(text, "latitude", -consensus::poc::kMaxLatE7, consensus::poc::kMaxLatE7,
                        "-90 to 90");
}

Result<int32_t, std::string> ParseLongitudeE7(std::string_view text) {
    return ParseDegrees(text, "longitude", -int64_t{consensus::poc::kMaxLonE7},
                        int64_t{consensus::poc::kMaxLonE7} - 1,
                        "-180 to 180, 180 itself excluded: write it as -180");
}

Result<consensus::poc::LatLon, std::string> ParseLatLon(std::string_view lat,
                                                        std::string_view lon) {
    auto la = ParseLatitudeE7(lat);
    if (!la) return Fail(la.error());
    auto lo = ParseLongitudeE7(lon);
    if (!lo) return Fail(lo.error());
    consensus::poc::LatLon p{*la, *lo};
    // The parsers' ranges are exactly IsValidLocation's; this keeps them tied together.
    if (!consensus::poc::IsValidLocation(p)) return Fail("not a valid location");
    return p;
}

std::string FormatDegreesE7(int32_t e7) {
    const int64_t v = e7;
    const uint64_t mag = static_cast<uint64_t>(v < 0 ? -v : v);
    std::string out = v < 0 ? "-" : "";
    out += std::to_string(mag / 10'000'000);
    std::string frac = std::to_string(mag % 10'000'000);
    frac.insert(0, 7 - frac.size(), '0');
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    if (!frac.empty()) out += "." + frac;
    return out;
}

Result<uint16_t, std::string> ParseGainDdbi(std::string_view text) {
    const std::string quoted = "antenna gain '" + std::string{text} + "'";
    if (!text.empty() && text.front() == '-') return Fail(quoted + " must not be negative");
    auto v = ParseFixed(text, 1);
    if (!v) {
        switch (v.error()) {
            case DecimalError::kSyntax:
                return Fail("invalid " + quoted + " (dBi with at most one decimal, e.g. 3.0)");
            case DecimalError::kTooManyDecimals:
                return Fail(quoted + " has more than one decimal (the chain stores 0.1 dBi)");
            case DecimalError::kTooLarge:
                break;
        }
        return Fail(quoted + " is too large");
    }
    if (*v > std::numeric_limits<uint16_t>::max()) return Fail(quoted + " is too large");
    return static_cast<uint16_t>(*v);
}

std::string FormatGainDdbi(uint16_t ddbi) {
    return std::to_string(ddbi / 10) + "." + std::to_string(ddbi % 10);
}

Result<uint8_t, std::string> ParseRegion(const consensus::PocParams& poc, std::string_view name) {
    std::string names;
    for (size_t i = 0; i < poc.regions.size() && i <= std::numeric_limits<uint8_t>::max(); ++i) {
        const std::string& r = poc.regions[i].name;
        if (boost::algorithm::iequals(r, name, std::locale::classic())) {
            return static_cast<uint8_t>(i);
        }
        names += (names.empty() ? "" : ", ") + r;
    }
    return Fail("unknown region '" + std::string{name} + "' (one of " + names + ")");
}

Result<PubKey, std::string> ParseDeviceKey(std::string_view hex) {
    auto bytes = ParseHex(hex);
    if (!bytes || bytes->size() != 32) {
        return Fail("invalid device key '" + std::string{hex} +
                    "' (64 hex digits, as device-new printed)");
    }
    auto pk = PubKey::Parse(*bytes);
    if (!pk) return Fail("device key " + std::string{hex} + " is not a valid public key");
    return *pk;
}

// --- Device key file ---

std::string EncodeDeviceKeyFile(const SecretKey& sk, Network net) {
    const PubKey pk = sk.GetPubKey();
    // ordered_json keeps the documented field order.
    const nlohmann::ordered_json doc = {{"version", kKeyFileVersion},
                                        {"kind", std::string{kDeviceKeyFileKind}},
                                        {"network", std::string{GetNetworkInfo(net).name}},
                                        {"device", pk.Hex()},
                                        {"address", EncodeAddress(net, pk)}};
    return ClearKeyFileText(doc, sk);
}

Result<SecretKey, std::string> DecodeDeviceKeyFile(std::string_view text, Network net) {
    const json doc = ParseWiped(text);
    if (doc.is_discarded() || !doc.is_object()) return Fail("key file is not a JSON object");
    if (!HasDeviceKind(doc)) {
        return Fail("not a device key file (it has no \"kind\": \"device\")");
    }
    // The wallet key file's own checks: version, network, the secret against the address.
    auto sk = DecodeKeyFile(text, net, std::nullopt);
    if (!sk) return Fail(sk.error());
    auto device = doc.find("device");
    if (device == doc.end() || !device->is_string()) return Fail("device key file has no device");
    if (device->get_ref<const std::string&>() != sk->GetPubKey().Hex()) {
        return Fail("device key file: the device field does not match its secret key");
    }
    return sk;
}

bool IsDeviceKeyFile(std::string_view text) {
    return HasDeviceKind(ParseWiped(text));
}

Result<void, std::string> WriteDeviceKeyFile(const std::string& path, const SecretKey& sk,
                                             Network net) {
    std::string text = EncodeDeviceKeyFile(sk, net);
    return WriteNewSecretFile(path, text);
}

Result<SecretKey, std::string> LoadDeviceKeyFile(const std::string& path, Network net) {
    auto text = ReadFile(path);
    if (!text) return Fail("cannot read device key file " + path);
    auto sk = DecodeDeviceKeyFile(*text, net);
    Cleanse(*text);
    if (!sk) return Fail(path + ": " + sk.error());
    return sk;
}

}  // namespace cairn::wallet
