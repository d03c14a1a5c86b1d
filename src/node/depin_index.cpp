#include "node/depin_index.h"

#include <map>
#include <stdexcept>

#include "consensus/devices/device_record.h"
#include "consensus/state_keys.h"

namespace cairn {
namespace {

// Concatenates key parts. (operator+ chains on std::string trip a false g++ 12 -Wrestrict.)
std::string Cat(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (std::string_view p : parts) out.append(p);
    return out;
}

std::string Str(ByteSpan b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}
ByteSpan Span(const std::string& s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
std::string Epoch8(uint64_t e) {
    std::string out;
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>(e >> (8 * i)));
    return out;
}
std::string KeyStr(const PubKey& k) {
    return Str(k.bytes);
}
PubKey KeyAt(const std::string& s, size_t pos) {
    PubKey k;
    std::copy_n(s.begin() + static_cast<std::ptrdiff_t>(pos), 32, k.bytes.begin());
    return k;
}

std::string EncodeStats(const DeviceStats& s) {
    Writer w;
    for (uint64_t v : s.beacons) w.VarInt(v);
    for (uint64_t v : s.witnesses) w.VarInt(v);
    w.VarInt(s.last_beacon_height);
    w.VarInt(s.last_witness_height);
    w.VarInt(s.earned);
    w.VarInt(s.beacon_units);
    w.VarInt(s.witness_units);
    for (uint64_t v : s.compute_reports) w.VarInt(v);
    for (uint64_t v : s.compute_buckets) w.VarInt(v);
    w.VarInt(s.last_settled_height);
    w.VarInt(s.compute_units);
    w.VarInt(s.compute_earned);
    return Str(w.Data());
}

DeviceStats DecodeStats(const std::string& raw) {
    Reader r{Span(raw)};
    DeviceStats s;
    for (uint64_t& v : s.beacons) r.VarInt(v, "stats");
    for (uint64_t& v : s.witnesses) r.VarInt(v, "stats");
    r.VarInt(s.last_beacon_height, "stats");
    r.VarInt(s.last_witness_height, "stats");
    r.VarInt(s.earned, "stats");
    r.VarInt(s.beacon_units, "stats");
    r.VarInt(s.witness_units, "stats");
    for (uint64_t& v : s.compute_reports) r.VarInt(v, "stats");
    for (uint64_t& v : s.compute_buckets) r.VarInt(v, "stats");
    r.VarInt(s.last_settled_height, "stats");
    r.VarInt(s.compute_units, "stats");
    r.VarInt(s.compute_earned, "stats");
    if (!r.ExpectEnd("device stats")) throw std::runtime_error("corrupt device stats index");
    return s;
}

std::string EncodeAmount(Amount a) {
    Writer w;
    w.VarInt(a);
    return Str(w.Data());
}

Amount DecodeAmount(const std::string& raw) {
    Reader r{Span(raw)};
    Amount a = 0;
    r.VarInt(a, "amount");
    if (!r.ExpectEnd("amount")) throw std::runtime_error("corrupt payout index");
    return a;
}

IndexedPayout DecodePayout(const PubKey& device, const std::string& raw) {
    Reader r{Span(raw)};
    IndexedPayout p;
    p.device = device;
    r.Fixed(p.owner.bytes, "owner");
    r.VarInt(p.beacon_amount, "beacon");
    r.VarInt(p.witness_amount, "witness");
    r.VarInt(p.beacon_units, "beacon_units");
    r.VarInt(p.witness_units, "witness_units");
    r.VarInt(p.compute_amount, "compute");
    r.VarInt(p.compute_units, "compute_units");
    r.VarInt(p.compute_buckets, "compute_buckets");
    if (!r.ExpectEnd("payout")) throw std::runtime_error("corrupt payout index");
    return p;
}

}  // namespace

std::vector<IndexWrite> DepinIndexWrites(const Block& block,
                                         const consensus::ConnectedBlock& connected,
                                         const ChainDb& db) {
    using consensus::BeaconVerdict;
    using consensus::WitnessVerdict;
    std::vector<IndexWrite> out;
    const uint64_t height = block.header.height;

    // Owner index: compare each changed device record's owner with the stored one.
    for (const auto& [key, value] : connected.entry_changes) {
        if (key.size() != 33 || key[0] != consensus::keys::kDevice || !value) continue;
        const PubKey device = consensus::keys::KeyOf(key);
        auto now = consensus::DecodeDeviceRecord(*value);
        if (!now) throw std::runtime_error("undecodable device record in block changes");
        auto before = consensus::ReadDevice(db, device);
        if (before && before->owner == now->owner) continue;
        if (before)
            out.push_back({Cat({"o", KeyStr(before->owner), KeyStr(device)}), std::nullopt});
        out.push_back({Cat({"o", KeyStr(now->owner), KeyStr(device)}), std::string{}});
    }

    // Device statistics, accumulated over the block before writing each once.
    std::map<PubKey, DeviceStats> stats;
    auto stats_of = [&](const PubKey& d) -> DeviceStats& {
        auto it = stats.find(d);
        if (it == stats.end())
            it = stats.emplace(d, ReadDeviceStats(db, d).value_or(DeviceStats{})).first;
        return it->second;
    };
    for (size_t i = 0; i < block.proofs.size() && i < connected.proofs.size(); ++i) {
        const CoverageProof& p = block.proofs[i];
        const consensus::ProofEvaluation& ev = connected.proofs[i];
        DeviceStats& b = stats_of(p.beacon.beaconer);
        b.beacons[static_cast<size_t>(ev.beacon)] += 1;
        b.last_beacon_height = height;
        b.beacon_units += ev.beacon_units;
        for (size_t k = 0; k < p.witnesses.size() && k < ev.witnesses.size(); ++k) {
            DeviceStats& w = stats_of(p.witnesses[k].witness);
            w.witnesses[static_cast<size_t>(ev.witnesses[k])] += 1;
            w.last_witness_height = height;
            if (ev.witnesses[k] == WitnessVerdict::kValid) w.witness_units += ev.witness_units;
        }
    }
    for (size_t i = 0; i < block.compute.size() && i < connected.compute.size(); ++i) {
        DeviceStats& d = stats_of(ComputeReportDevice(block.compute[i].report));
        d.compute_reports[static_cast<size_t>(connected.compute[i].verdict)] += 1;
    }
    for (const consensus::compute::ComputeSettlement& st : connected.settlements) {
        DeviceStats& d = stats_of(st.device);
        d.compute_buckets[static_cast<size_t>(st.outcome)] += 1;
        d.last_settled_height = height;
        d.compute_units += st.units;
    }
    if (connected.epoch) {
        const uint64_t epoch = connected.epoch->summary.epoch;
        const auto& devices = connected.epoch->coverage.devices;
        const auto& shares = connected.epoch->shares;
        for (size_t i = 0; i < devices.size() && i < shares.size(); ++i) {
            const auto& d = devices[i];
            stats_of(d.device).earned += d.beacon_amount + d.witness_amount;
            Writer w;
            w.Fixed(d.owner.bytes);
            w.VarInt(d.beacon_amount);
            w.VarInt(d.witness_amount);
            w.VarInt(shares[i].beacon_units);
            w.VarInt(shares[i].witness_units);
            for (int z = 0; z < 3; ++z) w.VarInt(0);  // no compute figures for a radio
            out.push_back({Cat({"w", Epoch8(epoch), KeyStr(d.device)}), Str(w.Data())});
        }
        for (const auto& d : connected.epoch->compute.devices) {
            stats_of(d.device).compute_earned += d.amount;
            Writer w;
            w.Fixed(d.owner.bytes);
            for (int z = 0; z < 4; ++z) w.VarInt(0);  // no coverage figures for a compute device
            w.VarInt(d.amount);
            w.VarInt(d.units);
            w.VarInt(d.buckets);
            out.push_back({Cat({"w", Epoch8(epoch), KeyStr(d.device)}), Str(w.Data())});
        }
        // An owner's entry sums its coverage and compute devices (at most the two pools).
        std::map<PubKey, Amount> owners;
        for (const auto& [owner, amount] : connected.epoch->coverage.owners)
            owners[owner] += amount;
        for (const auto& [owner, amount] : connected.epoch->compute.owners) owners[owner] += amount;
        for (const auto& [owner, amount] : owners) {
            out.push_back({Cat({"W", Epoch8(epoch), KeyStr(owner)}), EncodeAmount(amount)});
        }
        for (const auto& [validator, amount] : connected.epoch->validators) {
            out.push_back({Cat({"V", Epoch8(epoch), KeyStr(validator)}), EncodeAmount(amount)});
        }
    }
    if (!connected.settlements.empty()) {
        Writer w;
        w.VarInt(connected.settlements.size());
        for (const auto& st : connected.settlements) {
            w.Fixed(st.device.bytes);
            w.VarInt(st.bucket);
            w.Int(st.tier);
            w.Int(static_cast<uint8_t>(st.outcome));
            w.VarInt(st.detail);
            w.VarInt(st.units);
            w.Int(static_cast<uint8_t>(st.deactivated ? 1 : 0));
        }
        out.push_back({Cat({"c", Epoch8(height)}), Str(w.Data())});
    }
    for (const auto& [device, s] : stats)
        out.push_back({Cat({"s", KeyStr(device)}), EncodeStats(s)});
    return out;
}

std::optional<DeviceStats> ReadDeviceStats(const ChainDb& db, const PubKey& device) {
    auto raw = db.ReadIndex(Cat({"s", KeyStr(device)}));
    if (!raw) return std::nullopt;
    return DecodeStats(*raw);
}

std::vector<PubKey> ReadDevicesOfOwner(const ChainDb& db, const PubKey& owner,
                                       const std::optional<PubKey>& start_after, size_t limit) {
    std::vector<PubKey> out;
    const std::string prefix = Cat({"o", KeyStr(owner)});
    const std::string start =
        start_after ? Cat({prefix, KeyStr(*start_after), std::string_view{"\0", 1}}) : prefix;
    db.ScanIndex(prefix, start, [&](const std::string& key, const std::string&) {
        if (out.size() >= limit) return false;
        out.push_back(KeyAt(key, 33));
        return true;
    });
    return out;
}

std::vector<IndexedPayout> ReadEpochDevicePayouts(const ChainDb& db, uint64_t epoch,
                                                  const std::optional<PubKey>& start_after,
                                                  size_t limit) {
    std::vector<IndexedPayout> out;
    const std::string prefix = Cat({"w", Epoch8(epoch)});
    const std::string start =
        start_after ? Cat({prefix, KeyStr(*start_after), std::string_view{"\0", 1}}) : prefix;
    db.ScanIndex(prefix, start, [&](const std::string& key, const std::string& value) {
        if (out.size() >= limit) return false;
        out.push_back(DecodePayout(KeyAt(key, 9), value));
        return true;
    });
    return out;
}

std::vector<std::pair<PubKey, Amount>> ReadEpochOwnerPayouts(
    const ChainDb& db, uint64_t epoch, const std::optional<PubKey>& start_after, size_t limit) {
    std::vector<std::pair<PubKey, Amount>> out;
    const std::string prefix = Cat({"W", Epoch8(epoch)});
    const std::string start =
        start_after ? Cat({prefix, KeyStr(*start_after), std::string_view{"\0", 1}}) : prefix;
    db.ScanIndex(prefix, start, [&](const std::string& key, const std::string& value) {
        if (out.size() >= limit) return false;
        out.emplace_back(KeyAt(key, 9), DecodeAmount(value));
        return true;
    });
    return out;
}

std::vector<std::pair<PubKey, Amount>> ReadEpochValidatorPayouts(const ChainDb& db,
                                                                 uint64_t epoch) {
    std::vector<std::pair<PubKey, Amount>> out;
    const std::string prefix = Cat({"V", Epoch8(epoch)});
    db.ScanIndex(prefix, prefix, [&](const std::string& key, const std::string& value) {
        out.emplace_back(KeyAt(key, 9), DecodeAmount(value));
        return true;
    });
    return out;
}

std::optional<IndexedPayout> ReadDevicePayout(const ChainDb& db, uint64_t epoch,
                                              const PubKey& device) {
    auto raw = db.ReadIndex(Cat({"w", Epoch8(epoch), KeyStr(device)}));
    if (!raw) return std::nullopt;
    return DecodePayout(device, *raw);
}

std::vector<consensus::compute::ComputeSettlement> ReadComputeSettlements(const ChainDb& db,
                                                                          uint64_t height) {
    std::vector<consensus::compute::ComputeSettlement> out;
    auto raw = db.ReadIndex(Cat({"c", Epoch8(height)}));
    if (!raw) return out;
    Reader r{Span(*raw)};
    uint64_t n = 0;
    r.VarInt(n, "settlements");
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
        consensus::compute::ComputeSettlement st;
        uint8_t outcome = 0, deactivated = 0;
        uint64_t detail = 0;
        r.Fixed(st.device.bytes, "settlement.device");
        r.VarInt(st.bucket, "settlement.bucket");
        r.Int(st.tier, "settlement.tier");
        r.Int(outcome, "settlement.outcome");
        r.VarInt(detail, "settlement.detail");
        r.VarInt(st.units, "settlement.units");
        r.Int(deactivated, "settlement.deactivated");
        const auto v = consensus::ComputeVerdictFromByte(outcome);
        if (!v || detail > UINT32_MAX) break;
        st.outcome = *v;
        st.detail = static_cast<uint32_t>(detail);
        st.deactivated = deactivated != 0;
        out.push_back(st);
    }
    if (out.size() != n || !r.ExpectEnd("settlements")) {
        throw std::runtime_error("corrupt compute settlement index");
    }
    return out;
}

}  // namespace cairn
