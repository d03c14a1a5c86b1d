#include "wallet/keystore.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>

#include <nlohmann/json.hpp>

#include "primitives/address.h"
#include "util/fs.h"
#include "util/strencodings.h"

namespace cairn::wallet {
namespace {

using nlohmann::json;

constexpr size_t kSaltBytes = 16;
constexpr size_t kIvBytes = 12;  // the GCM standard nonce size
constexpr size_t kTagBytes = 16;
constexpr size_t kSecretBytes = 32;
// A key file asking for more scrypt memory than this is refused: a typo in "n" must not make
// the wallet try to allocate gigabytes.
constexpr uint64_t kMaxScryptMemory = 512ull << 20;

Unexpected<std::string> Fail(std::string msg) {
    return Unexpected<std::string>{std::move(msg)};
}

void Cleanse(std::string& s) {
    MemoryCleanse(s.data(), s.size());
}
void Cleanse(Bytes& b) {
    MemoryCleanse(b.data(), b.size());
}

// 32 secret bytes (a derived key or a decrypted secret) wiped on every exit path.
struct SecretBuf {
    std::array<uint8_t, kSecretBytes> bytes{};
    SecretBuf() = default;
    SecretBuf(const SecretBuf&) = delete;
    SecretBuf& operator=(const SecretBuf&) = delete;
    ~SecretBuf() { MemoryCleanse(bytes.data(), bytes.size()); }
};

struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

// Checks the cost parameters and returns the memory scrypt needs for them (OpenSSL's own
// formula, plus slack), to pass as its maxmem.
Result<uint64_t, std::string> ScryptMemory(const ScryptParams& s) {
    if (s.n < 2 || (s.n & (s.n - 1)) != 0 || s.n > (1u << 24)) {
        return Fail("scrypt n must be a power of two between 2 and 2^24");
    }
    if (s.r < 1 || s.r > 1024 || s.p < 1 || s.p > 1024) {
        return Fail("scrypt r and p must be between 1 and 1024");
    }
    uint64_t need = 128 * s.r * (s.n + 2) + 128 * s.r * s.p;
    if (need > kMaxScryptMemory) return Fail("scrypt parameters need too much memory");
    return need + (1 << 20);
}

Result<void, std::string> DeriveKey(std::string_view passphrase, ByteSpan salt,
                                    const ScryptParams& s, SecretBuf& key) {
    auto maxmem = ScryptMemory(s);
    if (!maxmem) return Fail(maxmem.error());
    if (EVP_PBE_scrypt(passphrase.data(), passphrase.size(), salt.data(), salt.size(), s.n, s.r,
                       s.p, *maxmem, key.bytes.data(), key.bytes.size()) != 1) {
        return Fail("scrypt key derivation failed");
    }
    return {};
}

// The clear fields the ciphertext is bound to (GCM associated data).
std::string AssociatedData(Network net, std::string_view address) {
    return "cairn-wallet-key|" + std::to_string(kKeyFileVersion) + "|" +
           std::string{GetNetworkInfo(net).name} + "|" + std::string{address};
}

struct Sealed {
    Bytes salt, iv, ciphertext, tag;
};

Result<Sealed, std::string> Encrypt(ByteSpan secret, std::string_view passphrase,
                                    const ScryptParams& s, std::string_view aad) {
    Sealed out;
    out.salt.resize(kSaltBytes);
    out.iv.resize(kIvBytes);
    if (RAND_bytes(out.salt.data(), out.salt.size()) != 1 ||
        RAND_bytes(out.iv.data(), out.iv.size()) != 1) {
        return Fail("cannot get random bytes for encryption");
    }
    SecretBuf key;
    if (auto r = DeriveKey(passphrase, out.salt, s, key); !r) return Fail(r.error());

    CipherCtx ctx{EVP_CIPHER_CTX_new()};
    out.ciphertext.resize(secret.size());
    out.tag.resize(kTagBytes);
    int len = 0;
    bool ok =
        ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kIvBytes, nullptr) == 1 &&
        EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.bytes.data(), out.iv.data()) == 1 &&
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const uint8_t*>(aad.data()),
                          static_cast<int>(aad.size())) == 1 &&
        EVP_EncryptUpdate(ctx.get(), out.ciphertext.data(), &len, secret.data(),
                          static_cast<int>(secret.size())) == 1 &&
        static_cast<size_t>(len) == secret.size() &&
        EVP_EncryptFinal_ex(ctx.get(), out.ciphertext.data() + len, &len) == 1 && len == 0 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, out.tag.data()) == 1;
    if (!ok) return Fail("aes-256-gcm encryption failed");
    return out;
}

