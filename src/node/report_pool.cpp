#include "node/report_pool.h"

#include <algorithm>

#include "consensus/compute/compute_state.h"
#include "consensus/compute/schedule.h"
#include "consensus/compute/spot_check.h"
#include "consensus/devices/device_record.h"

namespace cairn {
namespace {

Unexpected<ReportReject> Reject(std::string code, std::string detail = {}) {
    return Unexpected<ReportReject>{ReportReject{std::move(code), std::move(detail)}};
}

}  // namespace

Result<ReportAccepted, ReportReject> ReportPool::SubmitCompute(
    const Report& report, const consensus::StateView& state, const consensus::BlockHashView& hashes,
    uint64_t tip_height) {
    using consensus::BucketProgress;
    const ComputeReport cr = std::holds_alternative<ComputeCommit>(report)
                                 ? ComputeReport{std::get<ComputeCommit>(report)}
                                 : ComputeReport{std::get<ComputeOpen>(report)};
    const PubKey& device = ComputeReportDevice(cr);
    const bool is_open = std::holds_alternative<ComputeOpen>(cr);
    const auto cs = consensus::ReadComputeState(state, device);
    if (!cs) return Reject("report-not-compute", device.Hex());
    if (!cs->active) return Reject("compute-inactive", "reactivate the device first");
    const uint64_t next = tip_height + 1;
    const uint64_t current = consensus::compute::CurrentBucket(m_params.compute, next);
    const uint64_t bucket = ComputeReportBucket(cr);
    if (bucket == 0 || bucket != current || cs->bucket != current) {
        return Reject("compute-stale-bucket", "report for bucket " + std::to_string(bucket) +
                                                  ", device challenged in " +
                                                  std::to_string(cs->bucket));
    }
    const consensus::ComputeTier* tier =
        consensus::FindComputeTier(m_params.compute, cs->bucket_tier);
    if (tier == nullptr) return Reject("compute-wrong-tier");
    if (!is_open) {
        const auto& c = std::get<ComputeCommit>(cr);
        if (c.tier != cs->bucket_tier) {
            return Reject("compute-wrong-tier",
                          "the device is challenged in tier " + std::to_string(cs->bucket_tier));
        }
        if (cs->progress != BucketProgress::kChallenged) {
            return Reject("compute-duplicate-commit", "a commit of this bucket is on chain");
        }
    } else {
        if (cs->progress == BucketProgress::kOpened) {
            return Reject("compute-duplicate-open", "an open of this bucket is on chain");
        }
        if (cs->progress != BucketProgress::kCommitted) {
            return Reject("compute-no-commit", "no counted commit in this bucket");
        }
        if (next <= consensus::compute::SpotHeight(*tier, bucket)) {
            return Reject(
                "compute-open-too-early",
                "spot block " + std::to_string(consensus::compute::SpotHeight(*tier, bucket)));
        }
        if (next > consensus::compute::OpenDeadline(m_params.compute, *tier, bucket)) {
            return Reject("compute-late-open");
        }
        // What the chain could only record as a failure of the open's form is refused here,
        // so every pooled open has the size of an honest one (CheckComputeParams bounds it).
        const auto& o = std::get<ComputeOpen>(cr);
        if (o.root != cs->root) return Reject("compute-root-mismatch", "not the committed root");
        const auto spot = hashes.HashAtHeight(consensus::compute::SpotHeight(*tier, bucket));
        if (!spot) return Reject("compute-open-too-early", "no spot block yet");
        const std::vector<uint64_t> tiles = consensus::compute::SpottedTiles(
            tier->shape, consensus::compute::SpotCells(*spot, device, cs->root, tier->shape,
                                                       m_params.compute.spot_cells));
        const uint64_t leaf_count = consensus::compute::TileCount(tier->shape);
        const size_t cells = size_t{tier->shape.tile} * tier->shape.tile;
        bool form_ok = o.tiles.size() == tiles.size();
        for (size_t i = 0; form_ok && i < tiles.size(); ++i) {
            form_ok =
                o.tiles[i].index == tiles[i] && o.tiles[i].cells.size() == cells &&
                o.tiles[i].path.size() == consensus::compute::TilePathLength(tiles[i], leaf_count);
        }
        if (!form_ok) {
            return Reject("compute-wrong-tiles",
                          "an open carries exactly the spotted tiles, T*T cells and a full path "
                          "each");
        }
    }
    // Last of the checks that need no lock: the signature is the expensive one.
    if (!VerifyReportWithCache(device, ComputeReportSigHash(cr, m_params.network_id),
                               ComputeReportSignature(cr), m_sig_cache)) {
        return Reject("report-bad-signature");
    }
    LockGuard lock{m_mutex};
    if (m_compute.count({device, is_open})) {
        return Reject(is_open ? "compute-duplicate-open" : "compute-duplicate-commit",
                      "one is already pooled");
    }
    if (m_compute.size() >= m_options.max_compute_reports) return Reject("report-pool-full");
    m_compute.emplace(ComputeKey{device, is_open}, cr);
    return ReportAccepted{};
}

Result<ReportAccepted, ReportReject> ReportPool::Submit(const Report& report,
                                                        const consensus::StateView& state,
                                                        const consensus::BlockHashView& hashes,
                                                        uint64_t tip_height) {
    const PubKey& device = ReportDevice(report);
    auto record = consensus::ReadDevice(state, device);
    if (!record) return Reject("report-unknown-device", device.Hex());
    if (std::holds_alternative<ComputeCommit>(report) ||
        std::holds_alternative<ComputeOpen>(report)) {
        return SubmitCompute(report, state, hashes, tip_height);
    }

    if (const auto* b = std::get_if<BeaconReport>(&report)) {
        if (!VerifyReportWithCache(b->beaconer, b->SigHash(m_params.network_id), b->signature,
                                   m_sig_cache)) {
            return Reject("report-bad-signature");
        }
        if (b->entropy_height > tip_height || !hashes.HashAtHeight(b->entropy_height)) {
            return Reject("report-entropy-unknown",
                          "no block at " + std::to_string(b->entropy_height));
        }
        // The next block must still be inside the window.
        if (tip_height + 1 > b->entropy_height + m_params.poc.entropy_window) {
            return Reject("report-entropy-expired", "entropy height " +
                                                        std::to_string(b->entropy_height) +
                                                        ", tip " + std::to_string(tip_height));
        }
        const uint64_t bucket = consensus::BeaconBucket(m_params, b->entropy_height);
        if (record->last_beacon_bucket && *record->last_beacon_bucket >= bucket) {
            return Reject("beacon-bucket-used", "bucket " + std::to_string(bucket));
        }
        const Hash256 id = b->Id();
        LockGuard lock{m_mutex};
        if (m_beacons.count(id)) return Reject("report-duplicate");
        if (m_device_buckets.count({device, bucket})) {
            return Reject("beacon-bucket-used", "a beacon of this bucket is pooled");
        }
        if (m_beacons.size() >= m_options.max_beacons) return Reject("report-pool-full");
        m_beacons.emplace(id, PooledBeacon{*b, {}});
        m_device_buckets.insert({device, bucket});
        return ReportAccepted{id};
    }

    const WitnessReport& w = std::get<WitnessReport>(report);
    if (!VerifyReportWithCache(w.witness, w.SigHash(m_params.network_id), w.signature,
                               m_sig_cache)) {
        return Reject("report-bad-signature");
    }
    LockGuard lock{m_mutex};
    auto it = m_beacons.find(w.beacon_id);
    if (it == m_beacons.end()) return Reject("report-unknown-beacon", w.beacon_id.Hex());
    if (it->second.witnesses.count(w.witness)) return Reject("report-duplicate");
    if (it->second.witnesses.size() >= m_options.max_witnesses_per_beacon) {
        return Reject("report-pool-full", "beacon has the most witnesses the pool keeps");
    }
    it->second.witnesses.emplace(w.witness, w);
    ++m_witness_count;
    return ReportAccepted{w.beacon_id};
}

std::vector<CoverageProof> ReportPool::ProofsForBlock(uint64_t height,
                                                      const consensus::StateView& state,
                                                      const consensus::BlockHashView& hashes,
                                                      size_t max_proofs, size_t max_bytes) const {
    std::vector<const PooledBeacon*> ready;
    LockGuard lock{m_mutex};
    const uint64_t wait = std::max<uint64_t>(1, m_params.poc.entropy_window / 2);
    for (const auto& [id, pb] : m_beacons) {
        const uint64_t e = pb.beacon.entropy_height;
        if (height >= e + wait && height <= e + m_params.poc.entropy_window) ready.push_back(&pb);
    }
    // Oldest entropy first: those windows close soonest.
    std::stable_sort(ready.begin(), ready.end(), [](const PooledBeacon* a, const PooledBeacon* b) {
        return a->beacon.entropy_height < b->beacon.entropy_height;
    });
    // Later proofs see the state earlier ones leave (a beacon books its bucket, witnessed
    // height and shares), so evaluate on a delta that applies each proof in turn.
    consensus::StateDelta delta{state};
    std::vector<CoverageProof> out;
    size_t bytes = 0;
    for (const PooledBeacon* pb : ready) {
        if (out.size() >= max_proofs) break;
        std::vector<ProofWitness> all;
        for (const auto& [key, w] : pb->witnesses) all.push_back(ProofWitness::FromReport(w, 0));
        // Keep the witnesses that can earn first, then the rejected ones (so explorers see why)
        // up to the per-proof limit; then judge exactly the chosen set.
        auto first = consensus::EvaluateProof(pb->beacon, all, height, m_params, hashes, delta);
        std::vector<size_t> order(all.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
            auto rank = [&](size_t i) {
                auto v = first.witnesses[i];
                return v == consensus::WitnessVerdict::kValid         ? 0
                       : v == consensus::WitnessVerdict::kNotSelected ? 1
                                                                      : 2;
            };
            return rank(a) < rank(b);
        });
        CoverageProof proof;
        proof.beacon = pb->beacon;
        for (size_t k = 0; k < order.size() && k < m_params.poc.max_witnesses_per_proof; ++k) {
            proof.witnesses.push_back(all[order[k]]);
        }
        auto ev = consensus::EvaluateProof(proof.beacon, proof.witnesses, height, m_params, hashes,
                                           delta);
        proof.beacon_verdict = static_cast<uint8_t>(ev.beacon);
        for (size_t k = 0; k < proof.witnesses.size(); ++k) {
            proof.witnesses[k].verdict = static_cast<uint8_t>(ev.witnesses[k]);
        }
        const size_t size = EncodedSize(proof);
        if (bytes + size > max_bytes) break;
        if (!consensus::ApplyCoverageProof(proof, height, m_params, hashes, delta)) continue;
        bytes += size;
        out.push_back(std::move(proof));
    }
    return out;
}

