// The consensus records' keys, in one place so no prefix is used twice.
//
// Every record lives under a one-byte prefix; multi-byte numbers in keys are big-endian so a
// prefix scan visits them in numeric order.
#pragma once

#include <cstdint>

#include "crypto/keys.h"
#include "primitives/serialize.h"

namespace cairn::consensus::keys {

inline constexpr uint8_t kDevice = 'D';        // 'D' device key -> DeviceRecord
inline constexpr uint8_t kRewardShare = 'R';   // 'R' device key -> RewardShare (this epoch)
inline constexpr uint8_t kDensityCell = 'H';   // 'H' cell id    -> CellCount (map in force)
inline constexpr uint8_t kAccounting = 'A';    // 'A'            -> ChainAccounting
inline constexpr uint8_t kEpochSummary = 'P';  // 'P' epoch      -> EpochSummary
inline constexpr uint8_t kCompute = 'K';       // 'K' device key -> ComputeState (class compute)

inline Bytes Prefix(uint8_t p) {
    return Bytes{p};
}

inline Bytes WithKey(uint8_t p, const PubKey& k) {
    Bytes out{p};
    out.insert(out.end(), k.bytes.begin(), k.bytes.end());
    return out;
}

inline Bytes WithNumber(uint8_t p, uint64_t n) {
    Bytes out{p};
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<uint8_t>(n >> (8 * i)));
    return out;
}

// The number after the prefix of a WithNumber key.
inline uint64_t NumberOf(ByteSpan key) {
    uint64_t n = 0;
    for (size_t i = 1; i < key.size() && i <= 8; ++i) n = n << 8 | key[i];
    return n;
}

// The public key after the prefix of a WithKey key. REQUIRES: key.size() == 33.
inline PubKey KeyOf(ByteSpan key) {
    PubKey k;
    std::copy(key.begin() + 1, key.begin() + 33, k.bytes.begin());
    return k;
}

}  // namespace cairn::consensus::keys
