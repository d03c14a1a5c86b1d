#include "crypto/bech32.h"

namespace cairn::bech32 {
namespace {

constexpr char kCharset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr uint32_t kBech32Const = 1;
constexpr uint32_t kBech32mConst = 0x2bc830a3;

int8_t CharsetRev(char c) {
    for (int i = 0; i < 32; ++i)
        if (kCharset[i] == c) return static_cast<int8_t>(i);
    return -1;
}

uint32_t PolyMod(const std::vector<uint8_t>& v) {
    static constexpr uint32_t kGen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                         0x2a1462b3};
    uint32_t chk = 1;
    for (uint8_t x : v) {
        uint32_t top = chk >> 25;
        chk = (chk & 0x1ffffff) << 5 ^ x;
        for (int i = 0; i < 5; ++i)
            if ((top >> i) & 1) chk ^= kGen[i];
    }
    return chk;
}

std::vector<uint8_t> ExpandHrp(std::string_view hrp) {
    std::vector<uint8_t> out;
    out.reserve(hrp.size() * 2 + 1);
    for (char c : hrp) out.push_back(static_cast<uint8_t>(c) >> 5);
    out.push_back(0);
    for (char c : hrp) out.push_back(static_cast<uint8_t>(c) & 31);
    return out;
}

}  // namespace

const char* DecodeErrorString(DecodeError e) {
    switch (e) {
        case DecodeError::kInvalidLength: return "invalid length";
        case DecodeError::kInvalidCharacter: return "invalid character";
        case DecodeError::kMixedCase: return "mixed upper and lower case";
        case DecodeError::kNoSeparator: return "missing separator or prefix";
        case DecodeError::kBadChecksum: return "bad checksum (mistyped address?)";
    }
    return "unknown error";
}

std::string Encode(Encoding enc, std::string_view hrp, const std::vector<uint8_t>& data5) {
    std::vector<uint8_t> values = ExpandHrp(hrp);
    values.insert(values.end(), data5.begin(), data5.end());
    values.insert(values.end(), 6, 0);
    uint32_t mod = PolyMod(values) ^ (enc == Encoding::kBech32m ? kBech32mConst : kBech32Const);
    std::string out{hrp};
    out.push_back('1');
    for (uint8_t d : data5) out.push_back(kCharset[d]);
    for (int i = 0; i < 6; ++i) out.push_back(kCharset[(mod >> (5 * (5 - i))) & 31]);
    return out;
}

Result<Decoded, DecodeError> Decode(std::string_view str) {
    if (str.size() < 8 || str.size() > 90) return MakeError(DecodeError::kInvalidLength);
    bool lower = false, upper = false;
    for (char c : str) {
        if (c < 33 || c > 126) return MakeError(DecodeError::kInvalidCharacter);
        if (c >= 'a' && c <= 'z') lower = true;
        if (c >= 'A' && c <= 'Z') upper = true;
    }
    if (lower && upper) return MakeError(DecodeError::kMixedCase);
    size_t pos = str.rfind('1');
    if (pos == std::string_view::npos || pos == 0) return MakeError(DecodeError::kNoSeparator);
    if (pos + 7 > str.size()) return MakeError(DecodeError::kInvalidLength);
    std::string hrp;
    for (size_t i = 0; i < pos; ++i) {
        char c = str[i];
        hrp.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
    }
    std::vector<uint8_t> data;
    for (size_t i = pos + 1; i < str.size(); ++i) {
        char c = str[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        int8_t v = CharsetRev(c);
        if (v < 0) return MakeError(DecodeError::kInvalidCharacter);
        data.push_back(static_cast<uint8_t>(v));
    }
    std::vector<uint8_t> values = ExpandHrp(hrp);
    values.insert(values.end(), data.begin(), data.end());
    uint32_t mod = PolyMod(values);
    Encoding enc;
    if (mod == kBech32Const) {
        enc = Encoding::kBech32;
    } else if (mod == kBech32mConst) {
        enc = Encoding::kBech32m;
    } else {
        return MakeError(DecodeError::kBadChecksum);
    }
    data.resize(data.size() - 6);
    return Decoded{enc, std::move(hrp), std::move(data)};
}

bool ConvertBits(const std::vector<uint8_t>& in, int from_bits, int to_bits, bool pad,
                 std::vector<uint8_t>& out) {
    uint32_t acc = 0;
    int bits = 0;
    const uint32_t maxv = (1u << to_bits) - 1;
    for (uint8_t v : in) {
        if (v >> from_bits) return false;
        acc = (acc << from_bits) | v;
        bits += from_bits;
        while (bits >= to_bits) {
            bits -= to_bits;
            out.push_back(static_cast<uint8_t>((acc >> bits) & maxv));
        }
    }
    if (pad) {
        if (bits) out.push_back(static_cast<uint8_t>((acc << (to_bits - bits)) & maxv));
    } else if (bits >= from_bits || ((acc << (to_bits - bits)) & maxv)) {
        return false;
    }
    return true;
}

}  // namespace cairn::bech32
