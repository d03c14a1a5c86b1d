// Genesis files: the JSON form of consensus::Genesis that a team shares to start a network,
// and the devnet genesis cairnd creates on first start.
//
// {
//   "network": "devnet",              main | test | devnet (address prefix, default ports)
//   "network_id": 3,                  signed into every transaction and vote
//   "time_ms": 1767225600000,
//   "params": {"min_fee_per_byte": 10, "max_block_bytes": 2000000,
//              "max_block_txs": 10000, "max_memo_bytes": 256},      each optional
//   "accounts": [{"address": "dcairn1...", "balance": "1000000000"}],   decimal CAIRN strings
//   "validators": [{"address": "dcairn1...", "power": 10}]
// }
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "consensus/genesis.h"
#include "crypto/keys.h"

namespace cairn {

Result<consensus::Genesis, std::string> ParseGenesisJson(const std::string& text);
nlohmann::json GenesisToJson(const consensus::Genesis& g);

// The published devnet faucet key: SHA256("cairn devnet faucet"). Anyone may use it on devnet.
SecretKey DevnetFaucetKey();
inline constexpr Amount kDevnetFaucetBalance = 1'000'000'000 * kCoin;
inline constexpr uint64_t kDevnetGenesisTimeMs = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
inline constexpr uint64_t kDevnetValidatorPower = 10;

// The deterministic devnet genesis for a given validator key.
consensus::Genesis DevnetGenesis(const PubKey& validator);

}  // namespace cairn
