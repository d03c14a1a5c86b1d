#include "consensus/rewards/accounting.h"

#include <stdexcept>

#include "consensus/state_keys.h"

namespace cairn::consensus {
namespace {

template <typename T, typename Decode>
T ReadRecord(const StateView& state, const Bytes& key, Decode decode, const char* what) {
    auto raw = state.GetEntry(key);
    if (!raw) return T{};
    auto v = decode(*raw);
    if (!v) throw std::runtime_error(std::string{"corrupt "} + what + " record");
    return std::move(v).value();
}

constexpr size_t kSummaryFields = 18;

std::array<uint64_t*, kSummaryFields> SummaryFields(EpochSummary& s) {
    return {&s.epoch,          &s.end_height,      &s.emission,
            &s.fees,           &s.validators_pool, &s.beacons_pool,
            &s.witnesses_pool, &s.compute_pool,    &s.validators_paid,
            &s.beacons_paid,   &s.witnesses_paid,  &s.fee_carry,
            &s.minted,         &s.unminted,        &s.devices_paid,
            &s.owners_paid,    &s.compute_paid,    &s.compute_devices_paid};
}

DecodeResult<EpochSummary> DecodeEpochSummary(ByteSpan data) {
    Reader r{data};
    EpochSummary s;
    for (uint64_t* f : SummaryFields(s)) r.VarInt(*f, "epoch_summary");
    if (!r.ExpectEnd("epoch summary")) return MakeError(r.Error());
    return s;
}

}  // namespace

DecodeResult<ChainAccounting> DecodeAccounting(ByteSpan data) {
    Reader r{data};
    ChainAccounting a;
    r.VarInt(a.minted, "accounting.minted");
    r.VarInt(a.burned, "accounting.burned");
    r.VarInt(a.epoch_fees, "accounting.epoch_fees");
    r.VarInt(a.fee_carry, "accounting.fee_carry");
    if (!r.ExpectEnd("accounting")) return MakeError(r.Error());
    return a;
}

DecodeResult<RewardShare> DecodeRewardShare(ByteSpan data) {
    Reader r{data};
    RewardShare s;
    r.VarInt(s.beacon_units, "share.beacon_units");
    r.VarInt(s.witness_units, "share.witness_units");
    r.VarInt(s.epoch, "share.epoch");
    if (!r.ExpectEnd("reward share")) return MakeError(r.Error());
    return s;
}

ChainAccounting ReadAccounting(const StateView& state) {
    return ReadRecord<ChainAccounting>(state, keys::Prefix(keys::kAccounting), DecodeAccounting,
                                       "accounting");
}

void WriteAccounting(StateDelta& state, const ChainAccounting& a) {
    Writer w;
    w.VarInt(a.minted);
    w.VarInt(a.burned);
    w.VarInt(a.epoch_fees);
    w.VarInt(a.fee_carry);
    state.SetEntry(keys::Prefix(keys::kAccounting), w.Take());
}

RewardShare ReadRewardShare(const StateView& state, const PubKey& device) {
    return ReadRecord<RewardShare>(state, keys::WithKey(keys::kRewardShare, device),
                                   DecodeRewardShare, "reward share");
}

void WriteRewardShare(StateDelta& state, const PubKey& device, const RewardShare& s) {
    Writer w;
    w.VarInt(s.beacon_units);
    w.VarInt(s.witness_units);
    w.VarInt(s.epoch);
    state.SetEntry(keys::WithKey(keys::kRewardShare, device), w.Take());
}

std::optional<EpochSummary> ReadEpochSummary(const StateView& state, uint64_t epoch) {
    auto raw = state.GetEntry(keys::WithNumber(keys::kEpochSummary, epoch));
    if (!raw) return std::nullopt;
    auto s = DecodeEpochSummary(*raw);
    if (!s) throw std::runtime_error("corrupt epoch summary " + std::to_string(epoch));
    return std::move(s).value();
}

void WriteEpochSummary(StateDelta& state, const EpochSummary& s) {
    Writer w;
    EpochSummary copy = s;
    for (uint64_t* f : SummaryFields(copy)) w.VarInt(*f);
    state.SetEntry(keys::WithNumber(keys::kEpochSummary, s.epoch), w.Take());
}

CheckResult<> BurnFrom(StateDelta& state, const PubKey& payer, Amount amount) {
    Account a = state.Get(payer);
    if (a.balance < amount) {
        return Rejected(
            RejectReason::kTxInsufficientFunds,
            "balance " + FormatAmount(a.balance) + " < fee to burn " + FormatAmount(amount));
    }
    a.balance -= amount;
    state.Set(payer, a);
    ChainAccounting acc = ReadAccounting(state);
    auto burned = CheckedAdd(acc.burned, amount);
    if (!burned) return Rejected(RejectReason::kTxBalanceOverflow, "burned total");
    acc.burned = *burned;
    WriteAccounting(state, acc);
    return {};
}

}  // namespace cairn::consensus