// Decrypts into `plain`. A failed tag check means a wrong passphrase or an edited file; the
// two cannot be told apart, so the message names both.
Result<void, std::string> Decrypt(const Sealed& in, std::string_view passphrase,
                                  const ScryptParams& s, std::string_view aad, SecretBuf& plain) {
    SecretBuf key;
    if (auto r = DeriveKey(passphrase, in.salt, s, key); !r) return Fail(r.error());
    CipherCtx ctx{EVP_CIPHER_CTX_new()};
    int len = 0;
    bool ok =
        ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kIvBytes, nullptr) == 1 &&
        EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.bytes.data(), in.iv.data()) == 1 &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const uint8_t*>(aad.data()),
                          static_cast<int>(aad.size())) == 1 &&
        EVP_DecryptUpdate(ctx.get(), plain.bytes.data(), &len, in.ciphertext.data(),
                          static_cast<int>(in.ciphertext.size())) == 1 &&
        static_cast<size_t>(len) == plain.bytes.size() &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes,
                            const_cast<uint8_t*>(in.tag.data())) == 1;
    if (!ok) return Fail("aes-256-gcm decryption failed");
    if (EVP_DecryptFinal_ex(ctx.get(), plain.bytes.data() + len, &len) != 1) {
        MemoryCleanse(plain.bytes.data(), plain.bytes.size());
        return Fail("wrong passphrase (or the key file was modified)");
    }
    return {};
}

// Reads a hex field of an exact byte length (0: any non-empty length up to 64 bytes).
Result<Bytes, std::string> HexField(const json& obj, const char* name, size_t size) {
    auto it = obj.find(name);
    if (it == obj.end() || !it->is_string()) {
        return Fail(std::string{"key file: missing field encrypted."} + name);
    }
    auto bytes = ParseHex(it->get_ref<const std::string&>());
    bool size_ok = bytes && (size ? bytes->size() == size : !bytes->empty() && bytes->size() <= 64);
    if (!size_ok) return Fail(std::string{"key file: bad field encrypted."} + name);
    return std::move(*bytes);
}

bool StringFieldIs(const json& obj, const char* name, std::string_view expected) {
    auto it = obj.find(name);
    return it != obj.end() && it->is_string() && it->get_ref<const std::string&>() == expected;
}

Result<uint64_t, std::string> UIntField(const json& obj, const char* name) {
    auto it = obj.find(name);
    if (it == obj.end() || !it->is_number_unsigned()) {
        return Fail(std::string{"key file: missing or bad field encrypted."} + name);
    }
    return it->get<uint64_t>();
}

// Parses the text and checks the clear fields. `doc` keeps the parsed document for the caller.
Result<KeyFileInfo, std::string> ParseClear(std::string_view text, Network net, json& doc) {
    doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) return Fail("key file is not a JSON object");
    auto version = doc.find("version");
    if (version == doc.end() || !version->is_number_unsigned()) {
        return Fail("key file has no version");
    }
    if (version->get<uint64_t>() != kKeyFileVersion) {
        return Fail("key file version " + version->dump() + " is not supported (expected " +
                    std::to_string(kKeyFileVersion) + ")");
    }
    auto network = doc.find("network");
    if (network == doc.end() || !network->is_string()) return Fail("key file has no network");
    const std::string& net_name = network->get_ref<const std::string&>();
    if (net_name != GetNetworkInfo(net).name) {
        return Fail("key file is for network '" + net_name + "', not '" +
                    std::string{GetNetworkInfo(net).name} + "'");
    }
    auto address = doc.find("address");
    if (address == doc.end() || !address->is_string()) return Fail("key file has no address");
    KeyFileInfo info;
    info.network = net;
    info.address = address->get<std::string>();
    auto pk = DecodeAddress(net, info.address);
    if (!pk) return Fail("key file address: " + AddressErrorString(pk.error()));
    info.pubkey = *pk;
    bool has_secret = doc.contains("secret_key");
    info.encrypted = doc.contains("encrypted");
    if (has_secret == info.encrypted) {
        return Fail("key file must have exactly one of secret_key and encrypted");
    }
    return info;
}

