#include "rpc/to_json.h"

#include "consensus/tx/tx_type.h"
#include "primitives/address.h"

namespace cairn::rpc {

nlohmann::json TxToJson(const Transaction& tx, Network net) {
    const consensus::TxType* type = consensus::FindTxType(tx.type);
    nlohmann::json j = {
        {"txid", tx.TxId().Hex()},
        {"type", type ? nlohmann::json(type->Name()) : nlohmann::json(tx.type)},
        {"network_id", tx.network_id},
        {"sender", EncodeAddress(net, tx.sender)},
        {"nonce", tx.nonce},
        {"fee", FormatAmount(tx.fee)},
        {"fee_units", tx.fee},
        {"size", tx.ToBytes().size()},
        {"signature", HexStr(tx.signature.bytes)},
    };
    // PayloadToJson gives an empty object when the payload does not decode.
    nlohmann::json payload = type ? type->PayloadToJson(tx, net) : nlohmann::json::object();
    if (payload.empty()) {
        j["payload_hex"] = HexStr(tx.payload);
    } else {
        j["payload"] = std::move(payload);
    }
    return j;
}

nlohmann::json CommitToJson(const Commit& c) {
    nlohmann::json sigs = nlohmann::json::array();
    for (const auto& s : c.sigs) {
        sigs.push_back({{"validator_index", s.validator_index},
                        {"signature", HexStr(s.signature.bytes)}});
    }
    return {{"height", c.height},
            {"round", c.round},
            {"block_hash", c.block_hash.Hex()},
            {"signatures", sigs}};
}

nlohmann::json HeaderToJson(const BlockHeader& h, Network net) {
    return {{"hash", h.Hash().Hex()},
            {"height", h.height},
            {"version", h.version},
            {"network_id", h.network_id},
            {"time_ms", h.time_ms},
            {"previousblockhash", h.prev_hash.Hex()},
            {"tx_root", h.tx_root.Hex()},
            {"state_root", h.state_root.Hex()},
            {"validator_set_hash", h.validator_set_hash.Hex()},
            {"proposer", h.height == 0 ? "" : EncodeAddress(net, h.proposer)},
            {"last_commit_hash", h.last_commit_hash.Hex()}};
}

}  // namespace cairn::rpc
