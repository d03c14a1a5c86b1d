#include "bench_util.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "consensus/merkle.h"
#include "consensus/tx/transfer.h"

namespace cairn::bench {
namespace {

Hash256 IndexHash(std::string_view domain, uint64_t index, uint64_t attempt) {
    Writer w;
    w.String(domain);
    w.Fixed(std::array<uint8_t, 8>{
        static_cast<uint8_t>(index), static_cast<uint8_t>(index >> 8),
        static_cast<uint8_t>(index >> 16), static_cast<uint8_t>(index >> 24),
        static_cast<uint8_t>(index >> 32), static_cast<uint8_t>(index >> 40),
        static_cast<uint8_t>(index >> 48), static_cast<uint8_t>(index >> 56)});
    w.VarInt(attempt);
    return Sha256(w.Data());
}

std::mutex g_cache_mutex;

}  // namespace

consensus::ChainParams BenchParams() {
    return consensus::DefaultParams(Network::kDevnet);
}

void ParallelFor(size_t n, const std::function<void(size_t)>& f, unsigned threads) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, n / 64)));
    if (threads <= 1) {
        for (size_t i = 0; i < n; ++i) f(i);
        return;
    }
    std::atomic<size_t> next{0};
    auto work = [&] {
        for (;;) {
            size_t begin = next.fetch_add(256);
            if (begin >= n) return;
            size_t end = std::min(n, begin + 256);
            for (size_t i = begin; i < end; ++i) f(i);
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
}

SecretKey BenchKey(uint64_t index) {
    for (uint64_t attempt = 0;; ++attempt) {
        Hash256 h = IndexHash("cairn-bench/key", index, attempt);
        if (auto sk = SecretKey::FromBytes(h.bytes)) return *sk;
    }
}

const KeyPool& SenderKeys(size_t n) {
    static KeyPool pool;
    std::lock_guard lock{g_cache_mutex};
    if (pool.pub.size() < n) {
        const size_t old = pool.pub.size();
        std::vector<std::optional<SecretKey>> sks(n - old);
        std::vector<PubKey> pks(n - old);
        ParallelFor(n - old, [&](size_t i) {
            sks[i] = BenchKey(old + i);
            pks[i] = sks[i]->GetPubKey();
        });
        for (size_t i = 0; i < n - old; ++i) {
            pool.secret.push_back(*sks[i]);
            pool.pub.push_back(pks[i]);
        }
    }
    return pool;
}

const std::vector<PubKey>& FillerPubKeys(size_t n) {
    static std::vector<PubKey> keys;
    std::lock_guard lock{g_cache_mutex};
    if (keys.size() < n) {
        const size_t old = keys.size();
        keys.resize(n);
        ParallelFor(n - old, [&](size_t i) {
            for (uint64_t attempt = 0;; ++attempt) {
                Hash256 h = IndexHash("cairn-bench/filler", old + i, attempt);
                PubKey pk;
                pk.bytes = h.bytes;
                if (pk.IsValid()) {
                    keys[old + i] = pk;
                    return;
                }
            }
        });
    }
    return keys;
}

Transaction MakeTransfer(const PubKey& from, const PubKey& to, Amount amount, uint64_t nonce,
                         const consensus::ChainParams& params, Amount fee) {
    Transaction tx;
    tx.network_id = params.network_id;
    tx.type = consensus::TransferTx::kId;
    tx.sender = from;
    tx.nonce = nonce;
    tx.fee = fee;
    tx.payload = consensus::TransferPayload{to, amount, {}}.Encode();
    return tx;
}

void SignTx(Transaction& tx, const SecretKey& sk) {
    static constexpr std::array<uint8_t, 32> kAux{};
    tx.signature = sk.Sign(tx.SigHash(), kAux);
}

void SignAll(std::vector<Transaction>& txs, const std::vector<const SecretKey*>& keys) {
    if (keys.size() != txs.size()) throw std::logic_error("SignAll: one key per transaction");
    ParallelFor(txs.size(), [&](size_t i) { SignTx(txs[i], *keys[i]); });
}

const SecretKey& ValidatorKey() {
    static const SecretKey key = BenchKey(kValidatorKeyIndex);
    return key;
}

const consensus::ValidatorSet& BenchValidators() {
    static const consensus::ValidatorSet set = [] {
        auto s = consensus::ValidatorSet::Create({{ValidatorKey().GetPubKey(), 1}});
        if (!s) throw std::runtime_error("validator set: " + s.error());
        return std::move(s).value();
    }();
    return set;
}

BuiltBlock MakeBlock(const consensus::ChainParams& params, const BlockHeader& prev,
                     const Commit& prev_commit, std::vector<Transaction> txs,
                     const consensus::StateView& state,
                     const consensus::StateCommitment& commitment, uint64_t time_ms) {
    const auto& validators = BenchValidators();
    const uint64_t height = prev.height + 1;
    const PubKey proposer = validators.ProposerFor(height).key;
    consensus::BlockTemplate t;
    t.txs = std::move(txs);
    t.last_commit = prev_commit;
    t.proposer = proposer;
    t.time_ms = time_ms;
    static const consensus::MemoryBlockHashes kNoHashes;  // benchmark blocks carry no proofs
    const consensus::SignatureChecker checker;
    auto assembled = consensus::AssembleBlock(std::move(t), params, prev, validators, kNoHashes,
                                              state, commitment, checker);
    if (!assembled) throw std::runtime_error("MakeBlock: " + assembled.error().ToString());
    BuiltBlock out;
    out.block = std::move(assembled->block);
    out.connected = std::move(assembled->connected);
    const Block& block = out.block;
    const Hash256 hash = block.Hash();
    out.commit.height = height;
    out.commit.round = 0;
    out.commit.block_hash = hash;
    out.commit.sigs.push_back(
        {*validators.IndexOf(proposer),
         ValidatorKey().Sign(VoteSignHash(params.network_id, height, 0, hash))});
    return out;
}

}  // namespace cairn::bench
