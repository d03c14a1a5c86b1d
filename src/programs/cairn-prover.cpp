// cairn-prover: the program a compute device's operator runs next to a node.
//
//   cairn-prover --device-key=FILE [--datadir=DIR | --rpcconnect=HOST --rpcport=PORT ...]
//
// It answers the proof-of-compute challenges of one registered compute device. In each bucket
// it reads the device's challenge from the node (getcomputechallenge), multiplies the challenge
// matrices with the chosen int8 GEMM backend, commits to the Merkle root of the output tiles
// (a device-signed ComputeCommit, submitreport), waits for the spot-check block, opens the
// spotted tiles with their Merkle paths (a ComputeOpen) and follows the bucket until the chain
// settles it, logging the outcome code ("valid" = passed).
//
// Why it polls: every step is keyed to block heights the prover cannot predict (the bucket start,
// the commit deadline, the spot-check block, the settlement), the node offers no push channel,
// and one small RPC call every --poll-ms is negligible next to the block interval. Polling also
// makes the prover stateless across node restarts: it retries with backoff until the node
// answers, and the chain's own record of the device (progress, root, verdicts) tells it where
// the bucket stands, so it resumes without any local state (a prover restarted after its
// commit recomputes the same deterministic root and still opens).
//
// The network, its id (for signatures) and the tier table come from the node, never from a
// guess; the device key file must be for that network and readable by its owner only.
//
// Exit codes: 0 stopped by SIGINT/SIGTERM, or --once and the bucket passed; 1 --once and the
// bucket failed, or an unexpected error; 2 cannot start (options, key file, node, device).
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "consensus/compute/challenge.h"
#include "consensus/compute/spot_check.h"
#include "crypto/keys.h"
#include "primitives/compute_report.h"
#include "primitives/network.h"
#include "primitives/report.h"
#include "prover/challenge_prover.h"
#include "prover/gemm_backend.h"
#include "prover/report_builder.h"
#include "rpc/client.h"
#include "util/datadir.h"
#include "util/fs.h"
#include "util/logging.h"
#include "util/result.h"
#include "util/strencodings.h"
#include "wallet/device_builder.h"

namespace {

using namespace cairn;
using json = nlohmann::json;
using consensus::compute::ChallengeShape;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitCannotStart = 2;

constexpr unsigned kMaxBackoffMs = 30'000;

constexpr const char* kUsage = R"(Usage: cairn-prover --device-key=<file> [options]

Answers the proof-of-compute challenges of a registered compute device, polling its node.

Options:
  --device-key=<file>          the device key file written by `cairn-wallet device-new`
                               (mode 0600)
  --network=<main|test|devnet> expected network (default: the key file's); the node decides
  --datadir=<dir>              node data directory, for the RPC cookie
                               (default $HOME/.cairn[/<network>])
  --rpcconnect=<host>          node address (default 127.0.0.1)
  --rpcport=<port>             node RPC port (default: the network's)
  --rpcuser=<user>             RPC user (instead of the cookie)
  --rpcpassword=<password>     RPC password
  --rpccookiefile=<file>       RPC cookie file (default <datadir>/.cookie)
  --backend=<auto|onednn|loop> int8 GEMM engine (default auto: onednn, or the plain loop on
                               a CPU where oneDNN's int8 GEMM is inexact, i.e. without VNNI)
  --threads=<n>                worker threads, 0 = all cores (default 0)
  --poll-ms=<ms>               how often to ask the node (default 500)
  --bench=<0|1>                measure the backend at start (default 1)
  --once                       answer one bucket, then exit (0 passed, 1 failed)
  --help                       this help

Exit codes: 0 done (or stopped by a signal), 1 a bucket failed under --once or an error,
2 cannot start (bad option, key file, unreachable node, device not registered as compute).
)";

// ---------------------------------------------------------------------------------------------
// Logging: timestamped lines on stdout, in the node's format (util/logging.cpp).

std::string Format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string Format(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    const int n = std::vsnprintf(nullptr, 0, fmt, ap);
    va_end(ap);
    std::string out(n > 0 ? static_cast<size_t>(n) : 0, '\0');
    if (n > 0) std::vsnprintf(out.data(), out.size() + 1, fmt, ap2);
    va_end(ap2);
    return out;
}

// On stdout (the node's logger writes to stderr or its debug.log).
void LogLine(std::string_view level, std::string_view msg) {
    std::printf("%s %.*s %.*s\n", LogTimestamp().c_str(), static_cast<int>(level.size()),
                level.data(), static_cast<int>(msg.size()), msg.data());
    std::fflush(stdout);
}

void Info(std::string_view msg) {
    LogLine("[info]", msg);
}
void Warn(std::string_view msg) {
    LogLine("[warn]", msg);
}
void Error(std::string_view msg) {
    LogLine("[error]", msg);
}

// A failure to start: one line on stderr, exit code 2.
int CannotStart(const std::string& msg) {
    std::fprintf(stderr, "cairn-prover: %s\n", msg.c_str());
    return kExitCannotStart;
}

// ---------------------------------------------------------------------------------------------
// Stopping: SIGINT/SIGTERM end the run between steps; sleeps wake up promptly.

std::atomic<bool> g_stop{false};

extern "C" void OnStopSignal(int) {
    g_stop.store(true);
}

// Sleeps `ms` milliseconds in short slices; false if asked to stop meanwhile.
bool SleepMs(unsigned ms) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!g_stop.load()) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= end) return true;
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
            end - now, std::chrono::milliseconds(50)));
    }
    return false;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double Gops(uint64_t ops, double seconds) {
    return seconds > 0 ? static_cast<double>(ops) / seconds / 1e9 : 0.0;
}

