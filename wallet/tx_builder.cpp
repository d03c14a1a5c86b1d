#include "wallet/tx_builder.h"

#include "consensus/params.h"
#include "consensus/tx/transfer.h"
#include "consensus/tx_check.h"

namespace cairn::wallet {

std::optional<Amount> MinimumFeeFor(Transaction tx, Amount min_fee_per_byte) {
    consensus::ChainParams params;
    params.min_fee_per_byte = min_fee_per_byte;
    // A varint grows by one byte per 7 bits, so at most 10 rounds; the bound is a safeguard.
    tx.fee = 0;
    for (int round = 0; round < 16; ++round) {
        // The signature is fixed-size, so the unsigned size plus 64 is the final size.
        auto fee = consensus::MinimumFee(tx.ToBytes().size(), params);
        if (!fee) return std::nullopt;
        if (*fee == tx.fee) return tx.fee;
        tx.fee = *fee;
    }
    return std::nullopt;
}

Result<Transaction, std::string> BuildTransaction(const SecretKey& sk,
                                                  const consensus::ChainParams& params,
                                                  uint64_t type, Bytes payload, uint64_t nonce,
                                                  std::optional<Amount> fee) {
    Transaction tx;
    tx.network_id = params.network_id;
    tx.type = type;
    tx.sender = sk.GetPubKey();
    tx.nonce = nonce;
    tx.payload = std::move(payload);
    if (fee) {
        tx.fee = *fee;
    } else {
        auto min_fee = MinimumFeeFor(tx, params.min_fee_per_byte);
        if (!min_fee) return MakeError(std::string{"the minimum fee overflows"});
        tx.fee = *min_fee;
    }
    tx.signature = sk.Sign(tx.SigHash());
    // A failed self-check would mean a broken signer; never hand out such a transaction.
    if (!VerifySchnorr(tx.sender, tx.SigHash(), tx.signature)) {
        return MakeError(std::string{"signature self-check failed"});
    }
    if (auto r = consensus::CheckTransaction(tx, params); !r) {
        return MakeError(r.error().ToString());
    }
    return tx;
}

Result<Transaction, std::string> BuildTransfer(const SecretKey& sk, uint32_t network_id,
                                               const PubKey& to, Amount amount, uint64_t nonce,
                                               std::optional<Amount> fee, Bytes memo,
                                               Amount min_fee_per_byte, uint64_t max_memo_bytes) {
    consensus::ChainParams params;
    params.network_id = network_id;
    params.min_fee_per_byte = min_fee_per_byte;
    params.max_memo_bytes = max_memo_bytes;
    return BuildTransaction(sk, params, consensus::TransferTx::kId,
                            consensus::TransferPayload{to, amount, std::move(memo)}.Encode(), nonce,
                            fee);
}

}  // namespace cairn::wallet
