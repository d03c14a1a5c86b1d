#include "genesis.h"

#include "consensus/compute/open_check.h"
#include "consensus/compute/schedule.h"
#include "consensus/poc/grid.h"

namespace cairn::consensus {

void SerializeParams(const ChainParams& p, Writer& w) {
    w.VarInt(static_cast<uint64_t>(p.network));
    w.VarInt(p.network_id);
    w.VarInt(p.min_fee_per_byte);
    w.VarInt(p.max_block_bytes);
    w.VarInt(p.max_block_txs);
    w.VarInt(p.max_memo_bytes);
    // The DePIN rules' numbers are part of what a network agrees on, so the genesis hash
    // commits to them too.
    const PocParams& poc = p.poc;
    w.VarInt(poc.regions.size());
    for (const RadioRegion& r : poc.regions) {
        w.String(r.name);
        w.VarInt(r.channels_hz.size());
        for (uint32_t c : r.channels_hz) w.VarInt(c);
        w.VarInt(static_cast<uint64_t>(static_cast<int64_t>(r.max_eirp_ddbm)));
    }
    for (uint64_t v :
         {poc.radio_onboarding_fee, poc.assert_location_fee, poc.assert_location_interval,
          uint64_t{poc.min_antenna_gain_ddbi}, uint64_t{poc.max_antenna_gain_ddbi},
          poc.entropy_window, poc.beacon_bucket, poc.reciprocity_window, poc.interactive_window,
          uint64_t{poc.frequency_tolerance_hz}, poc.min_witness_distance_mm,
          poc.max_witness_distance_mm, uint64_t{poc.max_rewarded_witnesses},
          uint64_t{poc.max_witnesses_per_proof}, uint64_t{poc.max_proofs_per_block},
          uint64_t{poc.hip15.redundancy}, poc.hip15.decay_num, poc.hip15.decay_den,
          poc.hip15.beaconer_cap}) {
        w.VarInt(v);
    }
    w.VarInt(static_cast<uint64_t>(poc.density.count_level));
    w.VarInt(poc.density.levels.size());
    for (const rewards::DensityLevel& l : poc.density.levels) {
        w.VarInt(static_cast<uint64_t>(l.level));
        w.VarInt(l.n);
        w.VarInt(l.target);
        w.VarInt(l.max);
    }
    const ComputeParams& c = p.compute;
    w.VarInt(c.tiers.size());
    for (const ComputeTier& t : c.tiers) {
        w.String(t.name);
        for (uint64_t v : {uint64_t{t.shape.g}, uint64_t{t.shape.n}, uint64_t{t.shape.k},
                           uint64_t{t.shape.tile}, t.deadline, t.weight}) {
            w.VarInt(v);
        }
    }
    for (uint64_t v : {c.onboarding_fee, c.bucket_length, c.open_window, uint64_t{c.spot_cells},
                       uint64_t{c.max_missed_buckets}, uint64_t{c.max_entries_per_block}}) {
        w.VarInt(v);
    }
    const RewardParams& r = p.rewards;
    for (uint64_t v :
         {r.epoch_length, r.emission.initial_epoch_emission, r.emission.halving_interval_epochs,
          r.emission.max_total_emission, uint64_t{r.validators_bps}, uint64_t{r.beacons_bps},
          uint64_t{r.witnesses_bps}, uint64_t{r.compute_bps}}) {
        w.VarInt(v);
    }
}

std::optional<std::string> CheckDepinParams(const ChainParams& p) {
    const PocParams& poc = p.poc;
    for (const RadioRegion& r : poc.regions) {
        // Channels are indexed by one byte in beacon reports.
        if (r.channels_hz.empty() || r.channels_hz.size() > 255) {
            return "region " + r.name + " needs 1..255 channels";
        }
    }
    if (poc.regions.size() > 256) return std::string{"at most 256 radio regions"};
    if (poc.beacon_bucket == 0 || poc.entropy_window == 0 || p.rewards.epoch_length == 0) {
        return std::string{"beacon_bucket, entropy_window and epoch_length must be positive"};
    }
    if (poc.min_antenna_gain_ddbi > poc.max_antenna_gain_ddbi ||
        poc.min_witness_distance_mm > poc.max_witness_distance_mm) {
        return std::string{"antenna gain or witness distance range is empty"};
    }
    if (poc.max_witnesses_per_proof > kMaxProofWitnessesDecode ||
        poc.max_proofs_per_block > kMaxBlockProofsDecode) {
        return std::string{"proof limits exceed what blocks can encode"};
    }
    const RewardParams& r = p.rewards;
    if (uint64_t{r.validators_bps} + r.beacons_bps + r.witnesses_bps + r.compute_bps > 10'000) {
        return std::string{"reward pools exceed 10000 basis points"};
    }
    const int count = poc.density.count_level;
    int previous = count;
    for (const rewards::DensityLevel& l : poc.density.levels) {
        if (l.level < 0 || l.level >= previous) {
            return std::string{"density levels must go from finer to coarser than the count level"};
        }
        previous = l.level;
    }
    if (count < 0 || count >= poc::kGridLevels)
        return std::string{"density count level out of range"};
    if (auto err = CheckComputeParams(p.compute)) return err;
    // Producers give compute entries a quarter of a block; an honest open must fit in half of
    // that, so a block always has room for it.
    for (const ComputeTier& t : p.compute.tiers) {
        if (compute::MaxOpenEntryBytes(t.shape, p.compute.spot_cells) > p.max_block_bytes / 8) {
            return "tier " + t.name + ": an open does not fit the blocks' compute share";
        }
    }
    return std::nullopt;
}

std::optional<std::string> CheckComputeParams(const ComputeParams& c) {
    // Tier ids are one byte in commits and registrations.
    if (c.tiers.size() > 256) return std::string{"at most 256 compute tiers"};
    if (c.bucket_length == 0 || c.open_window == 0 || c.spot_cells == 0 ||
        c.max_missed_buckets == 0) {
        return std::string{
            "compute bucket, open window, spot cells and missed limit must be positive"};
    }
    if (c.max_entries_per_block > kMaxBlockComputeDecode) {
        return std::string{"compute entry limit exceeds what blocks can encode"};
    }
    for (const ComputeTier& t : c.tiers) {
        if (!compute::IsValidShape(t.shape)) return "tier " + t.name + " has an invalid shape";
        if (uint64_t{t.shape.tile} * t.shape.tile > kMaxTileCellsDecode) {
            return "tier " + t.name + " has tiles larger than opens can encode";
        }
        if (c.spot_cells > kMaxOpenTilesDecode ||
            c.spot_cells > uint64_t{t.shape.g} * t.shape.n * t.shape.n) {
            return "tier " + t.name +
                   " has fewer cells than spot checks, or opens cannot encode them";
        }
        // Units accumulate per epoch in 64 bits: a weight below 2^32 leaves room for 2^32 buckets.
        if (t.deadline == 0 || t.weight == 0 || t.weight > UINT32_MAX) {
            return "tier " + t.name + " needs a positive deadline and a weight below 2^32";
        }
    }
    // A bucket settles before the next starts (compute/schedule.h).
    if (!c.tiers.empty() && c.bucket_length <= compute::SettleOffset(c)) {
        return std::string{"compute bucket_length must exceed the settle offset"};
    }
    return std::nullopt;
}

Result<GenesisState, std::string> BuildGenesis(const Genesis& g) {
    GenesisState out;
    // Limits beyond what the decoders accept would let a producer make blocks no node can read.
    if (g.params.max_block_txs == 0 || g.params.max_block_txs > kMaxBlockTxsDecode ||
        g.params.max_memo_bytes > kMaxTxPayload / 2 || g.params.max_block_bytes < kMinBlockBytes ||
        g.time_ms > kMaxGenesisTimeMs) {
        return MakeError(std::string{"chain parameters out of range"});
    }
    if (auto err = CheckDepinParams(g.params)) return MakeError("chain parameters: " + *err);
    auto set = ValidatorSet::Create(g.validators);
    if (!set) return MakeError(set.error());
    out.validators = std::move(set).value();
    for (const GenesisAccount& a : g.accounts) {
        if (!a.key.IsValid()) return MakeError("invalid genesis account key " + a.key.Hex());
        if (a.balance == 0) return MakeError("zero genesis balance for " + a.key.Hex());
        if (!out.accounts.emplace(a.key, Account{a.balance, 0}).second) {
            return MakeError("duplicate genesis account " + a.key.Hex());
        }
        auto supply = CheckedAdd(out.supply, a.balance);
        if (!supply) return MakeError(std::string{"genesis supply overflows"});
        out.supply = *supply;
        out.commitment.Add(a.key, Account{a.balance, 0});
    }
    Writer pw;
    SerializeParams(g.params, pw);
    BlockHeader& h = out.block.header;
    h.network_id = g.params.network_id;
    h.height = 0;
    h.time_ms = g.time_ms;
    h.prev_hash = TaggedHash(tags::kGenesis, pw.Data());
    h.tx_root = Hash256::Zero();
    h.state_root = out.commitment.Root();
    h.validator_set_hash = out.validators.Hash();
    h.last_commit_hash = out.block.last_commit.Hash();
    return out;
}

}  // namespace cairn::consensus
