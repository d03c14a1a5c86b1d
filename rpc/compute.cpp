// Proof-of-compute RPC methods: the tier table and bucket schedule, and a device's challenge.
#include <array>

#include "consensus/compute/compute_state.h"
#include "consensus/compute/compute_verifier.h"
#include "consensus/compute/schedule.h"
#include "consensus/compute/spot_check.h"
#include "consensus/devices/device_record.h"
#include "consensus/state_keys.h"
#include "rpc/context.h"
#include "rpc/method.h"
#include "rpc/to_json.h"

namespace cairn::rpc {
namespace {

json ShapeToJson(const consensus::compute::ChallengeShape& s) {
    return {{"g", s.g}, {"n", s.n}, {"k", s.k}, {"tile", s.tile}};
}

json TierToJson(size_t id, const consensus::ComputeTier& t) {
    const uint64_t ops = 2 * uint64_t{t.shape.g} * t.shape.n * t.shape.n * t.shape.k;
    return {{"id", id},        {"name", t.name},         {"shape", ShapeToJson(t.shape)},
            {"int8_ops", ops}, {"deadline", t.deadline}, {"weight", t.weight}};
}

}  // namespace

void RegisterComputeMethods(MethodTable& t, NodeContext& ctx) {
    t.Add({"getcomputeinfo",
           "depin",
           "Proof of compute: the tier table, the rules' constants, the current bucket's "
           "heights per tier, and how many compute devices are active, challenged and where "
           "they stand in the bucket.",
           {},
           "{tiers: [...], bucket_length, open_window, spot_cells, current_bucket, ...}",
           {""},
           [&ctx](const Args&) -> json {
               namespace cc = consensus::compute;
               const auto& params = ctx.chain->Params();
               const auto& cp = params.compute;
               const auto& db = ctx.chain->Db();
               const uint64_t tip = ctx.chain->Tip().height;
               const uint64_t bucket = cc::CurrentBucket(cp, tip + 1);
               json tiers = json::array();
               json heights = json::array();
               for (size_t i = 0; i < cp.tiers.size(); ++i) {
                   tiers.push_back(TierToJson(i, cp.tiers[i]));
                   if (bucket != 0) {
                       heights.push_back(
                           {{"tier", cp.tiers[i].name},
                            {"commit_deadline", bucket + cp.tiers[i].deadline},
                            {"spot_height", cc::SpotHeight(cp.tiers[i], bucket)},
                            {"open_deadline", cc::OpenDeadline(cp, cp.tiers[i], bucket)}});
                   }
               }
               uint64_t devices = 0, active = 0, challenged = 0;
               std::array<uint64_t, 4> progress{};
               db.ForEachEntry(consensus::keys::Prefix(consensus::keys::kCompute),
                               [&](ByteSpan, ByteSpan value) {
                                   auto cs = consensus::DecodeComputeState(value);
                                   if (!cs) throw std::runtime_error("corrupt compute state");
                                   ++devices;
                                   if (cs->active) ++active;
                                   if (cs->bucket != 0 && cs->bucket == bucket) {
                                       ++challenged;
                                       ++progress[static_cast<size_t>(cs->progress)];
                                   }
                                   return true;
                               });
               json j = {{"height", tip},
                         {"tiers", tiers},
                         {"bucket_length", cp.bucket_length},
                         {"open_window", cp.open_window},
                         {"settle_offset", cc::SettleOffset(cp)},
                         {"spot_cells", cp.spot_cells},
                         {"max_missed_buckets", cp.max_missed_buckets},
                         {"devices", devices},
                         {"active_devices", active},
                         {"next_bucket", (tip / cp.bucket_length + 1) * cp.bucket_length}};
               SetAmount(j, "onboarding_fee", cp.onboarding_fee);
               if (bucket == 0) {
                   j["current_bucket"] = nullptr;
               } else {
                   j["current_bucket"] = {
                       {"start", bucket},          {"settle_height", bucket + cc::SettleOffset(cp)},
                       {"heights", heights},       {"challenged", challenged},
                       {"committed", progress[1]}, {"late", progress[2]},
                       {"opened", progress[3]},    {"waiting", progress[0]}};
               }
               return j;
           }});
    t.Add({"getcomputechallenge",
           "depin",
           "What a prover needs for a compute device's challenge in the current bucket: seed, "
           "dimensions, heights, its progress, and once the spot-check block exists the cells "
           "and tiles to open.",
           {{"device", ParamType::kString, true, {}, "device public key (hex)"}},
           "{device, bucket, tier, seed, shape, commit_deadline, spot_height, open_deadline, "
           "progress, spot_cells, open_tiles}",
           {"\"<device key hex>\""},
           [&ctx](const Args& a) -> json {
               namespace cc = consensus::compute;
               const PubKey key = ParseDeviceKeyArg(a.String("device"));
               const auto& params = ctx.chain->Params();
               const auto& db = ctx.chain->Db();
               const auto record = consensus::ReadDevice(db, key);
               if (!record) throw RpcError(kNotFound, "no such device " + key.Hex());
               const auto cs = consensus::ReadComputeState(db, key);
               if (!cs) throw RpcError(kInvalidParams, "not a compute device");
               const uint64_t tip = ctx.chain->Tip().height;
               const auto info = cc::CurrentChallenge(params, tip, db, db, key);
               json j = {{"device", key.Hex()},
                         {"height", tip},
                         {"active", cs->active},
                         {"next_bucket",
                          (tip / params.compute.bucket_length + 1) * params.compute.bucket_length}};
               if (!info) {
                   j["challenged"] = false;
                   return j;
               }
               const auto& tier = *info->tier_params;
               j["challenged"] = true;
               j["bucket"] = info->bucket;
               j["tier"] = {{"id", info->tier}, {"name", tier.name}};
               j["shape"] = ShapeToJson(tier.shape);
               j["seed"] = info->seed.Hex();
               j["commit_deadline"] = info->commit_deadline;
               j["spot_height"] = info->spot_height;
               j["open_deadline"] = info->open_deadline;
               j["settle_height"] = info->settle_height;
               j["progress"] = ComputeProgressName(cs->progress);
               if (cs->progress == consensus::BucketProgress::kCommitted ||
                   cs->progress == consensus::BucketProgress::kOpened) {
                   j["root"] = cs->root.Hex();
                   j["commit_height"] = cs->commit_height;
               }
               if (cs->progress == consensus::BucketProgress::kOpened) {
                   j["open_verdict"] = ComputeVerdictJson(cs->open_verdict, cs->open_detail);
               }
               const auto spot = db.HashAtHeight(info->spot_height);
               if (cs->progress == consensus::BucketProgress::kCommitted && spot) {
                   const auto cells =
                       cc::SpotCells(*spot, key, cs->root, tier.shape, params.compute.spot_cells);
                   json list = json::array();
                   for (uint64_t c : cells) {
                       const cc::CellPosition p = cc::CellAt(tier.shape, c);
                       list.push_back({{"cell", c}, {"g", p.g}, {"i", p.i}, {"j", p.j}});
                   }
                   const std::vector<uint64_t> tiles = cc::SpottedTiles(tier.shape, cells);
                   j["spot_hash"] = spot->Hex();
                   j["spot_cells"] = list;
                   j["open_tiles"] = tiles;
               }
               return j;
           }});
}

}  // namespace cairn::rpc
