#include "rpc/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "util/fs.h"
#include "util/strencodings.h"

namespace cairn::rpc {
namespace {

bool ConstantTimeEqual(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string RpcAuth::HmacSha256Hex(const std::string& key, const std::string& msg) {
    unsigned char out[32];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), out, &len);
    return HexStr({out, len});
}

Result<bool, std::string> RpcAuth::AddRpcAuth(const std::string& entry) {
    size_t colon = entry.find(':');
    size_t dollar = entry.find('$', colon == std::string::npos ? 0 : colon);
    if (colon == std::string::npos || colon == 0 || dollar == std::string::npos) {
        return MakeError("malformed --rpcauth '" + entry + "', expected user:salt$hash");
    }
    Entry e{entry.substr(0, colon), entry.substr(colon + 1, dollar - colon - 1),
            entry.substr(dollar + 1)};
    if (e.salt.empty() || e.hash_hex.size() != 64 || !ParseHex(e.hash_hex)) {
        return MakeError("malformed --rpcauth '" + entry + "': hash must be 64 hex digits");
    }
    for (char& c : e.hash_hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    m_entries.push_back(std::move(e));
    return true;
}

void RpcAuth::AddUserPassword(const std::string& user, const std::string& password) {
    // Stored like an rpcauth entry so every check takes the same path.
    unsigned char salt[16];
    RAND_bytes(salt, sizeof(salt));
    std::string salt_hex = HexStr({salt, sizeof(salt)});
    m_entries.push_back({user, salt_hex, HmacSha256Hex(salt_hex, password)});
}

Result<bool, std::string> RpcAuth::CreateCookie(const std::string& path) {
    unsigned char pw[32];
    if (RAND_bytes(pw, sizeof(pw)) != 1) return MakeError(std::string{"RAND_bytes failed"});
    std::string password = HexStr({pw, sizeof(pw)});
    std::string err;
    if (!WriteSecretFile(path, "__cookie__:" + password, err)) return MakeError(err);
    AddUserPassword("__cookie__", password);
    return true;
}

bool RpcAuth::Check(const std::string& header) const {
    static const std::string kPrefix = "Basic ";
    if (header.compare(0, kPrefix.size(), kPrefix) != 0) return false;
    auto decoded = DecodeBase64(header.substr(kPrefix.size()));
    if (!decoded) return false;
    size_t colon = decoded->find(':');
    if (colon == std::string::npos) return false;
    std::string user = decoded->substr(0, colon);
    std::string password = decoded->substr(colon + 1);
    bool ok = false;
    for (const Entry& e : m_entries) {
        bool user_ok = ConstantTimeEqual(user, e.user);
        bool pw_ok = ConstantTimeEqual(HmacSha256Hex(e.salt, password), e.hash_hex);
        ok |= (user_ok & pw_ok);
    }
    return ok;
}

}  // namespace cairn::rpc
