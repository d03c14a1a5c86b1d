// Hex and small string helpers shared by every layer.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

using Bytes = std::vector<uint8_t>;
using ByteSpan = std::span<const uint8_t>;

std::string HexStr(ByteSpan data);

// Parses lower- or upper-case hex with an even number of digits; nullopt on anything else.
std::optional<Bytes> ParseHex(std::string_view hex);

// Standard base64 with padding (RFC 4648), as HTTP Basic authentication uses.
std::string EncodeBase64(std::string_view data);
// nullopt unless `text` is padded base64 of at most `max_len` characters.
std::optional<std::string> DecodeBase64(std::string_view text, size_t max_len = 4096);

// Parses a non-negative decimal integer without sign, spaces or leading zeros ("0" is fine).
// nullopt on overflow or any other character.
std::optional<uint64_t> ParseUInt64(std::string_view s);

}  // namespace cairn
