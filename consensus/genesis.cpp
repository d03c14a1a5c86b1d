#include "genesis.h"

namespace cairn::consensus {

void SerializeParams(const ChainParams& p, Writer& w) {
    w.VarInt(static_cast<uint64_t>(p.network));
    w.VarInt(p.network_id);
    w.VarInt(p.min_fee_per_byte);
    w.VarInt(p.max_block_bytes);
    w.VarInt(p.max_block_txs);
    w.VarInt(p.max_memo_bytes);
}

Result<GenesisState, std::string> BuildGenesis(const Genesis& g) {
    GenesisState out;
    // Limits beyond what the decoders accept would let a producer make blocks no node can read.
    if (g.params.max_block_txs == 0 || g.params.max_block_txs > kMaxBlockTxsDecode ||
        g.params.max_memo_bytes > kMaxTxPayload / 2 || g.params.max_block_bytes < kMinBlockBytes ||
        g.time_ms > kMaxGenesisTimeMs) {
        return MakeError(std::string{"chain parameters out of range"});
    }
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
