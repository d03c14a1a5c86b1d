// BIP340 Schnorr keys over secp256k1, through libsecp256k1 (schnorrsig, extrakeys).
//
// An account is a 32-byte x-only public key. Secret keys are wiped when destroyed and never
// printed by operator<<; signing goes only through libsecp256k1, which is constant time.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/hash.h"

namespace cairn {

// A BIP340 x-only public key: 32 bytes. Parse() checks the bytes are a point on the curve.
struct PubKey {
    std::array<uint8_t, 32> bytes{};

    // nullopt unless the 32 bytes are the x coordinate of a curve point.
    static std::optional<PubKey> Parse(ByteSpan data);
    // True if the bytes encode a valid x-only key (Parse would succeed).
    bool IsValid() const;
    std::string Hex() const { return HexStr(bytes); }
    ByteSpan Span() const { return bytes; }
    auto operator<=>(const PubKey&) const = default;
};

struct Signature {
    std::array<uint8_t, 64> bytes{};
    ByteSpan Span() const { return bytes; }
    bool operator==(const Signature&) const = default;
};

class SecretKey {
public:
    // nullopt unless 32 bytes in [1, n-1].
    static std::optional<SecretKey> FromBytes(ByteSpan data);
    // A fresh key from the operating system's CSPRNG (OpenSSL RAND_bytes).
    static SecretKey Generate();

    SecretKey(const SecretKey&) = default;
    SecretKey& operator=(const SecretKey&) = default;
    ~SecretKey();

    PubKey GetPubKey() const;
    // BIP340 signature of a 32-byte message. aux_rand defaults to fresh randomness;
    // tests pass it explicitly to reproduce BIP340 vectors.
    Signature Sign(const Hash256& msg, const std::optional<std::array<uint8_t, 32>>& aux_rand =
                                            std::nullopt) const;
    const std::array<uint8_t, 32>& Bytes() const { return m_bytes; }

private:
    SecretKey() = default;
    std::array<uint8_t, 32> m_bytes{};
};

// BIP340 verification of a 32-byte message.
[[nodiscard]] bool VerifySchnorr(const PubKey& pk, const Hash256& msg, const Signature& sig);

// Overwrites memory in a way the compiler may not elide.
void MemoryCleanse(void* p, size_t n);

}  // namespace cairn

template <>
struct std::hash<cairn::PubKey> {
    size_t operator()(const cairn::PubKey& k) const noexcept {
        size_t v;
        __builtin_memcpy(&v, k.bytes.data(), sizeof(v));
        return v;
    }
};
