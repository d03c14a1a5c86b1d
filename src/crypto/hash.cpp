#include "crypto/hash.h"

#include <openssl/evp.h>

#include <stdexcept>

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

struct Sha256Writer::Impl {
    EVP_MD_CTX* ctx;
};

Sha256Writer::Sha256Writer() : m_impl{new Impl{EVP_MD_CTX_new()}} {
    if (m_impl->ctx == nullptr || EVP_DigestInit_ex(m_impl->ctx, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("OpenSSL SHA-256 initialisation failed");
    }
}

Sha256Writer::~Sha256Writer() {
    EVP_MD_CTX_free(m_impl->ctx);
    delete m_impl;
}

Sha256Writer& Sha256Writer::Write(ByteSpan data) {
    EVP_DigestUpdate(m_impl->ctx, data.data(), data.size());
    return *this;
}

Hash256 Sha256Writer::Finalize() {
    Hash256 out;
    unsigned int len = 0;
    EVP_DigestFinal_ex(m_impl->ctx, out.bytes.data(), &len);
    return out;
}

Hash256 Sha256(ByteSpan data) {
    Hash256 out;
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), out.bytes.data(), &len, EVP_sha256(), nullptr);
    return out;
}

void PrimeTagged(Sha256Writer& w, std::string_view tag) {
    Hash256 t = Sha256({reinterpret_cast<const uint8_t*>(tag.data()), tag.size()});
    w.Write(t.bytes).Write(t.bytes);
}

Hash256 TaggedHash(std::string_view tag, ByteSpan data) {
    Sha256Writer w;
    PrimeTagged(w, tag);
    w.Write(data);
    return w.Finalize();
}

}  // namespace cairn
