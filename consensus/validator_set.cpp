#include "validator_set.h"

#include <algorithm>

namespace cairn::consensus {

Result<ValidatorSet, std::string> ValidatorSet::Create(std::vector<Validator> validators) {
    if (validators.empty()) return MakeError(std::string{"validator set is empty"});
    if (validators.size() > kMaxValidators) return MakeError(std::string{"too many validators"});
    std::sort(validators.begin(), validators.end(),
              [](const Validator& a, const Validator& b) { return a.key < b.key; });
    ValidatorSet set;
    for (size_t i = 0; i < validators.size(); ++i) {
        const Validator& v = validators[i];
        if (!v.key.IsValid()) return MakeError("invalid validator key " + v.key.Hex());
        if (v.power == 0 || v.power > kMaxValidatorPower) {
            return MakeError("validator power out of range for " + v.key.Hex());
        }
        if (i > 0 && validators[i - 1].key == v.key) {
            return MakeError("duplicate validator " + v.key.Hex());
        }
        set.m_total_power += v.power;  // bounded: 1000 * 2^50 < 2^64
    }
    set.m_validators = std::move(validators);
    return set;
}

void ValidatorSet::Serialize(Writer& w) const {
    w.VarInt(m_validators.size());
    for (const Validator& v : m_validators) {
        w.Fixed(v.key.bytes);
        w.VarInt(v.power);
    }
}

Hash256 ValidatorSet::Hash() const {
    Writer w;
    Serialize(w);
    return TaggedHash(tags::kValidatorSet, w.Data());
}

std::optional<uint32_t> ValidatorSet::IndexOf(const PubKey& key) const {
    auto it = std::lower_bound(m_validators.begin(), m_validators.end(), key,
                               [](const Validator& v, const PubKey& k) { return v.key < k; });
    if (it == m_validators.end() || it->key != key) return std::nullopt;
    return static_cast<uint32_t>(it - m_validators.begin());
}

const Validator& ValidatorSet::ProposerFor(uint64_t height) const {
    return m_validators[height % m_validators.size()];
}

DecodeResult<ValidatorSet> DecodeValidatorSet(ByteSpan data) {
    Reader r{data};
    uint64_t n = 0;
    r.VarIntMax(n, kMaxValidators, "validators");
    std::vector<Validator> vals;
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
        Validator v;
        r.Fixed(v.key.bytes, "validator.key");
        r.VarInt(v.power, "validator.power");
        vals.push_back(v);
    }
    if (!r.ExpectEnd("validators")) return MakeError(r.Error());
    auto set = ValidatorSet::Create(vals);
    if (!set) return MakeError(DecodeError{DecodeErrorCode::kInvalidValue, set.error()});
    // Canonical: the encoding must already be sorted.
    if (set->Validators() != vals) {
        return MakeError(DecodeError{DecodeErrorCode::kInvalidValue, "validators not sorted"});
    }
    return std::move(set).value();
}

CheckResult<> VerifyCommit(const Commit& commit, const ValidatorSet& set, uint32_t network_id,
                           uint64_t height, const Hash256& block_hash) {
    if (commit.height != height) {
        return Rejected(RejectReason::kBlockBadCommit, "commit for height " +
                                                           std::to_string(commit.height) +
                                                           ", expected " + std::to_string(height));
    }
    if (commit.block_hash != block_hash) {
        return Rejected(RejectReason::kBlockBadCommit, "commit for another block");
    }
    Hash256 msg = VoteSignHash(network_id, commit.height, commit.round, commit.block_hash);
    uint64_t signed_power = 0;
    for (size_t i = 0; i < commit.sigs.size(); ++i) {
        const CommitSig& s = commit.sigs[i];
        // Strictly increasing indices: each validator counts once and the encoding is unique.
        if (i > 0 && s.validator_index <= commit.sigs[i - 1].validator_index) {
            return Rejected(RejectReason::kBlockBadCommit, "signer indices not increasing");
        }
        if (s.validator_index >= set.Size()) {
            return Rejected(RejectReason::kBlockBadCommit, "signer index out of range");
        }
        const Validator& v = set.Validators()[s.validator_index];
        if (!VerifySchnorr(v.key, msg, s.signature)) {
            return Rejected(RejectReason::kBlockCommitBadSignature,
                            "validator " + std::to_string(s.validator_index));
        }
        signed_power += v.power;
    }
    // More than 2/3: 3 * signed > 2 * total (no overflow: total < 2^60).
    if (3 * signed_power <= 2 * set.TotalPower()) {
        return Rejected(RejectReason::kBlockCommitInsufficientPower,
                        std::to_string(signed_power) + " of " + std::to_string(set.TotalPower()));
    }
    return {};
}

}  // namespace cairn::consensus
