#include "consensus/compute/compute_state.h"

#include <stdexcept>

#include "consensus/state_keys.h"

namespace cairn::consensus {

Bytes EncodeComputeState(const ComputeState& s) {
    Writer w;
    w.Int(s.tier);
    w.VarInt(s.next_tier ? uint64_t{*s.next_tier} + 1 : 0);
    w.Int(static_cast<uint8_t>(s.active ? 1 : 0));
    w.VarInt(s.missed);
    w.VarInt(s.bucket);
    w.Int(s.bucket_tier);
    w.Int(static_cast<uint8_t>(s.progress));
    w.Fixed(s.root.bytes);
    w.VarInt(s.commit_height);
    w.Int(static_cast<uint8_t>(s.open_verdict));
    w.VarInt(s.open_detail);
    w.VarInt(s.last_bucket);
    w.Int(static_cast<uint8_t>(s.last_outcome));
    w.VarInt(s.last_detail);
    for (uint64_t v :
         {s.buckets_passed, s.buckets_failed, s.share_epoch, s.units, s.share_buckets}) {
        w.VarInt(v);
    }
    return w.Take();
}

DecodeResult<ComputeState> DecodeComputeState(ByteSpan data) {
    Reader r{data};
    ComputeState s;
    uint64_t next = 0, missed = 0, open_detail = 0, last_detail = 0;
    uint8_t active = 0, progress = 0, open_verdict = 0, last_outcome = 0;
    r.Int(s.tier, "compute.tier");
    r.VarIntMax(next, 256, "compute.next_tier");
    r.Int(active, "compute.active");
    r.VarIntMax(missed, UINT32_MAX, "compute.missed");
    r.VarInt(s.bucket, "compute.bucket");
    r.Int(s.bucket_tier, "compute.bucket_tier");
    r.Int(progress, "compute.progress");
    r.Fixed(s.root.bytes, "compute.root");
    r.VarInt(s.commit_height, "compute.commit_height");
    r.Int(open_verdict, "compute.open_verdict");
    r.VarIntMax(open_detail, UINT32_MAX, "compute.open_detail");
    r.VarInt(s.last_bucket, "compute.last_bucket");
    r.Int(last_outcome, "compute.last_outcome");
    r.VarIntMax(last_detail, UINT32_MAX, "compute.last_detail");
    for (uint64_t* v :
         {&s.buckets_passed, &s.buckets_failed, &s.share_epoch, &s.units, &s.share_buckets}) {
        r.VarInt(*v, "compute.counters");
    }
    if (!r.ExpectEnd("compute state")) return MakeError(r.Error());
    const auto ov = ComputeVerdictFromByte(open_verdict);
    const auto lo = ComputeVerdictFromByte(last_outcome);
    if (active > 1 || progress > static_cast<uint8_t>(BucketProgress::kOpened) || !ov || !lo) {
        return MakeError(DecodeError{DecodeErrorCode::kUnknownEnum, "compute state"});
    }
    if (next > 0) s.next_tier = static_cast<uint8_t>(next - 1);
    s.active = active == 1;
    s.missed = static_cast<uint32_t>(missed);
    s.progress = static_cast<BucketProgress>(progress);
    s.open_verdict = *ov;
    s.open_detail = static_cast<uint32_t>(open_detail);
    s.last_outcome = *lo;
    s.last_detail = static_cast<uint32_t>(last_detail);
    return s;
}

std::optional<ComputeState> ReadComputeState(const StateView& state, const PubKey& device) {
    auto raw = state.GetEntry(keys::WithKey(keys::kCompute, device));
    if (!raw) return std::nullopt;
    auto s = DecodeComputeState(*raw);
    if (!s) throw std::runtime_error("corrupt compute state of " + device.Hex());
    return std::move(s).value();
}

void WriteComputeState(StateDelta& state, const PubKey& device, const ComputeState& s) {
    state.SetEntry(keys::WithKey(keys::kCompute, device), EncodeComputeState(s));
}

}  // namespace cairn::consensus
