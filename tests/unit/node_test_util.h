// Shared fixtures for the node and RPC unit tests: temporary directories, a single-validator
// genesis, and blocks with their finalizing commit assembled the way BlockProducer does, so
// tests can tamper with them before ChainState::ConnectTip.
//
// Keys, MapStateView and MakeTransfer come from consensus_test_util.h.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "consensus/genesis.h"
#include "consensus_test_util.h"
#include "crypto/keys.h"
#include "node/chainstate.h"
#include "primitives/block.h"

namespace cairn::test {

// A fresh, empty directory under the system temporary directory, removed (recursively) when
// the object is destroyed.
class TempDir {
public:
    explicit TempDir(const std::string& tag = "cairn-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& Path() const { return m_path; }
    std::string Str() const { return m_path.string(); }
    std::string Sub(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

// The validator of NodeGenesis: TestKey(100), power 10, so it finalizes blocks alone.
SecretKey NodeValidatorKey();

// A devnet genesis with one validator (NodeValidatorKey) and `n_accounts` accounts TestKey(i)
// holding `balance` each; `time_ms` defaults to a time well in the past.
consensus::Genesis NodeGenesis(size_t n_accounts = 3, Amount balance = 1000 * kCoin,
                               uint64_t time_ms = 1'700'000'000'000);

// A block and the commit that finalizes it.
struct SignedBlock {
    Block block;
    Commit commit;
};

// The commit of `validator` (which must be in chain's set) for `block`, as BlockProducer signs.
Commit SignCommit(const ChainState& chain, const SecretKey& validator, const Block& block);

// A valid child of chain's tip holding `txs`, proposed by `validator` at `time_ms` (0: tip time
// + 1000), with its commit. If the transactions do not apply, the state root stays zero.
SignedBlock MakeSignedBlock(const ChainState& chain, const SecretKey& validator,
                            std::vector<Transaction> txs, uint64_t time_ms = 0);

// Recomputes the tx root and last-commit hash after a test changed the block's content.
void FixBlockRoots(Block& block);

}  // namespace cairn::test