// ---------------------------------------------------------------------------------------------
// Options

struct Options {
    std::string device_key;
    std::optional<Network> network;
    std::optional<std::string> datadir;
    std::optional<std::string> rpcconnect;
    std::optional<uint16_t> rpcport;
    std::optional<std::string> rpcuser;
    std::optional<std::string> rpcpassword;
    std::optional<std::string> rpccookiefile;
    std::string backend{"auto"};
    unsigned threads{0};
    unsigned poll_ms{500};
    bool bench{true};
    bool once{false};
    bool help{false};
};

Result<unsigned long, std::string> ParseNumber(const std::string& key, const std::string& value,
                                               unsigned long min, unsigned long max) {
    char* end = nullptr;
    errno = 0;
    const unsigned long v = std::strtoul(value.c_str(), &end, 10);
    if (value.empty() || value[0] == '-' || *end != '\0' || errno != 0 || v < min || v > max) {
        return MakeError(Format("--%s must be a number from %lu to %lu", key.c_str(), min, max));
    }
    return v;
}

// Options start with one or two dashes and take their value after '='.
Result<Options, std::string> ParseOptions(int argc, char* argv[]) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a.size() < 2 || a[0] != '-') return MakeError("unexpected argument '" + a + "'");
        a = a.substr(a[1] == '-' ? 2 : 1);
        const size_t eq = a.find('=');
        const std::string key = a.substr(0, eq);
        const bool has_value = eq != std::string::npos;
        const std::string value = has_value ? a.substr(eq + 1) : "";
        auto need_value = [&]() -> Result<void, std::string> {
            if (!has_value || value.empty()) return MakeError("--" + key + " needs a value");
            return {};
        };
        if (key == "help" || key == "h") {
            o.help = true;
        } else if (key == "once") {
            if (has_value) return MakeError("--once takes no value");
            o.once = true;
        } else if (key == "bench") {
            if (!has_value) {
                o.bench = true;
            } else if (value == "0" || value == "1") {
                o.bench = value == "1";
            } else {
                return MakeError("--bench must be 0 or 1");
            }
        } else if (key == "threads" || key == "poll-ms" || key == "rpcport") {
            if (auto r = need_value(); !r) return MakeError(r.error());
            const unsigned long max = key == "threads" ? 1024 : key == "rpcport" ? 65535 : 600'000;
            const unsigned long min = key == "threads" ? 0 : key == "rpcport" ? 1 : 10;
            auto v = ParseNumber(key, value, min, max);
            if (!v) return MakeError(v.error());
            if (key == "threads") o.threads = static_cast<unsigned>(*v);
            if (key == "poll-ms") o.poll_ms = static_cast<unsigned>(*v);
            if (key == "rpcport") o.rpcport = static_cast<uint16_t>(*v);
        } else if (key == "network") {
            if (auto r = need_value(); !r) return MakeError(r.error());
            o.network = NetworkFromName(value);
            if (!o.network) return MakeError("unknown network '" + value + "'");
        } else {
            static const std::map<std::string, std::optional<std::string> Options::*> kStrings = {
                {"datadir", &Options::datadir},
                {"rpcconnect", &Options::rpcconnect},
                {"rpcuser", &Options::rpcuser},
                {"rpcpassword", &Options::rpcpassword},
                {"rpccookiefile", &Options::rpccookiefile}};
            if (key == "device-key" || key == "backend") {
                if (auto r = need_value(); !r) return MakeError(r.error());
                (key == "backend" ? o.backend : o.device_key) = value;
            } else if (auto it = kStrings.find(key); it != kStrings.end()) {
                if (auto r = need_value(); !r) return MakeError(r.error());
                o.*(it->second) = value;
            } else {
                return MakeError("unknown option --" + key);
            }
        }
    }
    if (!o.help && o.device_key.empty()) return MakeError("--device-key=<file> is required");
    return o;
}

// ---------------------------------------------------------------------------------------------
// The device key file

struct DeviceKey {
    SecretKey key;
    PubKey device;
    Network network;
};

// The file holds the device's secret in clear, so like ssh we refuse one that the group or
// others may read or write: the operator must fix the mode rather than have it used silently.
Result<void, std::string> CheckKeyFileMode(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return MakeError("cannot read device key file " + path + ": " + std::strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) return MakeError("device key file " + path + " is not a file");
    const unsigned mode = st.st_mode & 0777;
    if ((mode & 077) != 0) {
        return MakeError(
            Format("permissions %04o for device key file %s are too open: it holds "
                   "the device's secret key and must be readable by its owner only "
                   "(run: chmod 600 %s)",
                   mode, path.c_str(), path.c_str()));
    }
    return {};
}