Result<SecretKey, std::string> CheckedKey(ByteSpan secret, const KeyFileInfo& info) {
    auto sk = SecretKey::FromBytes(secret);
    if (!sk) return Fail("key file holds an invalid secret key");
    if (sk->GetPubKey() != info.pubkey) {
        return Fail("key file secret key does not match its address " + info.address);
    }
    return std::move(*sk);
}

Result<SecretKey, std::string> DecryptSecret(const json& enc, const KeyFileInfo& info,
                                             std::string_view passphrase) {
    if (!enc.is_object()) return Fail("key file: encrypted is not an object");
    if (!StringFieldIs(enc, "kdf", "scrypt")) return Fail("key file: unsupported kdf (not scrypt)");
    if (!StringFieldIs(enc, "cipher", "aes-256-gcm")) {
        return Fail("key file: unsupported cipher (not aes-256-gcm)");
    }
    ScryptParams s;
    auto n = UIntField(enc, "n");
    auto r = UIntField(enc, "r");
    auto p = UIntField(enc, "p");
    if (!n) return Fail(n.error());
    if (!r) return Fail(r.error());
    if (!p) return Fail(p.error());
    s.n = *n;
    s.r = *r;
    s.p = *p;
    Sealed sealed;
    auto salt = HexField(enc, "salt", 0);
    auto iv = HexField(enc, "iv", kIvBytes);
    auto ct = HexField(enc, "ciphertext", kSecretBytes);
    auto tag = HexField(enc, "tag", kTagBytes);
    if (!salt) return Fail(salt.error());
    if (!iv) return Fail(iv.error());
    if (!ct) return Fail(ct.error());
    if (!tag) return Fail(tag.error());
    sealed.salt = std::move(*salt);
    sealed.iv = std::move(*iv);
    sealed.ciphertext = std::move(*ct);
    sealed.tag = std::move(*tag);
    SecretBuf plain;
    if (auto d = Decrypt(sealed, passphrase, s, AssociatedData(info.network, info.address), plain);
        !d) {
        return Fail(d.error());
    }
    return CheckedKey(plain.bytes, info);
}

}  // namespace

std::string ClearKeyFileText(const nlohmann::ordered_json& doc, const SecretKey& sk) {
    // Assembled by hand into a buffer reserved up front: a JSON serializer would leave copies
    // of the secret hex in the buffers it outgrows, which nobody wipes.
    std::string prefix = doc.dump(2);
    prefix.resize(prefix.size() - 2);  // the closing "\n}"
    std::string text;
    text.reserve(prefix.size() + 2 * kSecretBytes + 32);
    text += prefix;
    text += ",\n  \"secret_key\": \"";
    static constexpr char kDigits[] = "0123456789abcdef";
    for (uint8_t b : sk.Bytes()) {
        text.push_back(kDigits[b >> 4]);
        text.push_back(kDigits[b & 0xf]);
    }
    text += "\"\n}\n";
    return text;
}

Result<std::string, std::string> EncodeKeyFile(const SecretKey& sk, Network net,
                                               std::optional<std::string_view> passphrase,
                                               const ScryptParams& scrypt) {
    std::string address = EncodeAddress(net, sk.GetPubKey());
    // ordered_json keeps the documented field order, which is friendlier to read.
    nlohmann::ordered_json doc = {{"version", kKeyFileVersion},
                                  {"network", std::string{GetNetworkInfo(net).name}},
                                  {"address", address}};
    if (passphrase) {
        if (passphrase->empty()) return Fail("the passphrase is empty");
        auto sealed = Encrypt(sk.Bytes(), *passphrase, scrypt, AssociatedData(net, address));
        if (!sealed) return Fail(sealed.error());
        doc["encrypted"] = {{"kdf", "scrypt"},
                            {"n", scrypt.n},
                            {"r", scrypt.r},
                            {"p", scrypt.p},
                            {"salt", HexStr(sealed->salt)},
                            {"cipher", "aes-256-gcm"},
                            {"iv", HexStr(sealed->iv)},
                            {"ciphertext", HexStr(sealed->ciphertext)},
                            {"tag", HexStr(sealed->tag)}};
        return doc.dump(2) + "\n";
    }
    return ClearKeyFileText(doc, sk);
}

