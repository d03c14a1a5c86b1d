// ChainDb: the node's LevelDB database.
//
// Key layout (one byte prefix per kind; heights big-endian so they sort):
//   'b' hash        -> block encoding
//   'h' height      -> block hash            (the active chain's height index)
//   'x' txid        -> height || position    (transaction index)
//   'a' pubkey      -> account encoding      (current state)
//   'e' key         -> consensus record      (current state: devices, coverage, epochs)
//   'T'             -> tip height || tip hash
//   'C'             -> the tip's commit (signatures that finalized it; the next block carries it)
//   'S'             -> state commitment accumulator after the tip
//   'G'             -> genesis hash
//   'Y'             -> total supply (varint)
//   'i' ...         -> node indexes for RPC (node/depin_index.h)
// Everything a block changes is written in one synchronous WriteBatch, so after a crash at any
// moment the database holds either the whole block or none of it.
#pragma once

#include <leveldb/db.h>
#include <leveldb/filter_policy.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "consensus/poc/coverage_verifier.h"
#include "consensus/state.h"
#include "consensus/state_commitment.h"
#include "primitives/block.h"
#include "util/result.h"

namespace cairn {

struct TxLocation {
    uint64_t height{0};
    uint32_t position{0};
};

struct TipRecord {
    uint64_t height{0};
    Hash256 hash;
};

// One write to the node's index namespace: key (after 'i') and value, or erase.
struct IndexWrite {
    std::string key;
    std::optional<std::string> value;
};

// Everything that connecting one block (or writing genesis) stores.
struct BlockWrite {
    const Block* block{nullptr};
    Hash256 hash;
    const std::vector<Hash256>* txids{nullptr};  // of block->txs, in order; null if none
    const std::map<PubKey, consensus::Account>* changes{nullptr};
    const consensus::EntryChanges* entry_changes{nullptr};  // null if none
    const std::vector<IndexWrite>* index_writes{nullptr};   // null if none
    const consensus::StateCommitment* commitment{nullptr};
    const Commit* tip_commit{nullptr};  // may be null for genesis
    Amount supply{0};
};

class ChainDb : public consensus::StateView, public consensus::BlockHashView {
public:
    // Opens or creates the database at path.
    static Result<std::unique_ptr<ChainDb>, std::string> Open(const std::string& path,
                                                              size_t cache_bytes);
    ~ChainDb() override;

    std::optional<consensus::Account> GetAccount(const PubKey& key) const override;
    std::optional<Bytes> GetEntry(ByteSpan key) const override;
    void ForEachEntry(ByteSpan prefix, const consensus::EntryVisitor& visit) const override;
    std::optional<Block> ReadBlock(const Hash256& hash) const;
    std::optional<Bytes> ReadBlockBytes(const Hash256& hash) const;
    std::optional<Hash256> ReadHashAtHeight(uint64_t height) const;
    std::optional<Hash256> HashAtHeight(uint64_t height) const override {
        return ReadHashAtHeight(height);
    }
    // Node index reads (keys after the 'i' prefix).
    std::optional<std::string> ReadIndex(const std::string& key) const;
    // Visits index entries whose key starts with `prefix`, from `start` (>= prefix), in order.
    void ScanIndex(
        const std::string& prefix, const std::string& start,
        const std::function<bool(const std::string& key, const std::string& value)>& visit) const;
    std::optional<TxLocation> ReadTxLocation(const Hash256& txid) const;
    std::optional<TipRecord> ReadTip() const;
    std::optional<Commit> ReadTipCommit() const;
    std::optional<consensus::StateCommitment> ReadCommitment() const;
    std::optional<Hash256> ReadGenesisHash() const;
    std::optional<Amount> ReadSupply() const;
    // The account and the tip it belongs to, read from one database snapshot so the two always
    // agree even while a block is being written.
    std::pair<std::optional<consensus::Account>, TipRecord> ReadAccountAtTip(
        const PubKey& key) const;
    // A consensus record with the tip and supply it belongs to, from one snapshot.
    struct EntryAtTip {
        std::optional<Bytes> entry;
        TipRecord tip;
        Amount supply{0};
    };
    EntryAtTip ReadEntryAtTip(ByteSpan key) const;

    // Writes the block, its height and transaction indexes, account changes, commitment, tip
    // and tip commit in one synchronous batch. Writes the genesis hash too when height is 0.
    // REQUIRES: w.txids holds the ids of w.block->txs (null for a block without any).
    bool WriteBlock(const BlockWrite& w, std::string& error);

private:
    ChainDb(leveldb::DB* db, leveldb::Cache* cache, const leveldb::FilterPolicy* filter)
        : m_db{db}, m_cache{cache}, m_filter{filter} {}
    std::optional<std::string> Get(const std::string& key,
                                   const leveldb::Snapshot* snapshot = nullptr) const;

    leveldb::DB* m_db;
    leveldb::Cache* m_cache;
    const leveldb::FilterPolicy* m_filter;
};

}  // namespace cairn
