// Canonical binary serialization.
//
// Grammar (every value has exactly one encoding):
//   varint   := unsigned LEB128, at most 10 bytes, minimal (no trailing 0x00 group except the
//               value 0 itself), value < 2^64
//   fixedN   := N raw bytes (hashes, keys, signatures)
//   bytes    := varint(length) || length raw bytes, length bounded by the field's limit
//   enum     := varint, and only the values the field defines
// A decoder fails on short input, a non-minimal or overflowing varint, a length over its limit,
// an unknown enum value, and bytes left over after the top-level value.
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "util/result.h"
#include "util/strencodings.h"

namespace cairn {

enum class DecodeErrorCode {
    kTruncated,
    kNonMinimalVarInt,
    kVarIntOverflow,
    kTooLong,
    kTrailingBytes,
    kUnknownEnum,
    kInvalidValue,
};

struct DecodeError {
    DecodeErrorCode code;
    std::string field;  // which field failed, for error messages
    std::string ToString() const;
};

template <typename T>
using DecodeResult = Result<T, DecodeError>;

// ZigZag maps signed integers to unsigned ones so that small magnitudes stay small varints:
// 0, -1, 1, -2, ... -> 0, 1, 2, 3, ...
constexpr uint64_t ZigZagEncode(int64_t v) {
    return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
constexpr int64_t ZigZagDecode(uint64_t v) {
    return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

class Writer {
public:
    void VarInt(uint64_t v);
    // Fixed-width little-endian integers, for compact records whose fields have known ranges.
    template <std::unsigned_integral T>
    void Int(T v) {
        for (size_t i = 0; i < sizeof(T); ++i) m_out.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }
    void Fixed(ByteSpan data) { m_out.insert(m_out.end(), data.begin(), data.end()); }
    template <size_t N>
    void Fixed(const std::array<uint8_t, N>& a) {
        m_out.insert(m_out.end(), a.begin(), a.end());
    }
    void ByteVec(ByteSpan data) {
        VarInt(data.size());
        Fixed(data);
    }
    void String(std::string_view s) {
        ByteVec({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
    }
    const Bytes& Data() const { return m_out; }
    Bytes Take() { return std::move(m_out); }

private:
    Bytes m_out;
};

// Reads from the front of a span. Each method returns false after recording the first error;
// later calls keep failing, so a decoder can check once at the end of a group of reads.
// The size of x's encoding, for anything with Serialize(Writer&) (block space budgets).
template <typename T>
size_t EncodedSize(const T& x) {
    Writer w;
    x.Serialize(w);
    return w.Data().size();
}

class Reader {
public:
    explicit Reader(ByteSpan in) : m_in{in} {}

    bool VarInt(uint64_t& out, std::string_view field);
    bool VarIntMax(uint64_t& out, uint64_t max, std::string_view field);
    template <std::unsigned_integral T>
    bool Int(T& out, std::string_view field) {
        std::array<uint8_t, sizeof(T)> b;
        if (!FixedSpan(b, field)) return false;
        out = 0;
        for (size_t i = 0; i < sizeof(T); ++i)
            out |= static_cast<T>(static_cast<T>(b[i]) << (8 * i));
        return true;
    }
    template <size_t N>
    bool Fixed(std::array<uint8_t, N>& out, std::string_view field) {
        return FixedSpan(out, field);
    }
    bool ByteVec(Bytes& out, size_t max_len, std::string_view field);
    bool String(std::string& out, size_t max_len, std::string_view field);

    bool Fail(DecodeErrorCode code, std::string_view field);
    bool ok() const { return m_ok; }
    size_t Remaining() const { return m_in.size() - m_pos; }
    const DecodeError& Error() const { return m_err; }
    // Fails with kTrailingBytes unless everything was read.
    bool ExpectEnd(std::string_view what);

private:
    bool FixedSpan(std::span<uint8_t> out, std::string_view field);

    ByteSpan m_in;
    size_t m_pos{0};
    bool m_ok{true};
    DecodeError m_err{};
};

}  // namespace cairn