Result<KeyFileInfo, std::string> DecodeKeyFileInfo(std::string_view text, Network net) {
    json doc;
    auto info = ParseClear(text, net, doc);
    if (doc.is_object() && doc.contains("secret_key") && doc["secret_key"].is_string()) {
        Cleanse(doc["secret_key"].get_ref<std::string&>());
    }
    return info;
}

Result<SecretKey, std::string> DecodeKeyFile(std::string_view text, Network net,
                                             std::optional<std::string_view> passphrase) {
    json doc;
    auto info = ParseClear(text, net, doc);
    auto secret = doc.is_object() ? doc.find("secret_key") : doc.end();
    // The hex text of a clear key is wiped whatever happens below.
    struct Wipe {
        json* j;
        ~Wipe() {
            if (j && j->is_string()) Cleanse(j->get_ref<std::string&>());
        }
    } wipe{secret != doc.end() ? &*secret : nullptr};
    if (!info) return Fail(info.error());

    if (info->encrypted) {
        if (!passphrase) return Fail("key file is encrypted: a passphrase is needed");
        return DecryptSecret(doc["encrypted"], *info, *passphrase);
    }
    if (!secret->is_string()) return Fail("key file: secret_key is not a string");
    auto bytes = ParseHex(secret->get_ref<const std::string&>());
    if (!bytes || bytes->size() != kSecretBytes) {
        if (bytes) Cleanse(*bytes);
        return Fail("key file: secret_key is not 64 hex digits");
    }
    auto sk = CheckedKey(*bytes, *info);
    Cleanse(*bytes);
    return sk;
}

Result<void, std::string> WriteNewSecretFile(const std::string& path, std::string& text) {
    const std::string exists = "key file " + path + " already exists; refusing to overwrite it";
    if (FileExists(path)) {
        Cleanse(text);
        return Fail(exists);
    }
    // WriteSecretFile renames over its target, so write a staging file and hard-link it into
    // place: link() fails if the key file appeared meanwhile, where rename() would replace it.
    const std::string staging = path + ".new";
    std::string error;
    bool written = WriteSecretFile(staging, text, error);
    Cleanse(text);
    if (!written) return Fail(error);
    if (::link(staging.c_str(), path.c_str()) != 0) {
        int err = errno;
        if (err == EEXIST) {
            ::unlink(staging.c_str());
            return Fail(exists);
        }
        // Some file systems have no hard links; fall back to the checked rename.
        bool no_links = err == EPERM || err == ENOTSUP || err == EOPNOTSUPP || err == ENOSYS;
        if (!no_links || FileExists(path) || ::rename(staging.c_str(), path.c_str()) != 0) {
            ::unlink(staging.c_str());
            return Fail("cannot create key file " + path + ": " + std::strerror(err));
        }
        return {};
    }
    ::unlink(staging.c_str());
    return {};
}

Result<void, std::string> WriteKeyFile(const std::string& path, const SecretKey& sk, Network net,
                                       std::optional<std::string_view> passphrase,
                                       const ScryptParams& scrypt) {
    if (FileExists(path)) {
        return Fail("key file " + path + " already exists; refusing to overwrite it");
    }
    auto text = EncodeKeyFile(sk, net, passphrase, scrypt);
    if (!text) return Fail(text.error());
    return WriteNewSecretFile(path, *text);
}

Result<KeyFileInfo, std::string> ReadKeyFileInfo(const std::string& path, Network net) {
    auto text = ReadFile(path);
    if (!text) return Fail("cannot read key file " + path);
    auto info = DecodeKeyFileInfo(*text, net);
    Cleanse(*text);
    if (!info) return Fail(path + ": " + info.error());
    return info;
}

Result<SecretKey, std::string> LoadKeyFile(const std::string& path, Network net,
                                           std::optional<std::string_view> passphrase) {
    auto text = ReadFile(path);
    if (!text) return Fail("cannot read key file " + path);
    auto sk = DecodeKeyFile(*text, net, passphrase);
    Cleanse(*text);
    if (!sk) return Fail(path + ": " + sk.error());
    return sk;
}

}  // namespace cairn::wallet
