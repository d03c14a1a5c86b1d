// The device registry transactions: register_device, assert_location, transfer_device. Each rule
// is tested on its own: context-free rules through CheckTransaction, state rules through
// ApplyTransaction (exact reason) and through blocks, and every fee that is burned is followed
// into ChainAccounting and the supply.
#include <gtest/gtest.h>

#include <cstdint>

#include "consensus/devices/device_class.h"
#include "consensus/devices/device_record.h"
#include "consensus/rewards/accounting.h"
#include "consensus/tx/device_txs.h"
#include "consensus/tx_check.h"
#include "depin_test_util.h"

namespace cairn::consensus {
namespace {

using test::DepinChain;
using test::kDeviceTxFee;
using test::TestKey;
using test::TestPubKey;

constexpr Amount kOnboardingFee = 10 * kCoin;  // devnet radio_onboarding_fee
constexpr Amount kLocationFee = kCoin;         // devnet assert_location_fee

class DeviceTxTest : public ::testing::Test {
protected:
    DepinChain chain;
    size_t a = chain.AddRadio(0, test::kBerlin);
    size_t b = chain.AddRadio(1, test::OffsetMeters(test::kBerlin, 2'000, 0));

    const SecretKey& Owner(size_t account) const { return chain.account_keys.at(account); }
    uint32_t Net() const { return chain.params.network_id; }

    // Applies one transaction as the next block would, on a scratch delta.
    CheckResult<> ApplyOne(const Transaction& tx) const {
        StateDelta delta{chain.state};
        return ApplyTransaction(tx, chain.params, chain.Height() + 1, delta);
    }
    // Both checks a block runs on a transaction, context-free first.
    CheckResult<> CheckAndApply(const Transaction& tx) const {
        if (auto r = CheckTransaction(tx, chain.params); !r) return r;
        return ApplyOne(tx);
    }
    Transaction Register(size_t owner, const RegisterDevicePayload& p) const {
        return test::MakeSignedTx(Owner(owner), RegisterDeviceTx::kId, p.Encode(),
                                  chain.Nonce(chain.AccountKey(owner)), Net());
    }
    RegisterDevicePayload ValidRegistration(size_t owner, size_t radio) const {
        RegisterDevicePayload p;
        p.device = chain.RadioKey(radio);
        p.device_signature =
            test::SignRegistration(chain.radios[radio].key, Net(), chain.AccountKey(owner));
        return p;
    }
    Transaction Assert(size_t owner, const AssertLocationPayload& p) const {
        return test::MakeSignedTx(Owner(owner), AssertLocationTx::kId, p.Encode(),
                                  chain.Nonce(chain.AccountKey(owner)), Net());
    }
    AssertLocationPayload Location(size_t radio) const {
        return {chain.RadioKey(radio), chain.radios[radio].position, test::kGain, test::kEU868};
    }
    Transaction TransferDevice(size_t owner, const PubKey& device, const PubKey& to) const {
        return test::MakeTransferDeviceTx(Owner(owner), device, to,
                                          chain.Nonce(chain.AccountKey(owner)), Net());
    }
};

// ---- register_device -----------------------------------------------------------------------

TEST_F(DeviceTxTest, RegisterAcceptedAndFeeBurned) {
    const PubKey owner = chain.AccountKey(0);
    const Amount before = chain.Balance(owner);
    const Transaction tx = chain.RegisterTx(a, 0);
    EXPECT_ACCEPT(CheckTransaction(tx, chain.params));
    EXPECT_ACCEPT(chain.sig_checker.CheckContextFree(tx, chain.params));
    const ConnectedBlock c = chain.Mine({tx});

    auto d = chain.Device(a);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->device_class, DeviceClass::kRadio);
    EXPECT_EQ(d->owner, owner);
    EXPECT_EQ(d->registered_height, 1u);
    EXPECT_TRUE(d->class_data.empty());
    EXPECT_FALSE(d->location.has_value());
    EXPECT_EQ(d->location_asserts, 0u);
    EXPECT_FALSE(d->last_beacon_bucket.has_value());
    EXPECT_FALSE(d->witnessed_height.has_value());

    // The sender pays the transaction fee (pooled for validators) and the onboarding fee
    // (destroyed).
    EXPECT_EQ(chain.Balance(owner), before - kDeviceTxFee - kOnboardingFee);
    EXPECT_EQ(chain.Nonce(owner), 1u);
    EXPECT_EQ(c.burned, kOnboardingFee);
    EXPECT_EQ(c.minted, 0u);
    EXPECT_EQ(c.fees, kDeviceTxFee);
    const ChainAccounting acc = chain.Accounting();
    EXPECT_EQ(acc.burned, kOnboardingFee);
    EXPECT_EQ(acc.minted, 0u);
    EXPECT_EQ(acc.epoch_fees, kDeviceTxFee);
    EXPECT_TRUE(chain.SupplyHolds());
    // The burned coins are gone: the balances are short of genesis by exactly the burn (the tx
    // fee is still in the pool).
    EXPECT_EQ(test::TotalBalances(chain.state),
              chain.genesis.supply - kOnboardingFee - kDeviceTxFee);
    EXPECT_EQ(OnboardingFee(DeviceClass::kRadio, chain.params), kOnboardingFee);
}

TEST_F(DeviceTxTest, RegisterRejectsInvalidDeviceKey) {
    RegisterDevicePayload p = ValidRegistration(0, a);
    p.device = test::InvalidPubKey();
    EXPECT_REJECT(CheckTransaction(Register(0, p), chain.params), RejectReason::kTxBadDeviceKey);
}

TEST_F(DeviceTxTest, RegisterRejectsDeviceSignatureForAnotherOwner) {
    // The device consented to owner 1; owner 0 cannot use that consent to squat the device.
    RegisterDevicePayload p = ValidRegistration(1, a);
    EXPECT_REJECT(CheckTransaction(Register(0, p), chain.params),
                  RejectReason::kTxBadDeviceSignature);
    EXPECT_ACCEPT(CheckTransaction(Register(1, p), chain.params));
}

TEST_F(DeviceTxTest, RegisterRejectsDeviceSignatureForAnotherNetwork) {
    RegisterDevicePayload p = ValidRegistration(0, a);
    p.device_signature =
        test::SignRegistration(chain.radios[a].key, Net() + 1, chain.AccountKey(0));
    EXPECT_REJECT(CheckTransaction(Register(0, p), chain.params),
                  RejectReason::kTxBadDeviceSignature);
}

TEST_F(DeviceTxTest, RegisterRejectsDeviceSignatureForAnotherClass) {
    RegisterDevicePayload p = ValidRegistration(0, a);
    p.device_signature = test::SignRegistration(chain.radios[a].key, Net(), chain.AccountKey(0),
                                                static_cast<DeviceClass>(2));
    EXPECT_REJECT(CheckTransaction(Register(0, p), chain.params),
                  RejectReason::kTxBadDeviceSignature);
}

TEST_F(DeviceTxTest, RegisterRejectsSignatureByAnotherKey) {
    RegisterDevicePayload p = ValidRegistration(0, a);
    // The owner signs for the device: not the device's consent.
    p.device_signature = test::SignRegistration(Owner(0), Net(), chain.AccountKey(0));
    EXPECT_REJECT(CheckTransaction(Register(0, p), chain.params),
                  RejectReason::kTxBadDeviceSignature);
    p.device_signature.bytes[5] ^= 1;
    EXPECT_REJECT(CheckTransaction(Register(0, p), chain.params),
                  RejectReason::kTxBadDeviceSignature);
}

TEST_F(DeviceTxTest, RegisterRejectsUnknownClass) {
    for (uint8_t cls : {uint8_t{0}, uint8_t{3}, uint8_t{255}}) {
        RegisterDevicePayload p = ValidRegistration(0, a);
        p.device_class = static_cast<DeviceClass>(cls);
        p.device_signature =
            test::SignRegistration(chain.radios[a].key, Net(), chain.AccountKey(0), p.device_class);
        const Transaction tx = Register(0, p);
        SCOPED_TRACE(int{cls});
        EXPECT_REJECT(CheckTransaction(tx, chain.params), RejectReason::kTxUnknownDeviceClass);
        // Apply must reject it as well (blocks are applied while the context-free checks run).
        EXPECT_REJECT(ApplyOne(tx), RejectReason::kTxUnknownDeviceClass);
    }
}

TEST_F(DeviceTxTest, RegisterRejectsClassDataOnRadio) {
    RegisterDevicePayload p = ValidRegistration(0, a);
    p.class_data = {0x01};
    EXPECT_REJECT(CheckTransaction(Register(0, p), chain.params), RejectReason::kTxMalformed);
}

TEST_F(DeviceTxTest, RegisterRejectsExistingDevice) {
    chain.Mine({chain.RegisterTx(a, 0)});
    const ChainAccounting before = chain.Accounting();
    // Again by the same owner.
    EXPECT_REJECT(CheckAndApply(Register(0, ValidRegistration(0, a))),
                  RejectReason::kTxDeviceExists);
    // By another owner with a genuine consent of the device: no hijacking either.
    EXPECT_REJECT(CheckAndApply(Register(1, ValidRegistration(1, a))),
                  RejectReason::kTxDeviceExists);
    // In a block.
    auto block = chain.Assemble({Register(1, ValidRegistration(1, a))});
    EXPECT_REJECT(block, RejectReason::kBlockBadTx);
    EXPECT_EQ(chain.Device(a)->owner, chain.AccountKey(0));
    EXPECT_EQ(chain.Accounting(), before);
}

TEST_F(DeviceTxTest, RegisterRejectsInsufficientFundsForOnboardingFee) {
    // A fresh account holding the transaction fee and one unit less than the onboarding fee.
    const SecretKey poor = TestKey(70);
    const PubKey poor_pub = poor.GetPubKey();
    const Amount exact = kDeviceTxFee + kOnboardingFee;
    chain.Mine({chain.Transfer(0, poor_pub, exact - 1, 0)});
    const Transaction tx = test::MakeRegisterTx(poor, chain.radios[a].key, 0, Net());
    EXPECT_ACCEPT(CheckTransaction(tx, chain.params));
    EXPECT_REJECT(ApplyOne(tx), RejectReason::kTxInsufficientFunds);
    EXPECT_REJECT(chain.Assemble({tx}), RejectReason::kBlockBadTx);

    // With exactly enough it is accepted and the account is left empty.
    chain.Mine({chain.Transfer(0, poor_pub, 1, 1)});
    const Amount burned_before = chain.Accounting().burned;
    chain.Mine({tx});
    EXPECT_EQ(chain.Balance(poor_pub), 0u);
    EXPECT_EQ(chain.Accounting().burned, burned_before + kOnboardingFee);
    EXPECT_EQ(chain.Device(a)->owner, poor_pub);
    EXPECT_TRUE(chain.SupplyHolds());
}

TEST_F(DeviceTxTest, FailedRegistrationChangesNothing) {
    const SecretKey poor = TestKey(71);
    chain.Mine({chain.Transfer(0, poor.GetPubKey(), kDeviceTxFee + kCoin, 0)});
    StateDelta delta{chain.state};
    const Transaction tx = test::MakeRegisterTx(poor, chain.radios[a].key, 0, Net());
    EXPECT_REJECT(ApplyTransaction(tx, chain.params, chain.Height() + 1, delta),
                  RejectReason::kTxInsufficientFunds);
    EXPECT_TRUE(delta.Changes().empty());
    EXPECT_TRUE(delta.EntryChanges().empty());
}

TEST_F(DeviceTxTest, SeveralRegistrationsBurnEach) {
    chain.Onboard({a, b});
    // Two registrations and two assertions.
    EXPECT_EQ(chain.Accounting().burned, 2 * kOnboardingFee + 2 * kLocationFee);
    EXPECT_TRUE(chain.SupplyHolds());
}

// ---- assert_location -----------------------------------------------------------------------

TEST_F(DeviceTxTest, AssertLocationAcceptedAndFeeBurned) {
    chain.Mine({chain.RegisterTx(a, 0)});
    const PubKey owner = chain.AccountKey(0);
    const Amount balance = chain.Balance(owner);
    const Amount burned = chain.Accounting().burned;
    const ConnectedBlock c = chain.Mine({chain.AssertTx(a, 1)});
    auto d = chain.Device(a);
    ASSERT_TRUE(d && d->location);
    EXPECT_EQ(d->location->position, test::kBerlin);
    EXPECT_EQ(d->location->gain_ddbi, test::kGain);
    EXPECT_EQ(d->location->region, test::kEU868);
    EXPECT_EQ(d->location->height, 2u);
    EXPECT_EQ(d->location_asserts, 1u);
    EXPECT_EQ(chain.Balance(owner), balance - kDeviceTxFee - kLocationFee);
    EXPECT_EQ(c.burned, kLocationFee);
    EXPECT_EQ(chain.Accounting().burned, burned + kLocationFee);
    EXPECT_TRUE(chain.SupplyHolds());
}

TEST_F(DeviceTxTest, AssertLocationRejectsBadLocation) {
    chain.Mine({chain.RegisterTx(a, 0)});
    const std::vector<poc::LatLon> bad = {
        {poc::kMaxLatE7 + 1, 0},  {-poc::kMaxLatE7 - 1, 0},
        {0, poc::kMaxLonE7},  // +180 is spelled -180
        {0, -poc::kMaxLonE7 - 1}, {INT32_MAX, INT32_MIN},
    };
    for (const poc::LatLon& pos : bad) {
        AssertLocationPayload p = Location(a);
        p.position = pos;
        SCOPED_TRACE(std::to_string(pos.lat_e7) + "," + std::to_string(pos.lon_e7));
        EXPECT_REJECT(CheckTransaction(Assert(0, p), chain.params), RejectReason::kTxBadLocation);
    }
    // The edges themselves are valid.
    for (const poc::LatLon& pos : std::vector<poc::LatLon>{{poc::kMaxLatE7, 0},
                                                           {-poc::kMaxLatE7, -poc::kMaxLonE7},
                                                           {-338'688'000, 1'512'093'000}}) {
        AssertLocationPayload p = Location(a);
        p.position = pos;
        EXPECT_ACCEPT(CheckAndApply(Assert(0, p)));
    }
}

TEST_F(DeviceTxTest, AssertLocationRejectsGainOutOfRange) {
    chain.Mine({chain.RegisterTx(a, 0)});
    for (uint16_t gain : {uint16_t{0}, uint16_t{9}, uint16_t{151}, uint16_t{UINT16_MAX}}) {
        AssertLocationPayload p = Location(a);
        p.gain_ddbi = gain;
        SCOPED_TRACE(gain);
        EXPECT_REJECT(CheckTransaction(Assert(0, p), chain.params),
                      RejectReason::kTxBadAntennaGain);
    }
    for (uint16_t gain : {uint16_t{10}, uint16_t{150}}) {
        AssertLocationPayload p = Location(a);
        p.gain_ddbi = gain;
        EXPECT_ACCEPT(CheckAndApply(Assert(0, p)));
    }
}

TEST_F(DeviceTxTest, AssertLocationRejectsUnknownRegion) {
    chain.Mine({chain.RegisterTx(a, 0)});
    ASSERT_EQ(chain.params.poc.regions.size(), 4u);
    for (uint8_t region : {uint8_t{4}, uint8_t{255}}) {
        AssertLocationPayload p = Location(a);
        p.region = region;
        SCOPED_TRACE(int{region});
        EXPECT_REJECT(CheckTransaction(Assert(0, p), chain.params), RejectReason::kTxUnknownRegion);
    }
    AssertLocationPayload p = Location(a);
    p.region = 3;  // AS923, the last region
    EXPECT_ACCEPT(CheckAndApply(Assert(0, p)));
}

TEST_F(DeviceTxTest, AssertLocationRejectsUnknownDevice) {
    // Radio a is not registered.
    EXPECT_REJECT(CheckAndApply(Assert(0, Location(a))), RejectReason::kTxUnknownDevice);
}

TEST_F(DeviceTxTest, AssertLocationRejectsNotOwner) {
    chain.Mine({chain.RegisterTx(a, 0)});
    EXPECT_REJECT(CheckAndApply(Assert(1, Location(a))), RejectReason::kTxNotDeviceOwner);
}

TEST_F(DeviceTxTest, AssertLocationRejectsTooSoon) {
    chain.Mine({chain.RegisterTx(a, 0)});
    chain.Mine({chain.AssertTx(a, 1)});  // height 2
    const uint64_t interval = chain.params.poc.assert_location_interval;
    ASSERT_EQ(interval, 5u);
    AssertLocationPayload moved = Location(a);
    moved.position = test::OffsetMeters(test::kBerlin, 500, 500);
    // Heights 3 .. 6 are too soon (the next block is at height tip + 1).
    while (chain.Height() + 1 < 2 + interval) {
        SCOPED_TRACE(chain.Height() + 1);
        EXPECT_REJECT(CheckAndApply(Assert(0, moved)), RejectReason::kTxAssertTooSoon);
        chain.Mine();
    }
    ASSERT_EQ(chain.Height() + 1, 7u);
    const Amount burned = chain.Accounting().burned;
    chain.Mine({Assert(0, moved)});
    auto d = chain.Device(a);
    EXPECT_EQ(d->location->position, moved.position);
    EXPECT_EQ(d->location->height, 7u);
    EXPECT_EQ(d->location_asserts, 2u);
    EXPECT_EQ(chain.Accounting().burned, burned + kLocationFee);
    // And the interval runs from the new assertion.
    EXPECT_REJECT(CheckAndApply(Assert(0, Location(a))), RejectReason::kTxAssertTooSoon);
    EXPECT_TRUE(chain.SupplyHolds());
}

TEST_F(DeviceTxTest, AssertLocationRejectsInsufficientFundsForFee) {
    const SecretKey poor = TestKey(72);
    const PubKey poor_pub = poor.GetPubKey();
    chain.Mine(
        {chain.Transfer(0, poor_pub, 2 * kDeviceTxFee + kOnboardingFee + kLocationFee - 1, 0)});
    chain.Mine({test::MakeRegisterTx(poor, chain.radios[a].key, 0, Net())});
    const Transaction tx = test::MakeAssertTx(poor, chain.RadioKey(a), test::kBerlin, test::kGain,
                                              test::kEU868, 1, Net());
    EXPECT_ACCEPT(CheckTransaction(tx, chain.params));
    EXPECT_REJECT(ApplyOne(tx), RejectReason::kTxInsufficientFunds);
}

// ---- transfer_device -----------------------------------------------------------------------

TEST_F(DeviceTxTest, TransferDeviceAccepted) {
    chain.Onboard({a});
    const PubKey new_owner = TestPubKey(60);
    const ChainAccounting before = chain.Accounting();
    const Transaction tx = TransferDevice(0, chain.RadioKey(a), new_owner);
    EXPECT_ACCEPT(CheckTransaction(tx, chain.params));
    EXPECT_EQ(FindTxType(TransferDeviceTx::kId)->OtherAccounts(tx), std::vector<PubKey>{new_owner});
    const ConnectedBlock c = chain.Mine({tx});
    auto d = chain.Device(a);
    EXPECT_EQ(d->owner, new_owner);
    // Everything else about the device stays.
    EXPECT_EQ(d->location->position, test::kBerlin);
    EXPECT_EQ(d->registered_height, 1u);
    // Nothing is burned by a transfer.
    EXPECT_EQ(c.burned, 0u);
    EXPECT_EQ(chain.Accounting().burned, before.burned);
    // The old owner lost control; the new one has it.
    EXPECT_REJECT(CheckAndApply(TransferDevice(0, chain.RadioKey(a), chain.AccountKey(1))),
                  RejectReason::kTxNotDeviceOwner);
    EXPECT_TRUE(chain.SupplyHolds());
}

TEST_F(DeviceTxTest, TransferDeviceRejectsNotOwner) {
    chain.Mine({chain.RegisterTx(a, 0)});
    EXPECT_REJECT(CheckAndApply(TransferDevice(1, chain.RadioKey(a), chain.AccountKey(2))),
                  RejectReason::kTxNotDeviceOwner);
    EXPECT_EQ(chain.Device(a)->owner, chain.AccountKey(0));
}

TEST_F(DeviceTxTest, TransferDeviceRejectsUnknownDevice) {
    EXPECT_REJECT(CheckAndApply(TransferDevice(0, chain.RadioKey(a), chain.AccountKey(1))),
                  RejectReason::kTxUnknownDevice);
}

TEST_F(DeviceTxTest, TransferDeviceRejectsSameOwner) {
    chain.Mine({chain.RegisterTx(a, 0)});
    EXPECT_REJECT(
        CheckTransaction(TransferDevice(0, chain.RadioKey(a), chain.AccountKey(0)), chain.params),
        RejectReason::kTxSameOwner);
}

TEST_F(DeviceTxTest, TransferDeviceRejectsInvalidNewOwner) {
    chain.Mine({chain.RegisterTx(a, 0)});
    EXPECT_REJECT(
        CheckTransaction(TransferDevice(0, chain.RadioKey(a), test::InvalidPubKey()), chain.params),
        RejectReason::kTxBadRecipient);
}

TEST_F(DeviceTxTest, NewOwnerControlsTransferredDevice) {
    chain.Onboard({a});
    chain.Mine({TransferDevice(0, chain.RadioKey(a), chain.AccountKey(1))});
    chain.MineTo(2 + chain.params.poc.assert_location_interval);
    AssertLocationPayload p = Location(a);
    p.position = test::OffsetMeters(test::kBerlin, 1'000, 0);
    EXPECT_REJECT(CheckAndApply(Assert(0, p)), RejectReason::kTxNotDeviceOwner);
    EXPECT_ACCEPT(CheckAndApply(Assert(1, p)));
    EXPECT_ACCEPT(CheckAndApply(TransferDevice(1, chain.RadioKey(a), chain.AccountKey(0))));
}

// ---- Payload encodings ---------------------------------------------------------------------

TEST(DevicePayloadTest, RegisterRoundTrip) {
    RegisterDevicePayload p;
    p.device_class = DeviceClass::kRadio;
    p.device = TestPubKey(1000);
    p.device_signature.bytes.fill(0xab);
    Bytes enc = p.Encode();
    EXPECT_EQ(enc.size(), 1u + 32 + 64 + 1);
    auto d = RegisterDevicePayload::Decode(enc);
    ASSERT_TRUE(d.has_value()) << d.error().ToString();
    EXPECT_EQ(d->device_class, p.device_class);
    EXPECT_EQ(d->device, p.device);
    EXPECT_EQ(d->device_signature, p.device_signature);
    EXPECT_EQ(d->class_data, p.class_data);
    EXPECT_EQ(d->Encode(), enc);

    p.class_data = Bytes(kMaxClassDataBytes, 0x07);
    enc = p.Encode();
    d = RegisterDevicePayload::Decode(enc);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->class_data, p.class_data);
    EXPECT_EQ(d->Encode(), enc);
}

TEST(DevicePayloadTest, RegisterRejectsNonCanonical) {
    RegisterDevicePayload p;
    p.device = TestPubKey(1000);
    const Bytes enc = p.Encode();
    // Trailing bytes.
    Bytes trailing = enc;
    trailing.push_back(0);
    auto r = RegisterDevicePayload::Decode(trailing);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, DecodeErrorCode::kTrailingBytes);
    // Truncated at every length.
    for (size_t n = 0; n < enc.size(); ++n) {
        EXPECT_FALSE(RegisterDevicePayload::Decode(ByteSpan{enc}.first(n)).has_value()) << n;
    }
    // The class as a non-minimal varint (0x81 0x00 for 1).
    Bytes non_minimal = enc;
    non_minimal[0] = 0x81;
    non_minimal.insert(non_minimal.begin() + 1, 0x00);
    r = RegisterDevicePayload::Decode(non_minimal);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, DecodeErrorCode::kNonMinimalVarInt);
    // A class id past one byte.
    Bytes big_class = enc;
    big_class[0] = 0x80;
    big_class.insert(big_class.begin() + 1, 0x02);  // 256
    r = RegisterDevicePayload::Decode(big_class);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, DecodeErrorCode::kInvalidValue);
    // Class data over the limit.
    p.class_data = Bytes(kMaxClassDataBytes + 1, 0);
    r = RegisterDevicePayload::Decode(p.Encode());
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, DecodeErrorCode::kTooLong);
}

TEST(DevicePayloadTest, AssertLocationRoundTrip) {
    for (const poc::LatLon& pos : std::vector<poc::LatLon>{{0, 0},
                                                           {524'730'000, 134'039'000},
                                                           {-338'688'000, -1'512'093'000},
                                                           {poc::kMaxLatE7, -poc::kMaxLonE7},
                                                           {INT32_MIN, INT32_MAX}}) {
        AssertLocationPayload p{TestPubKey(1000), pos, 150, 3};
        const Bytes enc = p.Encode();
        auto d = AssertLocationPayload::Decode(enc);
        ASSERT_TRUE(d.has_value()) << d.error().ToString();
        EXPECT_EQ(d->device, p.device);
        EXPECT_EQ(d->position, pos);
        EXPECT_EQ(d->gain_ddbi, 150);
        EXPECT_EQ(d->region, 3);
        EXPECT_EQ(d->Encode(), enc);
    }
}

TEST(DevicePayloadTest, AssertLocationRejectsNonCanonical) {
    AssertLocationPayload p{TestPubKey(1000), {1, -1}, 20, 0};
    const Bytes enc = p.Encode();
    ASSERT_EQ(enc.size(), 32u + 4);  // four one-byte varints
    Bytes trailing = enc;
    trailing.push_back(0);
    auto r = AssertLocationPayload::Decode(trailing);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, DecodeErrorCode::kTrailingBytes);
    for (size_t n = 0; n < enc.size(); ++n) {
        EXPECT_FALSE(AssertLocationPayload::Decode(ByteSpan{enc}.first(n)).has_value()) << n;
    }
    // Region 0 as 0x80 0x00.
    Bytes non_minimal = enc;
    non_minimal.back() = 0x80;
    non_minimal.push_back(0x00);
    r = AssertLocationPayload::Decode(non_minimal);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, DecodeErrorCode::kNonMinimalVarInt);
    // A latitude varint past 32 bits, a gain past 16 and a region past 8 are invalid values.
    auto with_fields = [&](uint64_t lat, uint64_t gain, uint64_t region) {
        Writer w;
        w.Fixed(p.device.bytes);
        w.VarInt(lat);
        w.VarInt(2);
        w.VarInt(gain);
        w.VarInt(region);
        return w.Take();
    };
    ASSERT_TRUE(AssertLocationPayload::Decode(with_fields(UINT32_MAX, UINT16_MAX, UINT8_MAX)));
    for (const Bytes& bad :
         {with_fields(uint64_t{UINT32_MAX} + 1, 20, 0), with_fields(2, uint64_t{UINT16_MAX} + 1, 0),
          with_fields(2, 20, uint64_t{UINT8_MAX} + 1)}) {
        r = AssertLocationPayload::Decode(bad);
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().code, DecodeErrorCode::kInvalidValue);
    }
}

