// Signing a compute device's answers: the commit of a proof's root and the open of its spotted
// tiles, exactly as consensus judges them (primitives/compute_report.h).
//
// Shared by cairn-prover and cairn-devsim, so the honest answer is built in one place; cheaters
// in the simulator start from it and change one thing.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "consensus/compute/challenge.h"
#include "crypto/keys.h"
#include "primitives/compute_report.h"
#include "prover/challenge_prover.h"

namespace cairn::prover {

// The signed commit of `root` for the bucket starting at `bucket`, in `tier`.
ComputeCommit MakeCommit(const SecretKey& device_key, uint32_t network_id, uint64_t bucket,
                         uint8_t tier, const Hash256& root);

// The signed open of `tiles` (ascending, distinct: consensus::compute::SpottedTiles of the spot
// cells) from `proof`, naming proof.Root().
ComputeOpen MakeOpen(const SecretKey& device_key, uint32_t network_id, uint64_t bucket,
                     const ChallengeProof& proof, std::span<const uint64_t> tiles);

// Signs (or re-signs, after a change) a report with the device key.
void SignReport(const SecretKey& device_key, uint32_t network_id, ComputeCommit& commit);
void SignReport(const SecretKey& device_key, uint32_t network_id, ComputeOpen& open);

}  // namespace cairn::prover
