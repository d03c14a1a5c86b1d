#include "primitives/transaction.h"

namespace cairn {

void Transaction::SerializeUnsigned(Writer& w) const {
    w.VarInt(network_id);
    w.VarInt(type);
    w.Fixed(sender.bytes);
    w.VarInt(nonce);
    w.VarInt(fee);
    w.ByteVec(payload);
}

void Transaction::Serialize(Writer& w) const {
    SerializeUnsigned(w);
    w.Fixed(signature.bytes);
}

Bytes Transaction::ToBytes() const {
    Writer w;
    Serialize(w);
    return w.Take();
}

Hash256 Transaction::SigHash() const {
    Writer w;
    SerializeUnsigned(w);
    return TaggedHash(tags::kTxSig, w.Data());
}

Hash256 Transaction::TxId() const { return TaggedHash(tags::kTxId, ToBytes()); }

bool ReadTransaction(Reader& r, Transaction& tx) {
    uint64_t net = 0;
    r.VarIntMax(net, UINT32_MAX, "tx.network_id");
    tx.network_id = static_cast<uint32_t>(net);
    r.VarInt(tx.type, "tx.type");
    r.Fixed(tx.sender.bytes, "tx.sender");
    r.VarInt(tx.nonce, "tx.nonce");
    r.VarInt(tx.fee, "tx.fee");
    r.ByteVec(tx.payload, kMaxTxPayload, "tx.payload");
    r.Fixed(tx.signature.bytes, "tx.signature");
    return r.ok();
}

DecodeResult<Transaction> DecodeTransaction(ByteSpan data) {
    if (data.size() > kMaxTxSize) return MakeError(DecodeError{DecodeErrorCode::kTooLong, "tx"});
    Reader r{data};
    Transaction tx;
    if (!ReadTransaction(r, tx) || !r.ExpectEnd("tx")) return MakeError(r.Error());
    return tx;
}

}  // namespace cairn
