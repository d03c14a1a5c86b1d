// What a beacon must transmit, derived from its entropy block and its beaconer's key.
//
// seed = TaggedHash("Cairn/BeaconPayload", entropy block hash || beaconer key);
// payload = seed[0..16); channel = u64le(seed[16..24)) mod (number of region channels);
// frequency = the region's channel list at that index. Nobody can know a beacon's payload or
// channel before its entropy block exists, so beacons cannot be prepared or replayed from
// another window.
#pragma once

#include <array>
#include <cstdint>

#include "consensus/params.h"
#include "crypto/hash.h"
#include "crypto/keys.h"
#include "primitives/report.h"

namespace cairn::consensus::poc {

struct BeaconChallenge {
    std::array<uint8_t, kBeaconPayloadBytes> payload{};
    uint8_t channel{0};
    uint32_t frequency_hz{0};
};

// REQUIRES: region has at least one channel.
BeaconChallenge DeriveBeacon(const Hash256& entropy_hash, const PubKey& beaconer,
                             const RadioRegion& region);

}  // namespace cairn::consensus::poc
