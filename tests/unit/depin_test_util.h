// Fixtures for the DePIN consensus tests: radios registered and located through real
// transactions, signed beacons and witness reports with physically plausible signal strengths,
// coverage proofs judged exactly as a block producer judges them, and blocks with proofs built by
// AssembleBlock and connected through ConnectBlock (signatures included).
//
// Geometry: radios sit around a base point in Berlin (EU868, region 0), a few kilometres apart,
// with 2 dBi antennas and 14 dBm transmit power (EIRP 16 dBm, the EU868 maximum).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "consensus/block_check.h"
#include "consensus/devices/device_record.h"
#include "consensus/poc/coverage_verifier.h"
#include "consensus/poc/geo.h"
#include "consensus/rewards/accounting.h"
#include "consensus/tx/device_txs.h"
#include "consensus_test_util.h"
#include "primitives/report.h"

namespace cairn::test {

inline constexpr int16_t kTxPower = 140;  // dBm x 10
inline constexpr uint16_t kGain = 20;     // dBi x 10; kTxPower + kGain = EU868 max EIRP (160)
inline constexpr uint8_t kEU868 = 0;
inline constexpr uint8_t kUS915 = 1;
inline constexpr Amount kDeviceTxFee = 10'000;
inline constexpr int16_t kSnr = 55;  // dB x 10

// Tempelhof, Berlin.
inline constexpr consensus::poc::LatLon kBerlin{524'730'000, 134'039'000};

// The point `north_m` metres north and `east_m` metres east of `from` (flat-earth offsets, good to
// well under a metre at these distances; rounded to 1e-7 degree).
consensus::poc::LatLon OffsetMeters(const consensus::poc::LatLon& from, double north_m,
                                    double east_m);

// The device key's consent to being registered by `owner`.
Signature SignRegistration(const SecretKey& device, uint32_t network_id, const PubKey& owner,
                           consensus::DeviceClass c = consensus::DeviceClass::kRadio,
                           ByteSpan class_data = {});

// A signed transaction of any type from `sender`.
Transaction MakeSignedTx(const SecretKey& sender, uint64_t type, Bytes payload, uint64_t nonce,
                         uint32_t network_id, Amount fee = kDeviceTxFee);
Transaction MakeRegisterTx(const SecretKey& owner, const SecretKey& device, uint64_t nonce,
                           uint32_t network_id);
Transaction MakeAssertTx(const SecretKey& owner, const PubKey& device,
                         const consensus::poc::LatLon& pos, uint16_t gain, uint8_t region,
                         uint64_t nonce, uint32_t network_id);
Transaction MakeTransferDeviceTx(const SecretKey& owner, const PubKey& device,
                                 const PubKey& new_owner, uint64_t nonce, uint32_t network_id);

void SignBeacon(BeaconReport& b, const SecretKey& device, uint32_t network_id);
// Signs `w` as the report on beacon `beacon_id` it stands for inside a proof.
void SignWitness(ProofWitness& w, const SecretKey& device, const Hash256& beacon_id,
                 uint32_t network_id);

// The strongest RSSI (dBm x 10) the free-space rule lets a witness at `witness` report for
// beacon `b` sent from `beacon` (floor of the bound in millidecibels / 100).
int64_t RssiBoundDdbm(const BeaconReport& b, const consensus::poc::LatLon& beacon,
                      uint16_t beacon_gain, const consensus::poc::LatLon& witness,
                      uint16_t witness_gain);

// TaggedHash("Cairn/WitnessSelection", entropy hash || witness key), recomputed here.
Hash256 WitnessSelectionKey(const Hash256& entropy, const PubKey& witness);

// Sum of every account balance in `state`.
Amount TotalBalances(const MapStateView& state);

struct Radio {
    SecretKey key;
    PubKey pub;
    SecretKey owner;
    PubKey owner_pub;
    consensus::poc::LatLon position;
    uint16_t gain_ddbi{kGain};
    uint8_t region{kEU868};
};

class DepinChain : public ChainFixture {
public:
    explicit DepinChain(size_t n_validators = 4, size_t n_accounts = 3,
                        Amount balance = 1000 * kCoin);

