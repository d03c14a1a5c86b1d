// SHA-256 (OpenSSL) and BIP340-style tagged hashes.
//
// Every hash Cairn commits to is tagged: TaggedHash(tag, m) = SHA256(SHA256(tag) || SHA256(tag)
// || m). A transaction id can therefore never be replayed as a block hash, a Merkle node or a
// signed vote, even if the preimages had the same bytes.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/strencodings.h"

namespace cairn {

// A 32-byte hash. Printed as plain hex in byte order (no reversal, unlike Bitcoin).
struct Hash256 {
    std::array<uint8_t, 32> bytes{};

    static Hash256 Zero() { return {}; }
    bool IsZero() const;
    std::string Hex() const { return HexStr(bytes); }
    // nullopt unless exactly 64 hex digits.
    static std::optional<Hash256> FromHex(std::string_view hex);
    ByteSpan Span() const { return bytes; }
    auto operator<=>(const Hash256&) const = default;
};

Hash256 Sha256(ByteSpan data);

Hash256 TaggedHash(std::string_view tag, ByteSpan data);

// The tags Cairn uses, in one place so none is spelled twice.
namespace tags {
inline constexpr std::string_view kTxId = "Cairn/TxId";
inline constexpr std::string_view kTxSig = "Cairn/TxSig";
inline constexpr std::string_view kBlockHash = "Cairn/BlockHash";
inline constexpr std::string_view kMerkleLeaf = "Cairn/MerkleLeaf";
inline constexpr std::string_view kMerkleNode = "Cairn/MerkleNode";
inline constexpr std::string_view kVote = "Cairn/Vote";
inline constexpr std::string_view kCommit = "Cairn/Commit";
inline constexpr std::string_view kValidatorSet = "Cairn/ValidatorSet";
inline constexpr std::string_view kStateLeaf = "Cairn/StateLeaf";
inline constexpr std::string_view kStateEntry = "Cairn/StateEntry";
inline constexpr std::string_view kStateRoot = "Cairn/StateRoot";
inline constexpr std::string_view kGenesis = "Cairn/Genesis";
inline constexpr std::string_view kDeviceRegistration = "Cairn/DeviceRegistration";
inline constexpr std::string_view kBeaconReport = "Cairn/BeaconReport";
inline constexpr std::string_view kBeaconId = "Cairn/BeaconId";
inline constexpr std::string_view kWitnessReport = "Cairn/WitnessReport";
inline constexpr std::string_view kCoverageProof = "Cairn/CoverageProof";
inline constexpr std::string_view kBeaconPayload = "Cairn/BeaconPayload";
inline constexpr std::string_view kWitnessSelection = "Cairn/WitnessSelection";
inline constexpr std::string_view kComputeSeed = "Cairn/ComputeSeed";
inline constexpr std::string_view kComputeTile = "Cairn/ComputeTile";
inline constexpr std::string_view kComputeNode = "Cairn/ComputeNode";
inline constexpr std::string_view kComputeCommit = "Cairn/ComputeCommit";
inline constexpr std::string_view kComputeOpen = "Cairn/ComputeOpen";
inline constexpr std::string_view kComputeEntry = "Cairn/ComputeEntry";
inline constexpr std::string_view kComputeSpot = "Cairn/ComputeSpot";
}  // namespace tags

}  // namespace cairn

template <>
struct std::hash<cairn::Hash256> {
    size_t operator()(const cairn::Hash256& h) const noexcept {
        size_t v;
        static_assert(sizeof(v) <= 32);
        __builtin_memcpy(&v, h.bytes.data(), sizeof(v));
        return v;
    }
};
