#include "primitives/compute_report.h"

namespace cairn {
namespace {

constexpr uint8_t kCommitKind = 3;  // ReportKind::kComputeCommit
constexpr uint8_t kOpenKind = 4;    // ReportKind::kComputeOpen

}  // namespace

Hash256 ReportSigHash(std::string_view tag, uint32_t network_id, const Writer& body) {
    Writer w;
    w.Int(network_id);
    w.Fixed(body.Data());
    return TaggedHash(tag, w.Data());
}

void ComputeCommit::SerializeBody(Writer& w) const {
    w.Fixed(device.bytes);
    w.Int(bucket);
    w.Int(tier);
    w.Fixed(root.bytes);
}

void ComputeCommit::Serialize(Writer& w) const {
    SerializeBody(w);
    w.Fixed(signature.bytes);
}

Hash256 ComputeCommit::SigHash(uint32_t network_id) const {
    Writer body;
    SerializeBody(body);
    return ReportSigHash(tags::kComputeCommit, network_id, body);
}

bool ReadComputeCommit(Reader& r, ComputeCommit& c) {
    r.Fixed(c.device.bytes, "commit.device");
    r.Int(c.bucket, "commit.bucket");
    r.Int(c.tier, "commit.tier");
    r.Fixed(c.root.bytes, "commit.root");
    return r.Fixed(c.signature.bytes, "commit.signature");
}

void ComputeOpen::SerializeBody(Writer& w) const {
    w.Fixed(device.bytes);
    w.Int(bucket);
    w.Fixed(root.bytes);
    w.VarInt(tiles.size());
    for (const OpenedTile& t : tiles) {
        w.Int(t.index);
        w.VarInt(t.cells.size());
        for (int32_t c : t.cells) w.Int(static_cast<uint32_t>(c));
        w.VarInt(t.path.size());
        for (const Hash256& h : t.path) w.Fixed(h.bytes);
    }
}

void ComputeOpen::Serialize(Writer& w) const {
    SerializeBody(w);
    w.Fixed(signature.bytes);
}

Hash256 ComputeOpen::SigHash(uint32_t network_id) const {
    Writer body;
    SerializeBody(body);
    return ReportSigHash(tags::kComputeOpen, network_id, body);
}

bool ReadComputeOpen(Reader& r, ComputeOpen& o) {
    r.Fixed(o.device.bytes, "open.device");
    r.Int(o.bucket, "open.bucket");
    r.Fixed(o.root.bytes, "open.root");
    uint64_t tiles = 0;
    if (!r.VarIntMax(tiles, kMaxOpenTilesDecode, "open.tile_count")) return false;
    o.tiles.assign(tiles, {});
    for (OpenedTile& t : o.tiles) {
        r.Int(t.index, "open.tile_index");
        uint64_t cells = 0;
        if (!r.VarIntMax(cells, kMaxTileCellsDecode, "open.cell_count")) return false;
        t.cells.resize(cells);
        for (int32_t& c : t.cells) {
            uint32_t u = 0;
            r.Int(u, "open.cell");
            c = static_cast<int32_t>(u);
        }
        uint64_t path = 0;
        if (!r.VarIntMax(path, kMaxTilePathDecode, "open.path_length")) return false;
        t.path.resize(path);
        for (Hash256& h : t.path) r.Fixed(h.bytes, "open.path");
        if (!r.ok()) return false;
    }
    return r.Fixed(o.signature.bytes, "open.signature");
}

const PubKey& ComputeReportDevice(const ComputeReport& r) {
    return std::visit([](const auto& x) -> const PubKey& { return x.device; }, r);
}

uint64_t ComputeReportBucket(const ComputeReport& r) {
    return std::visit([](const auto& x) { return x.bucket; }, r);
}

Hash256 ComputeReportSigHash(const ComputeReport& r, uint32_t network_id) {
    return std::visit([&](const auto& x) { return x.SigHash(network_id); }, r);
}

const Signature& ComputeReportSignature(const ComputeReport& r) {
    return std::visit([](const auto& x) -> const Signature& { return x.signature; }, r);
}

void ComputeEntry::Serialize(Writer& w) const {
    if (const auto* c = std::get_if<ComputeCommit>(&report)) {
        w.Int(kCommitKind);
        c->Serialize(w);
    } else {
        w.Int(kOpenKind);
        std::get<ComputeOpen>(report).Serialize(w);
    }
    w.Int(verdict);
    w.Int(detail);
}

Hash256 ComputeEntry::Hash() const {
    Writer w;
    Serialize(w);
    return TaggedHash(tags::kComputeEntry, w.Data());
}

bool ReadComputeEntry(Reader& r, ComputeEntry& e) {
    uint8_t kind = 0;
    if (!r.Int(kind, "compute.kind")) return false;
    if (kind == kCommitKind) {
        ComputeCommit c;
        ReadComputeCommit(r, c);
        e.report = c;
    } else if (kind == kOpenKind) {
        ComputeOpen o;
        ReadComputeOpen(r, o);
        e.report = std::move(o);
    } else {
        return r.Fail(DecodeErrorCode::kUnknownEnum, "compute.kind");
    }
    r.Int(e.verdict, "compute.verdict");
    return r.Int(e.detail, "compute.detail");
}

DecodeResult<ComputeEntry> DecodeComputeEntry(ByteSpan data) {
    Reader r{data};
    ComputeEntry e;
    ReadComputeEntry(r, e);
    if (!r.ExpectEnd("compute entry")) return MakeError(r.Error());
    return e;
}

}  // namespace cairn
