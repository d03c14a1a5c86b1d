// RPC authentication: HTTP Basic credentials checked against
//   - the cookie (user "__cookie__", a random password written to <datadir>/.cookie, 0600),
//   - --rpcuser/--rpcpassword,
//   - --rpcauth entries "user:salt$hash" with hash = hex(HMAC-SHA256(key=salt, msg=password)),
//     so a config file need not hold the password (contrib/rpcauth.py makes them).
// Every comparison is constant time, and each credential is checked (no early exit on user).
#pragma once

#include <string>
#include <vector>

#include "util/result.h"

namespace cairn::rpc {

class RpcAuth {
public:
    // Parses an "user:salt$hash" entry; error text on malformed input.
    Result<bool, std::string> AddRpcAuth(const std::string& entry);
    void AddUserPassword(const std::string& user, const std::string& password);
    // Generates a cookie credential, writes it to path (0600), and accepts it.
    Result<bool, std::string> CreateCookie(const std::string& path);

    // Checks the value of an Authorization header.
    bool Check(const std::string& authorization_header) const;

    static std::string HmacSha256Hex(const std::string& key, const std::string& msg);

private:
    struct Entry {
        std::string user;
        std::string salt;
        std::string hash_hex;
    };
    std::vector<Entry> m_entries;
};

}  // namespace cairn::rpc
