// cairn-devsim: simulates a fleet of LoRa hotspots and compute provers against a running node,
// over JSON-RPC.
//
//   cairn-devsim [--devices=N] [--seed=S] [--cheaters=SPEC] [--compute=N]
//                [--compute-cheaters=SPEC] [--epochs=E | --buckets=K] [--json]
//
// It funds one owner per device from the devnet faucet, registers (and locates) every device
// with real signed transactions, then, every beacon bucket, has each radio beacon (a device-signed
// report with the payload and channel its entropy block dictates) and every radio in range
// witness what it hears, and, every compute bucket, has each compute device prove its challenge
// (commit, then open the spot-checked tiles). Cheaters deviate (doc/devsim.md). At the end it
// prints, per device, the verdicts the chain recorded, the earnings of each finished epoch and
// whether the chain agrees with the verdicts the rules predict.
#include <boost/program_options.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "consensus/compute/schedule.h"
#include "consensus/devices/device_record.h"
#include "consensus/poc/beacon.h"
#include "consensus/poc/coverage_verifier.h"
#include "consensus/rewards/epoch_rewards.h"
#include "consensus/tx/compute_txs.h"
#include "consensus/tx/device_txs.h"
#include "consensus/tx/transfer.h"
#include "devsim/compute_sim.h"
#include "devsim/fleet.h"
#include "devsim/node_rpc.h"
#include "devsim/verdict_counts.h"
#include "node/genesis_file.h"
#include "primitives/address.h"
#include "primitives/amount.h"
#include "util/datadir.h"
#include "wallet/device_builder.h"
#include "wallet/tx_builder.h"

namespace po = boost::program_options;

namespace cairn::devsim {
namespace {

using json = nlohmann::json;
using consensus::WitnessVerdict;
using Clock = std::chrono::steady_clock;

constexpr auto kSetupTimeout = std::chrono::seconds(120);
// The node must produce a block at least this often while the simulation runs.
constexpr auto kStallTimeout = std::chrono::seconds(60);
constexpr size_t kTxChunk = 50;
// Witness reports go to the node over this many connections at once (cairnd serves RPC on 4
// threads by default).
constexpr size_t kRpcConnections = 4;  // below the mempool's 64 pending transactions per sender
// What devsim records for a witness report that passes every physical rule: the chain then
// says valid, witness-not-selected or witness-no-reciprocity.
constexpr const char* kPasses = "passes-physics";

struct Options {
    std::string network{"devnet"};
    std::optional<std::string> datadir;
    std::string rpcconnect{"127.0.0.1"};
    std::optional<int> rpcport;
    std::string rpcuser;
    std::string rpcpassword;
    std::optional<std::string> rpccookiefile;
    int rpcwait_s{0};
    uint32_t devices{12};
    uint64_t seed{1};
    consensus::poc::LatLon center{523'676'000, 49'041'000};
    double spread_km{10.0};
    std::string cheaters;
    std::optional<uint64_t> buckets;
    std::optional<uint64_t> epochs;
    bool json_out{false};
    bool verbose{false};
    bool quiet{false};
    uint64_t timeout_s{0};
    uint32_t poll_ms{20};
    RadioOptions radio;
    std::optional<std::string> fund_secret;
    uint32_t compute{0};
    std::string compute_cheaters;
    double compute_fraction{0.5};
    std::string backend{"auto"};
    unsigned prover_threads{1};
    std::string compute_tier;
};

// ---------------------------------------------------------------------------------------------
// Options

po::options_description OptionsDescription() {
    po::options_description o{"cairn-devsim options"};
    // clang-format off
    o.add_options()
        ("help,h", "print this help and exit")
        ("version", "print the version and exit")
        ("network", po::value<std::string>()->default_value("devnet"), "main, test or devnet: default RPC port and data directory (the node's network is used)")
        ("datadir", po::value<std::string>(), "the node's data directory, for the RPC cookie (default $HOME/.cairn[/<network>])")
        ("rpcconnect", po::value<std::string>()->default_value("127.0.0.1"), "node address")
        ("rpcport", po::value<int>(), "node RPC port (default: 8645 main, 18645 test, 28645 devnet)")
        ("rpcuser", po::value<std::string>(), "RPC user (instead of the cookie)")
        ("rpcpassword", po::value<std::string>(), "RPC password")
        ("rpccookiefile", po::value<std::string>(), "RPC cookie file (default <datadir>/.cookie)")
        ("rpcwait", po::value<int>()->default_value(0), "wait up to this many seconds for the node to answer")
        ("devices", po::value<uint32_t>()->default_value(12), "honest radio devices (cheaters come on top; 0: none)")
        ("seed", po::value<uint64_t>()->default_value(1), "seed of keys, layout and radio links (same seed, same fleet)")
        ("center", po::value<std::string>()->default_value("52.3676,4.9041"), "LAT,LON of the cluster centre, degrees (default Amsterdam, EU868)")
        ("spread-km", po::value<double>()->default_value(10.0), "radius of the cluster, km")
        ("cheaters", po::value<std::string>()->default_value(""), "cheaters per kind: rssi=N,spoof=N,self=N,replay=N,ring=N (ring >= 3), or 'all'")
        ("buckets", po::value<uint64_t>(), "run this many beacon buckets, then stop")
        ("epochs", po::value<uint64_t>(), "run until this many reward epochs have ended (default 2)")
        ("json", po::bool_switch(), "print the final summary as one JSON object on stdout")
        ("verbose,v", po::bool_switch(), "log every report submitted and its result")
        ("quiet,q", po::bool_switch(), "log nothing but errors")
        ("timeout", po::value<uint64_t>()->default_value(0), "give up after this many seconds (0: no limit)")
        ("poll-ms", po::value<uint32_t>()->default_value(20), "how often to poll the node's height, ms")
        ("sensitivity", po::value<double>()->default_value(-135.0), "receiver sensitivity, dBm")
        ("range-km", po::value<double>()->default_value(60.0), "radio horizon: nothing farther is heard, km")
        ("fundkey", po::value<std::string>(), "hex secret key of the funding account (default: the devnet faucet)")
        ("compute", po::value<uint32_t>()->default_value(0), "honest compute devices (compute cheaters come on top)")
        ("compute-cheaters", po::value<std::string>()->default_value(""), "compute cheaters per kind: fraction=N,late=N,replay=N,recommit=N,mismatch=N,sybil=IDS (one machine answering for IDS >= 2 device ids), or 'all'")
        ("compute-fraction", po::value<double>()->default_value(0.5), "the share of the output rows a fraction cheater computes (0..1)")
        ("compute-tier", po::value<std::string>()->default_value(""), "compute tier name (default: the network's first, cpu-dev on devnet)")
        ("backend", po::value<std::string>()->default_value("auto"), "prover GEMM backend: auto (onednn where its int8 GEMM is exact, else loop), onednn or loop")
        ("prover-threads", po::value<unsigned>()->default_value(1), "threads per proof (0: all cores; 1 leaves the node's CPU alone on small machines)");
    // clang-format on
    return o;
}

Result<consensus::poc::LatLon, std::string> ParseCenter(const std::string& s) {
    double lat = 0, lon = 0;
    char extra = 0;
    if (std::sscanf(s.c_str(), "%lf,%lf%c", &lat, &lon, &extra) != 2 || !(lat >= -85.0) ||
        !(lat <= 85.0) || !(lon >= -180.0) || !(lon < 180.0)) {
        return MakeError("--center must be LAT,LON in degrees (|LAT| <= 85), got '" + s + "'");
    }
    return consensus::poc::LatLon{static_cast<int32_t>(std::llround(lat * 1e7)),
                                  static_cast<int32_t>(std::llround(lon * 1e7))};
}

Result<Options, std::string> ParseOptions(int argc, char* argv[], std::string& info) {
    po::options_description desc = OptionsDescription();
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        return MakeError(std::string{e.what()});
    }
    if (vm.count("help")) {
        std::ostringstream ss;
        ss << "Usage: cairn-devsim [options]\n\nSimulates a fleet of LoRa hotspots and compute "
              "provers (and cheaters) against a running node.\nSee doc/devsim.md.\n\n"
           << desc;
        info = ss.str();
        return Options{};
    }
    if (vm.count("version")) {
        info = std::string{"cairn-devsim "} + CAIRN_VERSION + "\n";
        return Options{};
    }
    Options o;
    o.network = vm["network"].as<std::string>();
    if (vm.count("datadir")) o.datadir = vm["datadir"].as<std::string>();
    o.rpcconnect = vm["rpcconnect"].as<std::string>();
    if (vm.count("rpcport")) {
        o.rpcport = vm["rpcport"].as<int>();
        if (*o.rpcport < 1 || *o.rpcport > 65535) return MakeError(std::string{"bad --rpcport"});
    }
    if (vm.count("rpcuser")) o.rpcuser = vm["rpcuser"].as<std::string>();
    if (vm.count("rpcpassword")) o.rpcpassword = vm["rpcpassword"].as<std::string>();
    if (vm.count("rpccookiefile")) o.rpccookiefile = vm["rpccookiefile"].as<std::string>();
    o.rpcwait_s = vm["rpcwait"].as<int>();
    o.devices = vm["devices"].as<uint32_t>();
    o.seed = vm["seed"].as<uint64_t>();
    auto center = ParseCenter(vm["center"].as<std::string>());
    if (!center) return MakeError(center.error());
    o.center = *center;
    o.spread_km = vm["spread-km"].as<double>();
    if (!(o.spread_km >= 1.0) || !(o.spread_km <= 40.0)) {
        return MakeError(std::string{"--spread-km must be between 1 and 40"});
    }
    o.cheaters = vm["cheaters"].as<std::string>();
    if (vm.count("buckets")) o.buckets = vm["buckets"].as<uint64_t>();
    if (vm.count("epochs")) o.epochs = vm["epochs"].as<uint64_t>();
    if (o.buckets && o.epochs)
        return MakeError(std::string{"give --buckets or --epochs, not both"});
    if ((o.buckets && *o.buckets == 0) || (o.epochs && *o.epochs == 0)) {
        return MakeError(std::string{"--buckets and --epochs must be at least 1"});
    }
    if (!o.buckets && !o.epochs) o.epochs = 2;
    o.json_out = vm["json"].as<bool>();
    o.verbose = vm["verbose"].as<bool>();
    o.quiet = vm["quiet"].as<bool>();
    o.timeout_s = vm["timeout"].as<uint64_t>();
    o.poll_ms = std::max<uint32_t>(1, vm["poll-ms"].as<uint32_t>());
    o.radio.sensitivity_dbm = vm["sensitivity"].as<double>();
    o.radio.range_km = vm["range-km"].as<double>();
    if (vm.count("fundkey")) o.fund_secret = vm["fundkey"].as<std::string>();
    if (o.devices + 0ULL > 2'000) return MakeError(std::string{"--devices is at most 2000"});
    o.compute = vm["compute"].as<uint32_t>();
    if (o.compute > 500) return MakeError(std::string{"--compute is at most 500"});
    o.compute_cheaters = vm["compute-cheaters"].as<std::string>();
    o.compute_fraction = vm["compute-fraction"].as<double>();
    if (!(o.compute_fraction >= 0.0) || !(o.compute_fraction <= 1.0)) {
        return MakeError(std::string{"--compute-fraction must be between 0 and 1"});
    }
    o.compute_tier = vm["compute-tier"].as<std::string>();
    o.backend = vm["backend"].as<std::string>();
    o.prover_threads = vm["prover-threads"].as<unsigned>();
    return o;
}

// ---------------------------------------------------------------------------------------------
// Helpers

// Runs f(0..n-1) on a few threads (signing thousands of reports takes a while on one).
template <typename F>
void ParallelFor(size_t n, F f) {
    constexpr size_t kGrain = 64;
    const size_t threads = std::min<size_t>(std::max(1u, std::thread::hardware_concurrency()), 8);
    if (n <= kGrain || threads == 1) {
        for (size_t i = 0; i < n; ++i) f(i);
        return;
    }
    std::atomic<size_t> next{0};
    std::vector<std::thread> pool;
    for (size_t t = 0; t < threads; ++t) {
        pool.emplace_back([&] {
            for (size_t start; (start = next.fetch_add(kGrain)) < n;) {
                for (size_t i = start; i < std::min(n, start + kGrain); ++i) f(i);
            }
        });
    }
    for (std::thread& t : pool) t.join();
}

std::array<uint8_t, 32> AuxFor(const Hash256& msg) {
    // Deterministic BIP340 auxiliary randomness: the same report gets the same signature.
    return Sha256(msg.bytes).bytes;
}

uint64_t Get(const std::map<std::string, uint64_t>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? 0 : it->second;
}

uint64_t U64(const json& j, const char* field) {
    if (!j.is_object() || !j.contains(field) || !j[field].is_number_unsigned()) {
        throw RpcFailure{0, std::string{"reply lacks the unsigned field '"} + field + "'"};
    }
    return j[field].get<uint64_t>();
}

// ---------------------------------------------------------------------------------------------
// The simulation

struct DeviceTally {
    uint64_t beacons_sent{0}, beacons_accepted{0};
    uint64_t replays_sent{0}, replays_accepted{0};
    uint64_t witnesses_sent{0}, witnesses_accepted{0};
    std::map<std::string, uint64_t> refused;  // submitreport refusals by reason
    // Accepted witnesses by predicted verdict: of beacons with at most max_witnesses_per_proof
    // accepted witnesses (all of them reach the proof), and of beacons with more (the pool keeps
    // them, but the proof carries only the cap's worth, those that can earn first).
    std::map<std::string, uint64_t> expected_witnesses;
    std::map<std::string, uint64_t> capped_witnesses;
    std::optional<BeaconReport> last_beacon;  // for the replayer
    // Baseline getdevicestats (devices may have history from an earlier run on this node).
    std::map<std::string, uint64_t> base_beacons, base_witnesses;
    uint64_t base_beacon_units{0}, base_witness_units{0};
};

struct BucketRecord {
    uint64_t bucket{0};
    uint64_t entropy_height{0};
    uint64_t tip_after{0};
    uint64_t beacons_sent{0}, beacons_accepted{0};
    uint64_t witnesses_sent{0}, witnesses_accepted{0};
    uint64_t replays_sent{0};
    uint64_t capped_beacons{0};  // beacons with more accepted witnesses than a proof carries
    std::map<std::string, uint64_t> refused;
    bool late{false};
    double seconds{0};
};

class Simulation {
public:
    explicit Simulation(Options o) : m_opt{std::move(o)}, m_t0{Clock::now()} {}

