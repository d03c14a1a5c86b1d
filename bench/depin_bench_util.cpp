#include "depin_bench_util.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "bench_util.h"
#include "consensus/poc/grid.h"
#include "consensus/rewards/density_state.h"

namespace cairn::bench {
namespace {

std::array<uint8_t, 8> U64Le(uint64_t v) {
    std::array<uint8_t, 8> out{};
    for (size_t i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
    return out;
}

}  // namespace

SecretKey DeviceKey(uint64_t i) {
    Hash256 h = Sha256(U64Le(i));
    for (;;) {
        if (auto sk = SecretKey::FromBytes(h.bytes)) return *sk;
        h = Sha256(h.bytes);
    }
}

DeviceKeys MakeDeviceKeys(size_t n) {
    std::vector<std::optional<SecretKey>> sks(n);
    std::vector<PubKey> pks(n);
    ParallelFor(n, [&](size_t i) {
        sks[i] = DeviceKey(i);
        pks[i] = sks[i]->GetPubKey();
    });
    DeviceKeys out;
    out.secret.reserve(n);
    for (auto& sk : sks) out.secret.push_back(*sk);
    out.pub = std::move(pks);
    return out;
}

std::vector<PubKey> PseudoKeys(std::string_view domain, size_t n) {
    std::vector<PubKey> keys(n);
    ParallelFor(n, [&](size_t i) {
        Writer w;
        w.String(domain);
        w.Fixed(U64Le(i));
        keys[i].bytes = Sha256(w.Data()).bytes;
    });
    return keys;
}

consensus::poc::LatLon GridPosition(size_t row, size_t col, uint32_t spacing_m) {
    constexpr double kPi = 3.14159265358979323846;
    constexpr double kMetresPerDegree = 6'371'008.8 * kPi / 180.0;
    constexpr double kLat0 = 45.0, kLon0 = 2.0;
    const double lat = kLat0 + static_cast<double>(row) * spacing_m / kMetresPerDegree;
    const double lon = kLon0 + static_cast<double>(col) * spacing_m /
                                   (kMetresPerDegree * std::cos(lat * kPi / 180.0));
    return {static_cast<int32_t>(std::lround(lat * 1e7)),
            static_cast<int32_t>(std::lround(lon * 1e7))};
}

consensus::DeviceRecord RadioRecord(const PubKey& owner, const consensus::poc::LatLon& pos,
                                    std::optional<uint64_t> witnessed_height,
                                    std::optional<uint64_t> last_beacon_bucket) {
    consensus::DeviceRecord d;
    d.device_class = consensus::DeviceClass::kRadio;
    d.owner = owner;
    d.registered_height = 1;
    d.location = consensus::AssertedLocation{pos, kRadioGainDdbi, kRegionEU868, 1};
    d.location_asserts = 1;
    d.last_beacon_bucket = last_beacon_bucket;
    d.witnessed_height = witnessed_height;
    return d;
}

void WriteInChunks(consensus::MemoryState& state, size_t n,
                   const std::function<void(consensus::StateDelta&, size_t)>& write, size_t chunk) {
    for (size_t begin = 0; begin < n; begin += chunk) {
        consensus::StateDelta delta{state};
        const size_t end = std::min(n, begin + chunk);
        for (size_t i = begin; i < end; ++i) write(delta, i);
        state.Apply(delta.Changes(), delta.EntryChanges());
    }
}

std::vector<consensus::rewards::CellId> CountCells(const consensus::ChainParams& params,
                                                   std::span<const consensus::poc::LatLon> pos) {
    std::vector<consensus::rewards::CellId> cells(pos.size());
    for (size_t i = 0; i < pos.size(); ++i) {
        cells[i] = consensus::poc::CellAt(pos[i], params.poc.density.count_level);
    }
    return cells;
}

size_t WriteDensityMap(consensus::MemoryState& state, const consensus::ChainParams& params,
                       std::span<const consensus::rewards::CellId> cells) {
    const consensus::rewards::DensityMap map = consensus::rewards::ComputeDensityMap(
        consensus::rewards::CairnCellGrid{}, params.poc.density, cells);
    consensus::StateDelta delta{state};
    consensus::rewards::ReplaceDensityMap(delta, map);
    state.Apply(delta.Changes(), delta.EntryChanges());
    return map.size();
}

}  // namespace cairn::bench