// Loads the device key for whichever network the file names; --network, if given, must agree.
Result<DeviceKey, std::string> LoadDeviceKey(const std::string& path,
                                             std::optional<Network> expected) {
    if (auto r = CheckKeyFileMode(path); !r) return MakeError(r.error());
    auto text = ReadFile(path);
    if (!text) return MakeError("cannot read device key file " + path);
    std::optional<DeviceKey> found;
    std::string error;
    for (Network net : {Network::kDevnet, Network::kTest, Network::kMain}) {
        auto sk = wallet::DecodeDeviceKeyFile(*text, net);
        if (sk) {
            found.emplace(DeviceKey{*sk, sk->GetPubKey(), net});
            break;
        }
        // A file of another network fails with "key file is for network ..."; keep the reason
        // that is about the file itself when there is one.
        if (error.empty() || error.rfind("key file is for network", 0) == 0) error = sk.error();
    }
    MemoryCleanse(text->data(), text->size());
    if (!found) return MakeError(path + ": " + error);
    if (expected && *expected != found->network) {
        return MakeError(Format("%s is a %s device key, but --network=%s", path.c_str(),
                                std::string{GetNetworkInfo(found->network).name}.c_str(),
                                std::string{GetNetworkInfo(*expected).name}.c_str()));
    }
    return std::move(*found);
}

// ---------------------------------------------------------------------------------------------
// The node, through JSON-RPC

// Why a call failed: the node could not be reached (retry later), or it answered with an error.
struct RpcFailure {
    bool unreachable{false};
    int code{0};  // the JSON-RPC error code when the node answered
    std::string message;

    // A refusal's reason code: submitreport's messages start with it ("compute-late-open: ...").
    std::string ReasonCode() const { return message.substr(0, message.find(':')); }
};

template <typename T>
using RpcResult = Result<T, RpcFailure>;

Unexpected<RpcFailure> BadReply(const std::string& what) {
    return MakeError(RpcFailure{false, 0, "unexpected reply from the node: " + what});
}

struct ChainInfo {
    Network network;
    uint32_t network_id{0};
    uint64_t height{0};
};

// getcomputechallenge, parsed. The challenge fields are set when `challenged`.
struct ChallengeStatus {
    uint64_t height{0};
    bool active{false};
    uint64_t next_bucket{0};
    bool challenged{false};
    uint64_t bucket{0};
    uint8_t tier{0};
    std::string tier_name;
    ChallengeShape shape;
    Hash256 seed;
    uint64_t commit_deadline{0};
    uint64_t spot_height{0};
    uint64_t open_deadline{0};
    uint64_t settle_height{0};
    std::string progress;  // challenged, committed, late-commit, opened
    std::optional<Hash256> root;
    std::optional<uint64_t> commit_height;
    std::optional<std::string> open_verdict;
    bool spot_known{false};  // spot_cells and open_tiles are there
    std::vector<uint64_t> spot_cells;
    std::vector<uint64_t> open_tiles;
};

// getdevice, the parts the prover follows.
struct DeviceStatus {
    std::string device_class;
    bool is_compute{false};
    bool active{false};
    uint64_t missed_in_row{0};
    uint64_t last_bucket{0};  // 0: none settled yet
    std::string last_outcome;
};

std::string VerdictText(const json& v) {
    std::string s = v.at("code").get<std::string>();
    if (v.contains("spot"))
        s += " (spot check " + std::to_string(v.at("spot").get<uint64_t>()) + ")";
    return s;
}

Hash256 HashField(const json& j, const char* key) {
    auto h = Hash256::FromHex(j.at(key).get<std::string>());
    if (!h) throw std::runtime_error(std::string{key} + " is not a 64-hex-digit hash");
    return *h;
}

ChallengeStatus ParseChallenge(const json& j) {
    ChallengeStatus c;
    c.height = j.at("height").get<uint64_t>();
    c.active = j.at("active").get<bool>();
    c.next_bucket = j.at("next_bucket").get<uint64_t>();
    c.challenged = j.at("challenged").get<bool>();
    if (!c.challenged) return c;
    c.bucket = j.at("bucket").get<uint64_t>();
    c.tier = j.at("tier").at("id").get<uint8_t>();
    c.tier_name = j.at("tier").at("name").get<std::string>();
    const json& s = j.at("shape");
    c.shape = {s.at("g").get<uint32_t>(), s.at("n").get<uint32_t>(), s.at("k").get<uint32_t>(),
               s.at("tile").get<uint32_t>()};
    c.seed = HashField(j, "seed");
    c.commit_deadline = j.at("commit_deadline").get<uint64_t>();
    c.spot_height = j.at("spot_height").get<uint64_t>();
    c.open_deadline = j.at("open_deadline").get<uint64_t>();
    c.settle_height = j.at("settle_height").get<uint64_t>();
    c.progress = j.at("progress").get<std::string>();
    if (j.contains("root")) c.root = HashField(j, "root");
    if (j.contains("commit_height")) c.commit_height = j.at("commit_height").get<uint64_t>();
    if (j.contains("open_verdict")) c.open_verdict = VerdictText(j.at("open_verdict"));
    if (j.contains("spot_cells") && j.contains("open_tiles")) {
        c.spot_known = true;
        for (const json& cell : j.at("spot_cells")) {
            c.spot_cells.push_back(cell.at("cell").get<uint64_t>());
        }
        c.open_tiles = j.at("open_tiles").get<std::vector<uint64_t>>();
    }
    return c;
}

