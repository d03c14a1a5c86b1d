#include "storage/chain_db.h"

#include <leveldb/cache.h>
#include <leveldb/filter_policy.h>
#include <leveldb/write_batch.h>

namespace cairn {
namespace {

std::string Key(char prefix, ByteSpan data) {
    std::string k(1, prefix);
    k.append(reinterpret_cast<const char*>(data.data()), data.size());
    return k;
}

std::string HeightKey(uint64_t height) {
    std::string k(1, 'h');
    for (int i = 7; i >= 0; --i) k.push_back(static_cast<char>(height >> (8 * i)));
    return k;
}

std::string ToStr(const Bytes& b) {
    return {b.begin(), b.end()};
}
ByteSpan AsSpan(const std::string& s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace

Result<std::unique_ptr<ChainDb>, std::string> ChainDb::Open(const std::string& path,
                                                            size_t cache_bytes) {
    leveldb::Options options;
    options.create_if_missing = true;
    options.paranoid_checks = true;
    leveldb::Cache* cache = leveldb::NewLRUCache(cache_bytes);
    options.block_cache = cache;
    options.filter_policy = leveldb::NewBloomFilterPolicy(10);
    options.max_open_files = 256;
    leveldb::DB* db = nullptr;
    leveldb::Status s = leveldb::DB::Open(options, path, &db);
    if (!s.ok()) {
        delete cache;
        delete options.filter_policy;
        return MakeError("cannot open database " + path + ": " + s.ToString());
    }
    return std::unique_ptr<ChainDb>(new ChainDb(db, cache, options.filter_policy));
}

ChainDb::~ChainDb() {
    delete m_db;
    delete m_cache;
    delete m_filter;
}

std::optional<std::string> ChainDb::Get(const std::string& key,
                                        const leveldb::Snapshot* snapshot) const {
    std::string value;
    leveldb::ReadOptions options;
    options.snapshot = snapshot;
    leveldb::Status s = m_db->Get(options, key, &value);
    if (s.IsNotFound()) return std::nullopt;
    if (!s.ok()) throw std::runtime_error("database read failed: " + s.ToString());
    return value;
}

namespace {
std::optional<consensus::Account> ParseAccount(const std::optional<std::string>& v,
                                               const PubKey& key) {
    if (!v) return std::nullopt;
    auto a = consensus::DecodeAccount(AsSpan(*v));
    if (!a) throw std::runtime_error("corrupt account record " + key.Hex());
    return *a;
}

TipRecord ParseTip(const std::optional<std::string>& v) {
    if (!v) throw std::runtime_error("database has no tip record");
    Reader r{AsSpan(*v)};
    TipRecord t;
    r.VarInt(t.height, "height");
    r.Fixed(t.hash.bytes, "hash");
    if (!r.ExpectEnd("tip")) throw std::runtime_error("corrupt tip record");
    return t;
}
}  // namespace

std::optional<consensus::Account> ChainDb::GetAccount(const PubKey& key) const {
    return ParseAccount(Get(Key('a', key.bytes)), key);
}

std::optional<Bytes> ChainDb::GetEntry(ByteSpan key) const {
    auto v = Get(Key('e', key));
    if (!v) return std::nullopt;
    return Bytes{v->begin(), v->end()};
}

void ChainDb::ForEachEntry(ByteSpan prefix, const consensus::EntryVisitor& visit) const {
    const std::string start = Key('e', prefix);
    std::unique_ptr<leveldb::Iterator> it{m_db->NewIterator(leveldb::ReadOptions{})};
    for (it->Seek(start); it->Valid() && it->key().starts_with(start); it->Next()) {
        const leveldb::Slice k = it->key();
        const leveldb::Slice v = it->value();
        if (!visit({reinterpret_cast<const uint8_t*>(k.data()) + 1, k.size() - 1},
                   {reinterpret_cast<const uint8_t*>(v.data()), v.size()})) {
            break;
        }
    }
    if (!it->status().ok()) {
        throw std::runtime_error("database scan failed: " + it->status().ToString());
    }
}

std::optional<std::string> ChainDb::ReadIndex(const std::string& key) const {
    return Get("i" + key);
}

void ChainDb::ScanIndex(
    const std::string& prefix, const std::string& start,
    const std::function<bool(const std::string& key, const std::string& value)>& visit) const {
    const std::string full_prefix = "i" + prefix;
    std::unique_ptr<leveldb::Iterator> it{m_db->NewIterator(leveldb::ReadOptions{})};
    for (it->Seek("i" + std::max(start, prefix)); it->Valid() && it->key().starts_with(full_prefix);
         it->Next()) {
        if (!visit(it->key().ToString().substr(1), it->value().ToString())) break;
    }
    if (!it->status().ok()) {
        throw std::runtime_error("database scan failed: " + it->status().ToString());
    }
}

std::pair<std::optional<consensus::Account>, TipRecord> ChainDb::ReadAccountAtTip(
    const PubKey& key) const {
    const leveldb::Snapshot* snap = m_db->GetSnapshot();
    try {
        auto account = ParseAccount(Get(Key('a', key.bytes), snap), key);
        TipRecord tip = ParseTip(Get("T", snap));
        m_db->ReleaseSnapshot(snap);
        return {account, tip};
    } catch (...) {
        m_db->ReleaseSnapshot(snap);
        throw;
    }
}

std::optional<Bytes> ChainDb::ReadBlockBytes(const Hash256& hash) const {
    auto v = Get(Key('b', hash.bytes));
    if (!v) return std::nullopt;
    return Bytes{v->begin(), v->end()};
}

std::optional<Block> ChainDb::ReadBlock(const Hash256& hash) const {
    auto v = Get(Key('b', hash.bytes));
    if (!v) return std::nullopt;
    auto b = DecodeBlock(AsSpan(*v));
    if (!b) throw std::runtime_error("corrupt block record " + hash.Hex());
    return std::move(b).value();
}

std::optional<Hash256> ChainDb::ReadHashAtHeight(uint64_t height) const {
    auto v = Get(HeightKey(height));
    if (!v || v->size() != 32) return std::nullopt;
    Hash256 h;
    std::copy(v->begin(), v->end(), h.bytes.begin());
    return h;
}

std::optional<TxLocation> ChainDb::ReadTxLocation(const Hash256& txid) const {
    auto v = Get(Key('x', txid.bytes));
    if (!v) return std::nullopt;
    Reader r{AsSpan(*v)};
    TxLocation loc;
    uint64_t pos = 0;
    r.VarInt(loc.height, "height");
    r.VarIntMax(pos, UINT32_MAX, "position");
    if (!r.ExpectEnd("txindex")) throw std::runtime_error("corrupt tx index " + txid.Hex());
    loc.position = static_cast<uint32_t>(pos);
    return loc;
}

std::optional<TipRecord> ChainDb::ReadTip() const {
    auto v = Get("T");
    if (!v) return std::nullopt;
    return ParseTip(v);
}

std::optional<Commit> ChainDb::ReadTipCommit() const {
    auto v = Get("C");
    if (!v) return std::nullopt;
    auto c = DecodeCommit(AsSpan(*v));
    if (!c) throw std::runtime_error("corrupt tip commit");
    return std::move(c).value();
}

std::optional<consensus::StateCommitment> ChainDb::ReadCommitment() const {
    auto v = Get("S");
    if (!v) return std::nullopt;
    auto c = consensus::StateCommitment::Deserialize(AsSpan(*v));
    if (!c) throw std::runtime_error("corrupt state commitment");
    return c;
}

std::optional<Hash256> ChainDb::ReadGenesisHash() const {
    auto v = Get("G");
    if (!v || v->size() != 32) return std::nullopt;
    Hash256 h;
    std::copy(v->begin(), v->end(), h.bytes.begin());
    return h;
}

namespace {
Amount ParseSupply(const std::string& v) {
    Reader r{AsSpan(v)};
    Amount a = 0;
    r.VarInt(a, "supply");
    if (!r.ExpectEnd("supply")) throw std::runtime_error("corrupt supply record");
    return a;
}
}  // namespace

ChainDb::EntryAtTip ChainDb::ReadEntryAtTip(ByteSpan key) const {
    const leveldb::Snapshot* snap = m_db->GetSnapshot();
    try {
        EntryAtTip out;
        if (auto v = Get(Key('e', key), snap)) out.entry = Bytes{v->begin(), v->end()};
        out.tip = ParseTip(Get("T", snap));
        auto supply = Get("Y", snap);
        if (!supply) throw std::runtime_error("database has no supply record");
        out.supply = ParseSupply(*supply);
        m_db->ReleaseSnapshot(snap);
        return out;
    } catch (...) {
        m_db->ReleaseSnapshot(snap);
        throw;
    }
}

std::optional<Amount> ChainDb::ReadSupply() const {
    auto v = Get("Y");
    if (!v) return std::nullopt;
    return ParseSupply(*v);
}

bool ChainDb::WriteBlock(const BlockWrite& w, std::string& error) {
    const size_t ntxs = w.block->txs.size();
    if (ntxs != (w.txids ? w.txids->size() : 0)) {
        error = "WriteBlock: transaction ids do not match the block";  // caller misuse
        return false;
    }
    leveldb::WriteBatch batch;
    const uint64_t height = w.block->header.height;
    batch.Put(Key('b', w.hash.bytes), ToStr(w.block->ToBytes()));
    batch.Put(HeightKey(height), std::string(w.hash.bytes.begin(), w.hash.bytes.end()));
    for (size_t i = 0; i < ntxs; ++i) {
        Writer loc;
        loc.VarInt(height);
        loc.VarInt(i);
        batch.Put(Key('x', (*w.txids)[i].bytes), ToStr(loc.Data()));
    }
    for (const auto& [key, account] : *w.changes) {
        Writer a;
        account.Serialize(a);
        batch.Put(Key('a', key.bytes), ToStr(a.Data()));
    }
    if (w.entry_changes) {
        for (const auto& [key, value] : *w.entry_changes) {
            if (value) {
                batch.Put(Key('e', key), ToStr(*value));
            } else {
                batch.Delete(Key('e', key));
            }
        }
    }
    if (w.index_writes) {
        for (const IndexWrite& iw : *w.index_writes) {
            if (iw.value) {
                batch.Put("i" + iw.key, *iw.value);
            } else {
                batch.Delete("i" + iw.key);
            }
        }
    }
    batch.Put("S", ToStr(w.commitment->Serialize()));
    Writer tip;
    tip.VarInt(height);
    tip.Fixed(w.hash.bytes);
    batch.Put("T", ToStr(tip.Data()));
    if (w.tip_commit) {
        Writer c;
        w.tip_commit->Serialize(c);
        batch.Put("C", ToStr(c.Data()));
    } else {
        batch.Delete("C");
    }
    Writer supply;
    supply.VarInt(w.supply);
    batch.Put("Y", ToStr(supply.Data()));
    if (height == 0) batch.Put("G", std::string(w.hash.bytes.begin(), w.hash.bytes.end()));
    leveldb::WriteOptions options;
    options.sync = true;
    leveldb::Status s = m_db->Write(options, &batch);
    if (!s.ok()) {
        error = "database write failed: " + s.ToString();
        return false;
    }
    return true;
}

}  // namespace cairn
