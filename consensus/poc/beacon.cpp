#include "consensus/poc/beacon.h"

#include <algorithm>

namespace cairn::consensus::poc {

BeaconChallenge DeriveBeacon(const Hash256& entropy_hash, const PubKey& beaconer,
                             const RadioRegion& region) {
    Writer w;
    w.Fixed(entropy_hash.bytes);
    w.Fixed(beaconer.bytes);
    const Hash256 seed = TaggedHash(tags::kBeaconPayload, w.Data());
    BeaconChallenge c;
    std::copy_n(seed.bytes.begin(), kBeaconPayloadBytes, c.payload.begin());
    uint64_t r = 0;
    for (int i = 7; i >= 0; --i) r = r << 8 | seed.bytes[16 + i];
    c.channel = static_cast<uint8_t>(r % region.channels_hz.size());
    c.frequency_hz = region.channels_hz[c.channel];
    return c;
}

}  // namespace cairn::consensus::poc
