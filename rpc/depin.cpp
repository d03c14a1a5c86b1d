// DePIN RPC methods: device reports, the device registry, epochs and rewards.
#include "consensus/compute/compute_state.h"
#include "consensus/devices/device_record.h"
#include "consensus/poc/grid.h"
#include "consensus/rewards/accounting.h"
#include "consensus/rewards/density_state.h"
#include "consensus/rewards/emission.h"
#include "consensus/rewards/epoch_rewards.h"
#include "consensus/state_keys.h"
#include "node/depin_index.h"
#include "primitives/address.h"
#include "rpc/context.h"
#include "rpc/method.h"
#include "rpc/to_json.h"

namespace cairn::rpc {
namespace {

using consensus::DeviceRecord;

constexpr uint64_t kMaxListLimit = 1'000;

PubKey ParseAddressArg(Network net, const std::string& s) {
    auto pk = DecodeAddress(net, s);
    if (!pk) throw RpcError(kInvalidParams, "invalid address: " + AddressErrorString(pk.error()));
    return *pk;
}

json DeviceToJson(const NodeContext& ctx, const PubKey& key, const DeviceRecord& d) {
    const auto& params = ctx.chain->Params();
    const uint64_t tip = ctx.chain->Tip().height;
    json j = {{"device", key.Hex()},
              {"class", consensus::DeviceClassName(d.device_class)},
              {"owner", EncodeAddress(params.network, d.owner)},
              {"registered_height", d.registered_height},
              {"location_asserts", d.location_asserts}};
    if (d.location) {
        const auto& l = *d.location;
        const consensus::RadioRegion* region = consensus::FindRegion(params.poc, l.region);
        j["location"] = {
            {"lat_e7", l.position.lat_e7},
            {"lon_e7", l.position.lon_e7},
            {"gain_ddbi", l.gain_ddbi},
            {"region", region ? region->name : std::to_string(l.region)},
            {"asserted_height", l.height},
            {"cell", consensus::poc::CellAt(l.position, params.poc.density.count_level)}};
        j["density_scale_e9"] =
            consensus::rewards::DensityScaleAt(ctx.chain->Db(), params.poc.density, l.position);
    } else {
        j["location"] = nullptr;
    }
    j["last_beacon_bucket"] = d.last_beacon_bucket ? json(*d.last_beacon_bucket) : json(nullptr);
    j["witnessed_height"] = d.witnessed_height ? json(*d.witnessed_height) : json(nullptr);
    j["interactive"] = d.witnessed_height.has_value() &&
                       tip - *d.witnessed_height <= params.poc.interactive_window;
    if (auto cs = consensus::ReadComputeState(ctx.chain->Db(), key)) {
        j["compute"] = ComputeStateToJson(params, *cs);
    }
    return j;
}

DeviceRecord LoadDevice(const NodeContext& ctx, const PubKey& key) {
    auto d = consensus::ReadDevice(ctx.chain->Db(), key);
    if (!d) throw RpcError(kNotFound, "no such device " + key.Hex());
    return *d;
}

}  // namespace

void RegisterDepinMethods(MethodTable& t, NodeContext& ctx) {
    t.Add(
        {"submitreport",
         "depin",
         "Submits a device-signed report (hex of its wire encoding): a beacon or witness "
         "report, or a compute commit or open. The node checks the format, that the device is "
         "registered, the signature and what could never count (for coverage: the entropy "
         "window, one beacon per device per bucket, that a witness names a pooled beacon; for "
         "compute: the bucket, the tier, one commit and one open per bucket, the open's window "
         "and form), and duplicates; the consensus rules judge the rest when a block includes "
         "the report. "
         "Errors: -22 undecodable, -26 refused (the message starts with the reason code).",
         {{"hexstring", ParamType::kString, true, {}, "the report encoding (hex)"}},
         "{kind, device, beacon_id (beacon and witness reports)}",
         {"\"01<hex>\""},
         [&ctx](const Args& a) -> json {
             auto bytes = ParseHex(a.String("hexstring"));
             if (!bytes) throw RpcError(kDeserializationError, "report is not valid hex");
             auto report = DecodeReport(*bytes);
             if (!report) {
                 throw RpcError(kDeserializationError,
                                "report decode failed: " + report.error().ToString());
             }
             const uint64_t tip = ctx.chain->Tip().height;
             auto r = ctx.reports->Submit(*report, ctx.chain->Db(), ctx.chain->Db(), tip);
             if (!r) throw RpcError(kMempoolRejected, r.error().ToString());
             static constexpr const char* kKinds[] = {"beacon", "witness", "compute_commit",
                                                      "compute_open"};
             json j = {{"kind", kKinds[report->index()]}, {"device", ReportDevice(*report).Hex()}};
             if (report->index() < 2) j["beacon_id"] = r->beacon_id.Hex();
             return j;
         }});
    t.Add({"getreportpoolinfo",
           "depin",
           "Returns how many reports wait for inclusion.",
           {},
           "{beacons, witnesses, compute_commits, compute_opens}",
           {""},
           [&ctx](const Args&) -> json {
               ReportPoolInfo i = ctx.reports->Info();
               return {{"beacons", i.beacons},
                       {"witnesses", i.witnesses},
                       {"compute_commits", i.compute_commits},
                       {"compute_opens", i.compute_opens}};
           }});
    t.Add({"getdevice",
           "depin",
           "Returns a registered device: class, owner, asserted location, coverage history "
           "and its current density scale (10^9 = 1.0).",
           {{"device", ParamType::kString, true, {}, "device public key (hex)"}},
           "{device, class, owner, registered_height, location, density_scale_e9, "
           "last_beacon_bucket, witnessed_height, interactive}",
           {"\"<device key hex>\""},
           [&ctx](const Args& a) -> json {
               const PubKey key = ParseDeviceKeyArg(a.String("device"));
               return DeviceToJson(ctx, key, LoadDevice(ctx, key));
           }});
    t.Add({"listdevices",
           "depin",
           "Lists registered devices in key order, filtered by owner, region or area, a page "
           "at a time: pass the returned `next` as start_after for the following page. The "
           "owner filter uses an index; region and area filters scan the registry.",
           {{"owner", ParamType::kString, false, {}, "owner address"},
            {"region", ParamType::kString, false, {}, "region name, e.g. EU868"},
            {"area",
             ParamType::kString,
             false,
             {},
             "\"lat_e7,lon_e7,radius_m\": devices asserted within radius_m of the point"},
            {"start_after", ParamType::kString, false, {}, "device key to continue after"},
            {"limit", ParamType::kUInt, false, 100, "at most this many (1..1000)"}},
           "{devices: [device...], next}",
           {"", "\"dcairn1...\"", "null \"EU868\"", "null null \"523700000,43000000,5000\""},
           [&ctx](const Args& a) -> json {
               const auto& params = ctx.chain->Params();
               const uint64_t limit = a.UInt("limit");
               if (limit == 0 || limit > kMaxListLimit) {
                   throw RpcError(kInvalidParams, "limit must be between 1 and 1000");
               }
               std::optional<PubKey> start;
               if (a.Has("start_after")) start = ParseDeviceKeyArg(a.String("start_after"));
               std::optional<uint8_t> region;
               if (a.Has("region")) {
                   const std::string name = a.String("region");
                   for (size_t i = 0; i < params.poc.regions.size(); ++i) {
                       if (params.poc.regions[i].name == name) region = static_cast<uint8_t>(i);
                   }
                   if (!region) throw RpcError(kInvalidParams, "unknown region " + name);
               }
               std::optional<std::pair<consensus::poc::LatLon, uint64_t>> area;
               if (a.Has("area")) {
                   long long lat = 0, lon = 0;
                   unsigned long long radius = 0;
                   const std::string spec = a.String("area");
                   int used = 0;
                   if (std::sscanf(spec.c_str(), "%lld,%lld,%llu%n", &lat, &lon, &radius, &used) !=
                           3 ||
                       static_cast<size_t>(used) != spec.size() ||
                       !consensus::poc::IsValidLocation(
                           {static_cast<int32_t>(lat), static_cast<int32_t>(lon)}) ||
                       lat != static_cast<int32_t>(lat) || lon != static_cast<int32_t>(lon) ||
                       radius > 20'000'000) {
                       throw RpcError(kInvalidParams,
                                      "area must be \"lat_e7,lon_e7,radius_m\" with a valid "
                                      "location and radius <= 20000 km");
                   }
                   area = {{static_cast<int32_t>(lat), static_cast<int32_t>(lon)}, radius * 1000};
               }
               json devices = json::array();
               std::optional<PubKey> last;
               bool more = false;
               auto consider = [&](const PubKey& key, const DeviceRecord& d) {
                   if (region && (!d.location || d.location->region != *region)) return true;
                   if (area &&
                       (!d.location || consensus::poc::DistanceMm(
                                           area->first, d.location->position) > area->second)) {
                       return true;
                   }
                   if (devices.size() >= limit) {
                       more = true;
                       return false;
                   }
                   devices.push_back(DeviceToJson(ctx, key, d));
                   last = key;
                   return true;
               };
               if (a.Has("owner")) {
                   const PubKey owner = ParseAddressArg(params.network, a.String("owner"));
                   // Read the owner's devices a batch at a time until the page is full: with a
                   // region or area filter, a batch may match fewer than it holds.
                   constexpr size_t kBatch = 256;
                   bool done = false;
                   while (!done) {
                       auto keys = ReadDevicesOfOwner(ctx.chain->Db(), owner, start, kBatch);
                       for (const PubKey& k : keys) {
                           auto d = consensus::ReadDevice(ctx.chain->Db(), k);
                           if (d && !consider(k, *d)) {
                               done = true;
                               break;
                           }
                       }
                       if (keys.size() < kBatch) done = true;
                       if (!keys.empty()) start = keys.back();
                   }
               } else {
                   ctx.chain->Db().ForEachEntry(consensus::keys::Prefix(consensus::keys::kDevice),
                                                [&](ByteSpan key, ByteSpan value) {
                                                    if (key.size() != 33) return true;
                                                    const PubKey k = consensus::keys::KeyOf(key);
                                                    if (start && !(*start < k)) return true;
                                                    auto d = consensus::DecodeDeviceRecord(value);
                                                    return !d || consider(k, *d);
                                                });
               }
               return {{"devices", devices},
                       {"next", more && last ? json(last->Hex()) : json(nullptr)}};
           }});
    t.Add({"getepochinfo",
           "depin",
           "Without an epoch: the running epoch (heights, fees so far, the emission its end "
           "will split) and the chain's money accounting. With an epoch number: that finished "
           "epoch's summary (pools, payments, carry and never-minted remainders).",
           {{"epoch", ParamType::kUInt, false, {}, "a finished epoch"}},
           "{epoch, start_height, end_height, ...}",
           {"", "3"},
           [&ctx](const Args& a) -> json {
               const auto& params = ctx.chain->Params();
               const auto& db = ctx.chain->Db();
               if (a.Has("epoch")) {
                   auto s = consensus::ReadEpochSummary(db, a.UInt("epoch"));
                   if (!s) throw RpcError(kNotFound, "epoch not finished");
                   return EpochSummaryToJson(*s);
               }
               // One snapshot: the supply and the accounting totals belong to the same block.
               const auto snap =
                   db.ReadEntryAtTip(consensus::keys::Prefix(consensus::keys::kAccounting));
               consensus::ChainAccounting acc;
               if (snap.entry) {
                   auto decoded = consensus::DecodeAccounting(*snap.entry);
                   if (!decoded) throw std::runtime_error("corrupt accounting record");
                   acc = *decoded;
               }
               const uint64_t height = snap.tip.height;
               const uint64_t len = params.rewards.epoch_length;
               const uint64_t epoch = consensus::rewards::EpochOf(params, height + 1);
               json j = {{"epoch", epoch},
                         {"epoch_length", len},
                         {"start_height", epoch * len + 1},
                         {"end_height", (epoch + 1) * len},
                         {"height", height},
                         {"blocks_left", (epoch + 1) * len - height},
                         {"beacon_bucket", params.poc.beacon_bucket},
                         {"current_bucket", consensus::BeaconBucket(params, height)}};
               SetAmount(
                   j, "emission",
                   consensus::rewards::EpochEmission(params.rewards.emission, epoch, acc.minted));
               SetAmount(j, "fees", acc.epoch_fees);
               SetAmount(j, "fee_carry", acc.fee_carry);
               SetAmount(j, "minted_total", acc.minted);
               SetAmount(j, "burned_total", acc.burned);
               SetAmount(j, "supply", snap.supply);
               j["pools_bps"] = {{"validators", params.rewards.validators_bps},
                                 {"beacons", params.rewards.beacons_bps},
                                 {"witnesses", params.rewards.witnesses_bps},
                                 {"compute", params.rewards.compute_bps}};
               if (epoch > 0) {
                   if (auto s = consensus::ReadEpochSummary(db, epoch - 1)) {
                       j["last_epoch"] = EpochSummaryToJson(*s);
                   }
               }
               return j;
           }});
    t.Add({"getepochrewards",
           "depin",
           "A finished epoch's reward payments, a page at a time: per device (with owner, "
           "beacon, witness and compute amounts and units) or summed per owner; or one "
           "device's payment. "
           "Validator pool payments are listed on the first page.",
           {{"epoch", ParamType::kUInt, true, {}, "finished epoch"},
            {"by", ParamType::kString, false, "device", "\"device\" or \"owner\""},
            {"start_after",
             ParamType::kString,
             false,
             {},
             "device key (by device) or owner address (by owner) to continue after"},
            {"limit", ParamType::kUInt, false, 100, "at most this many (1..1000)"},
            {"device", ParamType::kString, false, {}, "only this device"}},
           "{epoch, summary, rewards: [...], next, validators}",
           {"3", "3 \"owner\""},
           [&ctx](const Args& a) -> json {
               const auto& params = ctx.chain->Params();
               const auto& db = ctx.chain->Db();
               const uint64_t epoch = a.UInt("epoch");
               auto summary = consensus::ReadEpochSummary(db, epoch);
               if (!summary) throw RpcError(kNotFound, "epoch not finished");
               const uint64_t limit = a.UInt("limit");
               if (limit == 0 || limit > kMaxListLimit) {
                   throw RpcError(kInvalidParams, "limit must be between 1 and 1000");
               }
               const std::string by = a.String("by");
               json rewards = json::array();
               json next = nullptr;
               auto payout_json = [&](const IndexedPayout& p) {
                   json j = {{"device", p.device.Hex()},
                             {"owner", EncodeAddress(params.network, p.owner)}};
                   SetAmount(j, "beacon_amount", p.beacon_amount);
                   SetAmount(j, "witness_amount", p.witness_amount);
                   SetAmount(j, "compute_amount", p.compute_amount);
                   // A device earns from one pool family only, so this cannot overflow.
                   SetAmount(j, "amount", p.beacon_amount + p.witness_amount + p.compute_amount);
                   j["beacon_units"] = p.beacon_units;
                   j["witness_units"] = p.witness_units;
                   j["compute_units"] = p.compute_units;
                   j["compute_buckets"] = p.compute_buckets;
                   return j;
               };
               if (a.Has("device")) {
                   auto p = ReadDevicePayout(db, epoch, ParseDeviceKeyArg(a.String("device")));
                   if (p) rewards.push_back(payout_json(*p));
               } else if (by == "device") {
                   std::optional<PubKey> start;
                   if (a.Has("start_after")) start = ParseDeviceKeyArg(a.String("start_after"));
                   auto page = ReadEpochDevicePayouts(db, epoch, start, limit + 1);
                   for (size_t i = 0; i < page.size() && i < limit; ++i) {
                       rewards.push_back(payout_json(page[i]));
                   }
                   if (page.size() > limit) next = page[limit - 1].device.Hex();
               } else if (by == "owner") {
                   std::optional<PubKey> start;
                   if (a.Has("start_after")) {
                       start = ParseAddressArg(params.network, a.String("start_after"));
                   }
                   auto page = ReadEpochOwnerPayouts(db, epoch, start, limit + 1);
                   for (size_t i = 0; i < page.size() && i < limit; ++i) {
                       json j = {{"owner", EncodeAddress(params.network, page[i].first)}};
                       SetAmount(j, "amount", page[i].second);
                       rewards.push_back(j);
                   }
                   if (page.size() > limit) {
                       next = EncodeAddress(params.network, page[limit - 1].first);
                   }
               } else {
                   throw RpcError(kInvalidParams, "by must be \"device\" or \"owner\"");
               }
               json validators = json::array();
               if (!a.Has("start_after")) {
                   for (const auto& [key, amount] : ReadEpochValidatorPayouts(db, epoch)) {
                       json j = {{"validator", EncodeAddress(params.network, key)}};
                       SetAmount(j, "amount", amount);
                       validators.push_back(j);
                   }
               }
               return {{"epoch", epoch},
                       {"summary", EpochSummaryToJson(*summary)},
                       {"rewards", rewards},
                       {"next", next},
                       {"validators", validators}};
           }});
    t.Add({"getdevicestats",
           "depin",
           "A device's figures: for radios beacons and witness reports by verdict (why each "
           "earned or not), reward units this epoch, density scale and lifetime earnings; for "
           "compute devices its compute reports by verdict, settled buckets by outcome, units "
           "this epoch and lifetime compute earnings.",
           {{"device", ParamType::kString, true, {}, "device public key (hex)"}},
           "{device, beacons{valid, ...}, witnesses{valid, ...}, epoch_units, earned, ...}",
           {"\"<device key hex>\""},
           [&ctx](const Args& a) -> json {
               const PubKey key = ParseDeviceKeyArg(a.String("device"));
               const DeviceRecord d = LoadDevice(ctx, key);
               const auto& db = ctx.chain->Db();
               const DeviceStats s = ReadDeviceStats(db, key).value_or(DeviceStats{});
               json beacons = json::object();
               for (size_t i = 0; i < s.beacons.size(); ++i) {
                   if (s.beacons[i] == 0) continue;
                   beacons[std::string{consensus::BeaconVerdictCode(
                       static_cast<consensus::BeaconVerdict>(i))}] = s.beacons[i];
               }
               json witnesses = json::object();
               for (size_t i = 0; i < s.witnesses.size(); ++i) {
                   if (s.witnesses[i] == 0) continue;
                   witnesses[std::string{consensus::WitnessVerdictCode(
                       static_cast<consensus::WitnessVerdict>(i))}] = s.witnesses[i];
               }
               consensus::RewardShare share = consensus::ReadRewardShare(db, key);
               // Units of a closed epoch no longer count (the record resets on the next credit).
               const uint64_t running =
                   consensus::rewards::EpochOf(ctx.chain->Params(), ctx.chain->Tip().height + 1);
               if (share.epoch != running) share = consensus::RewardShare{0, 0, running};
               json j = DeviceToJson(ctx, key, d);
               j["beacons"] = beacons;
               j["witnesses"] = witnesses;
               j["last_beacon_height"] = s.last_beacon_height;
               j["last_witness_height"] = s.last_witness_height;
               j["lifetime_beacon_units"] = s.beacon_units;
               j["lifetime_witness_units"] = s.witness_units;
               j["epoch_units"] = {{"epoch", share.epoch},
                                   {"beacon", share.beacon_units},
                                   {"witness", share.witness_units}};
               SetAmount(j, "earned", s.earned + s.compute_earned);
               if (auto cs = consensus::ReadComputeState(db, key)) {
                   auto by_verdict = [](const auto& counts) {
                       json o = json::object();
                       for (size_t i = 0; i < counts.size(); ++i) {
                           if (counts[i] == 0) continue;
                           o[std::string{consensus::ComputeVerdictCode(
                               static_cast<consensus::ComputeVerdict>(i))}] = counts[i];
                       }
                       return o;
                   };
                   json c = {{"reports", by_verdict(s.compute_reports)},
                             {"buckets", by_verdict(s.compute_buckets)},
                             {"last_settled_height", s.last_settled_height},
                             {"lifetime_units", s.compute_units},
                             {"epoch_units", cs->share_epoch == running ? cs->units : 0},
                             {"epoch_buckets", cs->share_epoch == running ? cs->share_buckets : 0}};
                   SetAmount(c, "earned", s.compute_earned);
                   j["compute_stats"] = c;
               }
               return j;
           }});
}

}  // namespace cairn::rpc