DeviceStatus ParseDevice(const json& j) {
    DeviceStatus d;
    d.device_class = j.at("class").get<std::string>();
    if (!j.contains("compute")) return d;
    const json& c = j.at("compute");
    d.is_compute = true;
    d.active = c.at("active").get<bool>();
    d.missed_in_row = c.at("missed_in_row").get<uint64_t>();
    if (!c.at("last_bucket").is_null()) {
        d.last_bucket = c.at("last_bucket").at("start").get<uint64_t>();
        d.last_outcome = VerdictText(c.at("last_bucket").at("outcome"));
    }
    return d;
}

// The node's RPC methods the prover uses, with replies parsed into plain structs.
class ProverClient {
public:
    explicit ProverClient(rpc::ClientOptions options)
        : m_endpoint{options.host + ":" + std::to_string(options.port)},
          m_client{std::move(options)} {}

    const std::string& Endpoint() const { return m_endpoint; }

    RpcResult<ChainInfo> GetChainInfo() {
        return CallParsed("getblockchaininfo", json::array(),
                          [](const json& j) -> RpcResult<ChainInfo> {
                              const std::string name = j.at("network").get<std::string>();
                              auto net = NetworkFromName(name);
                              if (!net) return BadReply("unknown network '" + name + "'");
                              return ChainInfo{*net, j.at("network_id").get<uint32_t>(),
                                               j.at("blocks").get<uint64_t>()};
                          });
    }

    RpcResult<ChallengeStatus> GetChallenge(const PubKey& device) {
        return CallParsed(
            "getcomputechallenge", json::array({device.Hex()}),
            [](const json& j) -> RpcResult<ChallengeStatus> { return ParseChallenge(j); });
    }

    RpcResult<DeviceStatus> GetDevice(const PubKey& device) {
        return CallParsed("getdevice", json::array({device.Hex()}),
                          [](const json& j) -> RpcResult<DeviceStatus> { return ParseDevice(j); });
    }

    RpcResult<void> SubmitReport(const Report& report) {
        auto r = Call("submitreport", json::array({HexStr(EncodeReport(report))}));
        if (!r) return MakeError(r.error());
        return {};
    }

private:
    RpcResult<json> Call(const std::string& method, const json& params) {
        auto r = m_client.Call(method, params);
        if (r) return std::move(*r);
        const rpc::ClientError& e = r.error();
        using Kind = rpc::ClientError::Kind;
        // No cookie yet (the node is starting), refused connections and lost replies all mean
        // "not reachable now"; HTTP and protocol errors too, as a restarting node may give them.
        const bool unreachable = e.kind != Kind::kRpc;
        return MakeError(RpcFailure{unreachable, e.rpc_code, e.message});
    }

    template <typename Parse>
    auto CallParsed(const std::string& method, const json& params, Parse parse)
        -> decltype(parse(json{})) {
        auto r = Call(method, params);
        if (!r) return MakeError(r.error());
        try {
            return parse(*r);
        } catch (const std::exception& e) {  // a missing field or a wrong type
            return BadReply(method + ": " + e.what());
        }
    }

    std::string m_endpoint;
    rpc::Client m_client;
};

// ---------------------------------------------------------------------------------------------
// Retrying

// The pace of retries while the node fails (a restart, a network cut): the first retry after
// `first_ms`, each next one after twice as long, at most 30 s apart. So that a long outage does
// not flood the log, a failure is logged the first time, when its message changes, and at most
// every 30 s otherwise.
class Backoff {
public:
    explicit Backoff(unsigned first_ms) : m_delay_ms{first_ms} {}

    // Logs the failure (throttled) and sleeps; false if asked to stop meanwhile.
    bool Wait(const std::string& msg) {
        const auto now = std::chrono::steady_clock::now();
        if (m_failures++ == 0) m_since = now;
        if (m_failures == 1 || msg != m_last_msg || now - m_last_log >= std::chrono::seconds(30)) {
            Warn(Format("%s; retry %u in %.1f s", msg.c_str(), m_failures, m_delay_ms / 1000.0));
            m_last_msg = msg;
            m_last_log = now;
        }
        if (!SleepMs(m_delay_ms)) return false;
        m_delay_ms = std::min(m_delay_ms * 2, kMaxBackoffMs);
        return true;
    }

