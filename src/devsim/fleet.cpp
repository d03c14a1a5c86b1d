#include "devsim/fleet.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "consensus/poc/fspl.h"
#include "crypto/hash.h"
#include "primitives/serialize.h"

namespace cairn::devsim {
namespace {

using consensus::WitnessVerdict;
using consensus::poc::LatLon;

constexpr double kEarthRadiusKm = 6371.0088;
// Cluster devices stand at least this far apart: above the 300 m rule with room for the
// rounding of coordinates and the distance approximation.
constexpr uint64_t kMinSpacingMm = 400'000;
constexpr int kMaxPlacementTries = 20'000;
// Where the special cheaters go, in km beyond the cluster's edge.
constexpr double kRingBeyondKm = 200.0;
constexpr double kSpoofBeyondKm = 150.0;
constexpr double kRingAssertRadiusKm = 0.1;      // asserted: pairs at most 200 m apart
constexpr double kRingPhysicalRadiusKm = 0.003;  // physical: a few metres, one rooftop
// Antenna gains on offer (dBi x 10): stock 2.3 dBi, 3, 4, 5.8 and 8 dBi.
constexpr std::array<uint16_t, 5> kGains{23, 30, 40, 58, 80};
constexpr int16_t kMaxTxPowerDdbm = 140;  // 14 dBm, a typical LoRa concentrator setting

uint64_t SplitMix(uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

int64_t FloorDiv(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

int16_t ClampI16(int64_t v) {
    return static_cast<int16_t>(std::clamp<int64_t>(v, std::numeric_limits<int16_t>::min(),
                                                    std::numeric_limits<int16_t>::max()));
}

int16_t SnrFor(const RadioOptions& radio, int64_t rssi_mdb, uint64_t h) {
    double snr = static_cast<double>(rssi_mdb) / 1000.0 - radio.noise_floor_dbm;
    snr = std::clamp(snr, -20.0, 12.0) + (Unit(h) - 0.5);
    return ClampI16(std::llround(snr * 10.0));
}

}  // namespace

SecretKey DeriveKey(uint64_t seed, std::string_view role, uint64_t index) {
    for (uint64_t counter = 0;; ++counter) {
        Writer w;
        w.Int(seed);
        w.String(role);
        w.Int(index);
        w.Int(counter);
        const Hash256 h = TaggedHash("Cairn/DevsimKey", w.Data());
        if (auto sk = SecretKey::FromBytes(h.bytes)) return *sk;
    }
}

std::string_view KindName(Kind k) {
    switch (k) {
        case Kind::kHonest:
            return "honest";
        case Kind::kRssi:
            return "rssi";
        case Kind::kSpoof:
            return "spoof";
        case Kind::kSelf:
            return "self";
        case Kind::kReplay:
            return "replay";
        case Kind::kRing:
            return "ring";
    }
    return "unknown";
}

std::optional<Kind> KindFromName(std::string_view name) {
    for (Kind k :
         {Kind::kHonest, Kind::kRssi, Kind::kSpoof, Kind::kSelf, Kind::kReplay, Kind::kRing}) {
        if (KindName(k) == name) return k;
    }
    return std::nullopt;
}

Result<CheatCounts, std::string> ParseCheatSpec(std::string_view spec) {
    CheatCounts out;
    if (spec.empty() || spec == "none") return out;
    if (spec == "all") {
        for (Kind k : kCheatKinds) out.counts[k] = k == Kind::kRing ? 3 : 1;
        return out;
    }
    for (const SpecItem& item : SplitCheatSpec(spec, 10'000)) {
        if (item.bad_count) {
            return MakeError("bad count in cheater spec item '" + std::string{item.text} + "'");
        }
        auto kind = KindFromName(item.name);
        if (!kind || *kind == Kind::kHonest) {
            return MakeError("unknown cheat kind '" + std::string{item.name} +
                             "' (rssi, spoof, self, replay, ring)");
        }
        out.counts[*kind] += static_cast<uint32_t>(item.count.value_or(1));
    }
    const uint32_t ring = out.Of(Kind::kRing);
    if (ring != 0 && ring < 3) {
        return MakeError(std::string{"a ring needs at least 3 colluders (ring=3)"});
    }
    return out;
}

uint64_t Mix(uint64_t seed, std::string_view tag, std::initializer_list<uint64_t> parts) {
    uint64_t h = SplitMix(seed);
    for (char c : tag) h = SplitMix(h ^ static_cast<uint8_t>(c));
    for (uint64_t p : parts) h = SplitMix(h ^ p);
    return h;
}

double Unit(uint64_t h) {
    return static_cast<double>(h >> 11) * 0x1.0p-53;
}

LatLon OffsetKm(const LatLon& p, double north_km, double east_km) {
    const double lat = p.lat_e7 / 1e7;
    const double lon = p.lon_e7 / 1e7;
    const double deg_per_km = 180.0 / (std::numbers::pi * kEarthRadiusKm);
    double nlat = lat + north_km * deg_per_km;
    double nlon = lon + east_km * deg_per_km / std::cos(lat * std::numbers::pi / 180.0);
    nlat = std::clamp(nlat, -89.9, 89.9);
    while (nlon >= 180.0) nlon -= 360.0;
    while (nlon < -180.0) nlon += 360.0;
    return {static_cast<int32_t>(std::llround(nlat * 1e7)),
            static_cast<int32_t>(std::llround(nlon * 1e7))};
}

Result<std::vector<SimDevice>, std::string> BuildFleet(const FleetOptions& o) {
    std::vector<Kind> kinds(o.honest, Kind::kHonest);
    for (Kind k : kCheatKinds) kinds.insert(kinds.end(), o.cheats.Of(k), k);

    std::vector<SimDevice> fleet;
    fleet.reserve(kinds.size());
    std::vector<LatLon> placed;  // physical positions in the cluster
    const LatLon ring_spot = OffsetKm(o.center, 0.0, o.spread_km + kRingBeyondKm);
    uint32_t ring_member = 0;
    const uint32_t ring_size = o.cheats.Of(Kind::kRing);
    for (size_t i = 0; i < kinds.size(); ++i) {
        const Kind kind = kinds[i];
        LatLon physical;
        LatLon asserted;
        if (kind == Kind::kRing) {
            const double a = 2.0 * std::numbers::pi * ring_member / ring_size;
            physical = OffsetKm(ring_spot, kRingPhysicalRadiusKm * std::cos(a),
                                kRingPhysicalRadiusKm * std::sin(a));
            asserted = OffsetKm(ring_spot, kRingAssertRadiusKm * std::cos(a),
                                kRingAssertRadiusKm * std::sin(a));
            ++ring_member;
        } else {
            bool ok = false;
            for (int t = 0; t < kMaxPlacementTries && !ok; ++t) {
                const double r =
                    o.spread_km * std::sqrt(Unit(Mix(o.seed, "radius", {i, uint64_t(t)})));
                const double a =
                    2.0 * std::numbers::pi * Unit(Mix(o.seed, "bearing", {i, uint64_t(t)}));
                physical = OffsetKm(o.center, r * std::cos(a), r * std::sin(a));
                ok = std::all_of(placed.begin(), placed.end(), [&](const LatLon& q) {
                    return consensus::poc::DistanceMm(physical, q) >= kMinSpacingMm;
                });
            }
            if (!ok) {
                return MakeError("cannot place " + std::to_string(kinds.size()) +
                                 " devices 400 m apart within " + std::to_string(o.spread_km) +
                                 " km: give a larger --spread-km");
            }
            placed.push_back(physical);
            asserted = physical;
            if (kind == Kind::kSpoof) {
                // South-west, farther than 100 km from every device of the cluster.
                const double d = 2.0 * o.spread_km + kSpoofBeyondKm;
                asserted = OffsetKm(physical, -d / std::numbers::sqrt2, -d / std::numbers::sqrt2);
            }
        }
        const uint16_t gain = kGains[Mix(o.seed, "gain", {i}) % kGains.size()];
        const int16_t tx = static_cast<int16_t>(
            std::min<int32_t>(kMaxTxPowerDdbm, o.max_eirp_ddbm - static_cast<int32_t>(gain)));
        SecretKey dk = DeriveKey(o.seed, "device", i);
        SecretKey owner_sk = DeriveKey(o.seed, "owner", i);
        const PubKey dpk = dk.GetPubKey();
        const PubKey opk = owner_sk.GetPubKey();
        fleet.push_back(
            SimDevice{i, kind, dk, owner_sk, dpk, opk, physical, asserted, gain, tx, o.region});
    }
    return fleet;
}

std::optional<Reception> Receive(const RadioOptions& radio, uint64_t seed, const SimDevice& b,
                                 const SimDevice& w, uint32_t frequency_hz, uint64_t round) {
    const uint64_t dist = consensus::poc::DistanceMm(b.physical, w.physical);
    if (static_cast<double>(dist) > radio.range_km * 1e6) return std::nullopt;
    const uint64_t lo = std::min(b.index, w.index), hi = std::max(b.index, w.index);
    const double extra_db =
        radio.min_extra_loss_db +
        Unit(Mix(seed, "link", {lo, hi})) * (radio.max_extra_loss_db - radio.min_extra_loss_db);
    const double noise_db =
        (2.0 * Unit(Mix(seed, "noise", {round, b.index, w.index})) - 1.0) * radio.noise_db;
    const int64_t rssi_mdb = (int64_t{b.tx_power_ddbm} + b.gain_ddbi + w.gain_ddbi) * 100 -
                             consensus::poc::FsplMdb(dist, frequency_hz) -
                             std::llround(extra_db * 1000.0) + std::llround(noise_db * 1000.0);
    if (static_cast<double>(rssi_mdb) < radio.sensitivity_dbm * 1000.0) return std::nullopt;
    Reception r;
    r.rssi_ddbm = ClampI16(FloorDiv(rssi_mdb, 100));
    r.snr_ddb = SnrFor(radio, rssi_mdb, Mix(seed, "snr", {round, b.index, w.index}));
    const double offset_hz = (2.0 * Unit(Mix(seed, "ppm", {round, b.index, w.index})) - 1.0) * 2000;
    r.frequency_hz =
        static_cast<uint32_t>(static_cast<int64_t>(frequency_hz) + std::llround(offset_hz));
    return r;
}

int64_t RssiBoundMdb(const SimDevice& b, const SimDevice& w, int16_t tx_power_ddbm,
                     uint32_t frequency_hz) {
    const uint64_t dist = consensus::poc::DistanceMm(b.asserted, w.asserted);
    return (int64_t{tx_power_ddbm} + b.gain_ddbi + w.gain_ddbi) * 100 -
           consensus::poc::FsplMdb(dist, frequency_hz);
}

std::optional<Reception> WitnessFor(const RadioOptions& radio, uint64_t seed, const SimDevice& b,
                                    const SimDevice& w, const BeaconReport& beacon,
                                    uint64_t round) {
    if (b.index == w.index) {
        // Only a self-witnessing cheater "hears" its own beacon: loud and clear.
        if (w.kind != Kind::kSelf) return std::nullopt;
        return Reception{-250, 95, beacon.frequency_hz};
    }
    if (w.kind == Kind::kSelf) return std::nullopt;  // it witnesses nothing else
    auto r = Receive(radio, seed, b, w, beacon.frequency_hz, round);
    if (!r) return std::nullopt;
    if (w.kind == Kind::kRssi) {
        // 3..12 dB above what free space allows over the asserted distance.
        const int64_t bound = RssiBoundMdb(b, w, beacon.tx_power_ddbm, beacon.frequency_hz);
        const int64_t inflate =
            3000 +
            static_cast<int64_t>(Unit(Mix(seed, "inflate", {round, b.index, w.index})) * 9000);
        const int64_t mdb = bound + inflate;
        r->rssi_ddbm = ClampI16(-FloorDiv(-mdb, 100));  // rounded up: strictly above the bound
        r->snr_ddb = SnrFor(radio, mdb, Mix(seed, "snr", {round, b.index, w.index}));
    } else if (w.kind == Kind::kRing && b.kind == Kind::kRing) {
        // Colluders on one roof hear each other at full strength, and report what their
        // asserted geometry makes plausible instead, so only the distance rule catches them.
        const int64_t bound = RssiBoundMdb(b, w, beacon.tx_power_ddbm, beacon.frequency_hz);
        const int64_t mdb =
            bound - 8000 -
            static_cast<int64_t>(Unit(Mix(seed, "ringloss", {round, b.index, w.index})) * 8000);
        r->rssi_ddbm = ClampI16(FloorDiv(mdb, 100));
        r->snr_ddb = SnrFor(radio, mdb, Mix(seed, "snr", {round, b.index, w.index}));
    }
    return r;
}

WitnessVerdict PredictWitness(const consensus::ChainParams& params, const BeaconReport& beacon,
                              const SimDevice& b, const WitnessReport& report, const SimDevice& w) {
    if (report.witness == beacon.beaconer) return WitnessVerdict::kSelfWitness;
    if (w.region != b.region) return WitnessVerdict::kWrongRegion;
    const uint64_t df = report.frequency_hz > beacon.frequency_hz
                            ? report.frequency_hz - beacon.frequency_hz
                            : beacon.frequency_hz - report.frequency_hz;
    if (df > params.poc.frequency_tolerance_hz) return WitnessVerdict::kBadFrequency;
    const uint64_t dist = consensus::poc::DistanceMm(b.asserted, w.asserted);
    if (dist < params.poc.min_witness_distance_mm) return WitnessVerdict::kTooClose;
    if (dist > params.poc.max_witness_distance_mm) return WitnessVerdict::kTooFar;
    if (int64_t{report.rssi_ddbm} * 100 >
        RssiBoundMdb(b, w, beacon.tx_power_ddbm, beacon.frequency_hz)) {
        return WitnessVerdict::kRssiTooHigh;
    }
    return WitnessVerdict::kValid;
}

}  // namespace cairn::devsim
