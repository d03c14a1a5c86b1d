// Blockchain RPC methods: chain info, blocks, headers, accounts.
#include "consensus/rewards/epoch_rewards.h"
#include "consensus/tx/tx_type.h"
#include "node/depin_index.h"
#include "primitives/address.h"
#include "rpc/context.h"
#include "rpc/method.h"
#include "rpc/to_json.h"

namespace cairn::rpc {
namespace {

// Resolves a hash-or-height parameter to a block hash on the active chain.
Hash256 ResolveBlock(const NodeContext& ctx, const json& v) {
    if (v.is_number_unsigned()) {
        uint64_t height = v.get<uint64_t>();
        auto hash = ctx.chain->Db().ReadHashAtHeight(height);
        if (!hash || height > ctx.chain->Tip().height) {
            throw RpcError(kNotFound, "block height " + std::to_string(height) + " out of range");
        }
        return *hash;
    }
    return *Hash256::FromHex(v.get<std::string>());
}

Block LoadBlock(const NodeContext& ctx, const Hash256& hash) {
    auto block = ctx.chain->Db().ReadBlock(hash);
    if (!block) throw RpcError(kNotFound, "block not found: " + hash.Hex());
    return std::move(*block);
}

json BlockToJson(const NodeContext& ctx, const Block& block, uint64_t verbosity) {
    const Network net = ctx.chain->Params().network;
    const uint64_t tip = ctx.chain->Tip().height;
    json j = HeaderToJson(block.header, net);
    j["confirmations"] = tip - block.header.height + 1;
    j["size"] = block.ToBytes().size();
    j["ntx"] = block.txs.size();
    if (block.header.height < tip) {
        if (auto next = ctx.chain->Db().ReadHashAtHeight(block.header.height + 1)) {
            j["nextblockhash"] = next->Hex();
        }
    }
    json txs = json::array();
    for (const Transaction& tx : block.txs) {
        txs.push_back(verbosity >= 2 ? TxToJson(tx, net) : json(tx.TxId().Hex()));
    }
    j["tx"] = txs;
    json proofs = json::array();
    for (const CoverageProof& p : block.proofs) proofs.push_back(ProofToJson(p, verbosity >= 2));
    j["proofs"] = proofs;
    json compute = json::array();
    for (const ComputeEntry& e : block.compute) {
        compute.push_back(ComputeEntryToJson(e, verbosity >= 2));
    }
    j["compute"] = compute;
    // A block at a bucket's settle height records every challenged device's outcome.
    const auto settled = ReadComputeSettlements(ctx.chain->Db(), block.header.height);
    if (!settled.empty()) {
        json s = {{"bucket", settled.front().bucket}, {"devices", settled.size()}};
        size_t passed = 0;
        json list = json::array();
        for (const auto& st : settled) {
            if (st.outcome == consensus::ComputeVerdict::kValid) ++passed;
            if (verbosity < 2) continue;
            list.push_back({{"device", st.device.Hex()},
                            {"outcome", ComputeVerdictJson(st.outcome, st.detail)},
                            {"units", st.units},
                            {"deactivated", st.deactivated}});
        }
        s["passed"] = passed;
        if (verbosity >= 2) s["outcomes"] = list;
        j["compute_settlement"] = s;
    }
    // The block that closes an epoch carries its rewards: the summary always, and at
    // verbosity 2 the first page of per-device payments (getepochrewards has them all).
    const auto& params = ctx.chain->Params();
    if (consensus::rewards::IsEpochEnd(params, block.header.height)) {
        const uint64_t epoch = consensus::rewards::EpochOf(params, block.header.height);
        if (auto s = consensus::ReadEpochSummary(ctx.chain->Db(), epoch)) {
            json e = EpochSummaryToJson(*s);
            if (verbosity >= 2) {
                constexpr size_t kMaxListed = 1'000;
                auto page =
                    ReadEpochDevicePayouts(ctx.chain->Db(), epoch, std::nullopt, kMaxListed + 1);
                json rewards = json::array();
                for (size_t i = 0; i < page.size() && i < kMaxListed; ++i) {
                    rewards.push_back({{"device", page[i].device.Hex()},
                                       {"owner", EncodeAddress(net, page[i].owner)},
                                       {"beacon_amount_units", page[i].beacon_amount},
                                       {"witness_amount_units", page[i].witness_amount},
                                       {"beacon_units", page[i].beacon_units},
                                       {"witness_units", page[i].witness_units},
                                       {"compute_amount_units", page[i].compute_amount},
                                       {"compute_units", page[i].compute_units}});
                }
                e["rewards"] = rewards;
                e["rewards_truncated"] = page.size() > kMaxListed;
                json validators = json::array();
                for (const auto& [key, amount] :
                     ReadEpochValidatorPayouts(ctx.chain->Db(), epoch)) {
                    validators.push_back(
                        {{"validator", EncodeAddress(net, key)}, {"amount_units", amount}});
                }
                e["validator_rewards"] = validators;
            }
            j["epoch"] = e;
        }
    }
    j["last_commit"] = CommitToJson(block.last_commit);
    return j;
}

}  // namespace

void RegisterBlockchainMethods(MethodTable& t, NodeContext& ctx) {
    t.Add({"getblockchaininfo",
           "blockchain",
           "Returns the state of the chain this node follows.",
           {},
           "{network, network_id, genesis_hash, blocks, bestblockhash, time_ms, state_root, "
           "min_fee_per_byte, supply, supply_units, validators, params}",
           {""},
           [&ctx](const Args&) -> json {
               const ChainTip tip = ctx.chain->Tip();
               const auto& p = ctx.chain->Params();
               return {{"network", GetNetworkInfo(p.network).name},
                       {"network_id", p.network_id},
                       {"genesis_hash", ctx.chain->GenesisHash().Hex()},
                       {"blocks", tip.height},
                       {"bestblockhash", tip.hash.Hex()},
                       {"time_ms", tip.header.time_ms},
                       {"state_root", tip.header.state_root.Hex()},
                       {"min_fee_per_byte", p.min_fee_per_byte},
                       {"supply", FormatAmount(tip.supply)},
                       {"supply_units", tip.supply},
                       {"validators", ctx.chain->Validators().Size()},
                       {"params",
                        {{"max_block_bytes", p.max_block_bytes},
                         {"max_block_txs", p.max_block_txs},
                         {"max_memo_bytes", p.max_memo_bytes}}}};
           }});
    t.Add({"getblockcount",
           "blockchain",
           "Returns the height of the tip.",
           {},
           "n (integer)",
           {""},
           [&ctx](const Args&) -> json { return ctx.chain->Tip().height; }});
    t.Add({"getbestblockhash",
           "blockchain",
           "Returns the hash of the tip.",
           {},
           "hash (hex)",
           {""},
           [&ctx](const Args&) -> json { return ctx.chain->Tip().hash.Hex(); }});
    t.Add({"getblockhash",
           "blockchain",
           "Returns the hash of the block at a height of the active chain.",
           {{"height", ParamType::kUInt, true, {}, "block height"}},
           "hash (hex)",
           {"0", "1000"},
           [&ctx](const Args& a) -> json { return ResolveBlock(ctx, a.Get("height")).Hex(); }});
    t.Add({"getblock",
           "blockchain",
           "Returns a block by hash or height. Verbosity 0: hex encoding; 1: JSON with txids; "
           "2: JSON with full transactions.",
           {{"blockhash", ParamType::kHashOrHeight, true, {}, "block hash or height"},
            {"verbosity", ParamType::kUInt, false, 1, "0, 1 or 2"}},
           "hex string (verbosity 0) or block object",
           {"1", "1 2", "\"<hash>\" 0"},
           [&ctx](const Args& a) -> json {
               uint64_t verbosity = a.UInt("verbosity");
               if (verbosity > 2) throw RpcError(kInvalidParams, "verbosity must be 0, 1 or 2");
               Hash256 hash = ResolveBlock(ctx, a.Get("blockhash"));
               if (verbosity == 0) {
                   auto bytes = ctx.chain->Db().ReadBlockBytes(hash);
                   if (!bytes) throw RpcError(kNotFound, "block not found: " + hash.Hex());
                   return HexStr(*bytes);
               }
               return BlockToJson(ctx, LoadBlock(ctx, hash), verbosity);
           }});
    t.Add({"getblockheader",
           "blockchain",
           "Returns a block header by hash or height, as JSON or (verbose=false) hex.",
           {{"blockhash", ParamType::kHashOrHeight, true, {}, "block hash or height"},
            {"verbose", ParamType::kBool, false, true, "JSON (true) or hex (false)"}},
           "header object or hex string",
           {"1", "\"<hash>\" false"},
           [&ctx](const Args& a) -> json {
               Block block = LoadBlock(ctx, ResolveBlock(ctx, a.Get("blockhash")));
               if (!a.Bool("verbose")) {
                   Writer w;
                   block.header.Serialize(w);
                   return HexStr(w.Data());
               }
               json j = HeaderToJson(block.header, ctx.chain->Params().network);
               j["confirmations"] = ctx.chain->Tip().height - block.header.height + 1;
               return j;
           }});
    t.Add({"getaccount",
           "blockchain",
           "Returns an account's confirmed balance and nonce, and the next nonce to use "
           "counting this node's mempool. Unknown accounts have balance 0 and nonce 0.",
           {{"address", ParamType::kAddress, true, {}, "account address"}},
           "{address, balance, balance_units, nonce, next_nonce, height}",
           {"\"dcairn1...\""},
           [&ctx](const Args& a) -> json {
               const Network net = ctx.chain->Params().network;
               auto pk = DecodeAddress(net, a.String("address"));
               if (!pk) {
                   throw RpcError(kInvalidParams,
                                  "invalid address: " + AddressErrorString(pk.error()));
               }
               auto [stored, tip] = ctx.chain->Db().ReadAccountAtTip(*pk);
               const consensus::Account acct = stored.value_or(consensus::Account{});
               const uint64_t height = tip.height;
               uint64_t next = ctx.mempool->NextNonce(*pk).value_or(acct.nonce);
               return {{"address", EncodeAddress(net, *pk)},
                       {"balance", FormatAmount(acct.balance)},
                       {"balance_units", acct.balance},
                       {"nonce", acct.nonce},
                       {"next_nonce", std::max(next, acct.nonce)},
                       {"height", height}};
           }});
}

}  // namespace cairn::rpc
