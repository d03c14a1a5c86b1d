// ReportPool: signed device reports waiting for their beacon's window to close.
//
// Devices submit beacon and witness reports to any node (RPC submitreport; later also from
// peers). The pool checks what is cheap and decides admission — the format, a registered
// device, a valid signature, an entropy block that exists and is still in window, one beacon
// per device per bucket, a known beacon for a witness, no duplicates, and size bounds — and
// leaves the rest to the consensus rules, which judge the proof when a block includes it.
// Admission depends only on the report and the tip, not on how it arrived: a gossip layer can
// hand peers' reports to Submit and relay what it accepts (EncodeReport gives the wire form).
//
// When the block at height h is built, every pooled beacon with entropy height e and
// h >= e + entropy_window / 2 becomes one CoverageProof: its witnesses (valid ones first, up
// to the per-proof limit) with the verdicts the consensus rules give them.
//
// Compute reports (commit, open) of the current bucket wait here too, at most one of each kind
// per device: a commit goes into the next block (a late one too, so the chain records that it
// was late), an open into the first block after its spot-check block. Admission refuses what
// could never count: another bucket's report (a replay), a second commit or open, a wrong
// tier, an open before the spot block or after its window, an open naming another root or
// whose tiles, cell counts or path lengths are not those of the spotted tiles (so a pooled open
// is never larger than an honest one). Whether an open's cells and paths are right is for the
// block to judge and record.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "consensus/params.h"
#include "consensus/poc/coverage_verifier.h"
#include "consensus/state.h"
#include "node/signature_cache.h"
#include "primitives/block.h"
#include "primitives/report.h"
#include "util/result.h"
#include "util/sync.h"

namespace cairn {

struct ReportReject {
    std::string code;  // stable, e.g. "report-entropy-expired"
    std::string detail;
    std::string ToString() const { return detail.empty() ? code : code + ": " + detail; }
};

struct ReportAccepted {
    Hash256 beacon_id;  // the beacon itself, or the beacon a witness names (zero for compute)
};

struct ReportPoolInfo {
    size_t beacons{0};
    size_t witnesses{0};
    size_t compute_commits{0};
    size_t compute_opens{0};
};

class ReportPool {
public:
    struct Options {
        size_t max_beacons{200'000};
        size_t max_witnesses_per_beacon{64};
        size_t max_compute_reports{200'000};
    };

    // `sig_cache` (may be null) remembers verified report signatures for block validation.
    ReportPool(const consensus::ChainParams& params, Options options, SignatureCache* sig_cache)
        : m_params{params}, m_options{options}, m_sig_cache{sig_cache} {}

    // `tip_height` is the height of the tip `state` and `hashes` describe.
    Result<ReportAccepted, ReportReject> Submit(const Report& report,
                                                const consensus::StateView& state,
                                                const consensus::BlockHashView& hashes,
                                                uint64_t tip_height) EXCLUDES(m_mutex);

    // The proofs for a block at `height` on top of `state`, at most max_proofs and max_bytes.
    std::vector<CoverageProof> ProofsForBlock(uint64_t height, const consensus::StateView& state,
                                              const consensus::BlockHashView& hashes,
                                              size_t max_proofs, size_t max_bytes) const
        EXCLUDES(m_mutex);

    // The compute reports for a block at `height` on top of `state` (verdicts not yet filled
    // in: block assembly judges them), commits first, at most max_entries and max_bytes.
    std::vector<ComputeEntry> ComputeForBlock(uint64_t height, const consensus::StateView& state,
                                              size_t max_entries, size_t max_bytes) const
        EXCLUDES(m_mutex);

    // After a block: forgets its beacons and those whose window has passed, its compute
    // reports and those of buckets that are over.
    void UpdateForBlock(const Block& block) EXCLUDES(m_mutex);

    ReportPoolInfo Info() const EXCLUDES(m_mutex);

private:
    struct PooledBeacon {
        BeaconReport beacon;
        std::map<PubKey, WitnessReport> witnesses;  // one per witness device
    };

    using BeaconMap = std::map<Hash256, PooledBeacon>;
    BeaconMap::iterator EraseLocked(BeaconMap::iterator it) REQUIRES(m_mutex);

    Result<ReportAccepted, ReportReject> SubmitCompute(const Report& report,
                                                       const consensus::StateView& state,
                                                       const consensus::BlockHashView& hashes,
                                                       uint64_t tip_height) EXCLUDES(m_mutex);
    // (device, is_open) -> report.
    using ComputeKey = std::pair<PubKey, bool>;

    const consensus::ChainParams& m_params;
    const Options m_options;
    SignatureCache* const m_sig_cache;
    mutable Mutex m_mutex;
    BeaconMap m_beacons GUARDED_BY(m_mutex);
    // (device, bucket) of pooled beacons: one per device per bucket.
    std::set<std::pair<PubKey, uint64_t>> m_device_buckets GUARDED_BY(m_mutex);
    size_t m_witness_count GUARDED_BY(m_mutex){0};
    std::map<ComputeKey, ComputeReport> m_compute GUARDED_BY(m_mutex);
};

}  // namespace cairn
