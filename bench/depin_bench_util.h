// Shared helpers for the DePIN benchmarks (coverage_bench.cpp, epoch_bench.cpp): deterministic
// device keys, radios on a ~1 km grid in EU868 (region 0), their ledger records, and state built
// the way a block writes it (StateDelta changes applied to a MemoryState).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "consensus/devices/device_record.h"
#include "consensus/memory_state.h"
#include "consensus/params.h"
#include "consensus/poc/geo.h"
#include "consensus/rewards/density.h"
#include "crypto/keys.h"
#include "primitives/serialize.h"

namespace cairn::bench {

inline constexpr uint8_t kRegionEU868 = 0;
inline constexpr uint16_t kRadioGainDdbi = 30;     // 3 dBi
inline constexpr int16_t kRadioTxPowerDdbm = 130;  // 13 dBm: EIRP 16 dBm, the EU868 maximum
inline constexpr uint32_t kGridSpacingM = 1'000;

// SecretKey::FromBytes(Sha256(u64le(i))); re-hashed in the (negligible) case the hash is not a
// valid secret key.
SecretKey DeviceKey(uint64_t i);

struct DeviceKeys {
    std::vector<SecretKey> secret;
    std::vector<PubKey> pub;
};
// DeviceKey(0..n-1) and their public keys, derived in parallel.
DeviceKeys MakeDeviceKeys(size_t n);

// n distinct 32-byte keys Sha256(domain || u64le(i)), NOT curve points: for benchmarks that only
// store, order and look up keys (epoch accounting never parses or verifies a device or owner
// key), where deriving a million real keys would dominate the setup.
std::vector<PubKey> PseudoKeys(std::string_view domain, size_t n);

// The point of row `row`, column `col` of a grid `spacing_m` apart, starting at 45 N, 2 E and
// going north and east (1,000 x 1,000 km reaches 54 N, ~17 E: still EU868). Columns are spaced by
// the cosine of the row's latitude, so neighbours are ~spacing_m apart everywhere.
consensus::poc::LatLon GridPosition(size_t row, size_t col, uint32_t spacing_m = kGridSpacingM);

// A registered radio located at `pos` in EU868 with a kRadioGainDdbi antenna, registered and
// located at height 1; witnessed_height as given (reciprocity and interactivity look at it),
// last_beacon_bucket as given.
consensus::DeviceRecord RadioRecord(const PubKey& owner, const consensus::poc::LatLon& pos,
                                    std::optional<uint64_t> witnessed_height,
                                    std::optional<uint64_t> last_beacon_bucket = std::nullopt);

// Calls write(delta, i) for i in [0, n) on StateDeltas over `state`, applying each delta to the
// state (MemoryState::Apply) every `chunk` items, so the transient delta stays bounded.
void WriteInChunks(consensus::MemoryState& state, size_t n,
                   const std::function<void(consensus::StateDelta&, size_t)>& write,
                   size_t chunk = 100'000);

// The count-level cells of these positions under params.poc.density.
std::vector<consensus::rewards::CellId> CountCells(const consensus::ChainParams& params,
                                                   std::span<const consensus::poc::LatLon> pos);

// Writes the density map computed from `cells` (Cairn's grid) into `state`, as the previous
// epoch's boundary would have left it. Returns the number of map cells.
size_t WriteDensityMap(consensus::MemoryState& state, const consensus::ChainParams& params,
                       std::span<const consensus::rewards::CellId> cells);

}  // namespace cairn::bench
