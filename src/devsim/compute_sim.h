// ComputeSim: cairn-devsim's compute provers, honest and cheating, answering the node's proof-of-
// compute challenges over JSON-RPC (doc/devsim.md, "Compute devices").
//
// Every compute bucket it joins goes through the schedule of consensus/compute/schedule.h:
//   join    (block h0 seen):   getcomputechallenge per device, prove (prover::ProveChallenge),
//                              submit each commit as soon as its proof is done;
//   release (block h0+D seen): the commits held back (the late prover, a sybil's later ids);
//   open    (block h0+D+1 seen, the spot block): spot cells (computed here and compared with
//                              getcomputechallenge's), then each device's open;
//   settle  (block h0+settle_offset seen): the outcome (getdevice last_bucket) and the verdicts
//                              the blocks recorded for its reports (getblock).
// For each device and bucket it predicts the entry verdicts, the refusals and the outcome from
// what the device sent, and lists every disagreement with the chain as a mismatch.
//
// The caller (cairn-devsim's loop) polls the tip and calls Joinable/Join/Advance; registration is
// the caller's too (it funds radio and compute owners together).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "consensus/params.h"
#include "devsim/compute_fleet.h"
#include "devsim/node_rpc.h"
#include "primitives/network.h"
#include "primitives/report.h"
#include "prover/gemm_backend.h"

namespace cairn::devsim {

struct ComputeOptions {
    uint64_t seed{1};
    uint32_t honest{0};
    ComputeCheatCounts cheats;
    double fraction{0.5};  // what a fraction prover computes
    std::string backend{"onednn"};
    unsigned threads{1};  // prover threads (0: all)
    std::string tier;     // tier name; empty: the network's first tier
    bool verbose{false};
};

class ComputeSim {
public:
    using LogFn = std::function<void(const std::string&)>;

    // Builds the fleet and the GEMM backend; throws std::runtime_error for an unknown backend or
    // tier.
    ComputeSim(NodeRpc& rpc, const consensus::ChainParams& params, Network net, ComputeOptions o,
               LogFn log);
    ~ComputeSim();

    const std::vector<ComputeDevice>& Fleet() const { return m_fleet; }
    uint8_t Tier() const { return m_tier; }
    const consensus::ComputeTier& TierParams() const;
    std::string_view BackendName() const;

    // Throws unless the node's compute rules (getcomputeinfo) are the ones this program mirrors.
    void CheckNodeParams();
    // getdevicestats of every device before the run (it may have history on this node).
    void Baseline();

    // A bucket not seen before that this fleet can still answer: block h0 exists and the commit
    // deadline is at least two blocks away. nullopt otherwise.
    std::optional<uint64_t> Joinable(uint64_t tip);
    // Buckets starting before `height` are let pass (setup registered, reactivated or re-tiered
    // devices up to then: they are challenged only from the next bucket start on).
    void NotBefore(uint64_t height) { m_not_before = height; }
    // Lets bucket h0 pass (the run ends before it would settle).
    void Skip(uint64_t h0) { m_considered = h0; }
    // Answers bucket h0; false (and nothing recorded) if no device of the fleet is challenged in
    // it (registered after h0, or all deactivated).
    bool Join(uint64_t h0, uint64_t tip);
    // Releases held commits, opens, settles whatever the tip allows.
    void Advance(uint64_t tip);
    // A joined bucket is not settled yet.
    bool Busy() const;
    size_t BucketsJoined() const;
    std::optional<uint64_t> FirstSettleHeight() const;
    std::optional<uint64_t> LastSettleHeight() const;

    // The compute part of the summary (devices, buckets, epochs' payout checks) for the finished
    // epochs `epochs`; appends disagreements with the predictions or the payout rules to
    // `mismatches`.
    nlohmann::json Summarize(const std::vector<uint64_t>& epochs, nlohmann::json& mismatches);
    // The text form of Summarize's result.
    static void PrintText(const nlohmann::json& compute);

private:
    struct DeviceRound;
    struct Round;
    struct Tally;

    void Log(const std::string& s) const { m_log(s); }
    bool Submit(size_t device, const Report& report, const char* what, DeviceRound& dr);
    void Prove(size_t device, DeviceRound& dr);
    void Release(Round& r, uint64_t tip);
    void Open(Round& r);
    void Settle(Round& r);

    NodeRpc& m_rpc;
    const consensus::ChainParams& m_params;
    Network m_net;
    ComputeOptions m_opt;
    LogFn m_log;
    std::vector<ComputeDevice> m_fleet;
    uint8_t m_tier{0};
    std::unique_ptr<prover::GemmBackend> m_backend;
    std::vector<Round> m_rounds;
    std::vector<Tally> m_tally;
    uint64_t m_considered{0};
    uint64_t m_not_before{0};
    uint64_t m_let_pass{0};  // buckets seen too late to answer, after the first joined
    std::map<std::string, uint64_t> m_refusals;
    std::map<std::string, std::map<std::string, uint64_t>> m_refusals_by_kind;
};

}  // namespace cairn::devsim
