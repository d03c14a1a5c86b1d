// Transaction and mempool RPC methods.
#include "node/block_producer.h"
#include "primitives/address.h"
#include "rpc/context.h"
#include "rpc/method.h"
#include "rpc/to_json.h"

namespace cairn::rpc {
namespace {

Transaction DecodeHexTx(const std::string& hex) {
    auto bytes = ParseHex(hex);
    if (!bytes) throw RpcError(kDeserializationError, "transaction is not valid hex");
    auto tx = DecodeTransaction(*bytes);
    if (!tx) throw RpcError(kDeserializationError, "TX decode failed: " + tx.error().ToString());
    return std::move(tx).value();
}

json EntryToJson(const MempoolEntry& e, Network net) {
    return {{"txid", e.txid.Hex()},
            {"size", e.size},
            {"fee", FormatAmount(e.tx.fee)},
            {"fee_units", e.tx.fee},
            {"fee_per_byte_milli", e.FeeRateMilli()},
            {"time_ms", e.time_ms},
            {"sender", EncodeAddress(net, e.tx.sender)},
            {"nonce", e.tx.nonce}};
}

}  // namespace

void RegisterTransactionMethods(MethodTable& t, NodeContext& ctx) {
    t.Add({"gettransaction",
           "transactions",
           "Returns a confirmed or mempool transaction by txid, with its block hash, height, "
           "position and confirmations (0 while in the mempool).",
           {{"txid", ParamType::kHash, true, {}, "transaction id"}},
           "transaction object with blockhash, height, position, confirmations",
           {"\"<txid>\""},
           [&ctx](const Args& a) -> json {
               const Network net = ctx.chain->Params().network;
               Hash256 txid = *Hash256::FromHex(a.String("txid"));
               if (auto loc = ctx.chain->Db().ReadTxLocation(txid)) {
                   auto hash = ctx.chain->Db().ReadHashAtHeight(loc->height);
                   auto block = hash ? ctx.chain->Db().ReadBlock(*hash) : std::nullopt;
                   if (!block || loc->position >= block->txs.size()) {
                       throw RpcError(kInternalError, "transaction index inconsistent");
                   }
                   json j = TxToJson(block->txs[loc->position], net);
                   j["blockhash"] = hash->Hex();
                   j["height"] = loc->height;
                   j["position"] = loc->position;
                   j["confirmations"] = ctx.chain->Tip().height - loc->height + 1;
                   j["time_ms"] = block->header.time_ms;
                   j["in_mempool"] = false;
                   return j;
               }
               if (auto e = ctx.mempool->Get(txid)) {
                   json j = TxToJson(e->tx, net);
                   j["confirmations"] = 0;
                   j["in_mempool"] = true;
                   return j;
               }
               throw RpcError(kNotFound, "no such transaction " + txid.Hex());
           }});
    t.Add({"decoderawtransaction",
           "transactions",
           "Decodes a hex transaction without checking it against the chain.",
           {{"hexstring", ParamType::kString, true, {}, "the transaction encoding (hex)"}},
           "transaction object",
           {"\"<hex>\""},
           [&ctx](const Args& a) -> json {
               return TxToJson(DecodeHexTx(a.String("hexstring")), ctx.chain->Params().network);
           }});
    t.Add({"sendrawtransaction",
           "transactions",
           "Validates a signed transaction against the tip and adds it to the mempool. "
           "Errors: -22 undecodable, -25 invalid under consensus rules (message gives the "
           "reason code), -26 refused by the mempool, -27 already in a block.",
           {{"hexstring", ParamType::kString, true, {}, "the signed transaction encoding (hex)"}},
           "txid (hex)",
           {"\"<hex>\""},
           [&ctx](const Args& a) -> json {
               Transaction tx = DecodeHexTx(a.String("hexstring"));
               Hash256 txid = tx.TxId();
               if (ctx.chain->Db().ReadTxLocation(txid)) {
                   throw RpcError(kAlreadyInChain, "transaction already in block chain");
               }
               auto r = ctx.mempool->Accept(tx, ctx.chain->Db(), NowMs());
               if (!r) {
                   const MempoolReject& rej = r.error();
                   int code = rej.kind == MempoolRejectKind::kConsensus ? kVerifyRejected
                                                                        : kMempoolRejected;
                   throw RpcError(code, rej.ToString());
               }
               return r->Hex();
           }});
    t.Add({"getrawmempool",
           "mempool",
           "Lists mempool transaction ids, or entries by txid with verbose=true.",
           {{"verbose", ParamType::kBool, false, false, "entries instead of ids"}},
           "[txid, ...] or {txid: entry}",
           {"", "true"},
           [&ctx](const Args& a) -> json {
               auto ids = ctx.mempool->Txids();
               if (!a.Bool("verbose")) {
                   json out = json::array();
                   for (const auto& id : ids) out.push_back(id.Hex());
                   return out;
               }
               json out = json::object();
               for (const auto& id : ids) {
                   if (auto e = ctx.mempool->Get(id)) {
                       out[id.Hex()] = EntryToJson(*e, ctx.chain->Params().network);
                   }
               }
               return out;
           }});
    t.Add({"getmempoolinfo", "mempool", "Returns mempool size and limits.", {},
           "{size, bytes, maxmempool, min_fee_per_byte}", {""},
           [&ctx](const Args&) -> json {
               MempoolInfo i = ctx.mempool->Info();
               return {{"size", i.count},
                       {"bytes", i.bytes},
                       {"maxmempool", i.max_bytes},
                       {"min_fee_per_byte", i.min_fee_per_byte}};
           }});
    t.Add({"getmempoolentry",
           "mempool",
           "Returns one mempool entry.",
           {{"txid", ParamType::kHash, true, {}, "transaction id"}},
           "{txid, size, fee, fee_units, fee_per_byte_milli, time_ms, sender, nonce}",
           {"\"<txid>\""},
           [&ctx](const Args& a) -> json {
               Hash256 txid = *Hash256::FromHex(a.String("txid"));
               auto e = ctx.mempool->Get(txid);
               if (!e) throw RpcError(kNotFound, "transaction not in mempool");
               return EntryToJson(*e, ctx.chain->Params().network);
           }});
}

}  // namespace cairn::rpc
