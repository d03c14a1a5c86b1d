#include "devsim/compute_sim.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "consensus/compute/schedule.h"
#include "consensus/compute/spot_check.h"
#include "consensus/rewards/epoch_rewards.h"
#include "devsim/verdict_counts.h"
#include "primitives/address.h"
#include "primitives/amount.h"
#include "primitives/report.h"
#include "prover/challenge_prover.h"
#include "prover/report_builder.h"
#include "util/strencodings.h"

namespace cairn::devsim {
namespace {

namespace cc = consensus::compute;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kValid = "valid";
constexpr const char* kLateCommit = "compute-late-commit";
constexpr const char* kNoCommit = "compute-no-commit";
constexpr const char* kBadPath = "compute-bad-path";
constexpr const char* kStale = "compute-stale-bucket";
constexpr const char* kDuplicateCommit = "compute-duplicate-commit";

double MsSince(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

uint64_t U64(const json& j, const char* field) {
    if (!j.is_object() || !j.contains(field) || !j[field].is_number_unsigned()) {
        throw RpcFailure{0, std::string{"reply lacks the unsigned field '"} + field + "'"};
    }
    return j[field].get<uint64_t>();
}

Hash256 HashField(const json& j, const char* field) {
    if (!j.is_object() || !j.contains(field) || !j[field].is_string()) {
        throw RpcFailure{0, std::string{"reply lacks the hash field '"} + field + "'"};
    }
    auto h = Hash256::FromHex(j[field].get<std::string>());
    if (!h) throw RpcFailure{0, std::string{"reply field '"} + field + "' is not a hash"};
    return *h;
}

// "compute-bad-path spot 3" from a verdict object {code, spot?}.
std::string VerdictText(const json& v) {
    if (!v.is_object()) return "missing";
    std::string s = v.value("code", std::string{"missing"});
    if (v.contains("spot") && v["spot"].is_number_unsigned()) {
        s += " spot " + std::to_string(v["spot"].get<uint64_t>());
    }
    return s;
}

std::string SpotText(const char* code, uint32_t spot) {
    return std::string{code} + " spot " + std::to_string(spot);
}

// The outcome code without " spot N".
std::string CodeOf(const std::string& text) {
    return text.substr(0, text.find(' '));
}

std::string CountsText(const std::map<std::string, uint64_t>& m) {
    std::string s;
    for (const auto& [k, v] : m) s += (s.empty() ? "" : " ") + k + "=" + std::to_string(v);
    return s;
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

std::string JoinText(const std::vector<std::string>& v) {
    std::string s;
    for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
    return s.empty() ? "none" : s;
}

}  // namespace

// What one device did and was predicted to get in one bucket.
struct ComputeSim::DeviceRound {
    bool challenged{false};
    std::string absent;  // why it was not challenged
    Hash256 seed;
    cc::ChallengeShape shape;
    uint8_t tier{0};
    std::optional<prover::ChallengeProof> proof;  // the honest answer
    std::optional<AnswerTable> table;             // a fraction prover's own answer
    uint32_t rows{0};
    Hash256 root;                       // what it committed (or will)
    std::optional<ComputeCommit> held;  // released once the deadline block exists
    bool replayed{false};
    double prove_ms{0};
    // Predictions: entries in blocks ("commit valid", "open compute-bad-path spot 0"), refusals
    // at submission, the settled outcome ("valid", "compute-wrong-value spot 4").
    std::vector<std::string> expect_entries;
    std::map<std::string, uint64_t> expect_refused;
    std::string expect_outcome;
    // What happened.
    std::vector<std::string> entries;
    std::map<std::string, uint64_t> refused;
    std::string outcome;
    bool consistent{true};
};

struct ComputeSim::Round {
    uint64_t bucket{0};
    uint64_t joined_tip{0};
    uint64_t deadline_height{0}, spot_height{0}, open_deadline{0}, settle_height{0};
    bool released{false}, opened{false}, settled{false};
    uint64_t commits_tip{0};  // the tip once the in-time commits were in the pool
    uint64_t opens_tip{0};
    uint64_t challenged{0};
    size_t proofs{0};
    double prove_ms{0};
    double honest_ms{0};  // one honest proof (the first)
    std::vector<DeviceRound> devices;
};

struct ComputeSim::Tally {
    std::optional<ComputeCommit> last_commit;  // for the replayer
    std::optional<ComputeOpen> last_open;
    std::map<std::string, uint64_t> refused;
    std::map<std::string, uint64_t> base_reports, base_buckets;
    uint64_t base_units{0};
    uint64_t base_earned{0};
    uint64_t challenged{0}, not_challenged{0};
    uint64_t commits_sent{0}, commits_accepted{0}, opens_sent{0}, opens_accepted{0};
    uint64_t replays_sent{0}, replays_accepted{0};
};

ComputeSim::ComputeSim(NodeRpc& rpc, const consensus::ChainParams& params, Network net,
                       ComputeOptions o, LogFn log)
    : m_rpc{rpc}, m_params{params}, m_net{net}, m_opt{std::move(o)}, m_log{std::move(log)} {
    m_fleet = BuildComputeFleet(m_opt.seed, m_opt.honest, m_opt.cheats);
    m_tally.resize(m_fleet.size());
    const auto& tiers = m_params.compute.tiers;
    if (tiers.empty()) throw std::runtime_error("this network has no compute tiers");
    if (m_opt.tier.empty()) m_opt.tier = tiers.front().name;
    bool found = false;
    for (size_t t = 0; t < tiers.size(); ++t) {
        if (tiers[t].name == m_opt.tier) {
            m_tier = static_cast<uint8_t>(t);
            found = true;
        }
    }
    if (!found) {
        std::string names;
        for (const auto& t : tiers) names += (names.empty() ? "" : ", ") + t.name;
        throw std::runtime_error("unknown compute tier '" + m_opt.tier + "' (" + names + ")");
    }
    if (!m_fleet.empty()) {
        if (m_opt.backend == "auto") {
            auto best = prover::MakeBestGemmBackend(m_opt.threads);
            m_backend = std::move(best.backend);
            if (!best.why.empty()) {
                std::fprintf(stderr, "devsim: oneDNN passed over, using the plain loop: %s\n",
                             best.why.c_str());
            }
        } else {
            m_backend = prover::MakeGemmBackend(m_opt.backend, m_opt.threads);
        }
        if (!m_backend) {
            std::string names;
            for (auto n : prover::GemmBackendNames()) {
                names += (names.empty() ? "" : ", ") + std::string{n};
            }
            throw std::runtime_error("unknown prover backend '" + m_opt.backend + "' (auto, " +
                                     names + ")");
        }
    }
}

ComputeSim::~ComputeSim() = default;

const consensus::ComputeTier& ComputeSim::TierParams() const {
    return m_params.compute.tiers.at(m_tier);
}

std::string_view ComputeSim::BackendName() const {
    return m_backend ? m_backend->Name() : std::string_view{m_opt.backend};
}

void ComputeSim::CheckNodeParams() {
    const json info = m_rpc.Call("getcomputeinfo", json::array());
    const auto& cp = m_params.compute;
    bool same = U64(info, "bucket_length") == cp.bucket_length &&
                U64(info, "open_window") == cp.open_window &&
                U64(info, "spot_cells") == cp.spot_cells &&
                U64(info, "settle_offset") == cc::SettleOffset(cp) && info["tiers"].is_array() &&
                info["tiers"].size() == cp.tiers.size();
    for (size_t t = 0; same && t < cp.tiers.size(); ++t) {
        const json& j = info["tiers"][t];
        const auto& s = cp.tiers[t].shape;
        same = j.value("name", std::string{}) == cp.tiers[t].name &&
               U64(j, "deadline") == cp.tiers[t].deadline &&
               U64(j, "weight") == cp.tiers[t].weight && U64(j["shape"], "g") == s.g &&
               U64(j["shape"], "n") == s.n && U64(j["shape"], "k") == s.k &&
               U64(j["shape"], "tile") == s.tile;
    }
    if (!same) {
        throw std::runtime_error(
            "the node's compute rules (getcomputeinfo) differ from the network's defaults this "
            "program was built with");
    }
}

void ComputeSim::Baseline() {
    std::vector<std::pair<std::string, json>> calls;
    for (const ComputeDevice& d : m_fleet) {
        calls.emplace_back("getdevicestats", json::array({d.device.Hex()}));
    }
    auto stats = m_rpc.Batch(calls);
    for (size_t i = 0; i < m_fleet.size(); ++i) {
        if (!stats[i].ok) throw std::runtime_error("getdevicestats: " + stats[i].message);
        const json& c = stats[i].result["compute_stats"];
        if (!c.is_object()) {
            throw std::runtime_error("device " + m_fleet[i].device.Hex() +
                                     " has no compute_stats: not a compute device");
        }
        Tally& t = m_tally[i];
        t.base_reports = CountsFrom(c["reports"]);
        t.base_buckets = CountsFrom(c["buckets"]);
        t.base_units = U64(c, "lifetime_units");
        t.base_earned = U64(c, "earned_units");
    }
}

std::optional<uint64_t> ComputeSim::Joinable(uint64_t tip) {
    if (m_fleet.empty()) return std::nullopt;
    const uint64_t h0 = cc::CurrentBucket(m_params.compute, tip + 1);
    if (h0 == 0 || h0 <= m_considered || h0 < m_not_before) return std::nullopt;
    // Two blocks at least before the deadline: time to prove and reach a block.
    if (tip + 2 > h0 + TierParams().deadline) {
        m_considered = h0;
        if (!m_rounds.empty()) ++m_let_pass;
        Log("compute bucket " + std::to_string(h0) + " seen too late to answer (tip " +
            std::to_string(tip) + "); waiting for the next");
        return std::nullopt;
    }
    return h0;
}

bool ComputeSim::Busy() const {
    for (const Round& r : m_rounds) {
        if (!r.settled) return true;
    }
    return false;
}

size_t ComputeSim::BucketsJoined() const {
    return m_rounds.size();
}

std::optional<uint64_t> ComputeSim::FirstSettleHeight() const {
    if (m_rounds.empty()) return std::nullopt;
    return m_rounds.front().settle_height;
}

std::optional<uint64_t> ComputeSim::LastSettleHeight() const {
    if (m_rounds.empty()) return std::nullopt;
    return m_rounds.back().settle_height;
}

bool ComputeSim::Submit(size_t i, const Report& report, const char* what, DeviceRound& dr) {
    auto replies = m_rpc.Batch({{"submitreport", json::array({HexStr(EncodeReport(report))})}});
    const RpcReply& r = replies.at(0);
    const ComputeDevice& d = m_fleet[i];
    const std::string kind{ComputeKindName(d.kind)};
    if (r.ok) {
        if (m_opt.verbose) {
            Log("  compute device " + std::to_string(i) + " (" + kind + "): " + what + " accepted");
        }
        return true;
    }
    const std::string code = ReasonCode(r.message);
    ++dr.refused[code];
    ++m_tally[i].refused[code];
    ++m_refusals[code];
    ++m_refusals_by_kind[kind][code];
    Log("  compute device " + std::to_string(i) + " (" + kind + "): " + what +
        " refused: " + r.message);
    return false;
}

void ComputeSim::Prove(size_t i, DeviceRound& dr) {
    const auto t0 = Clock::now();
    dr.proof = prover::ProveChallenge(dr.seed, dr.shape, *m_backend, m_opt.threads);
    dr.prove_ms = MsSince(t0);
    if (m_fleet[i].kind == ComputeKind::kFraction) {
        // What it sends is its own table; the full proof above is kept only to predict the
        // verdict (devsim knows the truth, the cheater would not).
        dr.rows = ComputedRows(dr.shape, m_opt.fraction);
        dr.table.emplace(FractionTable(*dr.proof, dr.rows));
    }
}

bool ComputeSim::Join(uint64_t h0, uint64_t tip) {
    m_considered = h0;
    const auto t0 = Clock::now();
    // Counts from here on: buckets challenged before the run (between two runs, say) have all
    // settled by the time the next one starts.
    if (m_rounds.empty()) Baseline();
    const auto& cp = m_params.compute;
    const consensus::ComputeTier& tier = TierParams();
    Round r;
    r.bucket = h0;
    r.joined_tip = tip;
    r.deadline_height = h0 + tier.deadline;
    r.spot_height = cc::SpotHeight(tier, h0);
    r.open_deadline = cc::OpenDeadline(cp, tier, h0);
    r.settle_height = h0 + cc::SettleOffset(cp);
    r.devices.resize(m_fleet.size());

    std::vector<std::pair<std::string, json>> calls;
    calls.emplace_back("getblockhash", json::array({h0}));
    for (const ComputeDevice& d : m_fleet) {
        calls.emplace_back("getcomputechallenge", json::array({d.device.Hex()}));
    }
    auto replies = m_rpc.Batch(calls);
    if (!replies[0].ok) throw std::runtime_error("getblockhash: " + replies[0].message);
    auto start_hash = Hash256::FromHex(replies[0].result.get<std::string>());
    if (!start_hash) throw std::runtime_error("getblockhash returned no hash");

    for (size_t i = 0; i < m_fleet.size(); ++i) {
        DeviceRound& dr = r.devices[i];
        const RpcReply& rep = replies[i + 1];
        if (!rep.ok) {
            dr.absent = ReasonCode(rep.message);
            continue;
        }
        const json& c = rep.result;
        if (!c.value("challenged", false) || U64(c, "bucket") != h0) {
            dr.absent = c.value("active", true) ? "not-challenged" : "inactive";
            Log("  compute device " + std::to_string(i) + " (" +
                std::string{ComputeKindName(m_fleet[i].kind)} + ") is " + dr.absent +
                " in bucket " + std::to_string(h0));
            continue;
        }
        dr.challenged = true;
        ++r.challenged;
        dr.seed = HashField(c, "seed");
        dr.tier = static_cast<uint8_t>(U64(c["tier"], "id"));
        const json& s = c["shape"];
        dr.shape = {static_cast<uint32_t>(U64(s, "g")), static_cast<uint32_t>(U64(s, "n")),
                    static_cast<uint32_t>(U64(s, "k")), static_cast<uint32_t>(U64(s, "tile"))};
        if (dr.seed != cc::ChallengeSeed(*start_hash, m_fleet[i].device)) {
            dr.consistent = false;
            Log("  compute device " + std::to_string(i) +
                ": getcomputechallenge's seed is not ChallengeSeed(block h0, device)");
        }
        if (U64(c, "commit_deadline") != r.deadline_height ||
            U64(c, "spot_height") != r.spot_height || U64(c, "open_deadline") != r.open_deadline ||
            U64(c, "settle_height") != r.settle_height) {
            dr.consistent = false;
            Log("  compute device " + std::to_string(i) +
                ": getcomputechallenge's heights differ from the schedule");
        }
    }

    if (r.challenged == 0) {
        Log("compute bucket " + std::to_string(h0) + ": no device of the fleet is challenged");
        return false;
    }
    for (size_t i = 0; i < m_fleet.size(); ++i) {
        ++(r.devices[i].challenged ? m_tally[i].challenged : m_tally[i].not_challenged);
    }

    // In-time answers first, each commit submitted as soon as its proof is done.
    const uint32_t net_id = m_params.network_id;
    std::vector<size_t> deferred;
    for (size_t i = 0; i < m_fleet.size(); ++i) {
        DeviceRound& dr = r.devices[i];
        if (!dr.challenged) continue;
        const ComputeDevice& d = m_fleet[i];
        Tally& t = m_tally[i];
        if (d.kind == ComputeKind::kLate || (d.kind == ComputeKind::kSybil && d.rank > 0)) {
            deferred.push_back(i);
            continue;
        }
        if (d.kind == ComputeKind::kReplay && t.last_commit) {
            // Instead of computing: the previous bucket's signed commit (its open follows at the
            // spot block). The pool refuses both as reports of another bucket.
            dr.replayed = true;
            dr.expect_refused[kStale] = 1;
            dr.expect_outcome = kNoCommit;
            ++t.replays_sent;
            if (Submit(i, *t.last_commit, "replayed commit", dr)) ++t.replays_accepted;
            continue;
        }
        Prove(i, dr);
        r.prove_ms += dr.prove_ms;
        ++r.proofs;
        if (r.honest_ms == 0 && d.kind == ComputeKind::kHonest) r.honest_ms = dr.prove_ms;
        switch (d.kind) {
            case ComputeKind::kFraction:
                dr.root = dr.table->Root();
                dr.expect_entries = {"commit valid"};  // the open's verdict is known at the spot
                break;
            case ComputeKind::kRecommit:
                dr.root = GarbageRoot(m_opt.seed, i, h0);
                // Honest tiles never lead to the garbage root: the first spot fails.
                dr.expect_entries = {"commit valid", "open " + SpotText(kBadPath, 0)};
                dr.expect_refused[kDuplicateCommit] = 1;
                dr.expect_outcome = SpotText(kBadPath, 0);
                break;
            case ComputeKind::kMismatch:
                dr.root = dr.proof->Root();
                dr.expect_entries = {"commit valid", "open " + SpotText(kBadPath, 0)};
                dr.expect_outcome = SpotText(kBadPath, 0);
                break;
            default:  // honest, a sybil's first id, a replayer's first bucket
                dr.root = dr.proof->Root();
                dr.expect_entries = {"commit valid", "open valid"};
                dr.expect_outcome = kValid;
                break;
        }
        const ComputeCommit commit = prover::MakeCommit(d.device_key, net_id, h0, dr.tier, dr.root);
        ++t.commits_sent;
        if (Submit(i, commit, "commit", dr)) {
            ++t.commits_accepted;
            if (d.kind == ComputeKind::kReplay) t.last_commit = commit;
        }
    }
    r.commits_tip = m_rpc.Call("getblockcount", json::array()).get<uint64_t>();
    if (r.commits_tip >= r.deadline_height) {
        Log("compute bucket " + std::to_string(h0) +
            ": WARNING the in-time commits reached the pool only at tip " +
            std::to_string(r.commits_tip) + " (deadline " + std::to_string(r.deadline_height) +
            "): the machine is too slow for these blocks");
    }

    // Then the held-back answers: the late prover's, and the sybil machine's later ids, which
    // it computes one after another once its first id's commit is out (doc/devsim.md: they
    // cannot be done before the deadline, so they are released once block h0 + D exists).
    for (size_t i : deferred) {
        DeviceRound& dr = r.devices[i];
        const ComputeDevice& d = m_fleet[i];
        Prove(i, dr);
        r.prove_ms += dr.prove_ms;
        ++r.proofs;
        dr.root = dr.proof->Root();
        dr.held = prover::MakeCommit(d.device_key, net_id, h0, dr.tier, dr.root);
        dr.expect_entries = {std::string{"commit "} + kLateCommit};
        dr.expect_refused[kNoCommit] = 1;  // its open: no counted commit
        dr.expect_outcome = kLateCommit;
    }
    char buf[256];
    std::snprintf(buf, sizeof(buf),
                  "compute bucket %llu (tip %llu): %llu challenged, %zu proofs in %.0f ms (one "
                  "honest proof %.1f ms), commits in the pool at tip %llu, deadline %llu, in "
                  "%.0f ms",
                  static_cast<unsigned long long>(h0), static_cast<unsigned long long>(tip),
                  static_cast<unsigned long long>(r.challenged), r.proofs, r.prove_ms, r.honest_ms,
                  static_cast<unsigned long long>(r.commits_tip),
                  static_cast<unsigned long long>(r.deadline_height), MsSince(t0));
    Log(buf);
    m_rounds.push_back(std::move(r));
    return true;
}

void ComputeSim::Release(Round& r, uint64_t tip) {
    r.released = true;
    size_t n = 0;
    for (size_t i = 0; i < m_fleet.size(); ++i) {
        DeviceRound& dr = r.devices[i];
        if (!dr.held) continue;
        ++n;
        ++m_tally[i].commits_sent;
        if (Submit(i, *dr.held, "late commit", dr)) ++m_tally[i].commits_accepted;
    }
    if (n > 0) {
        Log("compute bucket " + std::to_string(r.bucket) + ": " + std::to_string(n) +
            " held-back commits released at tip " + std::to_string(tip) + " (deadline " +
            std::to_string(r.deadline_height) + ")");
    }
}

void ComputeSim::Open(Round& r) {
    r.opened = true;
    const auto t0 = Clock::now();
    const uint32_t net_id = m_params.network_id;
    std::vector<std::pair<std::string, json>> calls;
    calls.emplace_back("getblockhash", json::array({r.spot_height}));
    for (const ComputeDevice& d : m_fleet) {
        calls.emplace_back("getcomputechallenge", json::array({d.device.Hex()}));
    }
    auto replies = m_rpc.Batch(calls);
    if (!replies[0].ok) throw std::runtime_error("getblockhash: " + replies[0].message);
    auto spot_hash = Hash256::FromHex(replies[0].result.get<std::string>());
    if (!spot_hash) throw std::runtime_error("getblockhash returned no hash");
    size_t sent = 0, accepted = 0;
    for (size_t i = 0; i < m_fleet.size(); ++i) {
        DeviceRound& dr = r.devices[i];
        if (!dr.challenged) continue;
        const ComputeDevice& d = m_fleet[i];
        Tally& t = m_tally[i];
        if (dr.replayed) {
            if (t.last_open) {
                ++dr.expect_refused[kStale];
                ++t.replays_sent;
                if (Submit(i, *t.last_open, "replayed open", dr)) ++t.replays_accepted;
            }
            continue;
        }
        if (!dr.proof) continue;
        // The spot cells of what it committed, as every validator draws them; the node's list
        // (given while the commit counts) must be the same.
        const std::vector<uint64_t> cells =
            cc::SpotCells(*spot_hash, d.device, dr.root, dr.shape, m_params.compute.spot_cells);
        const std::vector<uint64_t> tiles = cc::SpottedTiles(dr.shape, cells);
        const json& c = replies[i + 1].ok ? replies[i + 1].result : json{};
        if (c.is_object() && c.contains("spot_cells")) {
            std::vector<uint64_t> rpc_cells, rpc_tiles;
            for (const json& sc : c["spot_cells"]) rpc_cells.push_back(U64(sc, "cell"));
            for (const json& tl : c["open_tiles"]) rpc_tiles.push_back(tl.get<uint64_t>());
            if (rpc_cells != cells || rpc_tiles != tiles || HashField(c, "root") != dr.root) {
                dr.consistent = false;
                Log("  compute device " + std::to_string(i) +
                    ": getcomputechallenge's spot cells differ from SpotCells");
            }
        }
        ComputeOpen open;
        switch (d.kind) {
            case ComputeKind::kFraction: {
                open = OpenFromTable(d.device_key, net_id, r.bucket, *dr.table, tiles);
                const auto spot = FractionFailingSpot(*dr.proof, cells, dr.rows);
                const std::string v = spot ? SpotText("compute-wrong-value", *spot) : kValid;
                dr.expect_entries.push_back("open " + v);
                dr.expect_outcome = v;
                break;
            }
            case ComputeKind::kRecommit: {
                // Now that the spot block shows where it would be checked, it tries to replace
                // its garbage commit with the honest one, then opens honest tiles under the
                // garbage root it is bound to.
                ++t.commits_sent;
                if (Submit(i,
                           prover::MakeCommit(d.device_key, net_id, r.bucket, dr.tier,
                                              dr.proof->Root()),
                           "second commit", dr)) {
                    ++t.commits_accepted;
                }
                open = OpenNamingRoot(d.device_key, net_id, r.bucket, *dr.proof, tiles, dr.root);
                break;
            }
            case ComputeKind::kMismatch:
                open =
                    MismatchOpen(d.device_key, net_id, r.bucket, dr.seed, *dr.proof, cells, tiles);
                break;
            default:
                open = prover::MakeOpen(d.device_key, net_id, r.bucket, *dr.proof, tiles);
                break;
        }
        ++t.opens_sent;
        ++sent;
        if (Submit(i, open, "open", dr)) {
            ++t.opens_accepted;
            ++accepted;
            if (d.kind == ComputeKind::kReplay) t.last_open = open;
        }
    }
    r.opens_tip = m_rpc.Call("getblockcount", json::array()).get<uint64_t>();
    char buf[200];
    std::snprintf(buf, sizeof(buf),
                  "compute bucket %llu: spot block %llu, %zu opens sent, %zu accepted, in the pool "
                  "at tip %llu (open deadline %llu), in %.0f ms",
                  static_cast<unsigned long long>(r.bucket),
                  static_cast<unsigned long long>(r.spot_height), sent, accepted,
                  static_cast<unsigned long long>(r.opens_tip),
                  static_cast<unsigned long long>(r.open_deadline), MsSince(t0));
    Log(buf);
}

void ComputeSim::Settle(Round& r) {
    r.settled = true;
    std::map<std::string, size_t> by_key;
    for (size_t i = 0; i < m_fleet.size(); ++i) by_key[m_fleet[i].device.Hex()] = i;
    std::vector<std::pair<std::string, json>> calls;
    for (const ComputeDevice& d : m_fleet) {
        calls.emplace_back("getdevice", json::array({d.device.Hex()}));
    }
    for (uint64_t h = r.bucket + 1; h <= r.settle_height; ++h) {
        calls.emplace_back("getblock", json::array({h, 1}));
    }
    auto replies = m_rpc.Batch(calls);
    for (size_t k = m_fleet.size(); k < replies.size(); ++k) {
        if (!replies[k].ok) throw std::runtime_error("getblock: " + replies[k].message);
        const json& block = replies[k].result;
        if (!block.contains("compute") || !block["compute"].is_array()) continue;
        for (const json& e : block["compute"]) {
            auto it = by_key.find(e.value("device", std::string{}));
            if (it == by_key.end() || U64(e, "bucket") != r.bucket) continue;
            r.devices[it->second].entries.push_back(e.value("kind", std::string{"?"}) + " " +
                                                    VerdictText(e["verdict"]));
        }
    }
    std::map<std::string, uint64_t> outcomes;
    size_t mismatched = 0;
    for (size_t i = 0; i < m_fleet.size(); ++i) {
        DeviceRound& dr = r.devices[i];
        if (!dr.challenged) continue;
        const RpcReply& rep = replies[i];
        if (!rep.ok) throw std::runtime_error("getdevice: " + rep.message);
        const json& c = rep.result["compute"];
        const json& last = c.is_object() ? c["last_bucket"] : json{};
        if (last.is_object() && U64(last, "start") == r.bucket) {
            dr.outcome = VerdictText(last["outcome"]);
        } else {
            dr.outcome = "not-settled";
        }
        ++outcomes[CodeOf(dr.outcome)];
        dr.consistent = dr.consistent && dr.outcome == dr.expect_outcome &&
                        Sorted(dr.entries) == Sorted(dr.expect_entries) &&
                        dr.refused == dr.expect_refused;
        if (!dr.consistent) {
            ++mismatched;
            Log("  compute device " + std::to_string(i) + " (" +
                std::string{ComputeKindName(m_fleet[i].kind)} + ") bucket " +
                std::to_string(r.bucket) + ": outcome " + dr.outcome + " (predicted " +
                dr.expect_outcome + "), entries [" + JoinText(dr.entries) + "] (predicted [" +
                JoinText(dr.expect_entries) + "]), refused {" + CountsText(dr.refused) +
                "} (predicted {" + CountsText(dr.expect_refused) + "})");
        }
        // The tables are no longer needed.
        dr.proof.reset();
        dr.table.reset();
        dr.held.reset();
    }
    Log("compute bucket " + std::to_string(r.bucket) + " settled at " +
        std::to_string(r.settle_height) + ": " + CountsText(outcomes) +
        (mismatched == 0 ? ", as predicted"
                         : ", " + std::to_string(mismatched) + " devices NOT as predicted"));
}

void ComputeSim::Advance(uint64_t tip) {
    for (Round& r : m_rounds) {
        if (r.settled) continue;
        if (!r.released && tip >= r.deadline_height) Release(r, tip);
        if (!r.opened && tip >= r.spot_height) {
            if (tip >= r.open_deadline) {
                Log("compute bucket " + std::to_string(r.bucket) +
                    ": WARNING the spot block was seen only at tip " + std::to_string(tip) +
                    ", too late to open");
            }
            Open(r);
        }
        if (tip >= r.settle_height) Settle(r);
    }
}

json ComputeSim::Summarize(const std::vector<uint64_t>& epochs, json& mismatches) {
    const uint64_t weight = TierParams().weight;
    std::vector<std::pair<std::string, json>> calls;
    for (const ComputeDevice& d : m_fleet) {
        calls.emplace_back("getdevicestats", json::array({d.device.Hex()}));
    }
    auto stats = m_rpc.Batch(calls);

    // Every payout of each epoch (to find the total compute units), and the summaries.
    std::vector<json> infos;
    std::vector<std::map<std::string, json>> payouts(epochs.size());
    json epoch_list = json::array();
    std::vector<std::string> compute_problems;
    for (size_t k = 0; k < epochs.size(); ++k) {
        const uint64_t e = epochs[k];
        const json info = m_rpc.Call("getepochinfo", json::array({e}));
        std::optional<std::string> start;
        for (;;) {
            json args = {{"epoch", e}, {"limit", 1000}};
            if (start) args["start_after"] = *start;
            const json page = m_rpc.Call("getepochrewards", args);
            for (const json& p : page["rewards"]) {
                payouts[k][p.value("device", std::string{})] = p;
            }
            if (!page.contains("next") || page["next"].is_null()) break;
            start = page["next"].get<std::string>();
        }
        uint64_t total_units = 0, paid = 0, devices_paid = 0;
        for (const auto& [key, p] : payouts[k]) total_units += U64(p, "compute_units");
        const uint64_t pool = U64(info, "compute_pool_units");
        uint64_t wrong = 0;
        for (const auto& [key, p] : payouts[k]) {
            const uint64_t units = U64(p, "compute_units");
            const uint64_t want = total_units == 0
                                      ? 0
                                      : static_cast<uint64_t>(static_cast<unsigned __int128>(pool) *
                                                              units / total_units);
            const uint64_t got = U64(p, "compute_amount_units");
            paid += got;
            if (got > 0) ++devices_paid;
            if (got != want) {
                ++wrong;
                compute_problems.push_back("epoch " + std::to_string(e) + " device " + key +
                                           ": compute_amount " + std::to_string(got) +
                                           ", floor(pool x units / total) " + std::to_string(want));
            }
        }
        const bool paid_ok = paid == U64(info, "compute_paid_units") &&
                             devices_paid == U64(info, "compute_devices_paid");
        const bool mint_ok =
            U64(info, "minted_units") + U64(info, "unminted_units") == U64(info, "emission_units");
        if (!paid_ok) {
            compute_problems.push_back("epoch " + std::to_string(e) + ": compute_paid " +
                                       std::to_string(U64(info, "compute_paid_units")) + " to " +
                                       std::to_string(U64(info, "compute_devices_paid")) +
                                       " devices, payouts sum to " + std::to_string(paid) + " to " +
                                       std::to_string(devices_paid));
        }
        if (!mint_ok) {
            compute_problems.push_back("epoch " + std::to_string(e) +
                                       ": minted + unminted != emission");
        }
        epoch_list.push_back({{"epoch", e},
                              {"emission_units", U64(info, "emission_units")},
                              {"minted_units", U64(info, "minted_units")},
                              {"unminted_units", U64(info, "unminted_units")},
                              {"compute_pool_units", pool},
                              {"compute_pool", FormatAmount(pool)},
                              {"compute_paid_units", U64(info, "compute_paid_units")},
                              {"compute_paid", FormatAmount(U64(info, "compute_paid_units"))},
                              {"compute_devices_paid", U64(info, "compute_devices_paid")},
                              {"total_compute_units", total_units},
                              {"payouts_checked", payouts[k].size()},
                              {"payouts_wrong", wrong},
                              {"consistent", wrong == 0 && paid_ok && mint_ok}});
        infos.push_back(info);
    }

    json devices = json::array();
    std::map<std::string, uint64_t> kinds;
    uint64_t total_earned = 0;
    const uint64_t first_height = m_rounds.empty() ? 0 : m_rounds.front().joined_tip;
    for (size_t i = 0; i < m_fleet.size(); ++i) {
        const ComputeDevice& d = m_fleet[i];
        const Tally& t = m_tally[i];
        ++kinds[std::string{ComputeKindName(d.kind)}];
        if (!stats[i].ok) throw std::runtime_error("getdevicestats: " + stats[i].message);
        const json& cs = stats[i].result["compute_stats"];
        const auto reports = Minus(CountsFrom(cs["reports"]), t.base_reports);
        const auto outcomes = Minus(CountsFrom(cs["buckets"]), t.base_buckets);
        std::vector<std::string> problems;

        json buckets = json::array();
        std::map<std::string, uint64_t> predicted_outcomes, entry_counts;
        std::map<uint64_t, uint64_t> passed_units;  // by epoch, from this run's buckets
        for (const Round& r : m_rounds) {
            const DeviceRound& dr = r.devices[i];
            json b = {{"bucket", r.bucket}, {"challenged", dr.challenged}};
            if (!dr.challenged) {
                b["absent"] = dr.absent;
                buckets.push_back(b);
                continue;
            }
            if (r.settled) {
                ++predicted_outcomes[CodeOf(dr.expect_outcome)];
                if (dr.outcome == kValid) {
                    passed_units[consensus::rewards::EpochOf(m_params, r.settle_height)] += weight;
                }
                if (!dr.consistent) {
                    problems.push_back("bucket " + std::to_string(r.bucket) + ": outcome " +
                                       dr.outcome + " (predicted " + dr.expect_outcome +
                                       "), entries [" + JoinText(dr.entries) + "] (predicted [" +
                                       JoinText(dr.expect_entries) + "]), refused {" +
                                       CountsText(dr.refused) + "} (predicted {" +
                                       CountsText(dr.expect_refused) + "})");
                }
            }
            for (const std::string& e : dr.entries) {
                const size_t sp = e.find(' ');
                ++entry_counts[e.substr(0, sp) + ":" + CodeOf(e.substr(sp + 1))];
            }
            b["prove_ms"] = std::round(dr.prove_ms * 10) / 10;
            b["replayed"] = dr.replayed;
            b["expected"] = {{"entries", dr.expect_entries},
                             {"refused", CountsJson(dr.expect_refused)},
                             {"outcome", dr.expect_outcome}};
            b["entries"] = dr.entries;
            b["refused"] = CountsJson(dr.refused);
            b["outcome"] = dr.outcome;
            b["consistent"] = dr.consistent;
            buckets.push_back(b);
        }
        // The node's own counts agree with what devsim saw bucket by bucket.
        std::map<std::string, uint64_t> seen_outcomes;
        for (const Round& r : m_rounds) {
            if (r.settled && r.devices[i].challenged) ++seen_outcomes[CodeOf(r.devices[i].outcome)];
        }
        // A bucket seen too late to answer (a stalled devsim) settles as compute-no-commit.
        std::map<std::string, uint64_t> unanswered = Minus(outcomes, seen_outcomes);
        const bool only_unanswered =
            Minus(seen_outcomes, outcomes).empty() &&
            (unanswered.empty() || (unanswered.size() == 1 && unanswered.count(kNoCommit) &&
                                    unanswered[kNoCommit] <= m_let_pass));
        if (!only_unanswered) {
            problems.push_back("getdevicestats buckets {" + CountsText(outcomes) +
                               "}, settled outcomes seen {" + CountsText(seen_outcomes) + "}");
        }

        json per_epoch = json::array();
        uint64_t earned = 0;
        for (size_t k = 0; k < epochs.size(); ++k) {
            const uint64_t e = epochs[k];
            auto it = payouts[k].find(d.device.Hex());
            uint64_t units = 0, nbuckets = 0, amount = 0;
            if (it != payouts[k].end()) {
                units = U64(it->second, "compute_units");
                nbuckets = U64(it->second, "compute_buckets");
                amount = U64(it->second, "compute_amount_units");
            }
            uint64_t total = 0;
            for (const auto& [key, p] : payouts[k]) total += U64(p, "compute_units");
            const uint64_t pool = U64(infos[k], "compute_pool_units");
            const uint64_t want =
                total == 0
                    ? 0
                    : static_cast<uint64_t>(static_cast<unsigned __int128>(pool) * units / total);
            if (amount != want) {
                problems.push_back("epoch " + std::to_string(e) + ": compute_amount " +
                                   std::to_string(amount) + ", floor(pool x units / total) " +
                                   std::to_string(want));
            }
            // Epochs that began after the run started hold only this run's buckets.
            const uint64_t epoch_start = e * m_params.rewards.epoch_length + 1;
            const uint64_t run_units = passed_units.count(e) ? passed_units[e] : 0;
            if (epoch_start > first_height && units != run_units) {
                problems.push_back("epoch " + std::to_string(e) + ": paid for " +
                                   std::to_string(units) + " compute units, passed buckets give " +
                                   std::to_string(run_units));
            }
            earned += amount;
            per_epoch.push_back({{"epoch", e},
                                 {"compute_units", units},
                                 {"compute_buckets", nbuckets},
                                 {"compute_amount_units", amount},
                                 {"compute_amount", FormatAmount(amount)},
                                 {"expected_amount_units", want}});
        }
        total_earned += earned;
        for (const std::string& p : problems) {
            mismatches.push_back("compute device " + std::to_string(i) + " (" +
                                 std::string{ComputeKindName(d.kind)} + "): " + p);
        }
        devices.push_back(
            {{"index", i},
             {"kind", ComputeKindName(d.kind)},
             {"device", d.device.Hex()},
             {"owner", EncodeAddress(m_net, d.owner)},
             {"prover", d.prover},
             {"rank", d.rank},
             {"challenged", t.challenged},
             {"not_challenged", t.not_challenged},
             {"commits", {{"sent", t.commits_sent}, {"accepted", t.commits_accepted}}},
             {"opens", {{"sent", t.opens_sent}, {"accepted", t.opens_accepted}}},
             {"replays", {{"sent", t.replays_sent}, {"accepted", t.replays_accepted}}},
             {"refused", CountsJson(t.refused)},
             {"outcomes", CountsJson(outcomes)},
             {"predicted_outcomes", CountsJson(predicted_outcomes)},
             {"reports", CountsJson(reports)},
             {"entries", CountsJson(entry_counts)},
             {"lifetime_units", U64(cs, "lifetime_units") - t.base_units},
             {"buckets", buckets},
             {"epochs", per_epoch},
             {"earned_units", earned},
             {"earned", FormatAmount(earned)},
             {"consistent", problems.empty()}});
    }
    for (const std::string& p : compute_problems) mismatches.push_back("compute: " + p);

    json rounds = json::array();
    for (const Round& r : m_rounds) {
        std::map<std::string, uint64_t> outcomes;
        for (const DeviceRound& dr : r.devices) {
            if (dr.challenged && r.settled) ++outcomes[CodeOf(dr.outcome)];
        }
        rounds.push_back({{"bucket", r.bucket},
                          {"joined_tip", r.joined_tip},
                          {"commit_deadline", r.deadline_height},
                          {"commits_tip", r.commits_tip},
                          {"spot_height", r.spot_height},
                          {"opens_tip", r.opens_tip},
                          {"settle_height", r.settle_height},
                          {"challenged", r.challenged},
                          {"proofs", r.proofs},
                          {"prove_ms", std::round(r.prove_ms * 10) / 10},
                          {"honest_proof_ms", std::round(r.honest_ms * 10) / 10},
                          {"outcomes", CountsJson(outcomes)},
                          {"settled", r.settled}});
    }
    json by_kind = json::object();
    for (const auto& [k, m] : m_refusals_by_kind) by_kind[k] = CountsJson(m);
    const auto& tier = TierParams();
    bool consistent = true;
    for (const json& d : devices) consistent = consistent && d["consistent"].get<bool>();
    consistent = consistent && compute_problems.empty();
    return {{"device_count", m_fleet.size()},
            {"kinds", CountsJson(kinds)},
            {"tier",
             {{"id", m_tier},
              {"name", tier.name},
              {"g", tier.shape.g},
              {"n", tier.shape.n},
              {"k", tier.shape.k},
              {"tile", tier.shape.tile},
              {"deadline", tier.deadline},
              {"weight", tier.weight}}},
            {"backend", BackendName()},
            {"threads", m_opt.threads},
            {"fraction", m_opt.fraction},
            {"buckets", rounds},
            {"epochs", epoch_list},
            {"devices", devices},
            {"refusals", CountsJson(m_refusals)},
            {"refusals_by_kind", by_kind},
            {"earned_units", total_earned},
            {"earned", FormatAmount(total_earned)},
            {"consistent", consistent}};
}

void ComputeSim::PrintText(const json& c) {
    const json& tier = c["tier"];
    std::printf(
        "\ncompute: tier %s (g=%llu n=%llu k=%llu T=%llu, deadline %llu blocks), backend %s, "
        "%zu devices",
        tier["name"].get<std::string>().c_str(),
        static_cast<unsigned long long>(tier["g"].get<uint64_t>()),
        static_cast<unsigned long long>(tier["n"].get<uint64_t>()),
        static_cast<unsigned long long>(tier["k"].get<uint64_t>()),
        static_cast<unsigned long long>(tier["tile"].get<uint64_t>()),
        static_cast<unsigned long long>(tier["deadline"].get<uint64_t>()),
        c["backend"].get<std::string>().c_str(), c["devices"].size());
    std::string kinds;
    for (const auto& [k, n] : c["kinds"].items()) {
        kinds += (kinds.empty() ? " (" : ", ") + std::to_string(n.get<uint64_t>()) + " " + k;
    }
    if (!kinds.empty()) kinds += ")";
    std::printf("%s, %zu buckets\n\n", kinds.c_str(), c["buckets"].size());
    std::printf(" %3s  %-8s  %-12s  %-7s  %-36s  %-44s  %s\n", "#", "kind", "device", "passed",
                "bucket outcomes on chain", "report verdicts in blocks", "earned CAIRN");
    for (const json& d : c["devices"]) {
        std::string outcomes, entries, refused;
        for (const auto& [code, n] : d["outcomes"].items()) {
            outcomes +=
                (outcomes.empty() ? "" : " ") + code + "=" + std::to_string(n.get<uint64_t>());
        }
        for (const auto& [code, n] : d["entries"].items()) {
            entries +=
                (entries.empty() ? "" : " ") + code + "=" + std::to_string(n.get<uint64_t>());
        }
        for (const auto& [code, n] : d["refused"].items()) {
            refused += " " + code + "=" + std::to_string(n.get<uint64_t>());
        }
        const std::string passed = std::to_string(d["outcomes"].value("valid", uint64_t{0})) + "/" +
                                   std::to_string(d["challenged"].get<uint64_t>());
        std::string kind = d["kind"].get<std::string>();
        if (kind == "sybil") kind += "#" + std::to_string(d["rank"].get<uint64_t>());
        std::printf(" %3llu  %-8s  %-12s  %-7s  %-36s  %-44s  %s%s%s\n",
                    static_cast<unsigned long long>(d["index"].get<uint64_t>()), kind.c_str(),
                    d["device"].get<std::string>().substr(0, 12).c_str(), passed.c_str(),
                    outcomes.empty() ? "-" : outcomes.c_str(),
                    entries.empty() ? "-" : entries.c_str(), d["earned"].get<std::string>().c_str(),
                    refused.empty() ? "" : "  refused:", refused.c_str());
    }
    std::printf("\n");
    for (const json& b : c["buckets"]) {
        std::string outcomes;
        for (const auto& [code, n] : b["outcomes"].items()) {
            outcomes += " " + code + "=" + std::to_string(n.get<uint64_t>());
        }
        std::printf(
            "compute bucket %llu: %llu challenged, %llu proofs in %.0f ms (one honest proof "
            "%.1f ms), commits pooled at tip %llu (deadline %llu), settled at %llu:%s\n",
            static_cast<unsigned long long>(b["bucket"].get<uint64_t>()),
            static_cast<unsigned long long>(b["challenged"].get<uint64_t>()),
            static_cast<unsigned long long>(b["proofs"].get<uint64_t>()),
            b["prove_ms"].get<double>(), b["honest_proof_ms"].get<double>(),
            static_cast<unsigned long long>(b["commits_tip"].get<uint64_t>()),
            static_cast<unsigned long long>(b["commit_deadline"].get<uint64_t>()),
            static_cast<unsigned long long>(b["settle_height"].get<uint64_t>()), outcomes.c_str());
    }
    for (const json& e : c["epochs"]) {
        std::printf("epoch %llu: compute pool %s, paid %s to %llu devices for %llu units: %s\n",
                    static_cast<unsigned long long>(e["epoch"].get<uint64_t>()),
                    e["compute_pool"].get<std::string>().c_str(),
                    e["compute_paid"].get<std::string>().c_str(),
                    static_cast<unsigned long long>(e["compute_devices_paid"].get<uint64_t>()),
                    static_cast<unsigned long long>(e["total_compute_units"].get<uint64_t>()),
                    e["consistent"].get<bool>() ? "every payout = floor(pool x units / total units)"
                                                : "PAYOUTS DO NOT FOLLOW THE RULE");
    }
    std::string refusals;
    for (const auto& [code, n] : c["refusals"].items()) {
        refusals += " " + code + "=" + std::to_string(n.get<uint64_t>());
    }
    std::printf("compute reports refused at submission:%s\n",
                refusals.empty() ? " none" : refusals.c_str());
    std::printf("earned by the compute fleet: %s CAIRN\n", c["earned"].get<std::string>().c_str());
    std::printf("%s\n", c["consistent"].get<bool>()
                            ? "the chain's compute verdicts and payouts match the predictions for "
                              "every device"
                            : "compute: MISMATCHES (listed below)");
}

}  // namespace cairn::devsim
