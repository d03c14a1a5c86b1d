// JSON views of transactions, blocks and commits for RPC. Amounts are exact decimal strings
// ("12.5") with an integer "_units" twin, never floating point.
#pragma once

#include <nlohmann/json.hpp>

#include "consensus/compute/compute_state.h"
#include "consensus/params.h"
#include "consensus/rewards/accounting.h"
#include "primitives/block.h"
#include "primitives/network.h"

namespace cairn::rpc {

// Sets j[name] to the amount as a decimal string and j[name + "_units"] to the integer.
void SetAmount(nlohmann::json& j, const std::string& name, Amount a);
nlohmann::json TxToJson(const Transaction& tx, Network net);
nlohmann::json CommitToJson(const Commit& c);
nlohmann::json HeaderToJson(const BlockHeader& h, Network net);
// A coverage proof: with `full`, every report field and each verdict's code; otherwise the
// beacon id, beaconer, verdict and witness counts.
nlohmann::json ProofToJson(const CoverageProof& p, bool full);
// An epoch's summary: pools, payments, carry and never-minted remainders.
nlohmann::json EpochSummaryToJson(const consensus::EpochSummary& s);
// A compute verdict: its code, and for a failing open the spot-check number of the first bad cell.
nlohmann::json ComputeVerdictJson(consensus::ComputeVerdict v, uint32_t detail);
std::string_view ComputeProgressName(consensus::BucketProgress p);
// A compute entry in a block: kind, device, bucket, verdict; with `full` the root, tier or
// opened tile indices.
nlohmann::json ComputeEntryToJson(const ComputeEntry& e, bool full);
// A compute device's standing: tier, pending tier, active, bucket in flight, last outcome.
nlohmann::json ComputeStateToJson(const consensus::ChainParams& params,
                                  const consensus::ComputeState& cs);

}  // namespace cairn::rpc
