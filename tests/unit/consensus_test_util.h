// Shared fixtures for the consensus unit tests: an in-memory account view, deterministic keys,
// signed transfers, and a ChainFixture that builds a genesis and valid blocks on top of it.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "consensus/block_check.h"
#include "consensus/genesis.h"
#include "consensus/memory_state.h"
#include "consensus/params.h"
#include "consensus/reject.h"
#include "consensus/state.h"
#include "consensus/state_commitment.h"
#include "consensus/tx/transfer.h"
#include "consensus/tx_check.h"
#include "consensus/validator_set.h"
#include "crypto/keys.h"
#include "primitives/block.h"
#include "primitives/transaction.h"

// Expects `expr` (a CheckResult) to fail with exactly `reason_`.
#define EXPECT_REJECT(expr, reason_)                                                           \
    do {                                                                                       \
        const auto& cairn_test_result_ = (expr);                                               \
        if (cairn_test_result_.has_value()) {                                                  \
            ADD_FAILURE() << "accepted, expected " << ::cairn::consensus::RejectCode(reason_); \
        } else {                                                                               \
            EXPECT_EQ(::cairn::consensus::RejectCode(cairn_test_result_.error().reason),       \
                      ::cairn::consensus::RejectCode(reason_))                                 \
                << cairn_test_result_.error().ToString();                                      \
        }                                                                                      \
    } while (0)

// Expects `expr` (a CheckResult) to succeed, printing the rejection otherwise.
#define EXPECT_ACCEPT(expr)                                                              \
    do {                                                                                 \
        const auto& cairn_test_result_ = (expr);                                         \
        EXPECT_TRUE(cairn_test_result_.has_value())                                      \
            << (cairn_test_result_.has_value() ? std::string{}                           \
                                               : cairn_test_result_.error().ToString()); \
    } while (0)

namespace cairn::test {

// Committed state in memory. Empty accounts may be stored (the view reports what it holds).
using MapStateView = consensus::MemoryState;

// SecretKey::FromBytes(sha256("key" + i)).
SecretKey TestKey(uint64_t i);
inline PubKey TestPubKey(uint64_t i) {
    return TestKey(i).GetPubKey();
}

// 32 bytes below the field size that are not the x coordinate of any curve point (the smallest
// such x).
PubKey InvalidPubKey();

// Fixed aux randomness, so that signatures (and therefore txids) are reproducible.
inline constexpr std::array<uint8_t, 32> kTestAux{};

Bytes TransferPayloadBytes(const PubKey& to, Amount amount, const Bytes& memo = {});

// A transfer signed by `sk`.
Transaction MakeTransfer(const SecretKey& sk, const PubKey& to, Amount amount, uint64_t nonce,
                         Amount fee, uint32_t network_id, const Bytes& memo = {});

// Re-signs `tx` with `sk` after a test changed a signed field.
void Sign(Transaction& tx, const SecretKey& sk);

// The smallest fee the transaction may carry, found by fixed point (the fee's own varint is
// part of the size the minimum is computed from).
Amount ExactMinimumFee(Transaction tx, const consensus::ChainParams& params);

// Applies `txs` as the state part of a block at `height` on `state`: no proofs, one validator
// (TestKey(100)), no epoch end unless `height` is one.
consensus::CheckResult<consensus::ConnectedBlock> ApplyTxs(const std::vector<Transaction>& txs,
                                                           const consensus::ChainParams& params,
                                                           const consensus::StateView& state,
                                                           uint64_t height = 1);

// A devnet genesis with `n_validators` validators (power 1 each, keys TestKey(100 + i)) and
// `n_accounts` funded accounts (TestKey(i), `balance` each), plus the state after its tip.
class ChainFixture {
public:
    explicit ChainFixture(size_t n_validators = 4, size_t n_accounts = 3,
                          Amount balance = 1000 * kCoin);

    consensus::ChainParams params;
    consensus::GenesisState genesis;
    std::vector<SecretKey> account_keys;
    // validator_keys[i] signs for genesis.validators.Validators()[i] (sorted order).
    std::vector<SecretKey> validator_keys;
    consensus::SignatureChecker sig_checker;

    // The tip and the state after it.
    Block tip;
    MapStateView state;
    consensus::StateCommitment commitment;
    consensus::MemoryBlockHashes hashes;  // of the blocks so far, by height

    const consensus::ValidatorSet& Validators() const { return genesis.validators; }
    const PubKey& AccountKey(size_t i) const { return m_account_pubkeys.at(i); }

    // A commit for `header` signed by the validators at `indices` (sorted set order).
    Commit MakeCommit(const BlockHeader& header, const std::vector<uint32_t>& indices) const;
    // A commit for `header` signed by the fewest validators (in index order) with > 2/3 power.
    Commit MakeQuorumCommit(const BlockHeader& header) const;

    // A valid block on top of the tip holding `txs`. If the transactions do not apply, the
    // state root is left zero (the block is then invalid, as the test intends).
    Block MakeNextBlock(std::vector<Transaction> txs = {}) const;
    // Recomputes tx_root and last_commit_hash after a test changed txs or the commit.
    static void FixRoots(Block& block);

    consensus::BlockContext Context() const { return Context(params); }
    consensus::BlockContext Context(const consensus::ChainParams& p) const;
    consensus::CheckResult<consensus::ConnectedBlock> Connect(const Block& block) const;
    // Connects `block` (which must be valid) and makes it the tip.
    void Advance(const Block& block);

    // A signed transfer from account `from` with fee kTransferFee.
    static constexpr Amount kTransferFee = 10'000;
    Transaction Transfer(size_t from, const PubKey& to, Amount amount, uint64_t nonce) const;

private:
    std::vector<PubKey> m_account_pubkeys;
};

}  // namespace cairn::test
