#include "primitives/serialize.h"

#include <algorithm>

namespace cairn {

std::string DecodeError::ToString() const {
    const char* what = "";
    switch (code) {
        case DecodeErrorCode::kTruncated: what = "truncated input"; break;
        case DecodeErrorCode::kNonMinimalVarInt: what = "non-minimal integer encoding"; break;
        case DecodeErrorCode::kVarIntOverflow: what = "integer overflows 64 bits"; break;
        case DecodeErrorCode::kTooLong: what = "length exceeds limit"; break;
        case DecodeErrorCode::kTrailingBytes: what = "trailing bytes"; break;
        case DecodeErrorCode::kUnknownEnum: what = "unknown enum value"; break;
        case DecodeErrorCode::kInvalidValue: what = "invalid value"; break;
    }
    return field.empty() ? std::string{what} : std::string{what} + " in " + field;
}

void Writer::VarInt(uint64_t v) {
    while (v >= 0x80) {
        m_out.push_back(static_cast<uint8_t>(v | 0x80));
        v >>= 7;
    }
    m_out.push_back(static_cast<uint8_t>(v));
}

bool Reader::Fail(DecodeErrorCode code, std::string_view field) {
    if (m_ok) {
        m_ok = false;
        m_err = DecodeError{code, std::string{field}};
    }
    return false;
}

bool Reader::VarInt(uint64_t& out, std::string_view field) {
    out = 0;
    if (!m_ok) return false;
    for (int i = 0; i < 10; ++i) {
        if (m_pos >= m_in.size()) return Fail(DecodeErrorCode::kTruncated, field);
        uint8_t b = m_in[m_pos++];
        uint64_t part = b & 0x7f;
        if (i == 9 && b > 1) return Fail(DecodeErrorCode::kVarIntOverflow, field);
        out |= part << (7 * i);
        if ((b & 0x80) == 0) {
            // A final group of zero after the first byte adds nothing: non-minimal.
            if (b == 0 && i > 0) return Fail(DecodeErrorCode::kNonMinimalVarInt, field);
            return true;
        }
    }
    return Fail(DecodeErrorCode::kVarIntOverflow, field);
}

bool Reader::VarIntMax(uint64_t& out, uint64_t max, std::string_view field) {
    if (!VarInt(out, field)) return false;
    if (out > max) return Fail(DecodeErrorCode::kInvalidValue, field);
    return true;
}

bool Reader::FixedSpan(std::span<uint8_t> out, std::string_view field) {
    if (!m_ok) return false;
    if (Remaining() < out.size()) return Fail(DecodeErrorCode::kTruncated, field);
    std::copy_n(m_in.begin() + m_pos, out.size(), out.begin());
    m_pos += out.size();
    return true;
}

bool Reader::ByteVec(Bytes& out, size_t max_len, std::string_view field) {
    uint64_t len = 0;
    if (!VarInt(len, field)) return false;
    if (len > max_len) return Fail(DecodeErrorCode::kTooLong, field);
    if (Remaining() < len) return Fail(DecodeErrorCode::kTruncated, field);
    out.assign(m_in.begin() + m_pos, m_in.begin() + m_pos + len);
    m_pos += len;
    return true;
}

bool Reader::String(std::string& out, size_t max_len, std::string_view field) {
    Bytes b;
    if (!ByteVec(b, max_len, field)) return false;
    out.assign(b.begin(), b.end());
    return true;
}

bool Reader::ExpectEnd(std::string_view what) {
    if (!m_ok) return false;
    if (Remaining() != 0) return Fail(DecodeErrorCode::kTrailingBytes, what);
    return true;
}

}  // namespace cairn
