// The genesis block: the agreed starting state of a network.
//
// Its header has height 0, the state root of the initial balances, the validator-set hash, and
// as prev_hash the tagged hash of the chain parameters, so networks that differ in any
// parameter, balance or validator have different genesis hashes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "consensus/params.h"
#include "consensus/state.h"
#include "consensus/state_commitment.h"
#include "consensus/validator_set.h"
#include "primitives/block.h"

namespace cairn::consensus {

// Blocks must have room for the header, a commit and the largest transaction.
inline constexpr uint64_t kMinBlockBytes = 100'000;
// Block times are milliseconds since 1970; 2^53 ms is ~285,000 years, and keeps every
// `time + interval` far from overflow.
inline constexpr uint64_t kMaxGenesisTimeMs = uint64_t{1} << 53;

struct GenesisAccount {
    PubKey key;
    Amount balance{0};
};

struct Genesis {
    ChainParams params;
    uint64_t time_ms{0};
    std::vector<GenesisAccount> accounts;
    std::vector<Validator> validators;
};

struct GenesisState {
    Block block;
    ValidatorSet validators;
    std::map<PubKey, Account> accounts;
    StateCommitment commitment;
    Amount supply{0};
};

void SerializeParams(const ChainParams& p, Writer& w);
// Why the DePIN parameters cannot work (empty channel plans, zero windows, pools over 100%,
// density levels out of order), or nullopt if they are usable.
std::optional<std::string> CheckDepinParams(const ChainParams& p);
// The proof-of-compute part of CheckDepinParams.
std::optional<std::string> CheckComputeParams(const ComputeParams& c);

// Fails on duplicate or invalid accounts, a supply above 2^64-1 units, or an invalid set.
Result<GenesisState, std::string> BuildGenesis(const Genesis& genesis);

}  // namespace cairn::consensus
