// Consensus state: a read-only view of committed state, and a StateDelta that collects a block's
// changes on top of it.
//
// State has two parts. Accounts (balance, nonce) are keyed by public key. Everything else the
// DePIN modules keep (devices, coverage history, epoch accounting) is a typed record under a
// byte-string key whose first byte names its kind (see consensus/state_keys.h); values are the
// records' canonical encodings. Both parts are committed by the state root.
//
// Consensus never reads storage itself: the node implements StateView over LevelDB, tests
// over a map. The delta keeps an undo journal so one failed transaction can be rolled back
// without copying the state.
#pragma once

#include <cstdint>
#include <functional>
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

// Byte-string order for record keys (memcmp, then length). Written out rather than using
// std::vector's operator<, which g++ 12 flags with a false -Wstringop-overread.
struct BytesLess {
    using is_transparent = void;
    bool operator()(ByteSpan a, ByteSpan b) const;
    bool operator()(const Bytes& a, const Bytes& b) const {
        return (*this)(ByteSpan{a}, ByteSpan{b});
    }
};
// Changed records with their new values (nullopt: erased), in key order.
using EntryChanges = std::map<Bytes, std::optional<Bytes>, BytesLess>;

// Called for each entry of a prefix scan; returning false stops the scan.
using EntryVisitor = std::function<bool(ByteSpan key, ByteSpan value)>;

class StateView {
public:
    virtual ~StateView() = default;
    // The committed account, or nullopt if it has never existed.
    virtual std::optional<Account> GetAccount(const PubKey& key) const = 0;
    // The committed record under `key`, or nullopt if there is none.
    virtual std::optional<Bytes> GetEntry(ByteSpan key) const = 0;
    // Visits the records whose key starts with `prefix`, in ascending key order.
    virtual void ForEachEntry(ByteSpan prefix, const EntryVisitor& visit) const = 0;
};

class StateDelta : public StateView {
public:
    explicit StateDelta(const StateView& base) : m_base{base} {}

    std::optional<Account> GetAccount(const PubKey& key) const override;
    // The account, or an empty one if it does not exist.
    Account Get(const PubKey& key) const { return GetAccount(key).value_or(Account{}); }
    void Set(const PubKey& key, const Account& account);

    std::optional<Bytes> GetEntry(ByteSpan key) const override;
    // Base entries merged with this delta's changes (erased ones skipped), in key order.
    void ForEachEntry(ByteSpan prefix, const EntryVisitor& visit) const override;
    void SetEntry(ByteSpan key, Bytes value);
    void EraseEntry(ByteSpan key);

    struct Checkpoint {
        size_t accounts{0};
        size_t entries{0};
    };
    Checkpoint MakeCheckpoint() const { return {m_journal.size(), m_entry_journal.size()}; }
    // Undoes every Set, SetEntry and EraseEntry since the checkpoint.
    void Rollback(Checkpoint cp);

    // Changed accounts with their new values, in key order.
    const std::map<PubKey, Account>& Changes() const { return m_changes; }
    const consensus::EntryChanges& EntryChanges() const { return m_entry_changes; }
    // The account as the base view holds it (before any Set). Base reads are remembered, so
    // this costs no second read of storage for an account the delta already looked at.
    std::optional<Account> Original(const PubKey& key) const;
    // The record as the base view holds it, remembered the same way.
    std::optional<Bytes> OriginalEntry(ByteSpan key) const;

private:
    struct JournalEntry {
        PubKey key;
        std::optional<Account> previous;  // nullopt: the key was not in m_changes
    };
    struct EntryJournalEntry {
        Bytes key;
        // Outer nullopt: the key was not in m_entry_changes; inner: it was, as an erasure.
        std::optional<std::optional<Bytes>> previous;
    };
    void PutEntry(ByteSpan key, std::optional<Bytes> value);

    const StateView& m_base;
    mutable std::map<PubKey, std::optional<Account>> m_base_reads;
    std::map<PubKey, Account> m_changes;
    std::vector<JournalEntry> m_journal;
    mutable consensus::EntryChanges m_entry_base_reads;
    consensus::EntryChanges m_entry_changes;
    std::vector<EntryJournalEntry> m_entry_journal;
};

}  // namespace cairn::consensus
