#include "consensus/compute/compute_verifier.h"

#include <stdexcept>
#include <string>

#include "consensus/compute/schedule.h"
#include "consensus/compute/spot_check.h"
#include "consensus/devices/device_record.h"
#include "consensus/rewards/epoch_rewards.h"
#include "consensus/state_keys.h"

namespace cairn::consensus::compute {
namespace {

// The device's compute state, or the verdict that stops a report of it before any bucket rule.
struct Standing {
    std::optional<ComputeState> state;
    ComputeVerdict verdict{ComputeVerdict::kValid};
};

Standing StandingOf(const StateView& state, const PubKey& device) {
    const auto d = ReadDevice(state, device);
    if (!d) return {std::nullopt, ComputeVerdict::kUnknownDevice};
    if (d->device_class != DeviceClass::kCompute)
        return {std::nullopt, ComputeVerdict::kNotCompute};
    auto cs = ReadComputeState(state, device);
    if (!cs) throw std::runtime_error("compute device without compute state " + device.Hex());
    if (!cs->active) return {cs, ComputeVerdict::kInactive};
    return {cs, ComputeVerdict::kValid};
}

// The bucket rules shared by commits and opens; `late` is the verdict for a report of the
// current bucket that arrives after the device's bucket was settled.
ComputeVerdict CheckBucket(const ChainParams& params, uint64_t height, const ComputeState& cs,
                           uint64_t bucket, ComputeVerdict late) {
    const uint64_t current = CurrentBucket(params.compute, height);
    if (bucket == 0 || bucket != current) return ComputeVerdict::kWrongBucket;
    if (cs.bucket != current) {
        return cs.last_bucket == current ? late : ComputeVerdict::kNotChallenged;
    }
    return ComputeVerdict::kValid;
}

const ComputeTier& TierOf(const ChainParams& params, uint8_t tier) {
    const ComputeTier* t = FindComputeTier(params.compute, tier);
    if (t == nullptr) throw std::runtime_error("compute state names unknown tier");
    return *t;
}

Hash256 HashAt(const BlockHashView& hashes, uint64_t height) {
    auto h = hashes.HashAtHeight(height);
    if (!h) throw std::runtime_error("no block hash at height " + std::to_string(height));
    return *h;
}

ComputeEvaluation EvaluateCommit(const ComputeCommit& c, uint64_t height, const ChainParams& params,
                                 StateDelta& state) {
    Standing st = StandingOf(state, c.device);
    if (st.verdict != ComputeVerdict::kValid) return {st.verdict, 0};
    ComputeState& cs = *st.state;
    if (auto v = CheckBucket(params, height, cs, c.bucket, ComputeVerdict::kLateCommit);
        v != ComputeVerdict::kValid) {
        return {v, 0};
    }
    if (c.tier != cs.bucket_tier) return {ComputeVerdict::kWrongTier, 0};
    if (cs.progress != BucketProgress::kChallenged) return {ComputeVerdict::kDuplicateCommit, 0};
    if (height > c.bucket + TierOf(params, cs.bucket_tier).deadline) {
        cs.progress = BucketProgress::kLateCommit;
        WriteComputeState(state, c.device, cs);
        return {ComputeVerdict::kLateCommit, 0};
    }
    cs.progress = BucketProgress::kCommitted;
    cs.root = c.root;
    cs.commit_height = height;
    WriteComputeState(state, c.device, cs);
    return {};
}

// The rules of an open before its cells; on kValid fills `input` for CheckOpens.
ComputeEvaluation EvaluateOpenRules(const ComputeOpen& o, uint64_t height,
                                    const ChainParams& params, const BlockHashView& hashes,
                                    const StateView& state, OpenCheckInput& input) {
    Standing st = StandingOf(state, o.device);
    if (st.verdict != ComputeVerdict::kValid) return {st.verdict, 0};
    const ComputeState& cs = *st.state;
    if (auto v = CheckBucket(params, height, cs, o.bucket, ComputeVerdict::kLateOpen);
        v != ComputeVerdict::kValid) {
        return {v, 0};
    }
    if (cs.progress == BucketProgress::kOpened) return {ComputeVerdict::kDuplicateOpen, 0};
    if (cs.progress != BucketProgress::kCommitted) return {ComputeVerdict::kNoCommit, 0};
    const ComputeTier& tier = TierOf(params, cs.bucket_tier);
    if (height <= SpotHeight(tier, o.bucket)) return {ComputeVerdict::kOpenTooEarly, 0};
    if (height > OpenDeadline(params.compute, tier, o.bucket)) {
        return {ComputeVerdict::kLateOpen, 0};
    }
    if (o.root != cs.root) return {ComputeVerdict::kRootMismatch, 0};
    input.seed = ChallengeSeed(HashAt(hashes, o.bucket), o.device);
    input.shape = tier.shape;
    input.cells = SpotCells(HashAt(hashes, SpotHeight(tier, o.bucket)), o.device, cs.root,
                            tier.shape, params.compute.spot_cells);
    input.root = cs.root;
    input.open = &o;
    return {};
}

// Books an open's final verdict: the device's one answer for this bucket.
void BookOpen(const PubKey& device, const ComputeEvaluation& ev, StateDelta& state) {
    auto cs = ReadComputeState(state, device);
    if (!cs) throw std::runtime_error("open booked for a device without compute state");
    cs->progress = BucketProgress::kOpened;
    cs->open_verdict = ev.verdict;
    cs->open_detail = ev.detail;
    WriteComputeState(state, device, *cs);
}

// Every compute state, in device key order (copied: callers write while walking the list).
std::vector<std::pair<PubKey, ComputeState>> AllComputeStates(const StateView& state) {
    std::vector<std::pair<PubKey, ComputeState>> out;
    state.ForEachEntry(keys::Prefix(keys::kCompute), [&](ByteSpan key, ByteSpan value) {
        auto cs = DecodeComputeState(value);
        if (key.size() != 33 || !cs) throw std::runtime_error("corrupt compute state record");
        out.emplace_back(keys::KeyOf(key), std::move(cs).value());
        return true;
    });
    return out;
}

}  // namespace

CheckResult<std::vector<ComputeEvaluation>> ApplyComputeEntries(
    const std::vector<ComputeEntry>& entries, VerdictMode mode, uint64_t height,
    const ChainParams& params, const BlockHashView& hashes, const SignatureChecker& checker,
    StateDelta& state) {
    std::vector<ComputeEvaluation> out(entries.size());
    // Pass 1, in block order: commits are judged and booked; an open that passes its rules is
    // booked as opened at once (so a second open in the same block is a duplicate) and its cells
    // are judged in pass 2, all together, through the checker.
    std::vector<OpenCheckInput> inputs;
    std::vector<size_t> pending;
    for (size_t i = 0; i < entries.size(); ++i) {
        if (const auto* c = std::get_if<ComputeCommit>(&entries[i].report)) {
            out[i] = EvaluateCommit(*c, height, params, state);
            continue;
        }
        const auto& o = std::get<ComputeOpen>(entries[i].report);
        OpenCheckInput input;
        out[i] = EvaluateOpenRules(o, height, params, hashes, state, input);
        if (out[i].verdict == ComputeVerdict::kRootMismatch) BookOpen(o.device, out[i], state);
        if (out[i].verdict != ComputeVerdict::kValid) continue;
        BookOpen(o.device, out[i], state);
        inputs.push_back(std::move(input));
        pending.push_back(i);
    }
    const std::vector<OpenCheck> checks = checker.CheckOpens(inputs);
    if (checks.size() != inputs.size()) throw std::logic_error("CheckOpens returned a wrong count");
    for (size_t p = 0; p < pending.size(); ++p) {
        const size_t i = pending[p];
        out[i] = {checks[p].verdict, checks[p].detail};
        if (out[i].verdict != ComputeVerdict::kValid) {
            BookOpen(std::get<ComputeOpen>(entries[i].report).device, out[i], state);
        }
    }
    if (mode == VerdictMode::kRecord) {
        for (size_t i = 0; i < entries.size(); ++i) {
            if (entries[i].verdict != static_cast<uint8_t>(out[i].verdict) ||
                entries[i].detail != out[i].detail) {
                return Rejected(RejectReason::kBlockBadVerdict,
                                "compute entry " + std::to_string(i) + ": recorded " +
                                    std::to_string(entries[i].verdict) + ", computed " +
                                    std::string{ComputeVerdictCode(out[i].verdict)});
            }
        }
    }
    return out;
}

uint64_t StartComputeBucket(const ChainParams& params, uint64_t height, StateDelta& state) {
    if (!IsBucketStart(params.compute, height)) return 0;
    uint64_t challenged = 0;
    for (auto& [device, cs] : AllComputeStates(state)) {
        if (!cs.active) continue;
        if (cs.next_tier) {
            cs.tier = *cs.next_tier;
            cs.next_tier.reset();
        }
        cs.bucket = height;
        cs.bucket_tier = cs.tier;
        cs.progress = BucketProgress::kChallenged;
        cs.root = Hash256{};
        cs.commit_height = 0;
        cs.open_verdict = ComputeVerdict::kValid;
        cs.open_detail = 0;
        WriteComputeState(state, device, cs);
        ++challenged;
    }
    return challenged;
}

std::vector<ComputeSettlement> SettleComputeBucket(const ChainParams& params, uint64_t height,
                                                   StateDelta& state) {
    std::vector<ComputeSettlement> out;
    const uint64_t offset = SettleOffset(params.compute);
    if (height <= offset || !IsBucketStart(params.compute, height - offset)) return out;
    const uint64_t bucket = height - offset;
    const uint64_t epoch = rewards::EpochOf(params, height);
    for (auto& [device, cs] : AllComputeStates(state)) {
        if (cs.bucket != bucket) continue;
        ComputeSettlement s;
        s.device = device;
        s.bucket = bucket;
        s.tier = cs.bucket_tier;
        switch (cs.progress) {
            case BucketProgress::kChallenged:
                s.outcome = ComputeVerdict::kNoCommit;
                break;
            case BucketProgress::kLateCommit:
                s.outcome = ComputeVerdict::kLateCommit;
                break;
            case BucketProgress::kCommitted:
                s.outcome = ComputeVerdict::kNoOpen;
                break;
            case BucketProgress::kOpened:
                s.outcome = cs.open_verdict;
                s.detail = cs.open_detail;
                break;
        }
        if (s.outcome == ComputeVerdict::kValid) {
            s.units = TierOf(params, cs.bucket_tier).weight;
            if (cs.share_epoch != epoch) {
                cs.share_epoch = epoch;
                cs.units = 0;
                cs.share_buckets = 0;
            }
            cs.units += s.units;  // weight <= 2^32 and buckets per epoch are few: no overflow
            ++cs.share_buckets;
            ++cs.buckets_passed;
            cs.missed = 0;
        } else {
            ++cs.buckets_failed;
            if (++cs.missed >= params.compute.max_missed_buckets) {
                cs.active = false;
                s.deactivated = true;
            }
        }
        cs.bucket = 0;
        cs.last_bucket = bucket;
        cs.last_outcome = s.outcome;
        cs.last_detail = s.detail;
        WriteComputeState(state, device, cs);
        out.push_back(s);
    }
    return out;
}

std::optional<ChallengeInfo> CurrentChallenge(const ChainParams& params, uint64_t tip_height,
                                              const BlockHashView& hashes, const StateView& state,
                                              const PubKey& device) {
    const auto cs = ReadComputeState(state, device);
    if (!cs || cs->bucket == 0) return std::nullopt;
    const ComputeTier* tier = FindComputeTier(params.compute, cs->bucket_tier);
    const auto h0 = hashes.HashAtHeight(cs->bucket);
    if (tier == nullptr || !h0 || cs->bucket > tip_height) return std::nullopt;
    ChallengeInfo info;
    info.bucket = cs->bucket;
    info.tier = cs->bucket_tier;
    info.tier_params = tier;
    info.seed = ChallengeSeed(*h0, device);
    info.commit_deadline = cs->bucket + tier->deadline;
    info.spot_height = SpotHeight(*tier, cs->bucket);
    info.open_deadline = OpenDeadline(params.compute, *tier, cs->bucket);
    info.settle_height = cs->bucket + SettleOffset(params.compute);
    return info;
}

}  // namespace cairn::consensus::compute