    // Logs the recovery if there was a failure.
    void Recovered(const std::string& endpoint) const {
        if (m_failures == 0) return;
        Info(Format("the node at %s answers again (after %u failed tries, %.1f s)",
                    endpoint.c_str(), m_failures, SecondsSince(m_since)));
    }

private:
    unsigned m_delay_ms;
    unsigned m_failures{0};
    std::string m_last_msg;
    std::chrono::steady_clock::time_point m_since{}, m_last_log{};
};

// ---------------------------------------------------------------------------------------------
// The prover

// How one bucket ended for this prover.
enum class BucketEnd { kPassed, kFailed, kSkipped, kStopped };

std::string ShapeText(const ChallengeShape& s) {
    return Format("%u×%u×%u", s.g, s.n, s.k);
}

class Prover {
public:
    Prover(ProverClient& client, const DeviceKey& key, const ChainInfo& chain,
           prover::GemmBackend& backend, const Options& options)
        : m_client{client}, m_key{key}, m_chain{chain}, m_backend{backend}, m_options{options} {}

    // Answers buckets until stopped (exit 0) or, with --once, until one bucket is done.
    int Run() {
        uint64_t done = 0;  // the last bucket handled
        bool said_inactive = false, said_waiting = false;
        for (;;) {
            auto c = Poll();
            if (!c) return kExitOk;
            if (!c->active) {
                if (!said_inactive) {
                    Warn(
                        Format("device %s is inactive (deactivated after missed buckets): the "
                               "owner must run `cairn-wallet reactivate-compute %s`; waiting",
                               DeviceHex().c_str(), DeviceHex().c_str()));
                }
                said_inactive = true;
            } else if (!c->challenged || c->bucket <= done) {
                if (said_inactive) Info("device is active again");
                said_inactive = false;
                if (!said_waiting) {
                    Info(Format("waiting for the next bucket at height %llu (tip %llu)",
                                ULL(c->next_bucket), ULL(c->height)));
                }
                said_waiting = true;
            } else {
                said_inactive = said_waiting = false;
                const BucketEnd end = RunBucket(*c);
                done = c->bucket;
                if (end == BucketEnd::kStopped) return kExitOk;
                if (m_options.once && end != BucketEnd::kSkipped) {
                    return end == BucketEnd::kPassed ? kExitOk : kExitFailed;
                }
                continue;  // look again at once: the next bucket may already be running
            }
            if (!SleepMs(m_options.poll_ms)) return kExitOk;
        }
    }

private:
    static unsigned long long ULL(uint64_t v) { return v; }
    std::string DeviceHex() const { return m_key.device.Hex(); }

    // --- the node, retried

    // The challenge status, retrying with backoff while the node is unreachable or failing;
    // nullopt only when asked to stop.
    std::optional<ChallengeStatus> Poll() {
        return Retry("getcomputechallenge", [&] { return m_client.GetChallenge(m_key.device); });
    }

    std::optional<DeviceStatus> FetchDevice() {
        return Retry("getdevice", [&] { return m_client.GetDevice(m_key.device); });
    }

    template <typename Fn>
    auto Retry(const char* what, Fn fn) -> std::optional<std::remove_cvref_t<decltype(*fn())>> {
        Backoff backoff{m_options.poll_ms};
        for (;;) {
            if (g_stop.load()) return std::nullopt;
            auto r = fn();
            if (r) {
                backoff.Recovered(m_client.Endpoint());
                return std::move(*r);
            }
            const RpcFailure& e = r.error();
            const std::string msg =
                e.unreachable ? "cannot reach the node at " + m_client.Endpoint() + ": " + e.message
                              : Format("%s failed: %s (code %d)", what, e.message.c_str(), e.code);
            if (!backoff.Wait(msg)) return std::nullopt;
        }
    }

    // Submits a report, retrying while the node is unreachable; the node's refusal (or a stop
    // request meanwhile) comes back as the error.
    RpcResult<void> Submit(const Report& report) {
        Backoff backoff{m_options.poll_ms};
        for (;;) {
            auto r = m_client.SubmitReport(report);
            if (r || !r.error().unreachable) {
                backoff.Recovered(m_client.Endpoint());
                return r;
            }
            const std::string msg = "cannot reach the node at " + m_client.Endpoint() +
                                    " to submit: " + r.error().message;
            if (!backoff.Wait(msg)) return r;
        }
    }

    // --- one bucket

