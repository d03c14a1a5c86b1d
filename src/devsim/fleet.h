// The simulated fleet of cairn-devsim: who the devices are, where they physically stand, what
// they assert on chain, and how they behave on air (doc/devsim.md).
//
// Everything here is a pure function of the options and the seed: the same seed gives the same
// keys, the same layout and the same radio links, so a run can be repeated and a failing test
// reproduced. Randomness comes from a keyed hash (SplitMix64 over the seed and a tag), never from
// <random>, whose distributions differ between standard libraries.
//
// Layout: honest devices and the single-device cheaters (rssi, spoof, self, replay) stand in a
// disc of `spread_km` around the centre, at least 350 m apart so that honest pairs never trip the
// 300 m rule. A ring's colluders stand together at one spot far outside the cluster (beyond
// radio range, so only they hear one another) and assert locations ~100 m apart. A spoofer
// stands in the cluster but asserts a location more than 150 km away.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "consensus/params.h"
#include "consensus/poc/geo.h"
#include "consensus/poc/verdict.h"
#include "crypto/keys.h"
#include "devsim/cheat_spec.h"
#include "primitives/report.h"
#include "util/result.h"

namespace cairn::devsim {

enum class Kind : uint8_t {
    kHonest,
    kRssi,    // witnesses with an RSSI above the free-space bound
    kSpoof,   // asserts a location > 100 km from where it stands
    kSelf,    // witnesses its own beacons (and nothing else)
    kReplay,  // re-submits its previous bucket's beacon
    kRing,    // colluders at one spot asserting locations < 300 m apart, witnessing each other
};

inline constexpr std::array<Kind, 5> kCheatKinds{Kind::kRssi, Kind::kSpoof, Kind::kSelf,
                                                 Kind::kReplay, Kind::kRing};

std::string_view KindName(Kind k);
std::optional<Kind> KindFromName(std::string_view name);

// How many devices of each cheating kind; "rssi=1,spoof=1,self=1,replay=1,ring=3" (':' works
// too). "all" is one of each and a ring of 3; "" or "none" is no cheaters.
using CheatCounts = KindCounts<Kind>;
Result<CheatCounts, std::string> ParseCheatSpec(std::string_view spec);

// A device or owner key derived from the seed, a role ("device", "owner", "compute-device", ...)
// and an index: the same seed gives the same keys on every run.
SecretKey DeriveKey(uint64_t seed, std::string_view role, uint64_t index);

// Deterministic randomness: a 64-bit hash of the seed, a tag and some numbers.
uint64_t Mix(uint64_t seed, std::string_view tag, std::initializer_list<uint64_t> parts);
// A double in [0, 1) from a 64-bit hash.
double Unit(uint64_t h);

// The point `north_km` north and `east_km` east of p (a local flat-earth approximation, good to
// well under a percent at the distances used here).
consensus::poc::LatLon OffsetKm(const consensus::poc::LatLon& p, double north_km, double east_km);

struct FleetOptions {
    uint64_t seed{1};
    uint32_t honest{12};
    CheatCounts cheats;
    consensus::poc::LatLon center{523'676'000, 49'041'000};  // Amsterdam
    double spread_km{10.0};
    uint8_t region{0};           // index into PocParams::regions
    int32_t max_eirp_ddbm{160};  // the region's limit: tx power + gain never exceeds it
};

struct SimDevice {
    size_t index{0};
    Kind kind{Kind::kHonest};
    SecretKey device_key;
    SecretKey owner_key;
    PubKey device;
    PubKey owner;
    consensus::poc::LatLon physical;  // where it really stands (radio propagation)
    consensus::poc::LatLon asserted;  // what it asserts on chain (the consensus rules)
    uint16_t gain_ddbi{0};
    int16_t tx_power_ddbm{0};
    uint8_t region{0};
};

// Honest devices first (indices 0..honest-1), then cheaters in kCheatKinds order. Fails when the
// cluster cannot hold the devices at the minimum spacing (give a larger --spread-km).
Result<std::vector<SimDevice>, std::string> BuildFleet(const FleetOptions& o);

// The radio channel: free-space path loss over the true distance, a per-link extra loss (walls,
// terrain: fixed for a pair of devices), a little noise per transmission, and a horizon beyond
// which nothing is heard.
struct RadioOptions {
    double sensitivity_dbm{-135.0};
    double range_km{60.0};
    double noise_floor_dbm{-117.0};  // thermal noise in 125 kHz plus a 6 dB noise figure
    double min_extra_loss_db{6.0};
    double max_extra_loss_db{20.0};
    double noise_db{1.5};  // +- this, uniform, per transmission
};

struct Reception {
    int16_t rssi_ddbm{0};
    int16_t snr_ddb{0};
    uint32_t frequency_hz{0};
};

// What w physically receives of b's transmission on `frequency_hz` in round `round` (any number
// that differs between transmissions, e.g. the bucket), or nullopt when it hears nothing.
std::optional<Reception> Receive(const RadioOptions& radio, uint64_t seed, const SimDevice& b,
                                 const SimDevice& w, uint32_t frequency_hz, uint64_t round);

// The strongest RSSI (millidecibels) the consensus rules accept from w for b's beacon: transmit
// power plus both asserted gains minus free-space loss over the asserted distance.
int64_t RssiBoundMdb(const SimDevice& b, const SimDevice& w, int16_t tx_power_ddbm,
                     uint32_t frequency_hz);

// The witness report values device w sends for `beacon` (transmitted by b), by w's kind, or
// nullopt when w sends none. Honest devices report what they receive; cheaters deviate.
std::optional<Reception> WitnessFor(const RadioOptions& radio, uint64_t seed, const SimDevice& b,
                                    const SimDevice& w, const BeaconReport& beacon, uint64_t round);

// The verdict the physical witness rules give (coverage_verifier.cpp, in its order) for a
// witness report of w on b's valid beacon: kValid means it passes them all, and the chain's
// state then decides between valid, witness-not-selected and witness-no-reciprocity.
consensus::WitnessVerdict PredictWitness(const consensus::ChainParams& params,
                                         const BeaconReport& beacon, const SimDevice& b,
                                         const WitnessReport& report, const SimDevice& w);

}  // namespace cairn::devsim
