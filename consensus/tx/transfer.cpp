#include "consensus/tx/transfer.h"

#include "primitives/address.h"

namespace cairn::consensus {

Bytes TransferPayload::Encode() const {
    Writer w;
    w.Fixed(recipient.bytes);
    w.VarInt(amount);
    w.ByteVec(memo);
    return w.Take();
}

DecodeResult<TransferPayload> TransferPayload::Decode(ByteSpan payload) {
    Reader r{payload};
    TransferPayload p;
    r.Fixed(p.recipient.bytes, "transfer.recipient");
    r.VarInt(p.amount, "transfer.amount");
    // The decoding bound is the absolute limit; CheckPayload applies the chain parameter.
    r.ByteVec(p.memo, kMaxTxPayload, "transfer.memo");
    if (!r.ExpectEnd("transfer")) return MakeError(r.Error());
    return p;
}

CheckResult<> TransferTx::CheckPayload(const Transaction& tx, const ChainParams& params) const {
    auto p = DecodeTxPayload<TransferPayload>(tx);
    if (!p) return MakeError(p.error());
    // A zero transfer moves nothing and would only be spam paid for by the fee.
    if (p->amount == 0) return Rejected(RejectReason::kTxZeroAmount);
    // Coins sent to bytes that are not a public key could never be spent again.
    if (!p->recipient.IsValid()) return Rejected(RejectReason::kTxBadRecipient);
    if (p->memo.size() > params.max_memo_bytes) {
        return Rejected(RejectReason::kTxMemoTooLong, std::to_string(p->memo.size()) + " > " +
                                                          std::to_string(params.max_memo_bytes) +
                                                          " bytes");
    }
    return {};
}

CheckResult<> TransferTx::Apply(const Transaction& tx, const ChainParams&, uint64_t,
                                StateDelta& state) const {
    auto p = DecodeTxPayload<TransferPayload>(tx);
    if (!p) return MakeError(p.error());
    Account from = state.Get(tx.sender);
    if (from.balance < p->amount) {
        return Rejected(RejectReason::kTxInsufficientFunds,
                        "balance after fee " + FormatAmount(from.balance) + " < amount " +
                            FormatAmount(p->amount));
    }
    from.balance -= p->amount;
    state.Set(tx.sender, from);
    Account to = state.Get(p->recipient);
    auto credited = CheckedAdd(to.balance, p->amount);
    if (!credited) return Rejected(RejectReason::kTxBalanceOverflow);
    to.balance = *credited;
    state.Set(p->recipient, to);
    return {};
}

nlohmann::json TransferTx::PayloadToJson(const Transaction& tx, Network net) const {
    auto p = TransferPayload::Decode(tx.payload);
    if (!p) return nlohmann::json::object();
    nlohmann::json j = {{"to", EncodeAddress(net, p->recipient)},
                        {"amount", FormatAmount(p->amount)},
                        {"amount_units", p->amount},
                        {"memo_hex", HexStr(p->memo)}};
    // Printable ASCII memos (the common exchange deposit tag) are also shown as text.
    bool printable = !p->memo.empty();
    for (uint8_t c : p->memo) printable = printable && c >= 0x20 && c <= 0x7e;
    if (printable) j["memo"] = std::string(p->memo.begin(), p->memo.end());
    return j;
}

std::vector<PubKey> TransferTx::OtherAccounts(const Transaction& tx) const {
    auto p = TransferPayload::Decode(tx.payload);
    if (!p) return {};
    return {p->recipient};
}

}  // namespace cairn::consensus
