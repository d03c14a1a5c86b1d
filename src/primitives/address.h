// Addresses: bech32m of the 32-byte x-only public key with the network's prefix,
// e.g. "dcairn1..." on devnet. The checksum catches any mistyped address.
#pragma once

#include <string>
#include <string_view>

#include "crypto/keys.h"
#include "primitives/network.h"
#include "util/result.h"

namespace cairn {

enum class AddressError {
    kBadEncoding,   // not bech32 at all (length, characters, case, separator)
    kBadChecksum,   // looks like an address but the checksum fails: mistyped
    kNotBech32m,    // a Bech32 (BIP173) checksum: wrong variant
    kWrongNetwork,  // a valid address of another network
    kBadLength,     // payload is not 32 bytes
    kNotOnCurve,    // 32 bytes that are not a public key
};

std::string AddressErrorString(AddressError e);

std::string EncodeAddress(Network net, const PubKey& pk);
Result<PubKey, AddressError> DecodeAddress(Network net, std::string_view address);

}  // namespace cairn
