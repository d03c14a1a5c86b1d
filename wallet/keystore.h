// The wallet key file: one secret key per file, for the minimal cairn-wallet.
//
// Format (JSON, version 1):
//   {"version":1,"network":"devnet","address":"dcairn1...","secret_key":"<64 hex>"}
// or, when a passphrase is given, the secret is replaced by
//   "encrypted":{"kdf":"scrypt","n":32768,"r":8,"p":1,"salt":hex,
//                "cipher":"aes-256-gcm","iv":hex,"ciphertext":hex,"tag":hex}
//
// The address stays in clear so that `address` and `balance` work without the passphrase. It
// is not trusted, though: loading derives the public key from the secret and refuses a file
// whose stored address does not match, and the encrypted form authenticates the clear fields
// (version, network, address) as GCM associated data, so editing them breaks decryption.
//
// Files are written with WriteSecretFile (mode 0600) and never overwrite an existing file:
// losing a key is losing its coins. Secret bytes that pass through this module (hex text, the
// derived AES key, decrypted plaintext, the file text) are wiped with MemoryCleanse once used.
// This is best effort: copies made inside iostreams or the JSON parser are out of reach.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "crypto/keys.h"
#include "primitives/network.h"
#include "util/result.h"

namespace cairn::wallet {

inline constexpr int kKeyFileVersion = 1;

// scrypt cost parameters. The defaults (N=2^15, r=8, p=1: 32 MiB, ~0.1 s) are written into
// each file, so they can be raised later without breaking old files.
struct ScryptParams {
    uint64_t n{32768};
    uint64_t r{8};
    uint64_t p{1};
};

// What can be read from a key file without its passphrase.
struct KeyFileInfo {
    Network network{Network::kDevnet};
    std::string address;
    PubKey pubkey;  // decoded from the address, not yet checked against the secret
    bool encrypted{false};
};

// The key file text for `sk`. With a passphrase the secret is encrypted; an empty passphrase
// is an error rather than a silently weak encryption.
Result<std::string, std::string> EncodeKeyFile(const SecretKey& sk, Network net,
                                               std::optional<std::string_view> passphrase,
                                               const ScryptParams& scrypt = {});

// Parses key file text for `net` and reads the clear fields only.
Result<KeyFileInfo, std::string> DecodeKeyFileInfo(std::string_view text, Network net);

// Parses key file text for `net` and returns its secret key, decrypting with `passphrase` if
// the file is encrypted (the passphrase is ignored for a clear file). Fails on a wrong
// passphrase, a file of another network, or a secret that does not match the address.
Result<SecretKey, std::string> DecodeKeyFile(std::string_view text, Network net,
                                             std::optional<std::string_view> passphrase);

// The clear key file text: `doc`'s fields, then "secret_key" (hex of sk). Used by device key
// files too, which add their own fields to `doc`.
std::string ClearKeyFileText(const nlohmann::ordered_json& doc, const SecretKey& sk);

// Writes `text` to a new file at `path` (mode 0600) and wipes `text`. Fails if `path` exists,
// even if it appears while writing: an existing key is never replaced.
Result<void, std::string> WriteNewSecretFile(const std::string& path, std::string& text);

// Writes a new key file at `path` (mode 0600). Fails if `path` already exists.
Result<void, std::string> WriteKeyFile(const std::string& path, const SecretKey& sk, Network net,
                                       std::optional<std::string_view> passphrase,
                                       const ScryptParams& scrypt = {});

// The file-reading counterparts of DecodeKeyFileInfo and DecodeKeyFile.
Result<KeyFileInfo, std::string> ReadKeyFileInfo(const std::string& path, Network net);
Result<SecretKey, std::string> LoadKeyFile(const std::string& path, Network net,
                                           std::optional<std::string_view> passphrase);

}  // namespace cairn::wallet