std::vector<ComputeEntry> ReportPool::ComputeForBlock(uint64_t height,
                                                      const consensus::StateView& state,
                                                      size_t max_entries, size_t max_bytes) const {
    using consensus::BucketProgress;
    std::vector<ComputeEntry> commits, opens;
    {
        LockGuard lock{m_mutex};
        for (const auto& [key, report] : m_compute) {
            const auto cs = consensus::ReadComputeState(state, key.first);
            if (!cs || cs->bucket != ComputeReportBucket(report)) continue;
            const auto* tier = consensus::FindComputeTier(m_params.compute, cs->bucket_tier);
            if (tier == nullptr) continue;
            if (!key.second) {
                if (cs->progress == BucketProgress::kChallenged) commits.push_back({report});
            } else if (cs->progress == BucketProgress::kCommitted &&
                       height > consensus::compute::SpotHeight(*tier, cs->bucket) &&
                       height <=
                           consensus::compute::OpenDeadline(m_params.compute, *tier, cs->bucket)) {
                opens.push_back({report});
            }
        }
    }
    std::vector<ComputeEntry> out;
    size_t bytes = 0;
    for (auto* list : {&commits, &opens}) {
        for (ComputeEntry& e : *list) {
            if (out.size() >= max_entries) return out;
            // An entry that does not fit is skipped, not the end of the list: one large report
            // must not hold back every report that sorts after it.
            const size_t size = EncodedSize(e);
            if (bytes + size > max_bytes) continue;
            bytes += size;
            out.push_back(std::move(e));
        }
    }
    return out;
}

