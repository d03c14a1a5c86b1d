// Node control RPC methods: help, uptime, stop, and generate on devnet.
#include "node/block_producer.h"
#include "rpc/context.h"
#include "rpc/method.h"

namespace cairn::rpc {

inline constexpr uint64_t kMaxGeneratePerCall = 1000;

void RegisterControlMethods(MethodTable& t, NodeContext& ctx) {
    const MethodTable* table = &t;
    t.Add({"help",
           "control",
           "Lists all commands, or explains one.",
           {{"command", ParamType::kString, false, {}, "the command to explain"}},
           "text",
           {"", "getblock"},
           [table](const Args& a) -> json {
               return table->Help(a.Has("command") ? std::optional(a.String("command"))
                                                   : std::nullopt);
           }});
    t.Add({"uptime", "control", "Seconds since the node started.", {}, "n (integer)", {""},
           [&ctx](const Args&) -> json { return (NowMs() - ctx.start_time_ms) / 1000; }});
    t.Add({"stop", "control", "Shuts the node down cleanly.", {}, "text", {""},
           [&ctx](const Args&) -> json {
               ctx.request_shutdown();
               return "Cairn server stopping";
           }});
    t.Add({"generate",
           "devnet",
           "Produces n blocks at once with the mempool's transactions (devnet only, at most "
           "1000 per call).",
           {{"nblocks", ParamType::kUInt, true, {}, "how many blocks"}},
           "[blockhash, ...]",
           {"1", "10"},
           [&ctx](const Args& a) -> json {
               if (ctx.chain->Params().network != Network::kDevnet) {
                   throw RpcError(kMethodDisabled, "generate is only available on devnet");
               }
               if (!ctx.producer) {
                   throw RpcError(kMethodDisabled, "this node does not produce blocks");
               }
               uint64_t n = a.UInt("nblocks");
               if (n == 0 || n > kMaxGeneratePerCall) {
                   throw RpcError(kInvalidParams, "nblocks must be between 1 and 1000");
               }
               auto r = ctx.producer->ProduceBlocks(n);
               if (!r) throw RpcError(kMiscError, r.error());
               json out = json::array();
               for (const auto& h : *r) out.push_back(h.Hex());
               return out;
           }});
}

}  // namespace cairn::rpc
