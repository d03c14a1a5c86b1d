#include "rpc/to_json.h"

#include "consensus/poc/verdict.h"
#include "consensus/tx/tx_type.h"
#include "primitives/address.h"

namespace cairn::rpc {
void SetAmount(nlohmann::json& j, const std::string& name, Amount a) {
    j[name] = FormatAmount(a);
    j[name + "_units"] = a;
}

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
        sigs.push_back(
            {{"validator_index", s.validator_index}, {"signature", HexStr(s.signature.bytes)}});
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
            {"proof_root", h.proof_root.Hex()},
            {"compute_root", h.compute_root.Hex()},
            {"state_root", h.state_root.Hex()},
            {"validator_set_hash", h.validator_set_hash.Hex()},
            {"proposer", h.height == 0 ? "" : EncodeAddress(net, h.proposer)},
            {"last_commit_hash", h.last_commit_hash.Hex()}};
}

nlohmann::json EpochSummaryToJson(const consensus::EpochSummary& s) {
    nlohmann::json j = {{"epoch", s.epoch},
                        {"end_height", s.end_height},
                        {"devices_paid", s.devices_paid},
                        {"owners_paid", s.owners_paid}};
    SetAmount(j, "emission", s.emission);
    SetAmount(j, "fees", s.fees);
    SetAmount(j, "validators_pool", s.validators_pool);
    SetAmount(j, "beacons_pool", s.beacons_pool);
    SetAmount(j, "witnesses_pool", s.witnesses_pool);
    SetAmount(j, "compute_pool", s.compute_pool);
    SetAmount(j, "validators_paid", s.validators_paid);
    SetAmount(j, "beacons_paid", s.beacons_paid);
    SetAmount(j, "witnesses_paid", s.witnesses_paid);
    SetAmount(j, "compute_paid", s.compute_paid);
    j["compute_devices_paid"] = s.compute_devices_paid;
    SetAmount(j, "fee_carry", s.fee_carry);
    SetAmount(j, "minted", s.minted);
    SetAmount(j, "unminted", s.unminted);
    return j;
}

nlohmann::json ProofToJson(const CoverageProof& p, bool full) {
    using consensus::BeaconVerdict;
    using consensus::WitnessVerdict;
    auto beacon_code = [](uint8_t v) {
        auto bv = consensus::BeaconVerdictFromByte(v);
        return bv ? std::string{consensus::BeaconVerdictCode(*bv)} : "unknown-" + std::to_string(v);
    };
    auto witness_code = [](uint8_t v) {
        auto wv = consensus::WitnessVerdictFromByte(v);
        return wv ? std::string{consensus::WitnessVerdictCode(*wv)}
                  : "unknown-" + std::to_string(v);
    };
    size_t rewarded = 0;
    for (const ProofWitness& w : p.witnesses) {
        if (w.verdict == static_cast<uint8_t>(WitnessVerdict::kValid)) ++rewarded;
    }
    nlohmann::json j = {{"beacon_id", p.beacon.Id().Hex()},
                        {"beaconer", p.beacon.beaconer.Hex()},
                        {"entropy_height", p.beacon.entropy_height},
                        {"beacon_verdict", beacon_code(p.beacon_verdict)},
                        {"witnesses", p.witnesses.size()},
                        {"rewarded_witnesses", rewarded}};
    if (!full) return j;
    j["payload"] = HexStr(p.beacon.payload);
    j["frequency_hz"] = p.beacon.frequency_hz;
    j["channel"] = p.beacon.channel;
    j["datarate"] = p.beacon.datarate;
    j["tx_power_ddbm"] = p.beacon.tx_power_ddbm;
    nlohmann::json ws = nlohmann::json::array();
    for (const ProofWitness& w : p.witnesses) {
        ws.push_back({{"witness", w.witness.Hex()},
                      {"rssi_ddbm", w.rssi_ddbm},
                      {"snr_ddb", w.snr_ddb},
                      {"frequency_hz", w.frequency_hz},
                      {"verdict", witness_code(w.verdict)}});
    }
    j["witness_reports"] = ws;
    return j;
}

nlohmann::json ComputeVerdictJson(consensus::ComputeVerdict v, uint32_t detail) {
    nlohmann::json j = {{"code", consensus::ComputeVerdictCode(v)}};
    if (v == consensus::ComputeVerdict::kBadPath || v == consensus::ComputeVerdict::kWrongValue) {
        j["spot"] = detail;
    }
    return j;
}

std::string_view ComputeProgressName(consensus::BucketProgress p) {
    switch (p) {
        case consensus::BucketProgress::kChallenged:
            return "challenged";
        case consensus::BucketProgress::kCommitted:
            return "committed";
        case consensus::BucketProgress::kLateCommit:
            return "late-commit";
        case consensus::BucketProgress::kOpened:
            return "opened";
    }
    return "unknown";
}

nlohmann::json ComputeEntryToJson(const ComputeEntry& e, bool full) {
    const bool open = std::holds_alternative<ComputeOpen>(e.report);
    const auto v = consensus::ComputeVerdictFromByte(e.verdict);
    nlohmann::json j = {
        {"kind", open ? "open" : "commit"},
        {"device", ComputeReportDevice(e.report).Hex()},
        {"bucket", ComputeReportBucket(e.report)},
        {"verdict", v ? ComputeVerdictJson(*v, e.detail)
                      : nlohmann::json{{"code", "unknown-" + std::to_string(e.verdict)}}}};
    if (!full) return j;
    if (open) {
        const auto& o = std::get<ComputeOpen>(e.report);
        j["root"] = o.root.Hex();
        nlohmann::json tiles = nlohmann::json::array();
        for (const OpenedTile& t : o.tiles) tiles.push_back(t.index);
        j["tiles"] = tiles;
    } else {
        const auto& c = std::get<ComputeCommit>(e.report);
        j["root"] = c.root.Hex();
        j["tier"] = c.tier;
    }
    return j;
}

nlohmann::json ComputeStateToJson(const consensus::ChainParams& params,
                                  const consensus::ComputeState& cs) {
    auto tier_name = [&](uint8_t id) {
        const consensus::ComputeTier* t = consensus::FindComputeTier(params.compute, id);
        return t ? t->name : std::to_string(id);
    };
    nlohmann::json j = {{"tier", tier_name(cs.tier)},
                        {"next_tier", cs.next_tier ? nlohmann::json(tier_name(*cs.next_tier))
                                                   : nlohmann::json(nullptr)},
                        {"active", cs.active},
                        {"missed_in_row", cs.missed},
                        {"buckets_passed", cs.buckets_passed},
                        {"buckets_failed", cs.buckets_failed}};
    if (cs.bucket != 0) {
        j["bucket"] = {{"start", cs.bucket},
                       {"tier", tier_name(cs.bucket_tier)},
                       {"progress", ComputeProgressName(cs.progress)}};
    } else {
        j["bucket"] = nullptr;
    }
    if (cs.last_bucket != 0) {
        j["last_bucket"] = {{"start", cs.last_bucket},
                            {"outcome", ComputeVerdictJson(cs.last_outcome, cs.last_detail)}};
    } else {
        j["last_bucket"] = nullptr;
    }
    return j;
}

}  // namespace cairn::rpc