ReportPool::BeaconMap::iterator ReportPool::EraseLocked(BeaconMap::iterator it) {
    m_witness_count -= it->second.witnesses.size();
    m_device_buckets.erase({it->second.beacon.beaconer,
                            consensus::BeaconBucket(m_params, it->second.beacon.entropy_height)});
    return m_beacons.erase(it);
}

void ReportPool::UpdateForBlock(const Block& block) {
    LockGuard lock{m_mutex};
    for (const CoverageProof& p : block.proofs) {
        if (auto it = m_beacons.find(p.beacon.Id()); it != m_beacons.end()) EraseLocked(it);
    }
    const uint64_t next = block.header.height + 1;
    for (auto it = m_beacons.begin(); it != m_beacons.end();) {
        if (next > it->second.beacon.entropy_height + m_params.poc.entropy_window) {
            it = EraseLocked(it);
        } else {
            ++it;
        }
    }
    for (const ComputeEntry& e : block.compute) {
        m_compute.erase(
            {ComputeReportDevice(e.report), std::holds_alternative<ComputeOpen>(e.report)});
    }
    const uint64_t current = consensus::compute::CurrentBucket(m_params.compute, next);
    const uint64_t settled =
        block.header.height >= consensus::compute::SettleOffset(m_params.compute)
            ? block.header.height - consensus::compute::SettleOffset(m_params.compute)
            : 0;
    std::erase_if(m_compute, [&](const auto& kv) {
        const uint64_t b = ComputeReportBucket(kv.second);
        return b != current || b <= settled;
    });
}

ReportPoolInfo ReportPool::Info() const {
    LockGuard lock{m_mutex};
    ReportPoolInfo info{m_beacons.size(), m_witness_count};
    for (const auto& [key, report] : m_compute)
        ++(key.second ? info.compute_opens : info.compute_commits);
    return info;
}

}  // namespace cairn