    std::vector<Radio> radios;

    // Defines a radio (device key TestKey(1000 + index)) owned by account `owner`; nothing is
    // on chain until Onboard. Returns its index.
    size_t AddRadio(size_t owner, const consensus::poc::LatLon& pos, uint16_t gain = kGain,
                    uint8_t region = kEU868);
    const PubKey& RadioKey(size_t r) const { return radios.at(r).pub; }

    uint64_t Height() const { return tip.header.height; }
    uint64_t Nonce(const PubKey& account) const;
    Amount Balance(const PubKey& account) const;
    std::optional<consensus::DeviceRecord> Device(size_t r) const;
    // Radio r's units that count for the running epoch (zero if its record is from a closed one).
    consensus::RewardShare Share(size_t r) const;
    consensus::ChainAccounting Accounting() const;

    Transaction RegisterTx(size_t r, uint64_t nonce) const;
    // Asserts the radio's position, gain and region as defined.
    Transaction AssertTx(size_t r, uint64_t nonce) const;

    // The block on top of the tip with these contents, as the proposer for its height makes it.
    consensus::CheckResult<consensus::AssembledBlock> Assemble(
        std::vector<Transaction> txs, std::vector<CoverageProof> proofs = {}) const;
    // Connects `block` through ConnectBlock and makes it the tip; returns the connection or the
    // rejection (the chain is unchanged then).
    consensus::CheckResult<consensus::ConnectedBlock> TryAdvance(const Block& block);
    // Assembles, connects and advances; throws std::logic_error on any rejection.
    consensus::ConnectedBlock Mine(std::vector<Transaction> txs = {},
                                   std::vector<CoverageProof> proofs = {});
    // Empty blocks up to `height`; calls `each` after every block if given.
    void MineTo(uint64_t height, const std::function<void()>& each = {});
    // Registers the radios in one block and asserts their locations in the next.
    void Onboard(const std::vector<size_t>& rs);

    // A beacon of radio r seeded by block `entropy_height`, as its region's channel plan and the
    // beacon PRF demand, signed.
    BeaconReport Beacon(size_t r, uint64_t entropy_height, int16_t tx_power = kTxPower) const;
    // Radio r's signed report on `b` at `below_bound_ddb` under the free-space bound.
    ProofWitness Witness(size_t r, const BeaconReport& b, int64_t below_bound_ddb = 50) const;
    ProofWitness WitnessWithRssi(size_t r, const BeaconReport& b, int16_t rssi_ddbm,
                                 std::optional<uint32_t> frequency_hz = std::nullopt) const;
    // The free-space bound between two radios' defined positions for beacon `b`.
    int64_t RssiBound(size_t beaconer, size_t witness, const BeaconReport& b) const;

    // EvaluateProof as the block at Height() + 1 sees it. Proofs apply before the block's
    // transactions, so the state after the tip is what every proof of that block is judged on.
    consensus::ProofEvaluation Evaluate(const BeaconReport& b,
                                        const std::vector<ProofWitness>& ws) const;
    // The proofs with every verdict filled as the next block judges them, in order (each proof
    // sees the effects of those before it).
    std::vector<CoverageProof> Judge(std::vector<CoverageProof> proofs) const;
    CoverageProof Judge1(const BeaconReport& b, std::vector<ProofWitness> ws) const;

    // One block in which every radio of `rs` beacons (entropy: the tip) heard by the next one in
    // the list (the last by the first), so each is witnessed on physical grounds. Proofs apply
    // in order, so the first radio, witnessed by then, is a rewarded witness of the last beacon.
    // Requires the radios to be located, at least 300 m apart, and not to have beaconed in this
    // bucket.
    consensus::ConnectedBlock MakeWitnessed(const std::vector<size_t>& rs);

    // balances + epoch fees + fee carry == genesis supply + minted - burned.
    ::testing::AssertionResult SupplyHolds() const;
};

}  // namespace cairn::test
