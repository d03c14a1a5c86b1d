// Builds and signs transactions for the wallet.
//
// The builder produces exactly what the node will accept context-free: it runs
// consensus::CheckTransaction on the signed result and returns its reason as text otherwise, so
// a bad memo or a too-low fee is reported by the wallet before anything is sent. State checks
// (nonce, balance) are the node's: the wallet cannot see the chain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "consensus/params.h"
#include "crypto/keys.h"
#include "primitives/amount.h"
#include "primitives/transaction.h"
#include "util/result.h"

namespace cairn::wallet {

// The fee that exactly pays the minimum for the transaction's own encoded size. The fee is a
// varint inside the encoding it pays for, so the size depends on the fee; starting from zero,
// fee and size only grow, and this iterates until they are stable. nullopt on overflow.
std::optional<Amount> MinimumFeeFor(Transaction tx, Amount min_fee_per_byte);

// A signed transaction of any type: the sender is sk's key, the payload the type's encoding.
// Without `fee`, the minimum fee for the final size is used. The result passes
// CheckTransaction under `params` (the target chain's: from the node, or the network defaults
// when offline), or the reason is returned.
Result<Transaction, std::string> BuildTransaction(const SecretKey& sk,
                                                  const consensus::ChainParams& params,
                                                  uint64_t type, Bytes payload, uint64_t nonce,
                                                  std::optional<Amount> fee);

// A signed transfer of `amount` units from sk's account to `to`. Without `fee`, the minimum
// fee for the final size is used. `network_id`, `min_fee_per_byte` and `max_memo_bytes` are the
// target chain's (from the node, or the network defaults when offline).
Result<Transaction, std::string> BuildTransfer(const SecretKey& sk, uint32_t network_id,
                                               const PubKey& to, Amount amount, uint64_t nonce,
                                               std::optional<Amount> fee, Bytes memo,
                                               Amount min_fee_per_byte,
                                               uint64_t max_memo_bytes = 256);

}  // namespace cairn::wallet