    BucketEnd RunBucket(const ChallengeStatus& c) {
        Info(
            Format("bucket %llu tier %s: challenge %s (tile %u), commit deadline height %llu, "
                   "tip %llu",
                   ULL(c.bucket), c.tier_name.c_str(), ShapeText(c.shape).c_str(), c.shape.tile,
                   ULL(c.commit_deadline), ULL(c.height)));
        if (c.progress == "late-commit" || c.progress == "opened") {
            Info("this bucket's " + c.progress + " is already on chain; following it");
            return FollowSettlement(c.bucket);
        }
        if (c.progress == "challenged" && c.height >= c.commit_deadline) {
            Warn(
                Format("tip %llu is already at or past the commit deadline %llu: not computing "
                       "this bucket",
                       ULL(c.height), ULL(c.commit_deadline)));
            return BucketEnd::kSkipped;
        }
        std::optional<prover::ChallengeProof> proof = Prove(c);
        if (!proof) return g_stop.load() ? BucketEnd::kStopped : BucketEnd::kFailed;
        if (c.progress == "committed") {
            // Restarted after committing: the challenge is deterministic, so the same root.
            if (!c.root || *c.root != proof->Root()) {
                Error("the root committed on chain differs from this computation: cannot open");
                return FollowSettlement(c.bucket);
            }
            Info("the commit of this bucket is already on chain with this root; opening");
        } else {
            if (const auto end = CommitPhase(c, *proof)) return *end;
        }
        return OpenPhase(c, *proof);
    }

    std::optional<prover::ChallengeProof> Prove(const ChallengeStatus& c) {
        const auto start = std::chrono::steady_clock::now();
        try {
            prover::ChallengeProof proof =
                prover::ProveChallenge(c.seed, c.shape, m_backend, m_options.threads);
            const double wall = SecondsSince(start);
            const prover::ProverTimings& t = proof.Timings();
            Info(
                Format("proved in %.3f s: keystream %.3f s, gemm %.3f s (%.1f GOPS), hash %.3f "
                       "s; overall %.1f GOPS int8 (%s); root %s",
                       wall, t.keystream_s, t.gemm_s, Gops(t.int8_ops, t.gemm_s), t.hash_s,
                       Gops(t.int8_ops, wall), std::string{m_backend.Name()}.c_str(),
                       proof.Root().Hex().c_str()));
            return proof;
        } catch (const std::exception& e) {
            Error(
                Format("cannot compute the challenge of bucket %llu: %s", ULL(c.bucket), e.what()));
            return std::nullopt;
        }
    }

    // Submits the commit and waits until the chain counts it and the spot-check block exists:
    // nullopt then, to go on to the open; otherwise how the bucket ended.
    std::optional<BucketEnd> CommitPhase(const ChallengeStatus& first,
                                         const prover::ChallengeProof& proof) {
        const uint64_t bucket = first.bucket;
        const Report commit =
            prover::MakeCommit(m_key.key, m_chain.network_id, bucket, first.tier, proof.Root());
        if (auto r = Submit(commit); !r) {
            if (g_stop.load()) return BucketEnd::kStopped;
            if (r.error().ReasonCode() != "compute-duplicate-commit") {
                Warn(Format("the node refused the commit of bucket %llu: %s (%s); moving on",
                            ULL(bucket), r.error().ReasonCode().c_str(),
                            r.error().message.c_str()));
                return BucketEnd::kFailed;
            }
            // A restarted prover: its earlier commit waits in the pool. Same challenge, same
            // root; the root is checked once the commit is counted.
            Info(Format("the node already holds a commit of bucket %llu; waiting for it",
                        ULL(bucket)));
        } else {
            Info(Format("commit submitted: bucket %llu root %s (tip %llu, deadline %llu)",
                        ULL(bucket), proof.Root().Hex().c_str(), ULL(first.height),
                        ULL(first.commit_deadline)));
        }
        uint64_t seen_height = first.height;
        bool said_counted = false;
        for (;;) {
            if (!SleepMs(m_options.poll_ms)) return BucketEnd::kStopped;
            auto c = Poll();
            if (!c) return BucketEnd::kStopped;
            if (!c->challenged || c->bucket != bucket) return FollowSettlement(bucket);
            if (c->progress == "late-commit") {
                Warn(Format("the commit was included after the deadline %llu (late)",
                            ULL(c->commit_deadline)));
                return FollowSettlement(bucket);
            }
            if (c->progress == "opened") return FollowSettlement(bucket);
            if (c->progress == "committed") {
                if (c->root != proof.Root()) {
                    Error(
                        Format("the commit counted for bucket %llu has root %s, not this "
                               "computation's: cannot open",
                               ULL(bucket), c->root ? c->root->Hex().c_str() : "?"));
                    return FollowSettlement(bucket);
                }
                if (!said_counted) {
                    Info(Format("commit counted in block %llu; spot-check block at height %llu",
                                ULL(c->commit_height.value_or(0)), ULL(c->spot_height)));
                    said_counted = true;
                }
                if (c->spot_known) return std::nullopt;
            } else if (c->height > seen_height && c->height < c->commit_deadline) {
                // Still not on chain a block later: the node may have restarted and lost its
                // pool. Submit again; "duplicate" just means it still has it.
                ResubmitQuietly(commit, "commit");
            }
            seen_height = std::max(seen_height, c->height);
        }
    }

    void ResubmitQuietly(const Report& report, const char* what) {
        auto r = m_client.SubmitReport(report);
        if (r) {
            Info(Format("%s submitted again (the node no longer had it)", what));
        } else if (!r.error().unreachable &&
                   r.error().ReasonCode().find("duplicate") == std::string::npos) {
            Warn(Format("%s resubmission refused: %s", what, r.error().message.c_str()));
        }
    }

