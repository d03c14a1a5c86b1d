// Bech32 and Bech32m (BIP173, BIP350) strings.
//
// Cairn addresses use Bech32m only; plain Bech32 is kept so the BIP350 test vectors that tell
// the two apart can be checked.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace cairn::bech32 {

enum class Encoding { kBech32, kBech32m };

enum class DecodeError {
    kInvalidLength,     // shorter than 8 or longer than 90 characters
    kInvalidCharacter,  // outside the printable range or the data charset
    kMixedCase,
    kNoSeparator,       // no '1', or the human-readable part is empty
    kBadChecksum,       // a mistyped or corrupted string
};

const char* DecodeErrorString(DecodeError e);

struct Decoded {
    Encoding encoding;
    std::string hrp;           // lower case
    std::vector<uint8_t> data;  // 5-bit groups, checksum removed
};

// REQUIRES: hrp lower case ASCII 33..126, every data value < 32.
std::string Encode(Encoding enc, std::string_view hrp, const std::vector<uint8_t>& data5);
Result<Decoded, DecodeError> Decode(std::string_view str);

// Regroups bits (8 -> 5 with padding, or 5 -> 8 rejecting non-zero padding).
// Returns false if the input cannot be regrouped exactly.
bool ConvertBits(const std::vector<uint8_t>& in, int from_bits, int to_bits, bool pad,
                 std::vector<uint8_t>& out);

}  // namespace cairn::bech32