    int Run();

private:
    void Log(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
    void CheckDeadline() const;
    json Rpc(const std::string& method, const json& params) { return m_rpc->Call(method, params); }
    uint64_t Height() { return Rpc("getblockcount", json::array()).get<uint64_t>(); }

    void Connect();
    void LoadChain();
    void Setup();
    void SendAndConfirm(const std::vector<Transaction>& txs, const std::string& what);
    void WaitForHeight(uint64_t height, const std::string& why);
    void Baseline();
    void Simulate();
    void StartRun(uint64_t first_epoch);
    void RunBucket(uint64_t entropy_height);
    json Accounting(const std::vector<uint64_t>& epochs, json& mismatches);
    Signature SignWith(const SecretKey& sk, const Hash256& msg) const {
        return sk.Sign(msg, AuxFor(msg));
    }
    json Summarize();
    void PrintText(const json& summary) const;

    Options m_opt;
    Clock::time_point m_t0;
    std::optional<NodeRpc> m_rpc;
    Network m_net{Network::kDevnet};
    consensus::ChainParams m_params;
    std::vector<SimDevice> m_fleet;
    std::vector<DeviceTally> m_tally;
    std::vector<BucketRecord> m_buckets;
    std::map<std::string, uint64_t> m_refusals;
    std::map<std::string, std::map<std::string, uint64_t>> m_refusals_by_kind;
    uint64_t m_start_height{0};
    std::optional<uint64_t> m_first_entropy, m_last_entropy, m_end_height;
    bool m_run_started{false};
    uint64_t m_first_epoch{0};
    std::unique_ptr<ComputeSim> m_compute;  // null without compute devices
    json m_accounting_start;                // getepochinfo before the run
    double m_setup_s{0}, m_run_s{0};
    uint64_t m_tip{0};
};

void Simulation::Log(const char* fmt, ...) {
    if (m_opt.quiet) return;
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    const double t = std::chrono::duration<double>(Clock::now() - m_t0).count();
    std::fprintf(stderr, "[%7.2fs h=%-5llu] %s\n", t, static_cast<unsigned long long>(m_tip), buf);
}

void Simulation::CheckDeadline() const {
    if (m_opt.timeout_s != 0 && Clock::now() - m_t0 > std::chrono::seconds(m_opt.timeout_s)) {
        throw std::runtime_error("gave up after --timeout=" + std::to_string(m_opt.timeout_s) +
                                 " s");
    }
}

void Simulation::Connect() {
    auto net = NetworkFromName(m_opt.network);
    if (!net) throw std::runtime_error("unknown network '" + m_opt.network + "'");
    rpc::ClientOptions co = rpc::DefaultClientOptions(*net, DataDirFor(m_opt.datadir, *net));
    co.host = m_opt.rpcconnect;
    if (m_opt.rpcport) co.port = static_cast<uint16_t>(*m_opt.rpcport);
    co.user = m_opt.rpcuser;
    co.password = m_opt.rpcpassword;
    if (m_opt.rpccookiefile) co.cookie_file = *m_opt.rpccookiefile;
    co.timeout_seconds = 60;
    m_rpc.emplace(co);
    const auto deadline = Clock::now() + std::chrono::seconds(m_opt.rpcwait_s);
    for (;;) {
        try {
            m_tip = Height();
            return;
        } catch (const RpcFailure& e) {
            if (e.Code() != 0 || Clock::now() >= deadline) throw;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
}

void Simulation::LoadChain() {
    const json info = Rpc("getblockchaininfo", json::array());
    auto net = NetworkFromName(info.value("network", std::string{}));
    if (!net) throw std::runtime_error("the node reports an unknown network");
    if (GetNetworkInfo(*net).name != m_opt.network) {
        throw std::runtime_error("the node runs network '" +
                                 std::string{GetNetworkInfo(*net).name} + "', not '" +
                                 m_opt.network + "' (see --network)");
    }
    m_net = *net;
    // The node's parameters are its network's defaults, with the genesis' fee and size limits.
    m_params = consensus::DefaultParams(m_net);
    m_params.network_id = static_cast<uint32_t>(U64(info, "network_id"));
    m_params.min_fee_per_byte = U64(info, "min_fee_per_byte");
    if (info.contains("params") && info["params"].is_object()) {
        m_params.max_memo_bytes = U64(info["params"], "max_memo_bytes");
        m_params.max_block_bytes = U64(info["params"], "max_block_bytes");
        m_params.max_block_txs = U64(info["params"], "max_block_txs");
    }
    const json ep = Rpc("getepochinfo", json::array());
    if (U64(ep, "epoch_length") != m_params.rewards.epoch_length ||
        U64(ep, "beacon_bucket") != m_params.poc.beacon_bucket) {
        throw std::runtime_error(
            "the node's epoch length / beacon bucket differ from the network's defaults this "
            "program was built with");
    }
    m_start_height = m_tip = U64(info, "blocks");
}

void Simulation::WaitForHeight(uint64_t height, const std::string& why) {
    auto last_change = Clock::now();
    uint64_t last = m_tip;
    while ((m_tip = Height()) < height) {
        CheckDeadline();
        if (m_tip != last) {
            last = m_tip;
            last_change = Clock::now();
        } else if (Clock::now() - last_change > kStallTimeout) {
            throw std::runtime_error("the node produced no block for 60 s while waiting for " +
                                     why);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(m_opt.poll_ms));
    }
}

void Simulation::SendAndConfirm(const std::vector<Transaction>& txs, const std::string& what) {
    if (txs.empty()) return;
    std::vector<std::pair<std::string, json>> calls;
    for (const Transaction& tx : txs) {
        calls.emplace_back("sendrawtransaction", json::array({HexStr(tx.ToBytes())}));
    }
    auto replies = m_rpc->Batch(calls);
    std::vector<std::string> txids;
    for (size_t i = 0; i < replies.size(); ++i) {
        if (!replies[i].ok) {
            throw std::runtime_error(what + ": the node refused transaction " +
                                     txs[i].TxId().Hex() + ": " + replies[i].message);
        }
        txids.push_back(replies[i].result.get<std::string>());
    }
    Log("%s: sent %zu transactions, waiting for confirmation", what.c_str(), txids.size());
    const auto deadline = Clock::now() + kSetupTimeout;
    for (;;) {
        CheckDeadline();
        calls.clear();
        for (const std::string& id : txids) calls.emplace_back("gettransaction", json::array({id}));
        auto status = m_rpc->Batch(calls);
        size_t confirmed = 0;
        for (size_t i = 0; i < status.size(); ++i) {
            if (!status[i].ok) {
                throw std::runtime_error(what + ": transaction " + txids[i] +
                                         " left the mempool unconfirmed: " + status[i].message);
            }
            if (status[i].result.value("confirmations", uint64_t{0}) >= 1) ++confirmed;
        }
        if (confirmed == txids.size()) break;
        if (Clock::now() > deadline) {
            throw std::runtime_error(what + ": " + std::to_string(txids.size() - confirmed) +
                                     " transactions unconfirmed after 120 s");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(m_opt.poll_ms * 2));
    }
    m_tip = Height();
    Log("%s: confirmed", what.c_str());
}

void Simulation::Setup() {
    const Amount onboarding = consensus::OnboardingFee(consensus::DeviceClass::kRadio, m_params);
    const Amount compute_onboarding =
        consensus::OnboardingFee(consensus::DeviceClass::kCompute, m_params);
    const Amount loc_fee = m_params.poc.assert_location_fee;
    const Amount fee_margin = kCoin / 10;  // far above the fees of two small transactions
    static const std::vector<ComputeDevice> kNoCompute;
    const std::vector<ComputeDevice>& cfleet = m_compute ? m_compute->Fleet() : kNoCompute;
    const size_t nr = m_fleet.size();

    std::vector<std::pair<std::string, json>> calls;
    // A compute device one failure short of deactivation may be deactivated by the bucket in
    // flight (a bucket challenged between two runs goes unanswered): wait for its settlement, so
    // that the device is reactivated below rather than found inactive later.
    if (!cfleet.empty()) {
        for (const ComputeDevice& d : cfleet)
            calls.emplace_back("getdevice", json::array({d.device.Hex()}));
        uint64_t settle_wait = 0;
        for (const RpcReply& r : m_rpc->Batch(calls)) {
            const json c = r.ok ? r.result["compute"] : json{};
            if (!c.is_object() || !c["bucket"].is_object() || !c.value("active", false)) continue;
            if (U64(c, "missed_in_row") + 1 >= m_params.compute.max_missed_buckets) {
                settle_wait =
                    std::max(settle_wait, U64(c["bucket"], "start") +
                                              consensus::compute::SettleOffset(m_params.compute));
            }
        }
        if (settle_wait > m_tip) {
            Log("waiting for height %llu: the compute bucket in flight may deactivate devices",
                static_cast<unsigned long long>(settle_wait));
            WaitForHeight(settle_wait, "the settlement of the compute bucket in flight");
        }
        calls.clear();
    }

    // What each device still needs: registration, a (new) location assertion; for compute
    // devices registration, reactivation after missed buckets, the tier of this run.
    for (const SimDevice& d : m_fleet)
        calls.emplace_back("getdevice", json::array({d.device.Hex()}));
    for (const ComputeDevice& d : cfleet)
        calls.emplace_back("getdevice", json::array({d.device.Hex()}));
    auto devices = m_rpc->Batch(calls);
    calls.clear();
    for (const SimDevice& d : m_fleet) {
        calls.emplace_back("getaccount", json::array({EncodeAddress(m_net, d.owner)}));
    }
    for (const ComputeDevice& d : cfleet) {
        calls.emplace_back("getaccount", json::array({EncodeAddress(m_net, d.owner)}));
    }
    auto accounts = m_rpc->Batch(calls);
    std::vector<bool> need_register(nr), need_assert(nr);
    std::vector<bool> c_register(cfleet.size()), c_reactivate(cfleet.size()),
        c_retier(cfleet.size());
    uint64_t assert_wait_height = 0;
    for (size_t i = 0; i < nr; ++i) {
        const SimDevice& d = m_fleet[i];
        if (!devices[i].ok) {
            if (devices[i].code != -5) {
                throw std::runtime_error("getdevice " + d.device.Hex() + ": " + devices[i].message);
            }
            need_register[i] = need_assert[i] = true;
            continue;
        }
        const json& rec = devices[i].result;
        if (rec.value("owner", std::string{}) != EncodeAddress(m_net, d.owner)) {
            throw std::runtime_error("device " + d.device.Hex() +
                                     " is registered to another owner (another --seed?)");
        }
        const json& loc = rec["location"];
        const bool same =
            loc.is_object() && loc.value("lat_e7", 0) == d.asserted.lat_e7 &&
            loc.value("lon_e7", 0) == d.asserted.lon_e7 &&
            loc.value("gain_ddbi", 0) == d.gain_ddbi &&
            loc.value("region", std::string{}) == m_params.poc.regions.at(d.region).name;
        if (!same) {
            need_assert[i] = true;
            if (loc.is_object()) {
                assert_wait_height =
                    std::max(assert_wait_height,
                             U64(loc, "asserted_height") + m_params.poc.assert_location_interval);
            }
        }
    }
    for (size_t i = 0; i < cfleet.size(); ++i) {
        const ComputeDevice& d = cfleet[i];
        const RpcReply& r = devices[nr + i];
        if (!r.ok) {
            if (r.code != -5) {
                throw std::runtime_error("getdevice " + d.device.Hex() + ": " + r.message);
            }
            c_register[i] = true;
            continue;
        }
        const json& rec = r.result;
        if (rec.value("owner", std::string{}) != EncodeAddress(m_net, d.owner)) {
            throw std::runtime_error("compute device " + d.device.Hex() +
                                     " is registered to another owner (another --seed?)");
        }
        const json& c = rec["compute"];
        if (rec.value("class", std::string{}) != "compute" || !c.is_object()) {
            throw std::runtime_error("device " + d.device.Hex() + " is not a compute device");
        }
        c_reactivate[i] = !c.value("active", true);
        const std::string& want = m_compute->TierParams().name;
        const std::string tier = c["next_tier"].is_string() ? c["next_tier"].get<std::string>()
                                                            : c.value("tier", std::string{});
        c_retier[i] = tier != want;
    }

    // Fund the owners that lack coins, from the faucet.
    std::optional<SecretKey> funder;
    if (m_opt.fund_secret) {
        auto bytes = ParseHex(*m_opt.fund_secret);
        if (bytes) funder = SecretKey::FromBytes(*bytes);
        if (!funder) throw std::runtime_error("--fundkey is not a valid hex secret key");
    } else if (m_net == Network::kDevnet) {
        funder = DevnetFaucetKey();
    }
    std::vector<std::pair<PubKey, Amount>> to_fund;
    for (size_t i = 0; i < nr + cfleet.size(); ++i) {
        if (!accounts[i].ok) throw std::runtime_error("getaccount: " + accounts[i].message);
        Amount need = 0;
        bool sends = false;  // the owner sends a transaction (and pays its fee)
        if (i < nr) {
            need = (need_register[i] ? onboarding : 0) + (need_assert[i] ? loc_fee : 0);
            sends = need > 0;
        } else {
            const size_t c = i - nr;
            need = c_register[c] ? compute_onboarding : 0;
            sends = c_register[c] || c_reactivate[c] || c_retier[c];
        }
        if (!sends) continue;
        const Amount have = U64(accounts[i].result, "balance_units");
        const PubKey owner = i < nr ? m_fleet[i].owner : cfleet[i - nr].owner;
        if (have < need + fee_margin) to_fund.emplace_back(owner, need + fee_margin - have);
    }
    if (!to_fund.empty()) {
        if (!funder) throw std::runtime_error("owners need coins: give --fundkey (not on devnet)");
        const PubKey from = funder->GetPubKey();
        for (size_t start = 0; start < to_fund.size(); start += kTxChunk) {
            const json acct = Rpc("getaccount", json::array({EncodeAddress(m_net, from)}));
            uint64_t nonce = U64(acct, "next_nonce");
            std::vector<Transaction> txs;
            for (size_t i = start; i < std::min(to_fund.size(), start + kTxChunk); ++i) {
                auto tx = wallet::BuildTransaction(
                    *funder, m_params, consensus::TransferTx::kId,
                    consensus::TransferPayload{to_fund[i].first, to_fund[i].second,
                                               Bytes{'d', 'e', 'v', 's', 'i', 'm'}}
                        .Encode(),
                    nonce++, std::nullopt);
                if (!tx) throw std::runtime_error("cannot build a transfer: " + tx.error());
                txs.push_back(*tx);
            }
            SendAndConfirm(txs, "fund " + std::to_string(txs.size()) + " owners");
        }
    }

    // Register and locate, each owner chaining its two transactions; register, reactivate or
    // re-tier the compute devices.
    if (assert_wait_height > 0) WaitForHeight(assert_wait_height, "the next location assertion");
    calls.clear();
    for (const SimDevice& d : m_fleet) {
        calls.emplace_back("getaccount", json::array({EncodeAddress(m_net, d.owner)}));
    }
    for (const ComputeDevice& d : cfleet) {
        calls.emplace_back("getaccount", json::array({EncodeAddress(m_net, d.owner)}));
    }
    accounts = m_rpc->Batch(calls);
    std::vector<Transaction> txs;
    for (size_t i = 0; i < nr; ++i) {
        const SimDevice& d = m_fleet[i];
        if (!need_register[i] && !need_assert[i]) continue;
        if (!accounts[i].ok) throw std::runtime_error("getaccount: " + accounts[i].message);
        uint64_t nonce = U64(accounts[i].result, "next_nonce");
        if (need_register[i]) {
            consensus::RegisterDevicePayload p;
            p.device_class = consensus::DeviceClass::kRadio;
            p.device = d.device;
            p.device_signature = SignWith(
                d.device_key, consensus::DeviceRegistrationHash(m_params.network_id, d.owner,
                                                                d.device, p.device_class, {}));
            auto tx =
                wallet::BuildTransaction(d.owner_key, m_params, consensus::RegisterDeviceTx::kId,
                                         p.Encode(), nonce++, std::nullopt);
            if (!tx) throw std::runtime_error("cannot build register_device: " + tx.error());
            txs.push_back(*tx);
        }
        consensus::AssertLocationPayload a;
        a.device = d.device;
        a.position = d.asserted;
        a.gain_ddbi = d.gain_ddbi;
        a.region = d.region;
        auto tx = wallet::BuildTransaction(d.owner_key, m_params, consensus::AssertLocationTx::kId,
                                           a.Encode(), nonce++, std::nullopt);
        if (!tx) throw std::runtime_error("cannot build assert_location: " + tx.error());
        txs.push_back(*tx);
    }
    size_t c_new = 0, c_react = 0, c_tier = 0;
    for (size_t i = 0; i < cfleet.size(); ++i) {
        const ComputeDevice& d = cfleet[i];
        if (!c_register[i] && !c_reactivate[i] && !c_retier[i]) continue;
        if (!accounts[nr + i].ok) {
            throw std::runtime_error("getaccount: " + accounts[nr + i].message);
        }
        uint64_t nonce = U64(accounts[nr + i].result, "next_nonce");
        const uint8_t tier = m_compute->Tier();
        if (c_register[i]) {
            // Class data: the tier byte, covered by the device's consent signature.
            const uint8_t class_data[1] = {tier};
            auto tx = wallet::BuildRegisterDevice(d.owner_key, d.device_key, m_params,
                                                  consensus::DeviceClass::kCompute, class_data,
                                                  nonce++, std::nullopt);
            if (!tx) throw std::runtime_error("cannot build register_device: " + tx.error());
            txs.push_back(*tx);
            ++c_new;
            continue;
        }
        if (c_reactivate[i]) {
            auto tx = wallet::BuildReactivateCompute(d.owner_key, m_params, d.device, nonce++,
                                                     std::nullopt);
            if (!tx) throw std::runtime_error("cannot build reactivate_compute: " + tx.error());
            txs.push_back(*tx);
            ++c_react;
        }
        if (c_retier[i]) {
            auto tx = wallet::BuildSetComputeTier(d.owner_key, m_params, d.device, tier, nonce++,
                                                  std::nullopt);
            if (!tx) throw std::runtime_error("cannot build set_compute_tier: " + tx.error());
            txs.push_back(*tx);
            ++c_tier;
        }
    }
    if (!cfleet.empty()) {
        Log("compute devices: %zu to register, %zu to reactivate, %zu to move to tier %s", c_new,
            c_react, c_tier, m_compute->TierParams().name.c_str());
    }
    SendAndConfirm(txs, "register and locate");
    if (c_new + c_react + c_tier > 0) m_compute->NotBefore(m_tip);

    // Check the registry holds what was sent.
    calls.clear();
    for (const SimDevice& d : m_fleet)
        calls.emplace_back("getdevice", json::array({d.device.Hex()}));
    for (const ComputeDevice& d : cfleet)
        calls.emplace_back("getdevice", json::array({d.device.Hex()}));
    devices = m_rpc->Batch(calls);
    for (size_t i = 0; i < nr; ++i) {
        const json loc = devices[i].ok ? devices[i].result["location"] : json{};
        if (!loc.is_object() || loc.value("lat_e7", 0) != m_fleet[i].asserted.lat_e7 ||
            loc.value("lon_e7", 0) != m_fleet[i].asserted.lon_e7) {
            throw std::runtime_error("device " + m_fleet[i].device.Hex() +
                                     " is not registered at its location after setup");
        }
    }
    for (size_t i = 0; i < cfleet.size(); ++i) {
        const json c = devices[nr + i].ok ? devices[nr + i].result["compute"] : json{};
        if (!c.is_object() || !c.value("active", false)) {
            throw std::runtime_error("compute device " + cfleet[i].device.Hex() +
                                     " is not an active compute device after setup");
        }
    }
}

void Simulation::Baseline() {
    std::vector<std::pair<std::string, json>> calls;
    for (const SimDevice& d : m_fleet) {
        calls.emplace_back("getdevicestats", json::array({d.device.Hex()}));
    }
    auto stats = m_rpc->Batch(calls);
    for (size_t i = 0; i < m_fleet.size(); ++i) {
        if (!stats[i].ok) throw std::runtime_error("getdevicestats: " + stats[i].message);
        DeviceTally& t = m_tally[i];
        t.base_beacons = CountsFrom(stats[i].result["beacons"]);
        t.base_witnesses = CountsFrom(stats[i].result["witnesses"]);
        t.base_beacon_units = U64(stats[i].result, "lifetime_beacon_units");
        t.base_witness_units = U64(stats[i].result, "lifetime_witness_units");
    }
    if (m_compute) m_compute->Baseline();
    m_accounting_start = Rpc("getepochinfo", json::array());
}

void Simulation::RunBucket(uint64_t e) {
    const auto t0 = Clock::now();
    const uint64_t wait = std::max<uint64_t>(1, m_params.poc.entropy_window / 2);
    BucketRecord rec;
    rec.bucket = consensus::BeaconBucket(m_params, e);
    rec.entropy_height = e;
    auto hash = Hash256::FromHex(Rpc("getblockhash", json::array({e})).get<std::string>());
    if (!hash) throw std::runtime_error("getblockhash returned no hash");

    // Beacons: every device, plus each replayer's previous beacon.
    struct Sent {
        size_t device;
        BeaconReport report;
        bool replay;
    };
    std::vector<Sent> sent;
    for (const SimDevice& d : m_fleet) {
        const consensus::RadioRegion& region = m_params.poc.regions.at(d.region);
        const auto c = consensus::poc::DeriveBeacon(*hash, d.device, region);
        BeaconReport b;
        b.beaconer = d.device;
        b.entropy_height = e;
        b.payload = c.payload;
        b.frequency_hz = c.frequency_hz;
        b.channel = c.channel;
        b.datarate = 0;  // DR0: SF12, 125 kHz
        b.tx_power_ddbm = d.tx_power_ddbm;
        b.signature = SignWith(d.device_key, b.SigHash(m_params.network_id));
        sent.push_back({d.index, b, false});
        if (d.kind == Kind::kReplay && m_tally[d.index].last_beacon) {
            sent.push_back({d.index, *m_tally[d.index].last_beacon, true});
        }
    }
    std::vector<std::pair<std::string, json>> calls;
    for (const Sent& s : sent) {
        calls.emplace_back("submitreport", json::array({HexStr(EncodeReport(s.report))}));
    }
    auto replies = m_rpc->Batch(calls);
    // Beacon refusals are logged one by one, witness refusals (possibly thousands) with -v.
    auto refuse = [&](size_t device, const std::string& message, const char* what, bool log) {
        const std::string code = ReasonCode(message);
        ++m_tally[device].refused[code];
        ++m_refusals[code];
        ++m_refusals_by_kind[std::string{KindName(m_fleet[device].kind)}][code];
        ++rec.refused[code];
        if (log || m_opt.verbose) {
            Log("  %s of device %zu (%s) refused: %s", what, device,
                std::string{KindName(m_fleet[device].kind)}.c_str(), message.c_str());
        }
    };
    std::vector<const Sent*> accepted;
    for (size_t i = 0; i < sent.size(); ++i) {
        const Sent& s = sent[i];
        DeviceTally& t = m_tally[s.device];
        if (s.replay) {
            ++t.replays_sent;
            ++rec.replays_sent;
        } else {
            ++t.beacons_sent;
            ++rec.beacons_sent;
        }
        if (!replies[i].ok) {
            refuse(s.device, replies[i].message, s.replay ? "replayed beacon" : "beacon", true);
            continue;
        }
        if (s.replay) {
            ++t.replays_accepted;
            Log("  replayed beacon of device %zu was ACCEPTED (expected a refusal)", s.device);
            continue;
        }
        ++t.beacons_accepted;
        ++rec.beacons_accepted;
        if (m_opt.verbose) {
            Log("  beacon   device %2zu %-6s ch %u %u Hz %d ddBm: accepted %s", s.device,
                std::string{KindName(m_fleet[s.device].kind)}.c_str(), s.report.channel,
                s.report.frequency_hz, s.report.tx_power_ddbm,
                s.report.Id().Hex().substr(0, 12).c_str());
        }
        accepted.push_back(&s);
    }
    for (const Sent& s : sent) {
        if (!s.replay) m_tally[s.device].last_beacon = s.report;
    }

    // Witnesses: whoever hears each accepted beacon (and cheaters as they please).
    struct Witnessed {
        size_t witness;
        size_t beaconer;
        WitnessReport report;
        WitnessVerdict predicted;
    };
    std::vector<Witnessed> witnesses;
    for (const Sent* s : accepted) {
        const SimDevice& b = m_fleet[s->device];
        const Hash256 id = s->report.Id();
        for (const SimDevice& w : m_fleet) {
            auto r = WitnessFor(m_opt.radio, m_opt.seed, b, w, s->report, rec.bucket);
            if (!r) continue;
            WitnessReport wr;
            wr.witness = w.device;
            wr.beacon_id = id;
            wr.rssi_ddbm = r->rssi_ddbm;
            wr.snr_ddb = r->snr_ddb;
            wr.frequency_hz = r->frequency_hz;
            witnesses.push_back(
                {w.index, b.index, wr, PredictWitness(m_params, s->report, b, wr, w)});
        }
    }
    ParallelFor(witnesses.size(), [&](size_t i) {
        WitnessReport& wr = witnesses[i].report;
        wr.signature =
            SignWith(m_fleet[witnesses[i].witness].device_key, wr.SigHash(m_params.network_id));
    });
    const auto t_signed = Clock::now();
    calls.clear();
    for (const Witnessed& w : witnesses) {
        calls.emplace_back("submitreport", json::array({HexStr(EncodeReport(w.report))}));
    }
    replies = m_rpc->Batch(calls, kRpcConnections);
    if (m_opt.verbose) {
        Log("  %zu witness reports signed %.0f ms into the bucket, submitted in %.0f ms",
            witnesses.size(), std::chrono::duration<double, std::milli>(t_signed - t0).count(),
            std::chrono::duration<double, std::milli>(Clock::now() - t_signed).count());
    }
    std::map<size_t, uint64_t> per_beacon;  // accepted witnesses by beaconer
    for (size_t i = 0; i < witnesses.size(); ++i) {
        if (replies[i].ok) ++per_beacon[witnesses[i].beaconer];
    }
    for (const auto& [beaconer, n] : per_beacon) {
        if (n > m_params.poc.max_witnesses_per_proof) ++rec.capped_beacons;
    }
    for (size_t i = 0; i < witnesses.size(); ++i) {
        const Witnessed& w = witnesses[i];
        DeviceTally& t = m_tally[w.witness];
        ++t.witnesses_sent;
        ++rec.witnesses_sent;
        if (!replies[i].ok) {
            refuse(w.witness, replies[i].message, "witness", false);
            continue;
        }
        ++t.witnesses_accepted;
        ++rec.witnesses_accepted;
        const std::string predicted = w.predicted == WitnessVerdict::kValid
                                          ? std::string{kPasses}
                                          : std::string{consensus::WitnessVerdictCode(w.predicted)};
        if (per_beacon[w.beaconer] > m_params.poc.max_witnesses_per_proof) {
            ++t.capped_witnesses[predicted];
        } else {
            ++t.expected_witnesses[predicted];
        }
        if (m_opt.verbose) {
            Log("  witness  device %2zu %-6s of device %2zu: rssi %6.1f dBm snr %5.1f dB: "
                "accepted (predicted %s)",
                w.witness, std::string{KindName(m_fleet[w.witness].kind)}.c_str(), w.beaconer,
                w.report.rssi_ddbm / 10.0, w.report.snr_ddb / 10.0, predicted.c_str());
        }
    }
    rec.tip_after = m_tip = Height();
    // The proof is built at e + wait: everything must be pooled before that block exists.
    rec.late = rec.tip_after >= e + wait;
    rec.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    std::string refused;
    for (const auto& [code, n] : rec.refused) refused += " " + code + "=" + std::to_string(n);
    Log("bucket %llu (entropy %llu): beacons %llu/%llu, witnesses %llu/%llu, replays %llu, "
        "refused:%s in %.0f ms%s",
        static_cast<unsigned long long>(rec.bucket), static_cast<unsigned long long>(e),
        static_cast<unsigned long long>(rec.beacons_accepted),
        static_cast<unsigned long long>(rec.beacons_sent),
        static_cast<unsigned long long>(rec.witnesses_accepted),
        static_cast<unsigned long long>(rec.witnesses_sent),
        static_cast<unsigned long long>(rec.replays_sent),
        refused.empty() ? " none" : refused.c_str(), rec.seconds * 1000.0,
        rec.late ? " LATE: the proof block came first" : "");
    m_buckets.push_back(std::move(rec));
}

void Simulation::StartRun(uint64_t first_epoch) {
    if (m_run_started) return;
    m_run_started = true;
    m_first_epoch = first_epoch;
    if (m_opt.epochs) {
        m_end_height = (m_first_epoch + *m_opt.epochs) * m_params.rewards.epoch_length;
        Log("running until the end of epoch %llu at height %llu",
            static_cast<unsigned long long>(m_first_epoch + *m_opt.epochs - 1),
            static_cast<unsigned long long>(*m_end_height));
    }
}

void Simulation::Simulate() {
    const uint64_t bucket_len = m_params.poc.beacon_bucket;
    const uint64_t window = m_params.poc.entropy_window;
    const uint64_t wait = std::max<uint64_t>(1, window / 2);
    const uint64_t compute_len = m_params.compute.bucket_length;
    const uint64_t settle_offset = consensus::compute::SettleOffset(m_params.compute);
    std::optional<uint64_t> last_bucket;
    uint64_t run = 0, compute_run = 0;
    bool radio_done = m_fleet.empty();
    bool compute_joining = m_compute != nullptr;
    auto last_change = Clock::now();
    uint64_t last_tip = m_tip;
    for (;;) {
        CheckDeadline();
        m_tip = Height();
        if (m_tip != last_tip) {
            last_tip = m_tip;
            last_change = Clock::now();
        } else if (Clock::now() - last_change > kStallTimeout) {
            throw std::runtime_error("the node produced no block for 60 s");
        }
        bool worked = false;
        if (!radio_done) {
            const uint64_t bucket = consensus::BeaconBucket(m_params, m_tip);
            // A bucket is started only early enough that the previous bucket's entropy has
            // expired by the next one (so replays are always stale) and the proof block is
            // blocks away.
            const bool fresh = (!last_bucket || bucket > *last_bucket) &&
                               m_tip % bucket_len + window <= bucket_len;
            if (fresh) {
                StartRun(consensus::rewards::EpochOf(m_params, m_tip + wait));
                if (m_opt.epochs && m_tip + window > *m_end_height) {
                    radio_done = true;
                } else {
                    if (!m_first_entropy) m_first_entropy = m_tip;
                    m_last_entropy = m_tip;
                    RunBucket(m_tip);
                    last_bucket = bucket;
                    worked = true;
                    if (m_opt.buckets && ++run >= *m_opt.buckets) radio_done = true;
                }
            }
        }
        if (m_compute) {
            if (compute_joining) {
                if (auto h0 = m_compute->Joinable(m_tip)) {
                    if (m_end_height && *h0 + settle_offset > *m_end_height) {
                        m_compute->Skip(*h0);
                        compute_joining = false;
                    } else if (m_compute->Join(*h0, m_tip)) {
                        // A compute bucket's units count in the epoch of its settlement.
                        StartRun(consensus::rewards::EpochOf(m_params, *h0 + settle_offset));
                        worked = true;
                        if (m_opt.buckets && ++compute_run >= *m_opt.buckets) {
                            compute_joining = false;
                        }
                    }
                } else if (m_end_height && (m_tip / compute_len + 1) * compute_len + settle_offset >
                                               *m_end_height) {
                    compute_joining = false;  // no later bucket settles before the end
                }
            }
            m_compute->Advance(m_tip);
        }
        if (radio_done && (!m_compute || (!compute_joining && !m_compute->Busy()))) break;
        if (!worked) std::this_thread::sleep_for(std::chrono::milliseconds(m_opt.poll_ms));
    }
    uint64_t final_height = m_last_entropy ? *m_last_entropy + window : m_tip;
    if (m_end_height) final_height = std::max(final_height, *m_end_height);
    Log("last bucket started; waiting for height %llu (its proofs%s)",
        static_cast<unsigned long long>(final_height), m_end_height ? " and the epoch end" : "");
    WaitForHeight(final_height, "the last proofs");
}

json Simulation::Accounting(const std::vector<uint64_t>& epochs, json& mismatches) {
    // getepochinfo reads the supply and the accounting totals of one block.
    const json now = Rpc("getepochinfo", json::array());
    auto genesis = [](const json& e) {
        return static_cast<int64_t>(U64(e, "supply_units")) -
               static_cast<int64_t>(U64(e, "minted_total_units")) +
               static_cast<int64_t>(U64(e, "burned_total_units"));
    };
    const int64_t g0 = genesis(m_accounting_start), g1 = genesis(now);
    bool ok = g0 == g1;
    if (!ok) {
        mismatches.push_back("supply - minted + burned was " + std::to_string(g0) +
                             " before the run and is " + std::to_string(g1) + " after it");
    }
    json list = json::array();
    for (uint64_t e : epochs) {
        const json info = Rpc("getepochinfo", json::array({e}));
        const bool mint_ok =
            U64(info, "minted_units") + U64(info, "unminted_units") == U64(info, "emission_units");
        if (!mint_ok) {
            mismatches.push_back("epoch " + std::to_string(e) + ": minted + unminted != emission");
        }
        ok = ok && mint_ok;
        list.push_back({{"epoch", e},
                        {"emission_units", U64(info, "emission_units")},
                        {"minted_units", U64(info, "minted_units")},
                        {"unminted_units", U64(info, "unminted_units")},
                        {"consistent", mint_ok}});
    }
    return {{"genesis_supply_units", g1},
            {"genesis_supply_units_before", g0},
            {"supply_units", U64(now, "supply_units")},
            {"minted_total_units", U64(now, "minted_total_units")},
            {"burned_total_units", U64(now, "burned_total_units")},
            {"height", U64(now, "height")},
            {"epochs", list},
            {"consistent", ok}};
}

json Simulation::Summarize() {
    const uint64_t epoch_len = m_params.rewards.epoch_length;
    m_tip = Height();
    std::vector<std::pair<std::string, json>> calls;
    for (const SimDevice& d : m_fleet) {
        calls.emplace_back("getdevicestats", json::array({d.device.Hex()}));
    }
    auto stats = m_rpc->Batch(calls);

    // Finished epochs from the first with our proofs.
    std::vector<uint64_t> epochs;
    if (m_run_started) {
        for (uint64_t e = m_first_epoch; (e + 1) * epoch_len <= m_tip; ++e) epochs.push_back(e);
    }
    calls.clear();
    for (uint64_t e : epochs) calls.emplace_back("getepochinfo", json::array({e}));
    auto epoch_infos = m_rpc->Batch(calls);
    calls.clear();
    for (uint64_t e : epochs) {
        for (const SimDevice& d : m_fleet) {
            calls.emplace_back("getepochrewards", json{{"epoch", e}, {"device", d.device.Hex()}});
        }
    }
    auto payouts = m_rpc->Batch(calls);

    json devices = json::array();
    json mismatches = json::array();
    std::map<std::string, uint64_t> kinds;
    Amount total_earned = 0;
    const char* const kPassing[] = {"valid", "witness-not-selected", "witness-no-reciprocity"};
    for (size_t i = 0; i < m_fleet.size(); ++i) {
        const SimDevice& d = m_fleet[i];
        const DeviceTally& t = m_tally[i];
        ++kinds[std::string{KindName(d.kind)}];
        if (!stats[i].ok) throw std::runtime_error("getdevicestats: " + stats[i].message);
        const json& s = stats[i].result;
        const auto beacons = Minus(CountsFrom(s["beacons"]), t.base_beacons);
        const auto witnesses = Minus(CountsFrom(s["witnesses"]), t.base_witnesses);

        // The chain against the physical rules: every accepted beacon valid, every witness
        // failing exactly the rule predicted (or passing them all).
        std::vector<std::string> problems;
        for (const auto& [code, n] : beacons) {
            if (code != "valid") problems.push_back(std::to_string(n) + " beacons " + code);
        }
        if (Get(beacons, "valid") != t.beacons_accepted) {
            problems.push_back("beacons valid " + std::to_string(Get(beacons, "valid")) +
                               ", accepted " + std::to_string(t.beacons_accepted));
        }
        uint64_t passing = 0;
        for (const char* c : kPassing) passing += Get(witnesses, c);
        const uint64_t want_pass = Get(t.expected_witnesses, kPasses);
        const uint64_t capped_pass = Get(t.capped_witnesses, kPasses);
        if (passing < want_pass || passing > want_pass + capped_pass) {
            problems.push_back(
                "witnesses passing the physical rules " + std::to_string(passing) + ", predicted " +
                std::to_string(want_pass) +
                (capped_pass ? " (+ up to " + std::to_string(capped_pass) + " of capped beacons)"
                             : std::string{}));
        }
        std::map<std::string, uint64_t> failing = witnesses;
        for (const char* c : kPassing) failing.erase(c);
        std::map<std::string, uint64_t> predicted_failing = t.expected_witnesses;
        predicted_failing.erase(kPasses);
        std::map<std::string, uint64_t> capped_failing = t.capped_witnesses;
        capped_failing.erase(kPasses);
        // Witnesses of capped beacons may or may not have reached their proof.
        bool failing_ok = true;
        for (const auto& [code, n] : failing) {
            failing_ok = failing_ok && Get(predicted_failing, code) <= n &&
                         n <= Get(predicted_failing, code) + Get(capped_failing, code);
        }
        for (const auto& [code, n] : predicted_failing)
            failing_ok = failing_ok && Get(failing, code) >= n;
        if (!failing_ok) {
            problems.push_back(
                "witness verdicts " + CountsJson(failing).dump() + ", predicted " +
                CountsJson(predicted_failing).dump() +
                (capped_failing.empty()
                     ? std::string{}
                     : " (+ up to " + CountsJson(capped_failing).dump() + " of capped beacons)"));
        }
        for (const std::string& p : problems) {
            mismatches.push_back("device " + std::to_string(i) + " (" +
                                 std::string{KindName(d.kind)} + "): " + p);
        }

        json per_epoch = json::array();
        Amount earned = 0;
        for (size_t k = 0; k < epochs.size(); ++k) {
            const RpcReply& r = payouts[k * m_fleet.size() + i];
            if (!r.ok) throw std::runtime_error("getepochrewards: " + r.message);
            json entry = {{"epoch", epochs[k]},        {"beacon_units", 0},
                          {"witness_units", 0},        {"beacon_amount_units", 0},
                          {"witness_amount_units", 0}, {"amount_units", 0}};
            const json& rewards = r.result["rewards"];
            if (rewards.is_array() && !rewards.empty()) {
                const json& p = rewards[0];
                entry["beacon_units"] = U64(p, "beacon_units");
                entry["witness_units"] = U64(p, "witness_units");
                entry["beacon_amount_units"] = U64(p, "beacon_amount_units");
                entry["witness_amount_units"] = U64(p, "witness_amount_units");
                entry["amount_units"] = U64(p, "amount_units");
                earned += U64(p, "amount_units");
            }
            per_epoch.push_back(entry);
        }
        total_earned += earned;
        json refused = CountsJson(t.refused);
        devices.push_back(
            {{"index", i},
             {"kind", KindName(d.kind)},
             {"device", d.device.Hex()},
             {"owner", EncodeAddress(m_net, d.owner)},
             {"physical", {{"lat_e7", d.physical.lat_e7}, {"lon_e7", d.physical.lon_e7}}},
             {"asserted", {{"lat_e7", d.asserted.lat_e7}, {"lon_e7", d.asserted.lon_e7}}},
             {"gain_ddbi", d.gain_ddbi},
             {"tx_power_ddbm", d.tx_power_ddbm},
             {"beacons", {{"sent", t.beacons_sent}, {"accepted", t.beacons_accepted}}},
             {"replays", {{"sent", t.replays_sent}, {"accepted", t.replays_accepted}}},
             {"witnesses", {{"sent", t.witnesses_sent}, {"accepted", t.witnesses_accepted}}},
             {"refused", refused},
             {"expected_witness_verdicts", CountsJson(t.expected_witnesses)},
             {"capped_witness_verdicts", CountsJson(t.capped_witnesses)},
             {"verdicts", {{"beacons", CountsJson(beacons)}, {"witnesses", CountsJson(witnesses)}}},
             {"units",
              {{"beacon", U64(s, "lifetime_beacon_units") - t.base_beacon_units},
               {"witness", U64(s, "lifetime_witness_units") - t.base_witness_units}}},
             {"epochs", per_epoch},
             {"earned_units", earned},
             {"earned", FormatAmount(earned)},
             {"consistent", problems.empty()}});
    }

    json epoch_list = json::array();
    for (size_t k = 0; k < epochs.size(); ++k) {
        if (!epoch_infos[k].ok) throw std::runtime_error("getepochinfo: " + epoch_infos[k].message);
        epoch_list.push_back(epoch_infos[k].result);
    }
    json buckets = json::array();
    uint64_t late = 0, capped = 0;
    for (const BucketRecord& b : m_buckets) {
        late += b.late ? 1 : 0;
        capped += b.capped_beacons;
        buckets.push_back(
            {{"bucket", b.bucket},
             {"entropy_height", b.entropy_height},
             {"tip_after", b.tip_after},
             {"beacons", {{"sent", b.beacons_sent}, {"accepted", b.beacons_accepted}}},
             {"witnesses", {{"sent", b.witnesses_sent}, {"accepted", b.witnesses_accepted}}},
             {"replays_sent", b.replays_sent},
             {"capped_beacons", b.capped_beacons},
             {"refused", CountsJson(b.refused)},
             {"late", b.late},
             {"ms", std::llround(b.seconds * 1000.0)}});
    }
    json by_kind = json::object();
    for (const auto& [k, m] : m_refusals_by_kind) by_kind[k] = CountsJson(m);
    const json compute = m_compute ? m_compute->Summarize(epochs, mismatches) : json(nullptr);
    const json accounting = Accounting(epochs, mismatches);
    const double total_s = std::chrono::duration<double>(Clock::now() - m_t0).count();
    return {{"network", GetNetworkInfo(m_net).name},
            {"seed", m_opt.seed},
            {"device_count", m_fleet.size()},
            {"kinds", CountsJson(kinds)},
            {"start_height", m_start_height},
            {"end_height", m_tip},
            {"first_entropy_height", m_first_entropy ? json(*m_first_entropy) : json(nullptr)},
            {"last_entropy_height", m_last_entropy ? json(*m_last_entropy) : json(nullptr)},
            {"buckets", buckets},
            {"late_buckets", late},
            {"capped_beacons", capped},
            {"epochs", epoch_list},
            {"devices", devices},
            {"refusals", CountsJson(m_refusals)},
            {"refusals_by_kind", by_kind},
            {"earned_units", total_earned},
            {"earned", FormatAmount(total_earned)},
            {"compute", compute},
            {"accounting", accounting},
            {"consistent", mismatches.empty()},
            {"mismatches", mismatches},
            {"rpc_requests", m_rpc->Requests()},
            {"timing",
             {{"setup_s", std::round(m_setup_s * 100) / 100},
              {"run_s", std::round(m_run_s * 100) / 100},
              {"total_s", std::round(total_s * 100) / 100}}}};
}

void Simulation::PrintText(const json& s) const {
    std::printf("cairn-devsim summary: %s, seed %llu, %zu radio devices",
                s["network"].get<std::string>().c_str(),
                static_cast<unsigned long long>(m_opt.seed), m_fleet.size());
    std::string kinds;
    for (const auto& [k, n] : s["kinds"].items()) {
        kinds += (kinds.empty() ? " (" : ", ") + std::to_string(n.get<uint64_t>()) + " " + k;
    }
    if (!kinds.empty()) kinds += ")";
    std::printf("%s, heights %llu..%llu, %zu beacon buckets", kinds.c_str(),
                static_cast<unsigned long long>(m_start_height),
                static_cast<unsigned long long>(s["end_height"].get<uint64_t>()), m_buckets.size());
    if (!s["epochs"].empty()) {
        std::printf(", epochs %llu..%llu",
                    static_cast<unsigned long long>(s["epochs"].front()["epoch"].get<uint64_t>()),
                    static_cast<unsigned long long>(s["epochs"].back()["epoch"].get<uint64_t>()));
    }
    if (s["compute"].is_object()) {
        std::printf(", %zu compute devices", s["compute"]["devices"].size());
    }
    std::printf("\n");
    if (!m_fleet.empty()) {
        std::printf("\n %3s  %-6s  %-12s  %-9s  %-9s  %-46s  %s\n", "#", "kind", "device",
                    "beacons", "witnesses", "witness verdicts on chain", "earned CAIRN");
    }
    for (const json& d : s["devices"]) {
        std::string verdicts;
        for (const auto& [code, n] : d["verdicts"]["witnesses"].items()) {
            std::string c = code;
            if (c.rfind("witness-", 0) == 0) c = c.substr(8);
            verdicts += (verdicts.empty() ? "" : " ") + c + "=" + std::to_string(n.get<uint64_t>());
        }
        if (verdicts.empty()) verdicts = "-";
        const std::string beacons = std::to_string(d["verdicts"]["beacons"].value("valid", 0)) +
                                    "/" + std::to_string(d["beacons"]["sent"].get<uint64_t>());
        const std::string witnesses = std::to_string(d["witnesses"]["accepted"].get<uint64_t>()) +
                                      "/" + std::to_string(d["witnesses"]["sent"].get<uint64_t>());
        std::string refused;
        for (const auto& [code, n] : d["refused"].items()) {
            refused += " " + code + "=" + std::to_string(n.get<uint64_t>());
        }
        std::printf(" %3llu  %-6s  %-12s  %-9s  %-9s  %-46s  %s%s%s\n",
                    static_cast<unsigned long long>(d["index"].get<uint64_t>()),
                    d["kind"].get<std::string>().c_str(),
                    d["device"].get<std::string>().substr(0, 12).c_str(), beacons.c_str(),
                    witnesses.c_str(), verdicts.c_str(), d["earned"].get<std::string>().c_str(),
                    refused.empty() ? "" : "  refused:", refused.c_str());
    }
    if (!m_fleet.empty()) std::printf("\n");
    for (const json& e : s["epochs"]) {
        if (m_fleet.empty()) break;
        std::printf(
            "epoch %llu: emission %s, beacons pool %s (paid %s), witnesses pool %s (paid "
            "%s), devices paid %llu\n",
            static_cast<unsigned long long>(e["epoch"].get<uint64_t>()),
            e["emission"].get<std::string>().c_str(), e["beacons_pool"].get<std::string>().c_str(),
            e["beacons_paid"].get<std::string>().c_str(),
            e["witnesses_pool"].get<std::string>().c_str(),
            e["witnesses_paid"].get<std::string>().c_str(),
            static_cast<unsigned long long>(e["devices_paid"].get<uint64_t>()));
    }
    std::string refusals;
    for (const auto& [code, n] : s["refusals"].items()) {
        refusals += " " + code + "=" + std::to_string(n.get<uint64_t>());
    }
    if (!m_fleet.empty()) {
        std::printf("refused at submission:%s\n", refusals.empty() ? " none" : refusals.c_str());
        std::printf("earned by the fleet: %s CAIRN\n", s["earned"].get<std::string>().c_str());
    }
    if (s["capped_beacons"].get<uint64_t>() > 0) {
        std::printf("beacons with more accepted witnesses than a proof carries (%u): %llu\n",
                    m_params.poc.max_witnesses_per_proof,
                    static_cast<unsigned long long>(s["capped_beacons"].get<uint64_t>()));
    }
    if (s["late_buckets"].get<uint64_t>() > 0) {
        std::printf("late buckets (reports may have missed their proof): %llu\n",
                    static_cast<unsigned long long>(s["late_buckets"].get<uint64_t>()));
    }
    if (s["compute"].is_object()) ComputeSim::PrintText(s["compute"]);
    const json& acc = s["accounting"];
    std::printf(
        "\nsupply %s = genesis %s + minted %s - burned %s: %s",
        FormatAmount(acc["supply_units"].get<uint64_t>()).c_str(),
        FormatAmount(static_cast<Amount>(acc["genesis_supply_units"].get<int64_t>())).c_str(),
        FormatAmount(acc["minted_total_units"].get<uint64_t>()).c_str(),
        FormatAmount(acc["burned_total_units"].get<uint64_t>()).c_str(),
        acc["genesis_supply_units"] == acc["genesis_supply_units_before"]
            ? "holds, as before the run"
            : "DOES NOT HOLD");
    bool minted_ok = true;
    for (const json& e : acc["epochs"]) minted_ok = minted_ok && e["consistent"].get<bool>();
    std::printf("; every finished epoch: minted + unminted = emission%s\n",
                minted_ok ? "" : " DOES NOT HOLD");
    if (s["consistent"].get<bool>()) {
        std::printf("the chain's verdicts match the rules' predictions for every device\n");
    } else {
        std::printf("MISMATCHES between the chain and the predictions:\n");
        for (const json& m : s["mismatches"]) std::printf("  %s\n", m.get<std::string>().c_str());
    }
    std::printf("time: setup %.1f s, simulation %.1f s, total %.1f s\n",
                s["timing"]["setup_s"].get<double>(), s["timing"]["run_s"].get<double>(),
                s["timing"]["total_s"].get<double>());
}

int Simulation::Run() {
    auto cheats = ParseCheatSpec(m_opt.cheaters);
    if (!cheats) throw std::runtime_error(cheats.error());
    auto compute_cheats = ParseComputeCheatSpec(m_opt.compute_cheaters);
    if (!compute_cheats) throw std::runtime_error(compute_cheats.error());
    Connect();
    LoadChain();
    FleetOptions fo;
    fo.seed = m_opt.seed;
    fo.honest = m_opt.devices;
    fo.cheats = *cheats;
    fo.center = m_opt.center;
    fo.spread_km = m_opt.spread_km;
    fo.region = 0;
    for (size_t r = 0; r < m_params.poc.regions.size(); ++r) {
        if (m_params.poc.regions[r].name == "EU868") fo.region = static_cast<uint8_t>(r);
    }
    fo.max_eirp_ddbm = m_params.poc.regions.at(fo.region).max_eirp_ddbm;
    auto fleet = BuildFleet(fo);
    if (!fleet) throw std::runtime_error(fleet.error());
    m_fleet = std::move(fleet).value();
    m_tally.resize(m_fleet.size());
    if (m_opt.compute + compute_cheats->Total() > 0) {
        ComputeOptions co;
        co.seed = m_opt.seed;
        co.honest = m_opt.compute;
        co.cheats = *compute_cheats;
        co.fraction = m_opt.compute_fraction;
        co.backend = m_opt.backend;
        co.threads = m_opt.prover_threads;
        co.tier = m_opt.compute_tier;
        co.verbose = m_opt.verbose;
        m_compute = std::make_unique<ComputeSim>(
            *m_rpc, m_params, m_net, co,
            [this](const std::string& line) { Log("%s", line.c_str()); });
        m_compute->CheckNodeParams();
    }
    if (m_fleet.empty() && !m_compute) throw std::runtime_error("no devices to simulate");
    Log("%zu radio devices (%u honest + %u cheaters), seed %llu, network %s, height %llu",
        m_fleet.size(), m_opt.devices, cheats->Total(), static_cast<unsigned long long>(m_opt.seed),
        GetNetworkInfo(m_net).name.data(), static_cast<unsigned long long>(m_tip));
    if (m_compute) {
        const auto& t = m_compute->TierParams();
        Log("%zu compute devices (%u honest + %u cheaters), tier %s (g=%u n=%u k=%u T=%u, "
            "deadline %llu blocks), backend %s, %u prover threads",
            m_compute->Fleet().size(), m_opt.compute, compute_cheats->Total(), t.name.c_str(),
            t.shape.g, t.shape.n, t.shape.k, t.shape.tile,
            static_cast<unsigned long long>(t.deadline),
            std::string{m_compute->BackendName()}.c_str(), m_opt.prover_threads);
    }

    Setup();
    Baseline();
    m_setup_s = std::chrono::duration<double>(Clock::now() - m_t0).count();
    Log("setup done in %.1f s", m_setup_s);
    const auto run0 = Clock::now();
    Simulate();
    m_run_s = std::chrono::duration<double>(Clock::now() - run0).count();
    const json summary = Summarize();
    if (m_opt.json_out) {
        std::cout << summary.dump(2) << std::endl;
    } else {
        PrintText(summary);
    }
    return 0;
}

}  // namespace
}  // namespace cairn::devsim

int main(int argc, char* argv[]) {
    using namespace cairn::devsim;
    try {
        std::string info;
        auto options = ParseOptions(argc, argv, info);
        if (!options) {
            std::cerr << "error: " << options.error() << "\n(see cairn-devsim --help)\n";
            return 1;
        }
        if (!info.empty()) {
            std::cout << info;
            return 0;
        }
        Simulation sim{*options};
        return sim.Run();
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}
