#include "depin_test_util.h"

#include <cmath>
#include <stdexcept>

#include "consensus/poc/beacon.h"
#include "consensus/poc/fspl.h"
#include "consensus/rewards/accounting.h"

namespace cairn::test {

using namespace consensus;

poc::LatLon OffsetMeters(const poc::LatLon& from, double north_m, double east_m) {
    constexpr double kMetresPerDegree = 6'371'008.8 * 3.14159265358979323846 / 180.0;
    const double lat_deg = from.lat_e7 / 1e7;
    const double dlat = north_m / kMetresPerDegree;
    const double dlon =
        east_m / (kMetresPerDegree * std::cos(lat_deg * 3.14159265358979323846 / 180.0));
    return {static_cast<int32_t>(from.lat_e7 + std::lround(dlat * 1e7)),
            static_cast<int32_t>(from.lon_e7 + std::lround(dlon * 1e7))};
}

Signature SignRegistration(const SecretKey& device, uint32_t network_id, const PubKey& owner,
                           DeviceClass c, ByteSpan class_data) {
    return device.Sign(DeviceRegistrationHash(network_id, owner, device.GetPubKey(), c, class_data),
                       kTestAux);
}

Transaction MakeSignedTx(const SecretKey& sender, uint64_t type, Bytes payload, uint64_t nonce,
                         uint32_t network_id, Amount fee) {
    Transaction tx;
    tx.network_id = network_id;
    tx.type = type;
    tx.sender = sender.GetPubKey();
    tx.nonce = nonce;
    tx.fee = fee;
    tx.payload = std::move(payload);
    Sign(tx, sender);
    return tx;
}

Transaction MakeRegisterTx(const SecretKey& owner, const SecretKey& device, uint64_t nonce,
                           uint32_t network_id) {
    RegisterDevicePayload p;
    p.device_class = DeviceClass::kRadio;
    p.device = device.GetPubKey();
    p.device_signature = SignRegistration(device, network_id, owner.GetPubKey());
    return MakeSignedTx(owner, RegisterDeviceTx::kId, p.Encode(), nonce, network_id);
}

Transaction MakeAssertTx(const SecretKey& owner, const PubKey& device, const poc::LatLon& pos,
                         uint16_t gain, uint8_t region, uint64_t nonce, uint32_t network_id) {
    AssertLocationPayload p{device, pos, gain, region};
    return MakeSignedTx(owner, AssertLocationTx::kId, p.Encode(), nonce, network_id);
}

Transaction MakeTransferDeviceTx(const SecretKey& owner, const PubKey& device,
                                 const PubKey& new_owner, uint64_t nonce, uint32_t network_id) {
    TransferDevicePayload p{device, new_owner};
    return MakeSignedTx(owner, TransferDeviceTx::kId, p.Encode(), nonce, network_id);
}

void SignBeacon(BeaconReport& b, const SecretKey& device, uint32_t network_id) {
    b.signature = device.Sign(b.SigHash(network_id), kTestAux);
}

void SignWitness(ProofWitness& w, const SecretKey& device, const Hash256& beacon_id,
                 uint32_t network_id) {
    w.signature = device.Sign(w.ToReport(beacon_id).SigHash(network_id), kTestAux);
}

int64_t RssiBoundDdbm(const BeaconReport& b, const poc::LatLon& beacon, uint16_t beacon_gain,
                      const poc::LatLon& witness, uint16_t witness_gain) {
    const uint64_t dist = poc::DistanceMm(beacon, witness);
    const int64_t bound_mdb = (int64_t{b.tx_power_ddbm} + beacon_gain + witness_gain) * 100 -
                              poc::FsplMdb(dist, b.frequency_hz);
    // Floor division: rssi * 100 <= bound  <=>  rssi <= floor(bound / 100).
    int64_t q = bound_mdb / 100;
    if (bound_mdb % 100 != 0 && bound_mdb < 0) --q;
    return q;
}

Hash256 WitnessSelectionKey(const Hash256& entropy, const PubKey& witness) {
    Bytes m(entropy.bytes.begin(), entropy.bytes.end());
    m.insert(m.end(), witness.bytes.begin(), witness.bytes.end());
    return TaggedHash("Cairn/WitnessSelection", m);
}

Amount TotalBalances(const MapStateView& state) {
    Amount total = 0;
    for (const auto& [key, account] : state.accounts) total += account.balance;
    return total;
}

DepinChain::DepinChain(size_t n_validators, size_t n_accounts, Amount balance)
    : ChainFixture{n_validators, n_accounts, balance} {}

size_t DepinChain::AddRadio(size_t owner, const poc::LatLon& pos, uint16_t gain, uint8_t region) {
    const size_t index = radios.size();
    const SecretKey key = TestKey(1000 + index);
    radios.push_back(
        Radio{key, key.GetPubKey(), account_keys.at(owner), AccountKey(owner), pos, gain, region});
    return index;
}

uint64_t DepinChain::Nonce(const PubKey& account) const {
    auto a = state.GetAccount(account);
    return a ? a->nonce : 0;
}

Amount DepinChain::Balance(const PubKey& account) const {
    auto a = state.GetAccount(account);
    return a ? a->balance : 0;
}

std::optional<DeviceRecord> DepinChain::Device(size_t r) const {
    return ReadDevice(state, RadioKey(r));
}

RewardShare DepinChain::Share(size_t r) const {
    // The units that count for the running epoch (the next block's), without the epoch tag.
    RewardShare s = ReadRewardShare(state, RadioKey(r));
    if (s.epoch != rewards::EpochOf(params, Height() + 1)) return RewardShare{};
    s.epoch = 0;
    return s;
}

ChainAccounting DepinChain::Accounting() const {
    return ReadAccounting(state);
}

Transaction DepinChain::RegisterTx(size_t r, uint64_t nonce) const {
    const Radio& radio = radios.at(r);
    return MakeRegisterTx(radio.owner, radio.key, nonce, params.network_id);
}

Transaction DepinChain::AssertTx(size_t r, uint64_t nonce) const {
    const Radio& radio = radios.at(r);
    return MakeAssertTx(radio.owner, radio.pub, radio.position, radio.gain_ddbi, radio.region,
                        nonce, params.network_id);
}

CheckResult<AssembledBlock> DepinChain::Assemble(std::vector<Transaction> txs,
                                                 std::vector<CoverageProof> proofs) const {
    const uint64_t height = Height() + 1;
    BlockTemplate t;
    t.txs = std::move(txs);
    t.proofs = std::move(proofs);
    t.proposer = Validators().ProposerFor(height).key;
    if (!NeedsEmptyCommit(height)) t.last_commit = MakeQuorumCommit(tip.header);
    t.time_ms = tip.header.time_ms + 1000;
    return AssembleBlock(std::move(t), params, tip.header, Validators(), hashes, state, commitment,
                         SignatureChecker{});
}

CheckResult<ConnectedBlock> DepinChain::TryAdvance(const Block& block) {
    auto connected = Connect(block);
    if (!connected) return connected;
    state.Apply(connected->changes, connected->entry_changes);
    commitment = connected->commitment;
    hashes.hashes[block.header.height] = block.Hash();
    tip = block;
    return connected;
}

ConnectedBlock DepinChain::Mine(std::vector<Transaction> txs, std::vector<CoverageProof> proofs) {
    auto assembled = Assemble(std::move(txs), std::move(proofs));
    if (!assembled) {
        throw std::logic_error("Mine: assemble at " + std::to_string(Height() + 1) + ": " +
                               assembled.error().ToString());
    }
    auto connected = TryAdvance(assembled->block);
    if (!connected) {
        throw std::logic_error("Mine: connect at " + std::to_string(Height() + 1) + ": " +
                               connected.error().ToString());
    }
    return std::move(connected).value();
}

void DepinChain::MineTo(uint64_t height, const std::function<void()>& each) {
    while (Height() < height) {
        Mine();
        if (each) each();
    }
}

void DepinChain::Onboard(const std::vector<size_t>& rs) {
    std::map<PubKey, uint64_t> nonces;
    auto next = [&](const Radio& radio) {
        auto it = nonces.find(radio.owner_pub);
        if (it == nonces.end()) it = nonces.emplace(radio.owner_pub, Nonce(radio.owner_pub)).first;
        return it->second++;
    };
    std::vector<Transaction> regs;
    for (size_t r : rs) regs.push_back(RegisterTx(r, next(radios.at(r))));
    Mine(std::move(regs));
    nonces.clear();
    std::vector<Transaction> asserts;
    for (size_t r : rs) asserts.push_back(AssertTx(r, next(radios.at(r))));
    Mine(std::move(asserts));
}

BeaconReport DepinChain::Beacon(size_t r, uint64_t entropy_height, int16_t tx_power) const {
    const Radio& radio = radios.at(r);
    const RadioRegion* region = FindRegion(params.poc, radio.region);
    if (region == nullptr) throw std::logic_error("Beacon: no region");
    auto entropy = hashes.HashAtHeight(entropy_height);
    // A beacon for a block that does not exist yet: any seed, it is judged out of window.
    const poc::BeaconChallenge c =
        poc::DeriveBeacon(entropy.value_or(Hash256::Zero()), radio.pub, *region);
    BeaconReport b;
    b.beaconer = radio.pub;
    b.entropy_height = entropy_height;
    b.payload = c.payload;
    b.frequency_hz = c.frequency_hz;
    b.channel = c.channel;
    b.datarate = 5;
    b.tx_power_ddbm = tx_power;
    SignBeacon(b, radio.key, params.network_id);
    return b;
}

int64_t DepinChain::RssiBound(size_t beaconer, size_t witness, const BeaconReport& b) const {
    const Radio& from = radios.at(beaconer);
    const Radio& to = radios.at(witness);
    return RssiBoundDdbm(b, from.position, from.gain_ddbi, to.position, to.gain_ddbi);
}

ProofWitness DepinChain::WitnessWithRssi(size_t r, const BeaconReport& b, int16_t rssi_ddbm,
                                         std::optional<uint32_t> frequency_hz) const {
    const Radio& radio = radios.at(r);
    ProofWitness w;
    w.witness = radio.pub;
    w.rssi_ddbm = rssi_ddbm;
    w.snr_ddb = kSnr;
    w.frequency_hz = frequency_hz.value_or(b.frequency_hz);
    SignWitness(w, radio.key, b.Id(), params.network_id);
    return w;
}

ProofWitness DepinChain::Witness(size_t r, const BeaconReport& b, int64_t below_bound_ddb) const {
    // The beaconer's radio is found by key (the beacon may come from any radio).
    size_t beaconer = radios.size();
    for (size_t i = 0; i < radios.size(); ++i)
        if (radios[i].pub == b.beaconer) beaconer = i;
    int64_t rssi = -1000;  // -100 dBm when the beaconer is not one of ours
    if (beaconer < radios.size()) rssi = RssiBound(beaconer, r, b) - below_bound_ddb;
    return WitnessWithRssi(r, b, static_cast<int16_t>(std::max<int64_t>(rssi, INT16_MIN)));
}

ProofEvaluation DepinChain::Evaluate(const BeaconReport& b,
                                     const std::vector<ProofWitness>& ws) const {
    return EvaluateProof(b, ws, Height() + 1, params, hashes, state);
}

std::vector<CoverageProof> DepinChain::Judge(std::vector<CoverageProof> proofs) const {
    const uint64_t height = Height() + 1;
    StateDelta delta{state};
    for (CoverageProof& p : proofs) {
        const ProofEvaluation ev =
            EvaluateProof(p.beacon, p.witnesses, height, params, hashes, delta);
        p.beacon_verdict = static_cast<uint8_t>(ev.beacon);
        for (size_t i = 0; i < p.witnesses.size(); ++i) {
            p.witnesses[i].verdict = static_cast<uint8_t>(ev.witnesses[i]);
        }
        (void)ApplyCoverageProof(p, height, params, hashes, delta);
    }
    return proofs;
}

CoverageProof DepinChain::Judge1(const BeaconReport& b, std::vector<ProofWitness> ws) const {
    CoverageProof p;
    p.beacon = b;
    p.witnesses = std::move(ws);
    return Judge({p}).front();
}

ConnectedBlock DepinChain::MakeWitnessed(const std::vector<size_t>& rs) {
    std::vector<CoverageProof> proofs;
    for (size_t i = 0; i < rs.size(); ++i) {
        const size_t r = rs[i];
        const size_t w = rs[(i + 1) % rs.size()];
        CoverageProof p;
        p.beacon = Beacon(r, Height());
        p.witnesses.push_back(Witness(w, p.beacon));
        proofs.push_back(std::move(p));
    }
    return Mine({}, Judge(std::move(proofs)));
}

::testing::AssertionResult DepinChain::SupplyHolds() const {
    const ChainAccounting acc = Accounting();
    const unsigned __int128 lhs =
        static_cast<unsigned __int128>(TotalBalances(state)) + acc.epoch_fees + acc.fee_carry;
    const unsigned __int128 rhs =
        static_cast<unsigned __int128>(genesis.supply) + acc.minted - acc.burned;
    if (lhs == rhs) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "at height " << Height() << ": balances " << TotalBalances(state) << " + epoch_fees "
           << acc.epoch_fees << " + fee_carry " << acc.fee_carry << " != genesis " << genesis.supply
           << " + minted " << acc.minted << " - burned " << acc.burned;
}

}  // namespace cairn::test
