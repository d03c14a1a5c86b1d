// Device reports: what hotspots sign, and the coverage proofs blocks carry.
//
// Devices have no account and pay no fee: they sign reports with their device key and hand them
// to any node, which pools them (and later gossips them). When a beacon's window closes the
// proposer puts one CoverageProof in its block: the beacon, its witnesses and the verdict on
// each, which every validator recomputes.
//
// Encodings are fixed-width little-endian (doc/protocol.md, "Device reports"). A report's
// signature is BIP340 by the device key over TaggedHash(tag, u32 network_id || body), so a
// report signed for one network is invalid on another. Inside a proof a witness omits the
// beacon id it signed: validators recompute it from the beacon, so it is not stored twice.
#pragma once

#include <array>
#include <cstdint>
#include <variant>
#include <vector>

#include "crypto/hash.h"
#include "crypto/keys.h"
#include "primitives/compute_report.h"
#include "primitives/serialize.h"

namespace cairn {

inline constexpr size_t kBeaconPayloadBytes = 16;
// Decoding bound on witnesses in one proof; chain parameters set the real (lower) limit.
inline constexpr uint64_t kMaxProofWitnessesDecode = 256;
inline constexpr uint64_t kMaxBlockProofsDecode = 100'000;

enum class ReportKind : uint8_t {
    kBeacon = 1,
    kWitness = 2,
    kComputeCommit = 3,  // primitives/compute_report.h
    kComputeOpen = 4,
};

struct BeaconReport {
    PubKey beaconer;
    uint64_t entropy_height{0};  // the block whose hash seeds this beacon
    std::array<uint8_t, kBeaconPayloadBytes> payload{};
    uint32_t frequency_hz{0};
    uint8_t channel{0};
    uint8_t datarate{0};
    int16_t tx_power_ddbm{0};  // dBm x 10
    Signature signature;

    void SerializeBody(Writer& w) const;  // everything but the signature
    void Serialize(Writer& w) const;
    Hash256 SigHash(uint32_t network_id) const;
    // TaggedHash("Cairn/BeaconId", full encoding): what witnesses name.
    Hash256 Id() const;
    bool operator==(const BeaconReport&) const = default;
};

struct WitnessReport {
    PubKey witness;
    Hash256 beacon_id;
    int16_t rssi_ddbm{0};  // dBm x 10
    int16_t snr_ddb{0};    // dB x 10
    uint32_t frequency_hz{0};
    Signature signature;

    void Serialize(Writer& w) const;
    Hash256 SigHash(uint32_t network_id) const;
    bool operator==(const WitnessReport&) const = default;
};

// A report as submitted over RPC and gossiped: kind byte || encoding.
using Report = std::variant<BeaconReport, WitnessReport, ComputeCommit, ComputeOpen>;
Bytes EncodeReport(const Report& r);
DecodeResult<Report> DecodeReport(ByteSpan data);
// The device that signed the report.
const PubKey& ReportDevice(const Report& r);

// A witness inside a coverage proof: the report without its beacon id, and its verdict.
struct ProofWitness {
    PubKey witness;
    int16_t rssi_ddbm{0};
    int16_t snr_ddb{0};
    uint32_t frequency_hz{0};
    Signature signature;
    uint8_t verdict{0};  // consensus::WitnessVerdict

    WitnessReport ToReport(const Hash256& beacon_id) const;
    static ProofWitness FromReport(const WitnessReport& r, uint8_t verdict);
    bool operator==(const ProofWitness&) const = default;
};

struct CoverageProof {
    BeaconReport beacon;
    uint8_t beacon_verdict{0};  // consensus::BeaconVerdict
    std::vector<ProofWitness> witnesses;

    void Serialize(Writer& w) const;
    // TaggedHash("Cairn/CoverageProof", encoding): the leaf of the header's proof root.
    Hash256 Hash() const;
    bool operator==(const CoverageProof&) const = default;
};

bool ReadBeaconReport(Reader& r, BeaconReport& b);
bool ReadCoverageProof(Reader& r, CoverageProof& p);
DecodeResult<CoverageProof> DecodeCoverageProof(ByteSpan data);

}  // namespace cairn
