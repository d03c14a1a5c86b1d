#include "state_commitment.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace cairn::consensus {
namespace {

// Expands one (key, account) pair into kLanes 16-bit lanes, little-endian.
void Expand(const PubKey& key, const Account& account,
            std::array<uint16_t, StateCommitment::kLanes>& out) {
    Writer w;
    w.Fixed(key.bytes);
    account.Serialize(w);
    Hash256 seed = TaggedHash(tags::kStateLeaf, w.Data());
    static const std::array<uint8_t, StateCommitment::kBytes> kZeros{};
    std::array<uint8_t, 16> iv{};  // counter 0, nonce 0: the key is used once per element
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int len = 0;
    std::array<uint8_t, StateCommitment::kBytes> stream;
    if (ctx == nullptr ||
        EVP_EncryptInit_ex(ctx, EVP_chacha20(), nullptr, seed.bytes.data(), iv.data()) != 1 ||
        EVP_EncryptUpdate(ctx, stream.data(), &len, kZeros.data(), kZeros.size()) != 1) {
        EVP_CIPHER_CTX_free(ctx);
        throw std::runtime_error("OpenSSL ChaCha20 failed");
    }
    EVP_CIPHER_CTX_free(ctx);
    for (size_t i = 0; i < StateCommitment::kLanes; ++i) {
        out[i] = static_cast<uint16_t>(stream[2 * i] | stream[2 * i + 1] << 8);
    }
}

}  // namespace

void StateCommitment::Add(const PubKey& key, const Account& account) {
    std::array<uint16_t, kLanes> e;
    Expand(key, account, e);
    for (size_t i = 0; i < kLanes; ++i) m_lanes[i] = static_cast<uint16_t>(m_lanes[i] + e[i]);
}

void StateCommitment::Remove(const PubKey& key, const Account& account) {
    std::array<uint16_t, kLanes> e;
    Expand(key, account, e);
    for (size_t i = 0; i < kLanes; ++i) m_lanes[i] = static_cast<uint16_t>(m_lanes[i] - e[i]);
}

Bytes StateCommitment::Serialize() const {
    Bytes out(kBytes);
    for (size_t i = 0; i < kLanes; ++i) {
        out[2 * i] = static_cast<uint8_t>(m_lanes[i]);
        out[2 * i + 1] = static_cast<uint8_t>(m_lanes[i] >> 8);
    }
    return out;
}

std::optional<StateCommitment> StateCommitment::Deserialize(ByteSpan data) {
    if (data.size() != kBytes) return std::nullopt;
    StateCommitment c;
    for (size_t i = 0; i < kLanes; ++i) {
        c.m_lanes[i] = static_cast<uint16_t>(data[2 * i] | data[2 * i + 1] << 8);
    }
    return c;
}

Hash256 StateCommitment::Root() const { return TaggedHash(tags::kStateRoot, Serialize()); }

void UpdateCommitment(StateCommitment& c, const AccountView& before,
                      const std::map<PubKey, Account>& changes) {
    for (const auto& [key, now] : changes) {
        auto old = before.GetAccount(key);
        if (old && *old == now) continue;
        if (old && !old->IsEmpty()) c.Remove(key, *old);
        if (!now.IsEmpty()) c.Add(key, now);
    }
}

}  // namespace cairn::consensus
