// Account state as consensus sees it: a read-only view of committed state, and a StateDelta
// that collects a block's changes on top of it.
//
// Consensus never reads storage itself: the node implements AccountView over LevelDB, tests
// over a map. The delta keeps an undo journal so one failed transaction can be rolled back
// without copying the state.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "crypto/keys.h"
#include "primitives/amount.h"
#include "primitives/serialize.h"

namespace cairn::consensus {

struct Account {
    Amount balance{0};
    uint64_t nonce{0};  // the nonce the account's next transaction must carry

    bool IsEmpty() const { return balance == 0 && nonce == 0; }
    void Serialize(Writer& w) const;
    bool operator==(const Account&) const = default;
};

DecodeResult<Account> DecodeAccount(ByteSpan data);

class AccountView {
public:
    virtual ~AccountView() = default;
    // The committed account, or nullopt if it has never existed.
    virtual std::optional<Account> GetAccount(const PubKey& key) const = 0;
};

class StateDelta : public AccountView {
public:
    explicit StateDelta(const AccountView& base) : m_base{base} {}

    std::optional<Account> GetAccount(const PubKey& key) const override;
    // The account, or an empty one if it does not exist.
    Account Get(const PubKey& key) const { return GetAccount(key).value_or(Account{}); }
    void Set(const PubKey& key, const Account& account);

    using Checkpoint = size_t;
    Checkpoint MakeCheckpoint() const { return m_journal.size(); }
    // Undoes every Set since the checkpoint.
    void Rollback(Checkpoint cp);

    // Changed accounts with their new values, in key order.
    const std::map<PubKey, Account>& Changes() const { return m_changes; }
    // The account as the base view holds it (before any Set). Base reads are remembered, so
    // this costs no second read of storage for an account the delta already looked at.
    std::optional<Account> Original(const PubKey& key) const;

private:
    struct JournalEntry {
        PubKey key;
        std::optional<Account> previous;  // nullopt: the key was not in m_changes
    };
    const AccountView& m_base;
    mutable std::map<PubKey, std::optional<Account>> m_base_reads;
    std::map<PubKey, Account> m_changes;
    std::vector<JournalEntry> m_journal;
};

}  // namespace cairn::consensus