TEST(DevicePayloadTest, TransferDeviceRoundTrip) {
    TransferDevicePayload p{TestPubKey(1000), TestPubKey(1)};
    const Bytes enc = p.Encode();
    EXPECT_EQ(enc.size(), 64u);
    auto d = TransferDevicePayload::Decode(enc);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->device, p.device);
    EXPECT_EQ(d->new_owner, p.new_owner);
    Bytes trailing = enc;
    trailing.push_back(0);
    auto r = TransferDevicePayload::Decode(trailing);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, DecodeErrorCode::kTrailingBytes);
    r = TransferDevicePayload::Decode(ByteSpan{enc}.first(63));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, DecodeErrorCode::kTruncated);
}

TEST_F(DeviceTxTest, MalformedPayloadsAreRejectedByEveryType) {
    chain.Onboard({a});
    const Bytes reg = ValidRegistration(0, b).Encode();
    const Bytes loc = Location(a).Encode();
    const Bytes xfer = TransferDevicePayload{chain.RadioKey(a), chain.AccountKey(1)}.Encode();
    for (auto [type, payload] :
         std::vector<std::pair<uint64_t, Bytes>>{{RegisterDeviceTx::kId, reg},
                                                 {AssertLocationTx::kId, loc},
                                                 {TransferDeviceTx::kId, xfer}}) {
        Bytes trailing = payload;
        trailing.push_back(0x00);
        for (const Bytes& bad : {trailing, Bytes(payload.begin(), payload.end() - 1), Bytes{}}) {
            const Transaction tx =
                test::MakeSignedTx(Owner(0), type, bad, chain.Nonce(chain.AccountKey(0)), Net());
            SCOPED_TRACE(type);
            EXPECT_REJECT(CheckTransaction(tx, chain.params), RejectReason::kTxMalformed);
            EXPECT_REJECT(ApplyOne(tx), RejectReason::kTxMalformed);
        }
        // The well-formed payload passes the context-free check.
        EXPECT_ACCEPT(CheckTransaction(
            test::MakeSignedTx(Owner(0), type, payload, chain.Nonce(chain.AccountKey(0)), Net()),
            chain.params));
    }
}

