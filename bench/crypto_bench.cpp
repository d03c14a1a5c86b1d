// Primitive costs, one thread: BIP340 sign and verify, SHA-256 of 64 bytes, tagged hashes,
// x-only key parsing (what PubKey::IsValid costs), and one StateCommitment element.
// Compare with /work/shared/research/limits.md (verify ~37,000/s/core, SHA-256(64 B) ~3.3 M/s).
#include <benchmark/benchmark.h>

#include "bench_util.h"
#include "consensus/state_commitment.h"

namespace cairn::bench {
namespace {

Hash256 Msg(uint64_t i) {
    Writer w;
    w.VarInt(i);
    return Sha256(w.Data());
}

void BM_Bip340Sign(benchmark::State& state) {
    const SecretKey& sk = SenderKeys(kSenderPool).secret[0];
    const std::array<uint8_t, 32> aux{};
    Hash256 msg = Msg(1);
    for (auto _ : state) {
        Signature sig = sk.Sign(msg, aux);
        benchmark::DoNotOptimize(sig);
        msg.bytes[0]++;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Bip340Sign);

void BM_Bip340Verify(benchmark::State& state) {
    const auto& keys = SenderKeys(kSenderPool);
    constexpr size_t kN = 256;
    std::vector<PubKey> pks(kN);
    std::vector<Hash256> msgs(kN);
    std::vector<Signature> sigs(kN);
    for (size_t i = 0; i < kN; ++i) {
        pks[i] = keys.pub[i];
        msgs[i] = Msg(i);
        sigs[i] = keys.secret[i].Sign(msgs[i], std::array<uint8_t, 32>{});
    }
    size_t i = 0;
    for (auto _ : state) {
        bool ok = VerifySchnorr(pks[i], msgs[i], sigs[i]);
        if (!ok) state.SkipWithError("signature did not verify");
        i = (i + 1) % kN;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Bip340Verify);

// The x-only key parse (a field square root) behind PubKey::IsValid, which CheckTransaction
// runs for the sender and the transfer's recipient.
void BM_PubKeyIsValid(benchmark::State& state) {
    const PubKey pk = SenderKeys(kSenderPool).pub[0];
    for (auto _ : state) {
        bool ok = pk.IsValid();
        benchmark::DoNotOptimize(ok);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PubKeyIsValid);

void BM_Sha256_64B(benchmark::State& state) {
    std::array<uint8_t, 64> data{};
    for (auto _ : state) {
        Hash256 h = Sha256(data);
        benchmark::DoNotOptimize(h);
        data[0]++;
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * 64);
}
BENCHMARK(BM_Sha256_64B);

void BM_TaggedHash_64B(benchmark::State& state) {
    std::array<uint8_t, 64> data{};
    for (auto _ : state) {
        Hash256 h = TaggedHash(tags::kMerkleNode, data);
        benchmark::DoNotOptimize(h);
        data[0]++;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TaggedHash_64B);

// One LtHash element: TaggedHash of (key, account) and a 2 KiB ChaCha20 expansion. A changed
// account costs two of these (Remove old, Add new).
void BM_StateCommitmentAdd(benchmark::State& state) {
    consensus::StateCommitment c;
    const PubKey key = SenderKeys(kSenderPool).pub[0];
    consensus::Account account{kBenchBalance, 0};
    for (auto _ : state) {
        c.Add(key, account);
        account.nonce++;
    }
    benchmark::DoNotOptimize(c);
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StateCommitmentAdd);

void BM_StateCommitmentRoot(benchmark::State& state) {
    consensus::StateCommitment c;
    c.Add(SenderKeys(kSenderPool).pub[0], consensus::Account{kBenchBalance, 0});
    for (auto _ : state) {
        Hash256 root = c.Root();
        benchmark::DoNotOptimize(root);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StateCommitmentRoot);

}  // namespace
}  // namespace cairn::bench