    BucketEnd OpenPhase(const ChallengeStatus& first, const prover::ChallengeProof& proof) {
        const uint64_t bucket = first.bucket;
        std::optional<ChallengeStatus> c = first;
        while (!c->spot_known) {  // a restarted prover may get here before the spot block
            if (!SleepMs(m_options.poll_ms)) return BucketEnd::kStopped;
            c = Poll();
            if (!c) return BucketEnd::kStopped;
            if (!c->challenged || c->bucket != bucket || c->progress != "committed") {
                return FollowSettlement(bucket);
            }
        }
        const std::vector<uint64_t> local =
            consensus::compute::SpottedTiles(c->shape, std::span<const uint64_t>{c->spot_cells});
        if (local != c->open_tiles) {
            Warn(
                "the node's open_tiles differ from the tiles of its spot cells; opening the "
                "node's list");
        }
        const Report open =
            prover::MakeOpen(m_key.key, m_chain.network_id, bucket, proof, c->open_tiles);
        if (auto r = Submit(open); !r) {
            if (g_stop.load()) return BucketEnd::kStopped;
            if (r.error().ReasonCode() != "compute-duplicate-open") {
                Warn(Format("the node refused the open of bucket %llu: %s (%s); moving on",
                            ULL(bucket), r.error().ReasonCode().c_str(),
                            r.error().message.c_str()));
                return BucketEnd::kFailed;
            }
            Info(Format("the node already holds an open of bucket %llu; waiting for it",
                        ULL(bucket)));
        } else {
            Info(
                Format("open submitted: bucket %llu, %zu tiles for %zu spot cells (tip %llu, "
                       "open deadline %llu)",
                       ULL(bucket), c->open_tiles.size(), c->spot_cells.size(), ULL(c->height),
                       ULL(c->open_deadline)));
        }
        uint64_t seen_height = c->height;
        for (;;) {
            if (!SleepMs(m_options.poll_ms)) return BucketEnd::kStopped;
            c = Poll();
            if (!c) return BucketEnd::kStopped;
            if (!c->challenged || c->bucket != bucket) return FollowSettlement(bucket);
            if (c->progress == "opened") {
                Info(Format("open included in a block: verdict %s",
                            c->open_verdict.value_or("?").c_str()));
                return FollowSettlement(bucket);
            }
            if (c->height > seen_height && c->height < c->open_deadline) {
                ResubmitQuietly(open, "open");
            }
            seen_height = std::max(seen_height, c->height);
        }
    }

    // Waits until the chain settles `bucket` and logs its outcome.
    BucketEnd FollowSettlement(uint64_t bucket) {
        bool said = false;
        for (;;) {
            auto c = Poll();
            if (!c) return BucketEnd::kStopped;
            if (!c->challenged || c->bucket != bucket) break;
            if (!said) {
                Info(Format("waiting for the settlement of bucket %llu at height %llu (tip %llu)",
                            ULL(bucket), ULL(c->settle_height), ULL(c->height)));
                said = true;
            }
            if (!SleepMs(m_options.poll_ms)) return BucketEnd::kStopped;
        }
        auto d = FetchDevice();
        if (!d) return BucketEnd::kStopped;
        if (d->last_bucket != bucket) {
            Warn(
                Format("bucket %llu ended without a settlement of this device (last settled: "
                       "%llu)",
                       ULL(bucket), ULL(d->last_bucket)));
            return BucketEnd::kFailed;
        }
        const bool passed = d->last_outcome == "valid";
        (passed ? Info : Warn)(Format("bucket %llu settled: outcome %s%s", ULL(bucket),
                                      d->last_outcome.c_str(), passed ? " (passed)" : ""));
        if (!d->active) {
            Warn(
                Format("the device was deactivated after %llu missed buckets in a row: the "
                       "owner must run `cairn-wallet reactivate-compute %s`",
                       ULL(d->missed_in_row), DeviceHex().c_str()));
        }
        return passed ? BucketEnd::kPassed : BucketEnd::kFailed;
    }

    ProverClient& m_client;
    const DeviceKey& m_key;
    const ChainInfo m_chain;
    prover::GemmBackend& m_backend;
    const Options& m_options;
};

// ---------------------------------------------------------------------------------------------
// Start-up

rpc::ClientOptions ClientOptionsFor(const Options& o, Network net) {
    rpc::ClientOptions co = rpc::DefaultClientOptions(net, DataDirFor(o.datadir, net));
    if (o.rpcconnect) co.host = *o.rpcconnect;
    if (o.rpcport) co.port = *o.rpcport;
    if (o.rpcuser) co.user = *o.rpcuser;
    if (o.rpcpassword) co.password = *o.rpcpassword;
    if (o.rpccookiefile) co.cookie_file = *o.rpccookiefile;
    co.timeout_seconds = 30;
    return co;
}

