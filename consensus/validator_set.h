// The validator set: who proposes and who must sign for a block to be final.
//
// Validators are kept sorted by public key, so a commit refers to a validator by index and the
// set has one canonical hash. A commit is valid when its signers hold more than 2/3 of the total
// voting power. The proposer of height h is validators[h mod n] (round-robin); the BFT issue
// may replace the schedule with weighted priorities without changing the block format.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "consensus/reject.h"
#include "crypto/keys.h"
#include "primitives/block.h"

namespace cairn::consensus {

struct Validator {
    PubKey key;
    uint64_t power{0};
    bool operator==(const Validator&) const = default;
};

// Bounds every node enforces on a set, so total power cannot overflow.
inline constexpr uint64_t kMaxValidators = 1000;
inline constexpr uint64_t kMaxValidatorPower = uint64_t{1} << 50;

class ValidatorSet {
public:
    ValidatorSet() = default;
    // Sorts by key. Fails on an empty set, duplicate keys, invalid keys, zero power, or bounds.
    static Result<ValidatorSet, std::string> Create(std::vector<Validator> validators);

    const std::vector<Validator>& Validators() const { return m_validators; }
    size_t Size() const { return m_validators.size(); }
    uint64_t TotalPower() const { return m_total_power; }
    Hash256 Hash() const;
    std::optional<uint32_t> IndexOf(const PubKey& key) const;
    const Validator& ProposerFor(uint64_t height) const;

    void Serialize(Writer& w) const;

private:
    std::vector<Validator> m_validators;
    uint64_t m_total_power{0};
};

DecodeResult<ValidatorSet> DecodeValidatorSet(ByteSpan data);

// Checks that `commit` finalizes block (height, block_hash) under `set`: indices strictly
// increasing and in range, every signature valid for the vote message, and the signers' power
// more than 2/3 of the total.
CheckResult<> VerifyCommit(const Commit& commit, const ValidatorSet& set, uint32_t network_id,
                           uint64_t height, const Hash256& block_hash);

}  // namespace cairn::consensus
