#include "primitives/address.h"

#include "crypto/bech32.h"

namespace cairn {

std::string AddressErrorString(AddressError e) {
    switch (e) {
        case AddressError::kBadEncoding: return "not a valid bech32m string";
        case AddressError::kBadChecksum: return "invalid address checksum (mistyped address?)";
        case AddressError::kNotBech32m: return "address uses bech32, not bech32m";
        case AddressError::kWrongNetwork: return "address belongs to another network";
        case AddressError::kBadLength: return "address payload is not 32 bytes";
        case AddressError::kNotOnCurve: return "address is not a valid public key";
    }
    return "unknown address error";
}

std::string EncodeAddress(Network net, const PubKey& pk) {
    std::vector<uint8_t> data5;
    bech32::ConvertBits({pk.bytes.begin(), pk.bytes.end()}, 8, 5, true, data5);
    return bech32::Encode(bech32::Encoding::kBech32m, GetNetworkInfo(net).hrp, data5);
}

Result<PubKey, AddressError> DecodeAddress(Network net, std::string_view address) {
    auto dec = bech32::Decode(address);
    if (!dec) {
        return MakeError(dec.error() == bech32::DecodeError::kBadChecksum
                             ? AddressError::kBadChecksum
                             : AddressError::kBadEncoding);
    }
    if (dec->encoding != bech32::Encoding::kBech32m) return MakeError(AddressError::kNotBech32m);
    if (dec->hrp != GetNetworkInfo(net).hrp) return MakeError(AddressError::kWrongNetwork);
    std::vector<uint8_t> raw;
    if (!bech32::ConvertBits(dec->data, 5, 8, false, raw) || raw.size() != 32) {
        return MakeError(AddressError::kBadLength);
    }
    auto pk = PubKey::Parse(raw);
    if (!pk) return MakeError(AddressError::kNotOnCurve);
    return *pk;
}

}  // namespace cairn