// The node's chain, which must be the key's.
Result<ChainInfo, std::string> ConnectToNode(ProverClient& client, Network key_network) {
    auto info = client.GetChainInfo();
    if (!info) {
        const RpcFailure& e = info.error();
        return MakeError("cannot reach the node at " + client.Endpoint() + ": " + e.message);
    }
    if (info->network != key_network) {
        return MakeError(Format("the device key is for %s, but the node at %s follows %s",
                                std::string{GetNetworkInfo(key_network).name}.c_str(),
                                client.Endpoint().c_str(),
                                std::string{GetNetworkInfo(info->network).name}.c_str()));
    }
    return *info;
}

// The device must be registered on this chain as a compute device.
Result<ChallengeStatus, std::string> CheckDevice(ProverClient& client, const PubKey& device) {
    constexpr int kNotFound = -5;
    auto c = client.GetChallenge(device);
    if (c) return *c;
    const RpcFailure& e = c.error();
    if (e.unreachable) {
        return MakeError("cannot reach the node at " + client.Endpoint() + ": " + e.message);
    }
    if (e.code == kNotFound) {
        return MakeError("device " + device.Hex() + " is not registered on this chain");
    }
    auto d = client.GetDevice(device);
    if (d && !d->is_compute) {
        return MakeError("device " + device.Hex() + " is registered as a " + d->device_class +
                         " device, not a compute device");
    }
    return MakeError("getcomputechallenge failed for device " + device.Hex() + ": " + e.message);
}

// One n=256, k=8192 int8 product (the devnet tier's size) after a warm-up: the engine's rate.
void Benchmark(prover::GemmBackend& backend) {
    constexpr uint32_t n = 256, k = 8192;
    std::vector<int8_t> a(size_t{n} * k), b(size_t{n} * k);
    for (size_t i = 0; i < a.size(); ++i) {
        a[i] = static_cast<int8_t>(i * 7 + 3);
        b[i] = static_cast<int8_t>(i * 13 + 5);
    }
    std::vector<int32_t> c(size_t{n} * n);
    backend.Multiply(a, b, n, k, c);
    double best = 0;
    for (int run = 0; run < 3; ++run) {
        const auto start = std::chrono::steady_clock::now();
        backend.Multiply(a, b, n, k, c);
        const double s = SecondsSince(start);
        if (run == 0 || s < best) best = s;
    }
    Info(Format("backend %s: %.1f GOPS on n=%u k=%u", std::string{backend.Name()}.c_str(),
                Gops(2ull * n * n * k, best), n, k));
}

int Main(int argc, char* argv[]) {
    auto opts = ParseOptions(argc, argv);
    if (!opts) {
        std::fprintf(stderr, "cairn-prover: %s\n\n%s", opts.error().c_str(), kUsage);
        return kExitCannotStart;
    }
    const Options& o = *opts;
    if (o.help) {
        std::fputs(kUsage, stdout);
        return kExitOk;
    }

    auto key = LoadDeviceKey(o.device_key, o.network);
    if (!key) return CannotStart(key.error());

    ProverClient client{ClientOptionsFor(o, key->network)};
    auto chain = ConnectToNode(client, key->network);
    if (!chain) return CannotStart(chain.error());
    auto status = CheckDevice(client, key->device);
    if (!status) return CannotStart(status.error());

    std::unique_ptr<prover::GemmBackend> backend;
    std::string passed_over;  // why auto did not pick oneDNN
    try {
        if (o.backend == "auto") {
            auto best = prover::MakeBestGemmBackend(o.threads);
            backend = std::move(best.backend);
            passed_over = std::move(best.why);
        } else {
            backend = prover::MakeGemmBackend(o.backend, o.threads);
        }
    } catch (const std::exception& e) {
        return CannotStart("backend " + o.backend + " cannot start: " + e.what());
    }
    if (!backend) {
        std::string names;
        for (auto n : prover::GemmBackendNames())
            names += (names.empty() ? "" : ", ") + std::string{n};
        return CannotStart("unknown backend '" + o.backend + "' (auto, " + names + ")");
    }

    Info(Format("cairn-prover %s: device %s on %s (network id %u) via %s, tip %llu, %s",
                CAIRN_VERSION, key->device.Hex().c_str(),
                std::string{GetNetworkInfo(chain->network).name}.c_str(), chain->network_id,
                client.Endpoint().c_str(), static_cast<unsigned long long>(chain->height),
                status->active ? "active" : "inactive"));
    if (!passed_over.empty()) Warn("oneDNN passed over, using the plain loop: " + passed_over);
    if (o.bench) Benchmark(*backend);

    std::signal(SIGINT, OnStopSignal);
    std::signal(SIGTERM, OnStopSignal);
    Prover prover{client, *key, *chain, *backend, o};
    const int code = prover.Run();
    if (g_stop.load()) Info("stopped");
    return code;
}

}  // namespace

int main(int argc, char* argv[]) {
    try {
        return Main(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cairn-prover: error: %s\n", e.what());
        return kExitFailed;
    }
}
