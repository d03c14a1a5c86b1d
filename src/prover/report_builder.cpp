#include "prover/report_builder.h"

namespace cairn::prover {

void SignReport(const SecretKey& device_key, uint32_t network_id, ComputeCommit& commit) {
    commit.signature = device_key.Sign(commit.SigHash(network_id));
}

void SignReport(const SecretKey& device_key, uint32_t network_id, ComputeOpen& open) {
    open.signature = device_key.Sign(open.SigHash(network_id));
}

ComputeCommit MakeCommit(const SecretKey& device_key, uint32_t network_id, uint64_t bucket,
                         uint8_t tier, const Hash256& root) {
    ComputeCommit c;
    c.device = device_key.GetPubKey();
    c.bucket = bucket;
    c.tier = tier;
    c.root = root;
    SignReport(device_key, network_id, c);
    return c;
}

ComputeOpen MakeOpen(const SecretKey& device_key, uint32_t network_id, uint64_t bucket,
                     const ChallengeProof& proof, std::span<const uint64_t> tiles) {
    ComputeOpen o;
    o.device = device_key.GetPubKey();
    o.bucket = bucket;
    o.root = proof.Root();
    o.tiles.reserve(tiles.size());
    for (uint64_t t : tiles) o.tiles.push_back({t, proof.TileCells(t), proof.Path(t)});
    SignReport(device_key, network_id, o);
    return o;
}

}  // namespace cairn::prover
