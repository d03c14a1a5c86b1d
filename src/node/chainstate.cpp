#include "node/chainstate.h"

#include "node/depin_index.h"

#include "util/logging.h"

namespace cairn {

Result<std::unique_ptr<ChainState>, std::string> ChainState::Open(
    const Options& options, const consensus::Genesis& genesis) {
    auto built = consensus::BuildGenesis(genesis);
    if (!built) return MakeError("invalid genesis: " + built.error());
    std::unique_ptr<ChainState> cs{new ChainState()};
    cs->m_options = options;
    cs->m_params = genesis.params;
    cs->m_validators = built->validators;
    cs->m_genesis_hash = built->block.Hash();

    auto db = ChainDb::Open(options.db_path, options.db_cache_bytes);
    if (!db) return MakeError(db.error());
    cs->m_db = std::move(db).value();

    auto stored_genesis = cs->m_db->ReadGenesisHash();
    if (!stored_genesis) {
        BlockWrite w;
        w.block = &built->block;
        w.hash = cs->m_genesis_hash;
        w.changes = &built->accounts;
        w.commitment = &built->commitment;
        w.supply = built->supply;
        std::string err;
        if (!cs->m_db->WriteBlock(w, err)) return MakeError(err);
        LogInfo("wrote genesis block " + cs->m_genesis_hash.Hex());
    } else if (*stored_genesis != cs->m_genesis_hash) {
        return MakeError("database belongs to genesis " + stored_genesis->Hex() +
                         ", but the configured genesis is " + cs->m_genesis_hash.Hex());
    }

    auto tip = cs->m_db->ReadTip();
    auto commitment = cs->m_db->ReadCommitment();
    auto supply = cs->m_db->ReadSupply();
    if (!tip || !commitment || !supply) return MakeError(std::string{"database has no tip"});
    auto block = cs->m_db->ReadBlock(tip->hash);
    if (!block) return MakeError("tip block " + tip->hash.Hex() + " missing from database");
    ChainTip loaded;
    loaded.height = tip->height;
    loaded.hash = tip->hash;
    loaded.header = block->header;
    loaded.commit = cs->m_db->ReadTipCommit().value_or(Commit{});
    loaded.commitment = *commitment;
    loaded.supply = *supply;
    {
        LockGuard lock{cs->m_mutex};
        cs->m_tip = std::move(loaded);
    }
    // The stored accumulator must match the tip's state root: a cheap check that the
    // database is internally consistent at startup.
    if (commitment->Root() != block->header.state_root) {
        return MakeError(std::string{"state commitment does not match the tip's state root"});
    }
    return cs;
}

ChainTip ChainState::Tip() const {
    LockGuard lock{m_mutex};
    return m_tip;
}

consensus::CheckResult<> ChainState::ConnectTip(const Block& block, const Commit& commit,
                                                uint64_t now_ms) {
    LockGuard connect_lock{m_connect_mutex};
    ChainTip tip = Tip();
    if (block.header.time_ms > now_ms + m_options.max_future_block_ms) {
        return consensus::Rejected(
            consensus::RejectReason::kBlockTimeTooNew,
            std::to_string(block.header.time_ms - now_ms) + " ms ahead of local time");
    }
    BlockSignatureChecker sigs{block, m_params, &m_sig_cache, m_options.verify_threads};
    consensus::BlockContext ctx{m_params, tip.header,     m_validators, m_validators,
                                *m_db,    tip.commitment, sigs,         *m_db};
    auto connected = consensus::ConnectBlock(block, ctx);
    if (!connected) return MakeError(connected.error());
    Hash256 hash = block.Hash();
    if (auto r = consensus::VerifyCommit(commit, m_validators, m_params.network_id,
                                         block.header.height, hash);
        !r) {
        return MakeError(r.error());
    }
    BlockWrite w;
    w.block = &block;
    w.hash = hash;
    w.txids = &connected->txids;
    w.changes = &connected->changes;
    w.entry_changes = &connected->entry_changes;
    const std::vector<IndexWrite> index_writes = DepinIndexWrites(block, *connected, *m_db);
    w.index_writes = &index_writes;
    w.commitment = &connected->commitment;
    w.tip_commit = &commit;
    // Transfers and fees move coins; epoch rewards mint them and device fees burn them.
    const Amount supply = tip.supply + connected->minted - connected->burned;
    w.supply = supply;
    std::string err;
    if (!m_db->WriteBlock(w, err)) throw std::runtime_error(err);
    {
        LockGuard lock{m_mutex};
        m_tip.height = block.header.height;
        m_tip.hash = hash;
        m_tip.header = block.header;
        m_tip.commit = commit;
        m_tip.commitment = connected->commitment;
        m_tip.supply = supply;
    }
    if (m_on_connected) m_on_connected(block);
    return {};
}

}  // namespace cairn
