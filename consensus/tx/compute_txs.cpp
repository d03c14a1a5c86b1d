#include "consensus/tx/compute_txs.h"

#include "consensus/compute/compute_state.h"
#include "consensus/devices/device_record.h"

namespace cairn::consensus {
namespace {

// The compute state of `device`, which must be a compute device owned by `sender`.
CheckResult<ComputeState> OwnedComputeDevice(const StateView& state, const PubKey& device,
                                             const PubKey& sender) {
    auto d = ReadDevice(state, device);
    if (!d) return Rejected(RejectReason::kTxUnknownDevice, device.Hex());
    if (d->owner != sender) return Rejected(RejectReason::kTxNotDeviceOwner, device.Hex());
    if (d->device_class != DeviceClass::kCompute) {
        return Rejected(RejectReason::kTxNotCompute, device.Hex());
    }
    auto cs = ReadComputeState(state, device);
    if (!cs) return Rejected(RejectReason::kTxNotCompute, device.Hex());
    return std::move(cs).value();
}

}  // namespace

// --- set_compute_tier ---

Bytes SetComputeTierPayload::Encode() const {
    Writer w;
    w.Fixed(device.bytes);
    w.Int(tier);
    return w.Take();
}

DecodeResult<SetComputeTierPayload> SetComputeTierPayload::Decode(ByteSpan payload) {
    Reader r{payload};
    SetComputeTierPayload p;
    r.Fixed(p.device.bytes, "set_compute_tier.device");
    r.Int(p.tier, "set_compute_tier.tier");
    if (!r.ExpectEnd("set_compute_tier")) return MakeError(r.Error());
    return p;
}

CheckResult<> SetComputeTierTx::CheckPayload(const Transaction& tx,
                                             const ChainParams& params) const {
    auto p = DecodeTxPayload<SetComputeTierPayload>(tx);
    if (!p) return MakeError(p.error());
    if (!FindComputeTier(params.compute, p->tier)) {
        return Rejected(RejectReason::kTxUnknownTier, std::to_string(p->tier));
    }
    return {};
}

CheckResult<> SetComputeTierTx::Apply(const Transaction& tx, const ChainParams& params, uint64_t,
                                      StateDelta& state) const {
    auto p = DecodeTxPayload<SetComputeTierPayload>(tx);
    if (!p) return MakeError(p.error());
    if (!FindComputeTier(params.compute, p->tier)) return Rejected(RejectReason::kTxUnknownTier);
    auto cs = OwnedComputeDevice(state, p->device, tx.sender);
    if (!cs) return MakeError(cs.error());
    const uint8_t pending = cs->next_tier.value_or(cs->tier);
    if (p->tier == pending) return Rejected(RejectReason::kTxSameTier, std::to_string(p->tier));
    if (p->tier == cs->tier) {
        cs->next_tier.reset();  // back to the tier in force: cancel the pending change
    } else {
        cs->next_tier = p->tier;
    }
    WriteComputeState(state, p->device, *cs);
    // The registry record's class data names the tier the device asked for last.
    auto d = ReadDevice(state, p->device);
    d->class_data = {p->tier};
    WriteDevice(state, p->device, *d);
    return {};
}

nlohmann::json SetComputeTierTx::PayloadToJson(const Transaction& tx, Network) const {
    auto p = SetComputeTierPayload::Decode(tx.payload);
    if (!p) return nlohmann::json::object();
    return {{"device", p->device.Hex()}, {"tier", p->tier}};
}

std::vector<PubKey> SetComputeTierTx::OtherAccounts(const Transaction&) const {
    return {};
}

// --- reactivate_compute ---

Bytes ReactivateComputePayload::Encode() const {
    Writer w;
    w.Fixed(device.bytes);
    return w.Take();
}

DecodeResult<ReactivateComputePayload> ReactivateComputePayload::Decode(ByteSpan payload) {
    Reader r{payload};
    ReactivateComputePayload p;
    r.Fixed(p.device.bytes, "reactivate_compute.device");
    if (!r.ExpectEnd("reactivate_compute")) return MakeError(r.Error());
    return p;
}

CheckResult<> ReactivateComputeTx::CheckPayload(const Transaction& tx, const ChainParams&) const {
    auto p = DecodeTxPayload<ReactivateComputePayload>(tx);
    if (!p) return MakeError(p.error());
    return {};
}

CheckResult<> ReactivateComputeTx::Apply(const Transaction& tx, const ChainParams&, uint64_t,
                                         StateDelta& state) const {
    auto p = DecodeTxPayload<ReactivateComputePayload>(tx);
    if (!p) return MakeError(p.error());
    auto cs = OwnedComputeDevice(state, p->device, tx.sender);
    if (!cs) return MakeError(cs.error());
    if (cs->active) return Rejected(RejectReason::kTxDeviceActive, p->device.Hex());
    cs->active = true;
    cs->missed = 0;
    WriteComputeState(state, p->device, *cs);
    return {};
}

nlohmann::json ReactivateComputeTx::PayloadToJson(const Transaction& tx, Network) const {
    auto p = ReactivateComputePayload::Decode(tx.payload);
    if (!p) return nlohmann::json::object();
    return {{"device", p->device.Hex()}};
}

std::vector<PubKey> ReactivateComputeTx::OtherAccounts(const Transaction&) const {
    return {};
}

}  // namespace cairn::consensus
