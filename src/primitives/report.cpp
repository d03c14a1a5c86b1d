#include "primitives/report.h"

namespace cairn {
namespace {

void WriteI16(Writer& w, int16_t v) {
    w.Int(static_cast<uint16_t>(v));
}
bool ReadI16(Reader& r, int16_t& v, std::string_view field) {
    uint16_t u = 0;
    if (!r.Int(u, field)) return false;
    v = static_cast<int16_t>(u);
    return true;
}

// The witness fields after the key and beacon id, shared by both encodings.
void WriteWitnessFields(Writer& w, int16_t rssi, int16_t snr, uint32_t freq) {
    WriteI16(w, rssi);
    WriteI16(w, snr);
    w.Int(freq);
}

}  // namespace

void BeaconReport::SerializeBody(Writer& w) const {
    w.Fixed(beaconer.bytes);
    w.Int(entropy_height);
    w.Fixed(payload);
    w.Int(frequency_hz);
    w.Int(channel);
    w.Int(datarate);
    WriteI16(w, tx_power_ddbm);
}

void BeaconReport::Serialize(Writer& w) const {
    SerializeBody(w);
    w.Fixed(signature.bytes);
}

Hash256 BeaconReport::SigHash(uint32_t network_id) const {
    Writer body;
    SerializeBody(body);
    return ReportSigHash(tags::kBeaconReport, network_id, body);
}

Hash256 BeaconReport::Id() const {
    Writer w;
    Serialize(w);
    return TaggedHash(tags::kBeaconId, w.Data());
}

bool ReadBeaconReport(Reader& r, BeaconReport& b) {
    r.Fixed(b.beaconer.bytes, "beacon.beaconer");
    r.Int(b.entropy_height, "beacon.entropy_height");
    r.Fixed(b.payload, "beacon.payload");
    r.Int(b.frequency_hz, "beacon.frequency");
    r.Int(b.channel, "beacon.channel");
    r.Int(b.datarate, "beacon.datarate");
    ReadI16(r, b.tx_power_ddbm, "beacon.tx_power");
    return r.Fixed(b.signature.bytes, "beacon.signature");
}

void WitnessReport::Serialize(Writer& w) const {
    w.Fixed(witness.bytes);
    w.Fixed(beacon_id.bytes);
    WriteWitnessFields(w, rssi_ddbm, snr_ddb, frequency_hz);
    w.Fixed(signature.bytes);
}

Hash256 WitnessReport::SigHash(uint32_t network_id) const {
    Writer body;
    body.Fixed(witness.bytes);
    body.Fixed(beacon_id.bytes);
    WriteWitnessFields(body, rssi_ddbm, snr_ddb, frequency_hz);
    return ReportSigHash(tags::kWitnessReport, network_id, body);
}

Bytes EncodeReport(const Report& report) {
    Writer w;
    if (const auto* b = std::get_if<BeaconReport>(&report)) {
        w.Int(static_cast<uint8_t>(ReportKind::kBeacon));
        b->Serialize(w);
    } else if (const auto* wi = std::get_if<WitnessReport>(&report)) {
        w.Int(static_cast<uint8_t>(ReportKind::kWitness));
        wi->Serialize(w);
    } else if (const auto* c = std::get_if<ComputeCommit>(&report)) {
        w.Int(static_cast<uint8_t>(ReportKind::kComputeCommit));
        c->Serialize(w);
    } else {
        w.Int(static_cast<uint8_t>(ReportKind::kComputeOpen));
        std::get<ComputeOpen>(report).Serialize(w);
    }
    return w.Take();
}

DecodeResult<Report> DecodeReport(ByteSpan data) {
    Reader r{data};
    uint8_t kind = 0;
    r.Int(kind, "report.kind");
    Report out;
    if (kind == static_cast<uint8_t>(ReportKind::kBeacon)) {
        BeaconReport b;
        ReadBeaconReport(r, b);
        out = b;
    } else if (kind == static_cast<uint8_t>(ReportKind::kWitness)) {
        WitnessReport w;
        r.Fixed(w.witness.bytes, "witness.witness");
        r.Fixed(w.beacon_id.bytes, "witness.beacon_id");
        ReadI16(r, w.rssi_ddbm, "witness.rssi");
        ReadI16(r, w.snr_ddb, "witness.snr");
        r.Int(w.frequency_hz, "witness.frequency");
        r.Fixed(w.signature.bytes, "witness.signature");
        out = w;
    } else if (kind == static_cast<uint8_t>(ReportKind::kComputeCommit)) {
        ComputeCommit c;
        ReadComputeCommit(r, c);
        out = c;
    } else if (kind == static_cast<uint8_t>(ReportKind::kComputeOpen)) {
        ComputeOpen o;
        ReadComputeOpen(r, o);
        out = std::move(o);
    } else if (r.ok()) {
        r.Fail(DecodeErrorCode::kUnknownEnum, "report.kind");
    }
    if (!r.ExpectEnd("report")) return MakeError(r.Error());
    return out;
}

const PubKey& ReportDevice(const Report& r) {
    if (const auto* b = std::get_if<BeaconReport>(&r)) return b->beaconer;
    if (const auto* w = std::get_if<WitnessReport>(&r)) return w->witness;
    if (const auto* c = std::get_if<ComputeCommit>(&r)) return c->device;
    return std::get<ComputeOpen>(r).device;
}

WitnessReport ProofWitness::ToReport(const Hash256& beacon_id) const {
    return {witness, beacon_id, rssi_ddbm, snr_ddb, frequency_hz, signature};
}

ProofWitness ProofWitness::FromReport(const WitnessReport& r, uint8_t v) {
    return {r.witness, r.rssi_ddbm, r.snr_ddb, r.frequency_hz, r.signature, v};
}

void CoverageProof::Serialize(Writer& w) const {
    beacon.Serialize(w);
    w.Int(beacon_verdict);
    w.VarInt(witnesses.size());
    for (const ProofWitness& pw : witnesses) {
        w.Fixed(pw.witness.bytes);
        WriteWitnessFields(w, pw.rssi_ddbm, pw.snr_ddb, pw.frequency_hz);
        w.Fixed(pw.signature.bytes);
        w.Int(pw.verdict);
    }
}

Hash256 CoverageProof::Hash() const {
    Writer w;
    Serialize(w);
    return TaggedHash(tags::kCoverageProof, w.Data());
}

bool ReadCoverageProof(Reader& r, CoverageProof& p) {
    ReadBeaconReport(r, p.beacon);
    r.Int(p.beacon_verdict, "proof.beacon_verdict");
    uint64_t n = 0;
    if (!r.VarIntMax(n, kMaxProofWitnessesDecode, "proof.witness_count")) return false;
    p.witnesses.assign(n, {});
    for (ProofWitness& pw : p.witnesses) {
        r.Fixed(pw.witness.bytes, "proof.witness");
        ReadI16(r, pw.rssi_ddbm, "proof.rssi");
        ReadI16(r, pw.snr_ddb, "proof.snr");
        r.Int(pw.frequency_hz, "proof.frequency");
        r.Fixed(pw.signature.bytes, "proof.signature");
        if (!r.Int(pw.verdict, "proof.verdict")) return false;
    }
    return r.ok();
}

DecodeResult<CoverageProof> DecodeCoverageProof(ByteSpan data) {
    Reader r{data};
    CoverageProof p;
    ReadCoverageProof(r, p);
    if (!r.ExpectEnd("coverage proof")) return MakeError(r.Error());
    return p;
}

}  // namespace cairn
