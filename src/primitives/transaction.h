// The transaction envelope, common to every transaction type.
//
// Encoding (see doc/protocol.md):
//   varint network_id || varint type || fixed32 sender || varint nonce || varint fee ||
//   bytes payload (<= kMaxTxPayload) || fixed64 signature
// The signature is BIP340 over SigHash() = TaggedHash("Cairn/TxSig", everything before it), so
// it commits to the network id: a transaction signed for one network is invalid on another.
// The payload is type-specific; consensus/tx/ decodes it through the type registry.
#pragma once

#include <cstdint>

#include "crypto/keys.h"
#include "primitives/amount.h"
#include "primitives/serialize.h"

namespace cairn {

inline constexpr size_t kMaxTxPayload = 64 * 1024;
inline constexpr size_t kMaxTxSize = kMaxTxPayload + 256;

struct Transaction {
    uint32_t network_id{0};
    uint64_t type{0};
    PubKey sender;
    uint64_t nonce{0};
    Amount fee{0};
    Bytes payload;
    Signature signature;

    void SerializeUnsigned(Writer& w) const;
    void Serialize(Writer& w) const;
    Bytes ToBytes() const;
    // The message the sender signs.
    Hash256 SigHash() const;
    // TaggedHash("Cairn/TxId", full encoding): identifies the transaction.
    Hash256 TxId() const;

    bool operator==(const Transaction&) const = default;
};

// Reads one transaction envelope from r (used inside block decoding).
bool ReadTransaction(Reader& r, Transaction& tx);
// Decodes exactly one transaction; trailing bytes are an error.
DecodeResult<Transaction> DecodeTransaction(ByteSpan data);

}  // namespace cairn
