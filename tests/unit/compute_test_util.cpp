#include "compute_test_util.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>
#include <string>

#include "consensus/devices/device_record.h"
#include "consensus/tx/compute_txs.h"

namespace cairn::test {

using namespace consensus;

std::vector<int8_t> RawChaChaStream(const Hash256& seed, uint32_t counter, uint32_t g,
                                    uint32_t which, size_t bytes) {
    std::array<uint8_t, 16> iv{};
    const uint32_t words[3] = {counter, g, which};
    for (size_t w = 0; w < 3; ++w) {
        for (size_t b = 0; b < 4; ++b) iv[4 * w + b] = static_cast<uint8_t>(words[w] >> (8 * b));
    }
    std::vector<uint8_t> zeros(bytes), out(bytes);
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int len = 0;
    const bool ok =
        ctx != nullptr &&
        EVP_EncryptInit_ex(ctx, EVP_chacha20(), nullptr, seed.bytes.data(), iv.data()) == 1 &&
        EVP_EncryptUpdate(ctx, out.data(), &len, zeros.data(), static_cast<int>(bytes)) == 1 &&
        len == static_cast<int>(bytes);
    EVP_CIPHER_CTX_free(ctx);
    if (!ok) throw std::runtime_error("test ChaCha20 failed");
    return {out.begin(), out.end()};
}
using compute::ChallengeShape;

ChainParams SmallComputeParams() {
    ChainParams p = DefaultParams(Network::kDevnet);
    p.compute.tiers = {ComputeTier{"t", {1, 16, 64, 4}, 2, 1},
                       ComputeTier{"u", {1, 16, 128, 4}, 3, 3}};
    p.compute.onboarding_fee = kComputeFee;
    p.compute.bucket_length = kBucketLength;
    p.compute.open_window = 2;
    p.compute.spot_cells = kSpotCells;
    p.compute.max_missed_buckets = 3;
    p.compute.max_entries_per_block = kMaxComputeEntries;
    return p;
}

int32_t& ComputeProof::Cell(uint64_t cell) {
    return tiles.at(compute::TileOfCell(shape, cell)).at(compute::OffsetInTile(shape, cell));
}

int32_t ComputeProof::At(uint64_t cell) const {
    return tiles.at(compute::TileOfCell(shape, cell)).at(compute::OffsetInTile(shape, cell));
}

void ComputeProof::Rehash() {
    const uint64_t side = shape.n / shape.tile;
    leaves.resize(tiles.size());
    for (uint64_t t = 0; t < tiles.size(); ++t) {
        leaves[t] = compute::TileLeaf(static_cast<uint32_t>(t / (side * side)),
                                      static_cast<uint32_t>(t / side % side),
                                      static_cast<uint32_t>(t % side), tiles[t]);
    }
    root = compute::TileRoot(leaves);
}

ComputeProof ProveHonestly(const Hash256& seed, const ChallengeShape& s) {
    ComputeProof p;
    p.shape = s;
    p.seed = seed;
    p.tiles.assign(compute::TileCount(s), std::vector<int32_t>(size_t{s.tile} * s.tile));
    std::vector<std::vector<int8_t>> rows(s.n, std::vector<int8_t>(s.k));
    std::vector<std::vector<int8_t>> cols(s.n, std::vector<int8_t>(s.k));
    for (uint32_t g = 0; g < s.g; ++g) {
        for (uint32_t i = 0; i < s.n; ++i) compute::RowOfA(seed, s, g, i, rows[i]);
        for (uint32_t j = 0; j < s.n; ++j) compute::ColumnOfB(seed, s, g, j, cols[j]);
        for (uint32_t i = 0; i < s.n; ++i) {
            for (uint32_t j = 0; j < s.n; ++j) {
                p.Cell((uint64_t{g} * s.n + i) * s.n + j) = compute::DotInt8(rows[i], cols[j]);
            }
        }
    }
    p.Rehash();
    return p;
}

std::vector<OpenedTile> OpenTiles(const ComputeProof& proof, const std::vector<uint64_t>& cells) {
    std::vector<uint64_t> idx;
    for (uint64_t c : cells) idx.push_back(compute::TileOfCell(proof.shape, c));
    std::sort(idx.begin(), idx.end());
    idx.erase(std::unique(idx.begin(), idx.end()), idx.end());
    std::vector<OpenedTile> out;
    for (uint64_t t : idx) {
        out.push_back(OpenedTile{t, proof.tiles.at(t), compute::TilePath(proof.leaves, t)});
    }
    return out;
}

void SignCommit(ComputeCommit& c, const SecretKey& device, uint32_t network_id) {
    c.signature = device.Sign(c.SigHash(network_id), kTestAux);
}

void SignOpen(ComputeOpen& o, const SecretKey& device, uint32_t network_id) {
    o.signature = device.Sign(o.SigHash(network_id), kTestAux);
}

ComputeEntry Entry(ComputeReport report) {
    ComputeEntry e;
    e.report = std::move(report);
    return e;
}

ComputeChain::ComputeChain(size_t n_accounts, const std::function<void(ChainParams&)>& tweak)
    : DepinChain{1, n_accounts, 1000 * kCoin} {
    params = SmallComputeParams();
    if (tweak) tweak(params);
    Genesis g;
    g.params = params;
    g.time_ms = 1'700'000'000'000;
    for (size_t i = 0; i < n_accounts; ++i) g.accounts.push_back({AccountKey(i), 1000 * kCoin});
    for (const SecretKey& k : validator_keys) g.validators.push_back({k.GetPubKey(), 1});
    auto built = BuildGenesis(g);
    if (!built) throw std::logic_error("compute test genesis: " + built.error());
    genesis = std::move(built).value();
    tip = genesis.block;
    hashes.hashes.clear();
    hashes.hashes[0] = genesis.block.Hash();
    state = MapStateView{genesis.accounts};
    commitment = genesis.commitment;
}

size_t ComputeChain::AddDevice(size_t owner, uint8_t tier) {
    const size_t index = devices.size();
    const SecretKey key = TestKey(2000 + index);
    devices.push_back(ComputeDevice{key, key.GetPubKey(), owner, tier});
    return index;
}

Transaction ComputeChain::RegisterComputeTx(size_t d, uint64_t nonce) const {
    const ComputeDevice& dev = devices.at(d);
    RegisterDevicePayload p;
    p.device_class = DeviceClass::kCompute;
    p.device = dev.pub;
    p.class_data = {dev.tier};
    p.device_signature = SignRegistration(dev.key, params.network_id, AccountKey(dev.owner),
                                          DeviceClass::kCompute, p.class_data);
    return MakeSignedTx(account_keys.at(dev.owner), RegisterDeviceTx::kId, p.Encode(), nonce,
                        params.network_id);
}

ConnectedBlock ComputeChain::RegisterDevices(const std::vector<size_t>& ds) {
    std::map<size_t, uint64_t> nonces;
    std::vector<Transaction> txs;
    for (size_t d : ds) {
        const size_t owner = devices.at(d).owner;
        auto it = nonces.find(owner);
        if (it == nonces.end()) it = nonces.emplace(owner, Nonce(AccountKey(owner))).first;
        txs.push_back(RegisterComputeTx(d, it->second++));
    }
    return MineC({}, std::move(txs));
}

Transaction ComputeChain::SetTierTx(size_t owner, const PubKey& device, uint8_t tier,
                                    uint64_t nonce) const {
    return MakeSignedTx(account_keys.at(owner), SetComputeTierTx::kId,
                        SetComputeTierPayload{device, tier}.Encode(), nonce, params.network_id);
}

Transaction ComputeChain::ReactivateTx(size_t owner, const PubKey& device, uint64_t nonce) const {
    return MakeSignedTx(account_keys.at(owner), ReactivateComputeTx::kId,
                        ReactivateComputePayload{device}.Encode(), nonce, params.network_id);
}

std::optional<ComputeState> ComputeChain::State(size_t d) const {
    return State(DeviceKey(d));
}

std::optional<ComputeState> ComputeChain::State(const PubKey& device) const {
    return ReadComputeState(state, device);
}

std::optional<compute::ChallengeInfo> ComputeChain::Challenge(size_t d) const {
    return compute::CurrentChallenge(params, Height(), hashes, state, DeviceKey(d));
}

ComputeProof ComputeChain::Prove(size_t d) const {
    const auto info = Challenge(d);
    if (!info) throw std::logic_error("Prove: device not challenged");
    return ProveHonestly(info->seed, info->tier_params->shape);
}

ComputeCommit ComputeChain::MakeCommit(size_t d, uint64_t bucket, uint8_t tier,
                                       const Hash256& root) const {
    ComputeCommit c;
    c.device = DeviceKey(d);
    c.bucket = bucket;
    c.tier = tier;
    c.root = root;
    SignCommit(c, devices.at(d).key, params.network_id);
    return c;
}

ComputeCommit ComputeChain::Commit(size_t d, const Hash256& root) const {
    const auto info = Challenge(d);
    if (!info) throw std::logic_error("Commit: device not challenged");
    return MakeCommit(d, info->bucket, info->tier, root);
}

ComputeOpen ComputeChain::MakeOpen(size_t d, uint64_t bucket, const Hash256& root,
                                   std::vector<OpenedTile> tiles) const {
    ComputeOpen o;
    o.device = DeviceKey(d);
    o.bucket = bucket;
    o.root = root;
    o.tiles = std::move(tiles);
    SignOpen(o, devices.at(d).key, params.network_id);
    return o;
}

std::vector<uint64_t> ComputeChain::Spots(size_t d, const Hash256& root) const {
    const auto info = Challenge(d);
    if (!info) throw std::logic_error("Spots: device not challenged");
    const auto spot = hashes.HashAtHeight(info->spot_height);
    if (!spot) throw std::logic_error("Spots: no spot block yet");
    return compute::SpotCells(*spot, DeviceKey(d), root, info->tier_params->shape,
                              params.compute.spot_cells);
}

ComputeOpen ComputeChain::Open(size_t d, const ComputeProof& proof) const {
    const auto info = Challenge(d);
    if (!info) throw std::logic_error("Open: device not challenged");
    return MakeOpen(d, info->bucket, proof.root, OpenTiles(proof, Spots(d, proof.root)));
}

std::vector<ComputeEntry> ComputeChain::HonestEntries(const std::vector<size_t>& ds) const {
    std::vector<ComputeEntry> out;
    const uint64_t next = Height() + 1;
    for (size_t d : ds) {
        const auto info = Challenge(d);
        if (!info) continue;
        const auto cs = State(d);
        if (cs->progress == BucketProgress::kChallenged && next <= info->commit_deadline) {
            out.push_back(Entry(Commit(d, Prove(d).root)));
        } else if (cs->progress == BucketProgress::kCommitted && next > info->spot_height &&
                   next <= info->open_deadline) {
            out.push_back(Entry(Open(d, Prove(d))));
        }
    }
    return out;
}

CheckResult<AssembledBlock> ComputeChain::AssembleC(std::vector<ComputeEntry> entries,
                                                    std::vector<Transaction> txs) const {
    const uint64_t height = Height() + 1;
    BlockTemplate t;
    t.txs = std::move(txs);
    t.compute = std::move(entries);
    t.proposer = Validators().ProposerFor(height).key;
    if (!NeedsEmptyCommit(height)) t.last_commit = MakeQuorumCommit(tip.header);
    t.time_ms = tip.header.time_ms + 1000;
    return AssembleBlock(std::move(t), params, tip.header, Validators(), hashes, state, commitment,
                         SignatureChecker{});
}

ConnectedBlock ComputeChain::MineC(std::vector<ComputeEntry> entries,
                                   std::vector<Transaction> txs) {
    auto assembled = AssembleC(std::move(entries), std::move(txs));
    if (!assembled) {
        throw std::logic_error("MineC: assemble at " + std::to_string(Height() + 1) + ": " +
                               assembled.error().ToString());
    }
    auto connected = TryAdvance(assembled->block);
    if (!connected) {
        throw std::logic_error("MineC: connect at " + std::to_string(Height() + 1) + ": " +
                               connected.error().ToString());
    }
    return std::move(connected).value();
}

compute::ComputeEvaluation ComputeChain::MineReport(const ComputeReport& report) {
    const ConnectedBlock c = MineC({Entry(report)});
    if (c.compute.size() != 1 || tip.compute.size() != 1) {
        throw std::logic_error("MineReport: one entry expected");
    }
    const compute::ComputeEvaluation ev = c.compute[0];
    if (tip.compute[0].verdict != static_cast<uint8_t>(ev.verdict) ||
        tip.compute[0].detail != ev.detail) {
        throw std::logic_error("MineReport: recorded verdict differs from the computed one");
    }
    return ev;
}

}  // namespace cairn::test
