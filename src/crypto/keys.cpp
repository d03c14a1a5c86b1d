#include "crypto/keys.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include <stdexcept>

namespace cairn {
namespace {

// One context for the process, randomized once at first use. libsecp256k1 contexts are safe
// to use from several threads for signing and verification once created.
const secp256k1_context* Ctx() {
    static secp256k1_context* ctx = [] {
        secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
        std::array<uint8_t, 32> seed{};
        if (RAND_bytes(seed.data(), seed.size()) != 1 ||
            secp256k1_context_randomize(c, seed.data()) != 1) {
            throw std::runtime_error("secp256k1 context randomization failed");
        }
        return c;
    }();
    return ctx;
}

}  // namespace

void MemoryCleanse(void* p, size_t n) { OPENSSL_cleanse(p, n); }

std::optional<PubKey> PubKey::Parse(ByteSpan data) {
    if (data.size() != 32) return std::nullopt;
    secp256k1_xonly_pubkey pk;
    if (secp256k1_xonly_pubkey_parse(Ctx(), &pk, data.data()) != 1) return std::nullopt;
    PubKey out;
    std::copy(data.begin(), data.end(), out.bytes.begin());
    return out;
}

bool PubKey::IsValid() const { return Parse(bytes).has_value(); }

std::optional<SecretKey> SecretKey::FromBytes(ByteSpan data) {
    if (data.size() != 32) return std::nullopt;
    if (secp256k1_ec_seckey_verify(Ctx(), data.data()) != 1) return std::nullopt;
    SecretKey sk;
    std::copy(data.begin(), data.end(), sk.m_bytes.begin());
    return sk;
}

SecretKey SecretKey::Generate() {
    std::array<uint8_t, 32> buf{};
    for (;;) {
        if (RAND_bytes(buf.data(), buf.size()) != 1) throw std::runtime_error("RAND_bytes failed");
        if (auto sk = FromBytes(buf)) {
            MemoryCleanse(buf.data(), buf.size());
            return *sk;
        }
    }
}

SecretKey::~SecretKey() { MemoryCleanse(m_bytes.data(), m_bytes.size()); }

PubKey SecretKey::GetPubKey() const {
    secp256k1_keypair kp;
    secp256k1_xonly_pubkey xpk;
    PubKey out;
    if (secp256k1_keypair_create(Ctx(), &kp, m_bytes.data()) != 1 ||
        secp256k1_keypair_xonly_pub(Ctx(), &xpk, nullptr, &kp) != 1) {
        throw std::logic_error("keypair from a checked secret key failed");
    }
    secp256k1_xonly_pubkey_serialize(Ctx(), out.bytes.data(), &xpk);
    MemoryCleanse(&kp, sizeof(kp));
    return out;
}

Signature SecretKey::Sign(const Hash256& msg,
                          const std::optional<std::array<uint8_t, 32>>& aux_rand) const {
    std::array<uint8_t, 32> aux{};
    if (aux_rand) {
        aux = *aux_rand;
    } else if (RAND_bytes(aux.data(), aux.size()) != 1) {
        throw std::runtime_error("RAND_bytes failed");
    }
    secp256k1_keypair kp;
    Signature sig;
    if (secp256k1_keypair_create(Ctx(), &kp, m_bytes.data()) != 1 ||
        secp256k1_schnorrsig_sign32(Ctx(), sig.bytes.data(), msg.bytes.data(), &kp, aux.data()) !=
            1) {
        throw std::logic_error("BIP340 signing with a checked secret key failed");
    }
    MemoryCleanse(&kp, sizeof(kp));
    return sig;
}

bool VerifySchnorr(const PubKey& pk, const Hash256& msg, const Signature& sig) {
    secp256k1_xonly_pubkey xpk;
    if (secp256k1_xonly_pubkey_parse(Ctx(), &xpk, pk.bytes.data()) != 1) return false;
    return secp256k1_schnorrsig_verify(Ctx(), sig.bytes.data(), msg.bytes.data(), 32, &xpk) == 1;
}

}  // namespace cairn
