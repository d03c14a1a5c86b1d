// Block, header and commit formats.
//
// A block carries its transactions, the coverage proofs of beacons whose window closed (see
// primitives/report.h), the compute reports it includes with their verdicts
// (primitives/compute_report.h), and the last commit: the validators' signatures on the previous
// block. With one validator that is one signature; the format is the same for a BFT set of any
// size.
#pragma once

#include <cstdint>
#include <vector>

#include "crypto/keys.h"
#include "primitives/report.h"
#include "primitives/serialize.h"
#include "primitives/transaction.h"

namespace cairn {

inline constexpr uint32_t kBlockVersion = 1;
// Decoding bounds; consensus parameters may set tighter ones.
inline constexpr uint64_t kMaxBlockTxsDecode = 100'000;
inline constexpr uint64_t kMaxCommitSigs = 10'000;

struct BlockHeader {
    uint32_t version{kBlockVersion};
    uint32_t network_id{0};
    uint64_t height{0};
    uint64_t time_ms{0};
    Hash256 prev_hash;
    Hash256 tx_root;
    Hash256 proof_root;    // Merkle root over the coverage proofs' hashes
    Hash256 compute_root;  // Merkle root over the compute entries' hashes
    Hash256 state_root;
    Hash256 validator_set_hash;
    PubKey proposer;
    Hash256 last_commit_hash;

    void Serialize(Writer& w) const;
    Hash256 Hash() const;  // TaggedHash("Cairn/BlockHash", header encoding)
    bool operator==(const BlockHeader&) const = default;
};

struct CommitSig {
    uint32_t validator_index{0};  // index into the sorted validator set
    Signature signature;
    bool operator==(const CommitSig&) const = default;
};

// Signatures of validators on (height, round, block hash). Indices strictly increase.
struct Commit {
    uint64_t height{0};
    uint32_t round{0};
    Hash256 block_hash;
    std::vector<CommitSig> sigs;

    void Serialize(Writer& w) const;
    Hash256 Hash() const;  // TaggedHash("Cairn/Commit", encoding)
    bool operator==(const Commit&) const = default;
};

// The message a validator signs to commit a block.
Hash256 VoteSignHash(uint32_t network_id, uint64_t height, uint32_t round,
                     const Hash256& block_hash);

struct Block {
    BlockHeader header;
    std::vector<Transaction> txs;
    std::vector<CoverageProof> proofs;
    std::vector<ComputeEntry> compute;
    Commit last_commit;

    void Serialize(Writer& w) const;
    Bytes ToBytes() const;
    Hash256 Hash() const { return header.Hash(); }
    bool operator==(const Block&) const = default;
};

bool ReadBlockHeader(Reader& r, BlockHeader& h);
bool ReadCommit(Reader& r, Commit& c);
DecodeResult<Block> DecodeBlock(ByteSpan data);
DecodeResult<BlockHeader> DecodeBlockHeader(ByteSpan data);
DecodeResult<Commit> DecodeCommit(ByteSpan data);

}  // namespace cairn
