#include "crypto/hash.h"

// The one-shot SHA256_* functions are deprecated in OpenSSL 3 in favour of EVP, but they are
// the same SHA-NI/AVX2 code without EVP's per-call digest lookup, context allocation and
// locking, which cost more than the hash itself for the 32-64 byte inputs Cairn hashes most.
// SHA256_CTX is a plain struct, so a tag's primed state can be copied.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <string>
#include <unordered_map>

namespace cairn {

bool Hash256::IsZero() const {
    for (uint8_t b : bytes)
        if (b != 0) return false;
    return true;
}

std::optional<Hash256> Hash256::FromHex(std::string_view hex) {
    if (hex.size() != 64) return std::nullopt;
    auto raw = ParseHex(hex);
    if (!raw) return std::nullopt;
    Hash256 h;
    std::copy(raw->begin(), raw->end(), h.bytes.begin());
    return h;
}

Hash256 Sha256(ByteSpan data) {
    Hash256 out;
    SHA256(data.data(), data.size(), out.bytes.data());
    return out;
}

namespace {

// SHA-256 state after absorbing SHA256(tag) || SHA256(tag) (exactly one 64-byte block),
// computed once per tag.
SHA256_CTX PrimedState(std::string_view tag) {
    Hash256 t = Sha256({reinterpret_cast<const uint8_t*>(tag.data()), tag.size()});
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, t.bytes.data(), t.bytes.size());
    SHA256_Update(&ctx, t.bytes.data(), t.bytes.size());
    return ctx;
}

struct TagHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// The tags in hash.h are few and fixed; a thread-local copy of the cache avoids the lock.
// Keys are owned strings: callers may pass temporaries.
const SHA256_CTX& Primed(std::string_view tag) {
    thread_local std::unordered_map<std::string, SHA256_CTX, TagHash, std::equal_to<>> local;
    auto it = local.find(tag);
    if (it != local.end()) return it->second;
    if (local.size() >= 64) local.clear();  // only tests use more than a handful of tags
    return local.emplace(std::string{tag}, PrimedState(tag)).first->second;
}

}  // namespace

Hash256 TaggedHash(std::string_view tag, ByteSpan data) {
    SHA256_CTX ctx = Primed(tag);
    SHA256_Update(&ctx, data.data(), data.size());
    Hash256 out;
    SHA256_Final(out.bytes.data(), &ctx);
    return out;
}

}  // namespace cairn
