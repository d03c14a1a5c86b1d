// Wallet compute-device support: register_device with class compute (the tier byte as class
// data, covered by the device's consent), set_compute_tier and reactivate_compute, as the
// cairn-wallet commands register-device --class=compute --tier, set-compute-tier and
// reactivate-compute build them.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "consensus/compute/compute_state.h"
#include "consensus/devices/device_class.h"
#include "consensus/devices/device_record.h"
#include "consensus/memory_state.h"
#include "consensus/params.h"
#include "consensus/state.h"
#include "consensus/tx/compute_txs.h"
#include "consensus/tx/device_txs.h"
#include "consensus/tx_check.h"
#include "crypto/keys.h"
#include "primitives/transaction.h"
#include "wallet/device_builder.h"

namespace cairn::wallet {
namespace {

using consensus::DeviceClass;

SecretKey KeyFromByte(uint8_t b) {
    std::array<uint8_t, 32> raw{};
    raw[31] = b;
    return *SecretKey::FromBytes(raw);
}

consensus::ChainParams Devnet() {
    return consensus::DefaultParams(Network::kDevnet);
}

// Devnet with a second tier, so that a tier change has somewhere to go.
consensus::ChainParams DevnetTwoTiers() {
    auto params = Devnet();
    params.compute.tiers.push_back(consensus::ComputeTier{"cpu-dev-2", {2, 256, 8'192, 8}, 4, 2});
    return params;
}

std::string RejectCodeOf(const consensus::CheckResult<>& r) {
    return r ? std::string{"accepted"} : std::string{consensus::RejectCode(r.error().reason)};
}

// The reason code a builder's error starts with ("tx-unknown-tier: 1" -> "tx-unknown-tier"), or
// "built".
template <typename R>
std::string BuildCode(const R& tx) {
    return tx ? std::string{"built"} : tx.error().substr(0, tx.error().find(':'));
}

// --- register_device, class compute ---

TEST(WalletComputeTest, RegisterComputeDevicePassesCheckTransaction) {
    const auto params = Devnet();
    ASSERT_EQ(params.compute.tiers.size(), 1u);
    ASSERT_EQ(params.compute.tiers[0].name, "cpu-dev");
    const SecretKey owner = KeyFromByte(1);
    const SecretKey device = KeyFromByte(2);
    const Bytes tier{0};
    auto tx =
        BuildRegisterDevice(owner, device, params, DeviceClass::kCompute, tier, 4, std::nullopt);
    ASSERT_TRUE(tx) << tx.error();
    EXPECT_EQ(tx->type, consensus::RegisterDeviceTx::kId);
    EXPECT_EQ(tx->sender, owner.GetPubKey());
    EXPECT_EQ(tx->nonce, 4u);
    EXPECT_EQ(tx->network_id, params.network_id);
    EXPECT_EQ(tx->fee, tx->ToBytes().size() * params.min_fee_per_byte);
    EXPECT_TRUE(consensus::CheckTransaction(*tx, params));
    EXPECT_TRUE(VerifySchnorr(tx->sender, tx->SigHash(), tx->signature));

    auto p = consensus::RegisterDevicePayload::Decode(tx->payload);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->device_class, DeviceClass::kCompute);
    EXPECT_EQ(p->device, device.GetPubKey());
    EXPECT_EQ(p->class_data, tier);
    // The consent covers the tier byte: it verifies over the hash with it, not without it or
    // with another tier.
    auto consent = [&](const Bytes& class_data) {
        return consensus::DeviceRegistrationHash(params.network_id, owner.GetPubKey(),
                                                 device.GetPubKey(), DeviceClass::kCompute,
                                                 class_data);
    };
    EXPECT_TRUE(VerifySchnorr(p->device, consent(tier), p->device_signature));
    EXPECT_FALSE(VerifySchnorr(p->device, consent(Bytes{}), p->device_signature));
    EXPECT_FALSE(VerifySchnorr(p->device, consent(Bytes{1}), p->device_signature));
    EXPECT_FALSE(VerifySchnorr(
        p->device,
        consensus::DeviceRegistrationHash(params.network_id, owner.GetPubKey(), device.GetPubKey(),
                                          DeviceClass::kRadio, tier),
        p->device_signature));

    // The owner cannot change the tier the device consented to: a payload with another tier
    // byte, signed again by the owner, fails the device's signature.
    const auto two = DevnetTwoTiers();
    auto signed_for_two =
        BuildRegisterDevice(owner, device, two, DeviceClass::kCompute, tier, 4, std::nullopt);
    ASSERT_TRUE(signed_for_two) << signed_for_two.error();
    auto q = consensus::RegisterDevicePayload::Decode(signed_for_two->payload);
    ASSERT_TRUE(q);
    q->class_data = {1};
    Transaction altered = *signed_for_two;
    altered.payload = q->Encode();
    altered.signature = owner.Sign(altered.SigHash());
    EXPECT_EQ(RejectCodeOf(consensus::CheckTransaction(altered, two)), "tx-bad-device-signature");
}

TEST(WalletComputeTest, RegisterComputeDeviceOnTestnetTiers) {
    const auto params = consensus::DefaultParams(Network::kTest);
    ASSERT_EQ(params.compute.tiers.size(), 3u);
    for (uint8_t id = 0; id < 3; ++id) {
        const Bytes tier{id};
        auto tx = BuildRegisterDevice(KeyFromByte(1), KeyFromByte(2), params, DeviceClass::kCompute,
                                      tier, 0, std::nullopt);
        ASSERT_TRUE(tx) << params.compute.tiers[id].name << ": " << tx.error();
        EXPECT_TRUE(consensus::CheckTransaction(*tx, params));
        EXPECT_EQ(consensus::RegisterDevicePayload::Decode(tx->payload)->class_data, tier);
    }
}

TEST(WalletComputeTest, RegisterRefusesWhatConsensusRefuses) {
    const auto params = Devnet();
    const SecretKey owner = KeyFromByte(1);
    const SecretKey device = KeyFromByte(2);
    auto build = [&](DeviceClass c, const Bytes& data) {
        return BuildCode(BuildRegisterDevice(owner, device, params, c, data, 0, std::nullopt));
    };
    EXPECT_EQ(build(DeviceClass::kCompute, Bytes{0}), "built");
    // Devnet has one tier: id 1 (and anything above) is unknown.
    EXPECT_EQ(build(DeviceClass::kCompute, Bytes{1}), "tx-unknown-tier");
    EXPECT_EQ(build(DeviceClass::kCompute, Bytes{255}), "tx-unknown-tier");
    // A compute device carries exactly one tier byte, a radio none.
    EXPECT_EQ(build(DeviceClass::kCompute, Bytes{}), "tx-malformed");
    EXPECT_EQ(build(DeviceClass::kCompute, Bytes{0, 0}), "tx-malformed");
    EXPECT_EQ(build(DeviceClass::kRadio, Bytes{0}), "tx-malformed");
    EXPECT_EQ(build(DeviceClass::kRadio, Bytes{}), "built");
    // With a second tier, id 1 is known.
    auto two = BuildRegisterDevice(owner, device, DevnetTwoTiers(), DeviceClass::kCompute, Bytes{1},
                                   0, std::nullopt);
    EXPECT_EQ(BuildCode(two), "built");
}

// --- set_compute_tier ---

TEST(WalletComputeTest, SetComputeTierPassesCheckTransaction) {
    const auto params = DevnetTwoTiers();
    const SecretKey owner = KeyFromByte(1);
    const PubKey device = KeyFromByte(2).GetPubKey();
    auto tx = BuildSetComputeTier(owner, params, device, 1, 9, std::nullopt);
    ASSERT_TRUE(tx) << tx.error();
    EXPECT_EQ(tx->type, consensus::SetComputeTierTx::kId);
    EXPECT_EQ(tx->sender, owner.GetPubKey());
    EXPECT_EQ(tx->nonce, 9u);
    EXPECT_EQ(tx->fee, tx->ToBytes().size() * params.min_fee_per_byte);
    EXPECT_TRUE(consensus::CheckTransaction(*tx, params));
    auto p = consensus::SetComputeTierPayload::Decode(tx->payload);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->device, device);
    EXPECT_EQ(p->tier, 1);

    // On devnet's own params (one tier) tier 0 builds and checks; tier 1 is refused by the
    // builder before signing.
    const auto devnet = Devnet();
    auto zero = BuildSetComputeTier(owner, devnet, device, 0, 0, std::nullopt);
    ASSERT_TRUE(zero) << zero.error();
    EXPECT_TRUE(consensus::CheckTransaction(*zero, devnet));
    EXPECT_EQ(consensus::SetComputeTierPayload::Decode(zero->payload)->tier, 0);
    auto unknown = BuildSetComputeTier(owner, devnet, device, 1, 0, std::nullopt);
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().find("unknown compute tier"), std::string::npos) << unknown.error();
    // The tier-1 transaction built for two tiers is refused by consensus on devnet's one.
    EXPECT_EQ(RejectCodeOf(consensus::CheckTransaction(*tx, devnet)), "tx-unknown-tier");

    // A given fee is used; one below the minimum is refused with the consensus reason.
    auto paid = BuildSetComputeTier(owner, params, device, 1, 0, Amount{12'345});
    ASSERT_TRUE(paid) << paid.error();
    EXPECT_EQ(paid->fee, 12'345u);
    EXPECT_EQ(BuildCode(BuildSetComputeTier(owner, params, device, 1, 0, Amount{1})),
              "tx-fee-too-low");
}

// --- reactivate_compute ---

TEST(WalletComputeTest, ReactivateComputePassesCheckTransaction) {
    auto params = Devnet();
    params.network_id = 77;
    const SecretKey owner = KeyFromByte(1);
    const PubKey device = KeyFromByte(2).GetPubKey();
    auto tx = BuildReactivateCompute(owner, params, device, 3, std::nullopt);
    ASSERT_TRUE(tx) << tx.error();
    EXPECT_EQ(tx->type, consensus::ReactivateComputeTx::kId);
    EXPECT_EQ(tx->network_id, 77u);
    EXPECT_EQ(tx->nonce, 3u);
    EXPECT_EQ(tx->fee, tx->ToBytes().size() * params.min_fee_per_byte);
    EXPECT_TRUE(consensus::CheckTransaction(*tx, params));
    auto p = consensus::ReactivateComputePayload::Decode(tx->payload);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->device, device);
    // Signed for network 77: devnet's id refuses it.
    EXPECT_EQ(RejectCodeOf(consensus::CheckTransaction(*tx, Devnet())), "tx-wrong-network");
}

// --- The built transactions against a state ---

// What the node does with what the wallet builds: registration at a tier (the onboarding fee
// burned), tier changes pending until the next bucket (same tier refused, going back cancels),
// reactivation refused while active and accepted once deactivated.
TEST(WalletComputeTest, BuiltTransactionsApply) {
    const auto params = DevnetTwoTiers();
    const SecretKey owner = KeyFromByte(1);
    const SecretKey device_sk = KeyFromByte(2);
    const PubKey device = device_sk.GetPubKey();
    const SecretKey stranger = KeyFromByte(5);
    const Amount start = 100 * kCoin;
    consensus::MemoryState base{{{owner.GetPubKey(), consensus::Account{start, 0}},
                                 {stranger.GetPubKey(), consensus::Account{start, 0}}}};
    consensus::StateDelta state{base};
    uint64_t nonce = 0;
    Amount fees = 0;
    auto apply = [&](const Result<Transaction, std::string>& tx, uint64_t height) {
        EXPECT_TRUE(tx) << tx.error();
        if (!tx) return std::string{"not built"};
        auto r = consensus::ApplyTransaction(*tx, params, height, state);
        if (r) {
            ++nonce;
            fees += tx->fee;
        }
        return RejectCodeOf(r);
    };
    auto compute = [&] {
        auto cs = consensus::ReadComputeState(state, device);
        EXPECT_TRUE(cs);
        return cs.value_or(consensus::ComputeState{});
    };

    // A fresh device: tier 0 in force, nothing pending, active.
    ASSERT_EQ(apply(BuildRegisterDevice(owner, device_sk, params, DeviceClass::kCompute, Bytes{0},
                                        nonce, std::nullopt),
                    10),
              "accepted");
    auto d = consensus::ReadDevice(state, device);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->owner, owner.GetPubKey());
    EXPECT_EQ(d->device_class, DeviceClass::kCompute);
    EXPECT_EQ(d->class_data, Bytes{0});
    EXPECT_EQ(compute().tier, 0);
    EXPECT_EQ(compute().next_tier, std::nullopt);
    EXPECT_TRUE(compute().active);

    // Reactivating an active device is refused; so is asking for the tier already in force.
    EXPECT_EQ(apply(BuildReactivateCompute(owner, params, device, nonce, std::nullopt), 11),
              "tx-device-active");
    EXPECT_EQ(apply(BuildSetComputeTier(owner, params, device, 0, nonce, std::nullopt), 11),
              "tx-same-tier");

    // A change is pending until the next bucket start; the same change again is refused.
    EXPECT_EQ(apply(BuildSetComputeTier(owner, params, device, 1, nonce, std::nullopt), 11),
              "accepted");
    EXPECT_EQ(compute().tier, 0);
    EXPECT_EQ(compute().next_tier, std::optional<uint8_t>{1});
    EXPECT_EQ(consensus::ReadDevice(state, device)->class_data, Bytes{1});
    EXPECT_EQ(apply(BuildSetComputeTier(owner, params, device, 1, nonce, std::nullopt), 12),
              "tx-same-tier");
    // Back to the tier in force cancels the pending change.
    EXPECT_EQ(apply(BuildSetComputeTier(owner, params, device, 0, nonce, std::nullopt), 12),
              "accepted");
    EXPECT_EQ(compute().tier, 0);
    EXPECT_EQ(compute().next_tier, std::nullopt);
    EXPECT_EQ(consensus::ReadDevice(state, device)->class_data, Bytes{0});

    // Only the owner may change the tier or reactivate.
    auto foreign = BuildSetComputeTier(stranger, params, device, 1, 0, std::nullopt);
    ASSERT_TRUE(foreign);
    EXPECT_EQ(RejectCodeOf(consensus::ApplyTransaction(*foreign, params, 12, state)),
              "tx-not-device-owner");

    // Deactivated (as settlement does after max_missed_buckets): reactivation is accepted, and
    // clears the missed count.
    auto cs = compute();
    cs.active = false;
    cs.missed = params.compute.max_missed_buckets;
    consensus::WriteComputeState(state, device, cs);
    EXPECT_EQ(apply(BuildReactivateCompute(owner, params, device, nonce, std::nullopt), 13),
              "accepted");
    EXPECT_TRUE(compute().active);
    EXPECT_EQ(compute().missed, 0u);
    EXPECT_EQ(apply(BuildReactivateCompute(owner, params, device, nonce, std::nullopt), 14),
              "tx-device-active");

    // The owner paid the fees and the compute onboarding fee.
    EXPECT_EQ(state.Get(owner.GetPubKey()).nonce, nonce);
    EXPECT_EQ(nonce, 4u);
    EXPECT_EQ(state.Get(owner.GetPubKey()).balance, start - fees - params.compute.onboarding_fee);

    // A radio is not a compute device: neither transaction applies to it.
    const SecretKey radio_sk = KeyFromByte(3);
    ASSERT_EQ(apply(BuildRegisterDevice(owner, radio_sk, params, DeviceClass::kRadio, Bytes{},
                                        nonce, std::nullopt),
                    15),
              "accepted");
    EXPECT_EQ(
        apply(BuildSetComputeTier(owner, params, radio_sk.GetPubKey(), 1, nonce, std::nullopt), 16),
        "tx-not-compute");
    EXPECT_EQ(
        apply(BuildReactivateCompute(owner, params, radio_sk.GetPubKey(), nonce, std::nullopt), 16),
        "tx-not-compute");
    // And an unregistered key is unknown.
    EXPECT_EQ(apply(BuildReactivateCompute(owner, params, KeyFromByte(6).GetPubKey(), nonce,
                                           std::nullopt),
                    16),
              "tx-unknown-device");
}

}  // namespace
}  // namespace cairn::wallet