TEST_F(DeviceTxTest, DeviceTxsPayTheMinimumFee) {
    // Below the per-byte minimum: rejected like any transaction.
    Transaction tx = chain.RegisterTx(a, 0);
    tx.fee = test::ExactMinimumFee(tx, chain.params) - 1;
    test::Sign(tx, Owner(0));
    EXPECT_REJECT(CheckTransaction(tx, chain.params), RejectReason::kTxFeeTooLow);
    tx.fee += 1;
    test::Sign(tx, Owner(0));
    EXPECT_ACCEPT(CheckTransaction(tx, chain.params));
}

TEST_F(DeviceTxTest, DeviceRecordRoundTrip) {
    chain.Onboard({a});
    auto d = chain.Device(a);
    ASSERT_TRUE(d.has_value());
    d->last_beacon_bucket = 0;
    d->witnessed_height = 12;
    Writer w;
    d->Serialize(w);
    auto back = DecodeDeviceRecord(w.Data());
    ASSERT_TRUE(back.has_value()) << back.error().ToString();
    EXPECT_EQ(*back, *d);
    Bytes trailing = w.Data();
    trailing.push_back(0);
    EXPECT_FALSE(DecodeDeviceRecord(trailing).has_value());
}

TEST(DeviceRecordEncodingTest, LocationFieldsDecodeCanonically) {
    // serialize.h: every value has exactly one encoding. A stored latitude or longitude past 32
    // bits (after zigzag) would decode to a truncated coordinate and re-encode differently.
    DeviceRecord d;
    d.owner = TestPubKey(1);
    d.location = AssertedLocation{{1, -1}, 20, 0, 5};
    auto encode = [&](uint64_t lat_zz) {
        Writer w;
        w.VarInt(static_cast<uint64_t>(d.device_class));
        w.Fixed(d.owner.bytes);
        w.VarInt(d.registered_height);
        w.ByteVec(d.class_data);
        w.VarInt(1);
        w.VarInt(lat_zz);
        w.VarInt(1);  // zigzag(-1)
        w.VarInt(20);
        w.VarInt(0);
        w.VarInt(5);
        w.VarInt(0);
        w.VarInt(0);
        w.VarInt(0);
        return w.Take();
    };
    Writer canonical;
    d.Serialize(canonical);
    ASSERT_EQ(encode(2), canonical.Data());
    ASSERT_TRUE(DecodeDeviceRecord(encode(2)).has_value());
    auto aliased = DecodeDeviceRecord(encode((uint64_t{1} << 32) + 2));
    EXPECT_FALSE(aliased.has_value()) << "decodes to lat_e7 " << aliased->location->position.lat_e7;
}

}  // namespace
}  // namespace cairn::consensus
