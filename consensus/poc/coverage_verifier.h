// CoverageVerifier: the proof-of-coverage rules (doc/depin.md, "Coverage rules").
//
// EvaluateProof judges a beacon and its witnesses against the ledger: the beacon's entropy
// window, device, bucket, payload, channel and power; each witness's device, region,
// frequency, distance, the free-space-path-loss bound on its signal, and reciprocity; then, if
// more witnesses are valid than the reward cap, a deterministic selection by
// TaggedHash("Cairn/WitnessSelection", entropy hash || witness key), which validators can check
// and nobody can grind (arrival order, which Helium used, is visible to no validator).
// ApplyCoverageProof checks a block's recorded verdicts against that judgement and books its
// effects: the beacon's bucket, the beaconer's witnessed height and the reward units.
// Signatures are checked separately, context-free (block_check.cpp), so a proof reaches these
// functions only with authentic reports.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "consensus/params.h"
#include "consensus/poc/verdict.h"
#include "consensus/reject.h"
#include "consensus/state.h"
#include "primitives/report.h"

namespace cairn::consensus {

// The hashes of committed blocks, for beacon entropy.
class BlockHashView {
public:
    virtual ~BlockHashView() = default;
    virtual std::optional<Hash256> HashAtHeight(uint64_t height) const = 0;
};

struct ProofEvaluation {
    BeaconVerdict beacon{BeaconVerdict::kValid};
    std::vector<WitnessVerdict> witnesses;  // in the proof's order
    uint32_t rewarded{0};                   // witnesses with kValid
    bool physically_witnessed{false};       // some witness passed every rule but reciprocity
    uint64_t scale{0};                      // the beaconer's density scale (kUnitOne = 1.0)
    uint64_t beacon_units{0};               // for the beaconer, scaled
    uint64_t witness_units{0};              // for each rewarded witness, scaled
};

// `height` is the height of the block that includes the proof; `witnesses` are the proof's
// reports in order (their beacon ids are not consulted).
ProofEvaluation EvaluateProof(const BeaconReport& beacon,
                              const std::vector<ProofWitness>& witnesses, uint64_t height,
                              const ChainParams& params, const BlockHashView& hashes,
                              const StateView& state);

// Re-evaluates `proof`, rejects the block (kBlockBadVerdict) if its recorded verdicts differ,
// and books the effects into `state`. Returns the evaluation for indexes and RPC.
CheckResult<ProofEvaluation> ApplyCoverageProof(const CoverageProof& proof, uint64_t height,
                                                const ChainParams& params,
                                                const BlockHashView& hashes, StateDelta& state);

// The bucket a beacon with this entropy height belongs to.
uint64_t BeaconBucket(const ChainParams& params, uint64_t entropy_height);

}  // namespace cairn::consensus
