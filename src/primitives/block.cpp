#include "primitives/block.h"

#include <algorithm>

namespace cairn {

void BlockHeader::Serialize(Writer& w) const {
    w.VarInt(version);
    w.VarInt(network_id);
    w.VarInt(height);
    w.VarInt(time_ms);
    w.Fixed(prev_hash.bytes);
    w.Fixed(tx_root.bytes);
    w.Fixed(proof_root.bytes);
    w.Fixed(compute_root.bytes);
    w.Fixed(state_root.bytes);
    w.Fixed(validator_set_hash.bytes);
    w.Fixed(proposer.bytes);
    w.Fixed(last_commit_hash.bytes);
}

Hash256 BlockHeader::Hash() const {
    Writer w;
    Serialize(w);
    return TaggedHash(tags::kBlockHash, w.Data());
}

void Commit::Serialize(Writer& w) const {
    w.VarInt(height);
    w.VarInt(round);
    w.Fixed(block_hash.bytes);
    w.VarInt(sigs.size());
    for (const auto& s : sigs) {
        w.VarInt(s.validator_index);
        w.Fixed(s.signature.bytes);
    }
}

Hash256 Commit::Hash() const {
    Writer w;
    Serialize(w);
    return TaggedHash(tags::kCommit, w.Data());
}

Hash256 VoteSignHash(uint32_t network_id, uint64_t height, uint32_t round,
                     const Hash256& block_hash) {
    Writer w;
    w.VarInt(network_id);
    w.VarInt(height);
    w.VarInt(round);
    w.Fixed(block_hash.bytes);
    return TaggedHash(tags::kVote, w.Data());
}

void Block::Serialize(Writer& w) const {
    header.Serialize(w);
    w.VarInt(txs.size());
    for (const auto& tx : txs) tx.Serialize(w);
    w.VarInt(proofs.size());
    for (const auto& p : proofs) p.Serialize(w);
    w.VarInt(compute.size());
    for (const auto& e : compute) e.Serialize(w);
    last_commit.Serialize(w);
}

Bytes Block::ToBytes() const {
    Writer w;
    Serialize(w);
    return w.Take();
}

bool ReadBlockHeader(Reader& r, BlockHeader& h) {
    uint64_t v = 0;
    r.VarIntMax(v, UINT32_MAX, "header.version");
    h.version = static_cast<uint32_t>(v);
    r.VarIntMax(v, UINT32_MAX, "header.network_id");
    h.network_id = static_cast<uint32_t>(v);
    r.VarInt(h.height, "header.height");
    r.VarInt(h.time_ms, "header.time_ms");
    r.Fixed(h.prev_hash.bytes, "header.prev_hash");
    r.Fixed(h.tx_root.bytes, "header.tx_root");
    r.Fixed(h.proof_root.bytes, "header.proof_root");
    r.Fixed(h.compute_root.bytes, "header.compute_root");
    r.Fixed(h.state_root.bytes, "header.state_root");
    r.Fixed(h.validator_set_hash.bytes, "header.validator_set_hash");
    r.Fixed(h.proposer.bytes, "header.proposer");
    r.Fixed(h.last_commit_hash.bytes, "header.last_commit_hash");
    return r.ok();
}

bool ReadCommit(Reader& r, Commit& c) {
    uint64_t v = 0;
    r.VarInt(c.height, "commit.height");
    r.VarIntMax(v, UINT32_MAX, "commit.round");
    c.round = static_cast<uint32_t>(v);
    r.Fixed(c.block_hash.bytes, "commit.block_hash");
    uint64_t n = 0;
    if (!r.VarInt(n, "commit.sigs")) return false;
    if (n > kMaxCommitSigs) return r.Fail(DecodeErrorCode::kTooLong, "commit.sigs");
    c.sigs.clear();
    c.sigs.reserve(std::min<uint64_t>(n, r.Remaining() / 65 + 1));  // at least 65 bytes each
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
        CommitSig s;
        r.VarIntMax(v, UINT32_MAX, "commit.sig.validator_index");
        s.validator_index = static_cast<uint32_t>(v);
        r.Fixed(s.signature.bytes, "commit.sig.signature");
        c.sigs.push_back(s);
    }
    return r.ok();
}

DecodeResult<Block> DecodeBlock(ByteSpan data) {
    Reader r{data};
    Block b;
    ReadBlockHeader(r, b.header);
    uint64_t n = 0;
    if (r.VarInt(n, "block.txs") && n > kMaxBlockTxsDecode) {
        r.Fail(DecodeErrorCode::kTooLong, "block.txs");
    }
    // Each transaction is at least ~100 bytes, so reserve only what the input can hold.
    if (r.ok()) b.txs.reserve(std::min<uint64_t>(n, r.Remaining() / 100 + 1));
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
        Transaction tx;
        if (ReadTransaction(r, tx)) b.txs.push_back(std::move(tx));
    }
    if (r.VarInt(n, "block.proofs") && n > kMaxBlockProofsDecode) {
        r.Fail(DecodeErrorCode::kTooLong, "block.proofs");
    }
    // A proof is at least 130 bytes.
    if (r.ok()) b.proofs.reserve(std::min<uint64_t>(n, r.Remaining() / 130 + 1));
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
        CoverageProof p;
        if (ReadCoverageProof(r, p)) b.proofs.push_back(std::move(p));
    }
    if (r.VarInt(n, "block.compute") && n > kMaxBlockComputeDecode) {
        r.Fail(DecodeErrorCode::kTooLong, "block.compute");
    }
    // A compute entry is at least 143 bytes (a commit).
    if (r.ok()) b.compute.reserve(std::min<uint64_t>(n, r.Remaining() / 143 + 1));
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
        ComputeEntry e;
        if (ReadComputeEntry(r, e)) b.compute.push_back(std::move(e));
    }
    ReadCommit(r, b.last_commit);
    if (!r.ExpectEnd("block")) return MakeError(r.Error());
    return b;
}

DecodeResult<BlockHeader> DecodeBlockHeader(ByteSpan data) {
    Reader r{data};
    BlockHeader h;
    if (!ReadBlockHeader(r, h) || !r.ExpectEnd("header")) return MakeError(r.Error());
    return h;
}

DecodeResult<Commit> DecodeCommit(ByteSpan data) {
    Reader r{data};
    Commit c;
    if (!ReadCommit(r, c) || !r.ExpectEnd("commit")) return MakeError(r.Error());
    return c;
}

}  // namespace cairn
