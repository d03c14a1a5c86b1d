#include "state_commitment.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace cairn::consensus {
namespace {

// Expands one element's seed into kLanes 16-bit lanes, little-endian.
void Expand(const Hash256& seed, std::array<uint16_t, StateCommitment::kLanes>& out) {
    static const std::array<uint8_t, StateCommitment::kBytes> kZeros{};
    // The cipher is fetched once and each thread reuses one context: both are pure functions
    // of their inputs here, and setting them up costs more than the 2 KiB keystream.
    static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "ChaCha20", nullptr);
    thread_local struct CtxHolder {
        EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
        ~CtxHolder() { EVP_CIPHER_CTX_free(ctx); }
    } holder;
    std::array<uint8_t, 16> iv{};  // counter 0, nonce 0: each key is used for one element
    int len = 0;
    std::array<uint8_t, StateCommitment::kBytes> stream;
    if (cipher == nullptr || holder.ctx == nullptr ||
        EVP_EncryptInit_ex2(holder.ctx, cipher, seed.bytes.data(), iv.data(), nullptr) != 1 ||
        EVP_EncryptUpdate(holder.ctx, stream.data(), &len, kZeros.data(), kZeros.size()) != 1) {
        throw std::runtime_error("OpenSSL ChaCha20 failed");
    }
    for (size_t i = 0; i < StateCommitment::kLanes; ++i) {
        out[i] = static_cast<uint16_t>(stream[2 * i] | stream[2 * i + 1] << 8);
    }
}

Hash256 AccountSeed(const PubKey& key, const Account& account) {
    Writer w;
    w.Fixed(key.bytes);
    account.Serialize(w);
    return TaggedHash(tags::kStateLeaf, w.Data());
}

// The key is length-prefixed so that no (key, value) split of the same bytes collides.
Hash256 EntrySeed(ByteSpan key, ByteSpan value) {
    Writer w;
    w.ByteVec(key);
    w.Fixed(value);
    return TaggedHash(tags::kStateEntry, w.Data());
}

}  // namespace

void StateCommitment::AddElement(const Hash256& seed) {
    std::array<uint16_t, kLanes> e;
    Expand(seed, e);
    for (size_t i = 0; i < kLanes; ++i) m_lanes[i] = static_cast<uint16_t>(m_lanes[i] + e[i]);
}

void StateCommitment::RemoveElement(const Hash256& seed) {
    std::array<uint16_t, kLanes> e;
    Expand(seed, e);
    for (size_t i = 0; i < kLanes; ++i) m_lanes[i] = static_cast<uint16_t>(m_lanes[i] - e[i]);
}

void StateCommitment::Add(const PubKey& key, const Account& account) {
    AddElement(AccountSeed(key, account));
}

void StateCommitment::Remove(const PubKey& key, const Account& account) {
    RemoveElement(AccountSeed(key, account));
}

void StateCommitment::AddEntry(ByteSpan key, ByteSpan value) {
    AddElement(EntrySeed(key, value));
}

void StateCommitment::RemoveEntry(ByteSpan key, ByteSpan value) {
    RemoveElement(EntrySeed(key, value));
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

Hash256 StateCommitment::Root() const {
    return TaggedHash(tags::kStateRoot, Serialize());
}

namespace {
template <typename OldValue>
void ApplyChanges(StateCommitment& c, const std::map<PubKey, Account>& changes,
                  OldValue old_value) {
    for (const auto& [key, now] : changes) {
        const std::optional<Account> old = old_value(key);
        if (old && *old == now) continue;
        if (old && !old->IsEmpty()) c.Remove(key, *old);
        if (!now.IsEmpty()) c.Add(key, now);
    }
}
}  // namespace

void UpdateCommitment(StateCommitment& c, const StateView& before,
                      const std::map<PubKey, Account>& changes) {
    ApplyChanges(c, changes, [&](const PubKey& k) { return before.GetAccount(k); });
}

void UpdateCommitment(StateCommitment& c, const StateDelta& delta) {
    ApplyChanges(c, delta.Changes(), [&](const PubKey& k) { return delta.Original(k); });
    for (const auto& [key, now] : delta.EntryChanges()) {
        const std::optional<Bytes> old = delta.OriginalEntry(key);
        if (old == now) continue;
        if (old) c.RemoveEntry(key, *old);
        if (now) c.AddEntry(key, *now);
    }
}

}  // namespace cairn::consensus
