// Wallet device support: the registry transaction builders, the exact decimal parsers for the
// operator's input, and the device key file.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "consensus/devices/device_record.h"
#include "consensus/memory_state.h"
#include "consensus/params.h"
#include "consensus/state.h"
#include "consensus/tx/device_txs.h"
#include "consensus/tx_check.h"
#include "crypto/keys.h"
#include "primitives/address.h"
#include "primitives/transaction.h"
#include "util/fs.h"
#include "util/strencodings.h"
#include "wallet/device_builder.h"
#include "wallet/keystore.h"

namespace cairn::wallet {
namespace {

using consensus::DeviceClass;
using consensus::poc::LatLon;

SecretKey KeyFromByte(uint8_t b) {
    std::array<uint8_t, 32> raw{};
    raw[31] = b;
    return *SecretKey::FromBytes(raw);
}

consensus::ChainParams Devnet() {
    return consensus::DefaultParams(Network::kDevnet);
}

std::string RejectCodeOf(const consensus::CheckResult<>& r) {
    return r ? std::string{"accepted"} : std::string{consensus::RejectCode(r.error().reason)};
}

// A fresh directory under the system temp directory, removed with everything in it.
class TempDir {
public:
    TempDir() {
        std::string tmpl =
            (std::filesystem::temp_directory_path() / "cairn-wallet-device-XXXXXX").string();
        char* p = ::mkdtemp(tmpl.data());
        EXPECT_NE(p, nullptr);
        m_path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    std::string File(const std::string& name) const { return m_path + "/" + name; }

private:
    std::string m_path;
};

// --- Builders ---

TEST(DeviceBuilderTest, RegisterDevicePassesCheckTransaction) {
    const auto params = Devnet();
    const SecretKey owner = KeyFromByte(1);
    const SecretKey device = KeyFromByte(2);
    auto tx = BuildRegisterDevice(owner, device, params, DeviceClass::kRadio, {}, 7, std::nullopt);
    ASSERT_TRUE(tx) << tx.error();
    EXPECT_EQ(tx->type, consensus::RegisterDeviceTx::kId);
    EXPECT_EQ(tx->sender, owner.GetPubKey());
    EXPECT_EQ(tx->nonce, 7u);
    EXPECT_EQ(tx->network_id, params.network_id);
    EXPECT_TRUE(consensus::CheckTransaction(*tx, params));
    EXPECT_TRUE(VerifySchnorr(tx->sender, tx->SigHash(), tx->signature));
    // The default fee is the exact minimum for the encoded size.
    EXPECT_EQ(tx->fee, tx->ToBytes().size() * params.min_fee_per_byte);

    auto p = consensus::RegisterDevicePayload::Decode(tx->payload);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->device_class, DeviceClass::kRadio);
    EXPECT_EQ(p->device, device.GetPubKey());
    EXPECT_TRUE(p->class_data.empty());
    // The device's consent names this owner, device, class and network.
    EXPECT_TRUE(VerifySchnorr(
        p->device,
        consensus::DeviceRegistrationHash(params.network_id, owner.GetPubKey(), device.GetPubKey(),
                                          DeviceClass::kRadio, {}),
        p->device_signature));

    // The consent is bound to the owner: another sender with the same payload is refused.
    Transaction stolen = *tx;
    const SecretKey thief = KeyFromByte(3);
    stolen.sender = thief.GetPubKey();
    stolen.signature = thief.Sign(stolen.SigHash());
    EXPECT_EQ(RejectCodeOf(consensus::CheckTransaction(stolen, params)), "tx-bad-device-signature");
}

TEST(DeviceBuilderTest, RegisterDeviceFeeAndNetwork) {
    auto params = Devnet();
    params.network_id = 42;
    const SecretKey owner = KeyFromByte(1);
    const SecretKey device = KeyFromByte(2);
    auto tx =
        BuildRegisterDevice(owner, device, params, DeviceClass::kRadio, {}, 0, Amount{50'000});
    ASSERT_TRUE(tx) << tx.error();
    EXPECT_EQ(tx->fee, 50'000u);
    EXPECT_EQ(tx->network_id, 42u);
    EXPECT_TRUE(consensus::CheckTransaction(*tx, params));
    // Signed for network 42: another network refuses it (the id is checked first).
    EXPECT_EQ(RejectCodeOf(consensus::CheckTransaction(*tx, Devnet())), "tx-wrong-network");
    // A fee below the minimum is refused by the builder with the consensus reason.
    auto low = BuildRegisterDevice(owner, device, params, DeviceClass::kRadio, {}, 0, Amount{1});
    ASSERT_FALSE(low);
    EXPECT_NE(low.error().find("tx-fee-too-low"), std::string::npos) << low.error();
}

TEST(DeviceBuilderTest, AssertLocationPassesCheckTransaction) {
    const auto params = Devnet();
    const SecretKey owner = KeyFromByte(1);
    const PubKey device = KeyFromByte(2).GetPubKey();
    const LatLon amsterdam{523'731'000, 48'922'000};
    auto tx = BuildAssertLocation(owner, params, device, amsterdam, 30, 0, 3, std::nullopt);
    ASSERT_TRUE(tx) << tx.error();
    EXPECT_EQ(tx->type, consensus::AssertLocationTx::kId);
    EXPECT_TRUE(consensus::CheckTransaction(*tx, params));
    auto p = consensus::AssertLocationPayload::Decode(tx->payload);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->device, device);
    EXPECT_EQ(p->position, amsterdam);
    EXPECT_EQ(p->gain_ddbi, 30);
    EXPECT_EQ(p->region, 0);

    // Negative coordinates and the extremes survive the zigzag encoding.
    for (const LatLon& at :
         {LatLon{-338'688'000, 1'512'093'000}, LatLon{-900'000'000, -1'800'000'000},
          LatLon{900'000'000, 1'799'999'999}}) {
        auto t = BuildAssertLocation(owner, params, device, at, 150, 2, 0, std::nullopt);
        ASSERT_TRUE(t) << t.error();
        auto q = consensus::AssertLocationPayload::Decode(t->payload);
        ASSERT_TRUE(q);
        EXPECT_EQ(q->position, at);
    }
}

TEST(DeviceBuilderTest, AssertLocationRefusesWhatConsensusRefuses) {
    const auto params = Devnet();
    const SecretKey owner = KeyFromByte(1);
    const PubKey device = KeyFromByte(2).GetPubKey();
    const LatLon here{10, 10};
    auto code = [&](LatLon at, uint16_t gain, uint8_t region) -> std::string {
        auto tx = BuildAssertLocation(owner, params, device, at, gain, region, 0, std::nullopt);
        return tx ? std::string{"built"} : tx.error().substr(0, tx.error().find(':'));
    };
    EXPECT_EQ(code(here, 10, 0), "built");
    EXPECT_EQ(code(here, 150, 3), "built");
    EXPECT_EQ(code(here, 9, 0), "tx-bad-antenna-gain");
    EXPECT_EQ(code(here, 151, 0), "tx-bad-antenna-gain");
    EXPECT_EQ(code(here, 200, 0), "tx-bad-antenna-gain");
    EXPECT_EQ(code(here, 30, 4), "tx-unknown-region");
    EXPECT_EQ(code({900'000'001, 0}, 30, 0), "tx-bad-location");
    EXPECT_EQ(code({0, 1'800'000'000}, 30, 0), "tx-bad-location");
}

TEST(DeviceBuilderTest, TransferDevicePassesCheckTransaction) {
    const auto params = Devnet();
    const SecretKey owner = KeyFromByte(1);
    const PubKey device = KeyFromByte(2).GetPubKey();
    const PubKey buyer = KeyFromByte(4).GetPubKey();
    auto tx = BuildTransferDevice(owner, params, device, buyer, 5, std::nullopt);
    ASSERT_TRUE(tx) << tx.error();
    EXPECT_EQ(tx->type, consensus::TransferDeviceTx::kId);
    EXPECT_TRUE(consensus::CheckTransaction(*tx, params));
    auto p = consensus::TransferDevicePayload::Decode(tx->payload);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->device, device);
    EXPECT_EQ(p->new_owner, buyer);
    // To oneself: the consensus reason, from the builder.
    auto same = BuildTransferDevice(owner, params, device, owner.GetPubKey(), 5, std::nullopt);
    ASSERT_FALSE(same);
    EXPECT_EQ(same.error().rfind("tx-same-owner", 0), 0u) << same.error();
}

// The three builders' transactions apply in order on a state: the owner pays the fees and the
// burns, the record follows.
TEST(DeviceBuilderTest, BuiltTransactionsApply) {
    const auto params = Devnet();
    const SecretKey owner = KeyFromByte(1);
    const SecretKey device = KeyFromByte(2);
    const PubKey buyer = KeyFromByte(4).GetPubKey();
    const Amount start = 100 * kCoin;
    consensus::MemoryState base{{{owner.GetPubKey(), consensus::Account{start, 0}}}};
    consensus::StateDelta state{base};

    auto reg = BuildRegisterDevice(owner, device, params, DeviceClass::kRadio, {}, 0, std::nullopt);
    auto loc = BuildAssertLocation(owner, params, device.GetPubKey(), {523'731'000, 48'922'000}, 30,
                                   0, 1, std::nullopt);
    auto again =
        BuildAssertLocation(owner, params, device.GetPubKey(), {1, 1}, 30, 0, 2, std::nullopt);
    auto xfer = BuildTransferDevice(owner, params, device.GetPubKey(), buyer, 2, std::nullopt);
    ASSERT_TRUE(reg && loc && again && xfer);

    ASSERT_TRUE(consensus::ApplyTransaction(*reg, params, 10, state));
    ASSERT_TRUE(consensus::ApplyTransaction(*loc, params, 11, state));
    // Within the assertion interval the same owner may not move the device.
    auto too_soon = consensus::ApplyTransaction(*again, params, 12, state);
    EXPECT_EQ(RejectCodeOf(too_soon), "tx-assert-too-soon");
    ASSERT_TRUE(consensus::ApplyTransaction(*xfer, params, 12, state));

    auto d = consensus::ReadDevice(state, device.GetPubKey());
    ASSERT_TRUE(d);
    EXPECT_EQ(d->owner, buyer);
    EXPECT_EQ(d->registered_height, 10u);
    ASSERT_TRUE(d->location);
    EXPECT_EQ(d->location->position, (LatLon{523'731'000, 48'922'000}));
    EXPECT_EQ(d->location->gain_ddbi, 30);
    EXPECT_EQ(d->location->height, 11u);
    const Amount spent = reg->fee + loc->fee + xfer->fee + params.poc.radio_onboarding_fee +
                         params.poc.assert_location_fee;
    EXPECT_EQ(state.Get(owner.GetPubKey()).balance, start - spent);
    EXPECT_EQ(state.Get(owner.GetPubKey()).nonce, 3u);

    // Registering the same device again is refused against the state.
    auto dup = BuildRegisterDevice(owner, device, params, DeviceClass::kRadio, {}, 3, std::nullopt);
    ASSERT_TRUE(dup);
    EXPECT_EQ(RejectCodeOf(consensus::ApplyTransaction(*dup, params, 13, state)),
              "tx-device-exists");
}

// --- Decimal degrees ---

TEST(DeviceInputTest, DegreesAreExact) {
    struct Case {
        const char* text;
        int32_t e7;
    };
    for (const Case& c :
         {Case{"52.3731", 523'731'000}, Case{"4.8922", 48'922'000}, Case{"-33.8688", -338'688'000},
          Case{"0", 0}, Case{"-0", 0}, Case{"0.0000001", 1}, Case{"-0.0000001", -1},
          Case{"90", 900'000'000}, Case{"-90.0000000", -900'000'000},
          Case{"12.3456789", 123'456'789}, Case{"007.5", 75'000'000},
          // Binary floating point gets these wrong by one unit when scaled.
          Case{"0.1", 1'000'000}, Case{"0.3", 3'000'000}, Case{"1.0000003", 10'000'003},
          Case{"37.7749295", 377'749'295}}) {
        auto v = ParseLatitudeE7(c.text);
        ASSERT_TRUE(v) << c.text << ": " << v.error();
        EXPECT_EQ(*v, c.e7) << c.text;
    }
    for (const Case& c : {Case{"179.9999999", 1'799'999'999}, Case{"-180", -1'800'000'000},
                          Case{"-179.9999999", -1'799'999'999}, Case{"4.8922", 48'922'000},
                          Case{"151.2093", 1'512'093'000}, Case{"-0.0000001", -1}}) {
        auto v = ParseLongitudeE7(c.text);
        ASSERT_TRUE(v) << c.text << ": " << v.error();
        EXPECT_EQ(*v, c.e7) << c.text;
    }
}

TEST(DeviceInputTest, DegreesRejections) {
    auto lat_error = [](const char* t) {
        auto v = ParseLatitudeE7(t);
        return v ? std::string{"accepted"} : v.error();
    };
    auto lon_error = [](const char* t) {
        auto v = ParseLongitudeE7(t);
        return v ? std::string{"accepted"} : v.error();
    };
    auto has = [](const std::string& s, const char* part) {
        return s.find(part) != std::string::npos;
    };
    // More than 7 decimals: refused, never rounded.
    for (const char* t : {"52.37310000", "0.00000001", "1.12345678", "-0.00000005"}) {
        EXPECT_TRUE(has(lat_error(t), "more than 7 decimals")) << t << ": " << lat_error(t);
    }
    // Out of range.
    for (const char* t : {"90.0000001", "-90.0000001", "91", "180", "-1000", "99999999999",
                          "123456789012345678901234567890"}) {
        EXPECT_TRUE(has(lat_error(t), "out of range")) << t << ": " << lat_error(t);
    }
    for (const char* t : {"180", "180.0000000", "-180.0000001", "181", "360"}) {
        EXPECT_TRUE(has(lon_error(t), "out of range")) << t << ": " << lon_error(t);
    }
    // Not a plain decimal.
    for (const char* t : {"", "-", ".", "5.", ".5", "-.5", "+5", "5e1", "1e-3", " 5", "5 ", "5,3",
                          "0x10", "--5", "5.-3", "nan", "inf", "1.2.3", "١"}) {
        EXPECT_TRUE(has(lat_error(t), "invalid latitude")) << "'" << t << "': " << lat_error(t);
    }
    EXPECT_TRUE(has(lon_error("abc"), "invalid longitude"));
    // The pair: each coordinate named in its error.
    auto pair = ParseLatLon("52.3731", "4.89221234");
    ASSERT_FALSE(pair);
    EXPECT_TRUE(has(pair.error(), "longitude")) << pair.error();
    auto ok = ParseLatLon("-33.8688", "151.2093");
    ASSERT_TRUE(ok) << ok.error();
    EXPECT_EQ(*ok, (LatLon{-338'688'000, 1'512'093'000}));
    EXPECT_TRUE(consensus::poc::IsValidLocation(*ok));
}

TEST(DeviceInputTest, DegreesRoundTrip) {
    for (int32_t v :
         {0, 1, -1, 10'000'000, -10'000'000, 523'731'000, 48'922'000, -338'688'000, 123'456'789,
          900'000'000, -900'000'000, 1'799'999'999, -1'800'000'000, 5'000'000, -5'000'000}) {
        const std::string text = FormatDegreesE7(v);
        auto back = std::abs(static_cast<int64_t>(v)) <= 900'000'000 ? ParseLatitudeE7(text)
                                                                     : ParseLongitudeE7(text);
        ASSERT_TRUE(back) << text << ": " << back.error();
        EXPECT_EQ(*back, v) << text;
    }
    EXPECT_EQ(FormatDegreesE7(523'731'000), "52.3731");
    EXPECT_EQ(FormatDegreesE7(-5'000'000), "-0.5");
    EXPECT_EQ(FormatDegreesE7(-1), "-0.0000001");
    EXPECT_EQ(FormatDegreesE7(40'000'000), "4");
    EXPECT_EQ(FormatDegreesE7(std::numeric_limits<int32_t>::min()), "-214.7483648");
}

TEST(DeviceInputTest, GainAndRegion) {
    auto gain = [](const char* t) {
        auto v = ParseGainDdbi(t);
        return v ? std::to_string(*v) : v.error();
    };
    EXPECT_EQ(gain("3.0"), "30");
    EXPECT_EQ(gain("3"), "30");
    EXPECT_EQ(gain("5.8"), "58");
    EXPECT_EQ(gain("1.0"), "10");
    EXPECT_EQ(gain("15"), "150");
    EXPECT_EQ(gain("20.0"), "200");  // the chain's range is checked by the builder
    EXPECT_EQ(gain("6553.5"), "65535");
    EXPECT_NE(gain("6553.6").find("too large"), std::string::npos);
    EXPECT_NE(gain("3.25").find("more than one decimal"), std::string::npos);
    EXPECT_NE(gain("-3").find("negative"), std::string::npos);
    for (const char* t : {"", "3.", ".5", "3dBi", "3,0", "1e1"}) {
        EXPECT_NE(gain(t).find("invalid antenna gain"), std::string::npos) << t << gain(t);
    }
    EXPECT_EQ(FormatGainDdbi(30), "3.0");
    EXPECT_EQ(FormatGainDdbi(125), "12.5");
    EXPECT_EQ(FormatGainDdbi(0), "0.0");

    const auto params = Devnet();
    auto region = [&](const char* t) {
        auto r = ParseRegion(params.poc, t);
        return r ? std::to_string(*r) : r.error();
    };
    EXPECT_EQ(region("EU868"), "0");
    EXPECT_EQ(region("US915"), "1");
    EXPECT_EQ(region("AU915"), "2");
    EXPECT_EQ(region("AS923"), "3");
    EXPECT_EQ(region("eu868"), "0");
    EXPECT_EQ(region("As923"), "3");
    const std::string unknown = region("EU433");
    EXPECT_NE(unknown.find("unknown region 'EU433'"), std::string::npos) << unknown;
    EXPECT_NE(unknown.find("EU868, US915, AU915, AS923"), std::string::npos) << unknown;
    EXPECT_NE(region("").find("unknown region"), std::string::npos);
    EXPECT_NE(region("0").find("unknown region"), std::string::npos);
}

TEST(DeviceInputTest, DeviceKeyHex) {
    const PubKey pk = KeyFromByte(2).GetPubKey();
    auto ok = ParseDeviceKey(pk.Hex());
    ASSERT_TRUE(ok) << ok.error();
    EXPECT_EQ(*ok, pk);
    EXPECT_FALSE(ParseDeviceKey(pk.Hex().substr(2)));
    EXPECT_FALSE(ParseDeviceKey(pk.Hex() + "00"));
    EXPECT_FALSE(ParseDeviceKey("zz" + pk.Hex().substr(2)));
    EXPECT_FALSE(ParseDeviceKey(std::string(64, '0')));  // not a curve point
    EXPECT_FALSE(ParseDeviceKey(EncodeAddress(Network::kDevnet, pk)));
}

// --- Device key file ---

TEST(DeviceKeyFileTest, RoundTrip) {
    TempDir dir;
    const std::string path = dir.File("device.key");
    const SecretKey sk = KeyFromByte(9);
    ASSERT_TRUE(WriteDeviceKeyFile(path, sk, Network::kDevnet));

    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_FALSE(FileExists(path + ".new"));

    auto loaded = LoadDeviceKeyFile(path, Network::kDevnet);
    ASSERT_TRUE(loaded) << loaded.error();
    EXPECT_EQ(loaded->Bytes(), sk.Bytes());

    auto text = ReadFile(path);
    ASSERT_TRUE(text);
    EXPECT_TRUE(IsDeviceKeyFile(*text));
    auto doc = nlohmann::json::parse(*text);
    EXPECT_EQ(doc["version"], kKeyFileVersion);
    EXPECT_EQ(doc["kind"], "device");
    EXPECT_EQ(doc["network"], "devnet");
    EXPECT_EQ(doc["device"], sk.GetPubKey().Hex());
    EXPECT_EQ(doc["address"], EncodeAddress(Network::kDevnet, sk.GetPubKey()));
    EXPECT_EQ(doc["secret_key"], HexStr(sk.Bytes()));
    EXPECT_EQ(*text, EncodeDeviceKeyFile(sk, Network::kDevnet));

    // Never overwritten.
    auto again = WriteDeviceKeyFile(path, KeyFromByte(10), Network::kDevnet);
    ASSERT_FALSE(again);
    EXPECT_NE(again.error().find("already exists"), std::string::npos);
    EXPECT_EQ(*ReadFile(path), *text);

    // Other network.
    auto other = LoadDeviceKeyFile(path, Network::kTest);
    ASSERT_FALSE(other);
    EXPECT_NE(other.error().find("network"), std::string::npos) << other.error();
    EXPECT_FALSE(LoadDeviceKeyFile(dir.File("missing.key"), Network::kDevnet));
}

TEST(DeviceKeyFileTest, WalletAndDeviceKeysStayApart) {
    TempDir dir;
    const SecretKey sk = KeyFromByte(9);
    // A wallet key file is not a device key file, and the other way round for the marker.
    const std::string wallet = dir.File("wallet.key");
    ASSERT_TRUE(WriteKeyFile(wallet, sk, Network::kDevnet, std::nullopt));
    EXPECT_FALSE(IsDeviceKeyFile(*ReadFile(wallet)));
    auto r = LoadDeviceKeyFile(wallet, Network::kDevnet);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().find("not a device key file"), std::string::npos) << r.error();
    EXPECT_FALSE(IsDeviceKeyFile("not json"));
    EXPECT_FALSE(IsDeviceKeyFile("[]"));
    EXPECT_FALSE(IsDeviceKeyFile(R"({"kind": 1})"));

    // The device file keeps the wallet key file's fields, so keystore reads it too (the
    // cairn-wallet refuses it in the wallet's place by its kind).
    const std::string device_text = EncodeDeviceKeyFile(sk, Network::kDevnet);
    auto as_wallet = DecodeKeyFile(device_text, Network::kDevnet, std::nullopt);
    ASSERT_TRUE(as_wallet) << as_wallet.error();
    EXPECT_EQ(as_wallet->Bytes(), sk.Bytes());
}

TEST(DeviceKeyFileTest, TamperedFilesAreRefused) {
    const SecretKey sk = KeyFromByte(9);
    const SecretKey other = KeyFromByte(11);
    const std::string text = EncodeDeviceKeyFile(sk, Network::kDevnet);
    auto doc = nlohmann::json::parse(text);
    auto decode = [](const nlohmann::json& d) {
        auto r = DecodeDeviceKeyFile(d.dump(), Network::kDevnet);
        return r ? std::string{"ok"} : r.error();
    };
    EXPECT_EQ(decode(doc), "ok");

    auto wrong_device = doc;
    wrong_device["device"] = other.GetPubKey().Hex();
    EXPECT_NE(decode(wrong_device).find("does not match"), std::string::npos);
    auto no_device = doc;
    no_device.erase("device");
    EXPECT_NE(decode(no_device).find("no device"), std::string::npos);
    auto wrong_secret = doc;
    wrong_secret["secret_key"] = HexStr(other.Bytes());
    EXPECT_NE(decode(wrong_secret).find("does not match"), std::string::npos);
    auto wrong_kind = doc;
    wrong_kind["kind"] = "wallet";
    EXPECT_NE(decode(wrong_kind).find("not a device key file"), std::string::npos);
    auto wrong_version = doc;
    wrong_version["version"] = 2;
    EXPECT_NE(decode(wrong_version).find("version"), std::string::npos);
    EXPECT_FALSE(DecodeDeviceKeyFile("{", Network::kDevnet));
}

// A key file loaded from disk signs a registration that consensus accepts.
TEST(DeviceKeyFileTest, LoadedKeySignsRegistration) {
    TempDir dir;
    const std::string path = dir.File("hotspot.key");
    const SecretKey device = SecretKey::Generate();
    ASSERT_TRUE(WriteDeviceKeyFile(path, device, Network::kDevnet));
    auto loaded = LoadDeviceKeyFile(path, Network::kDevnet);
    ASSERT_TRUE(loaded) << loaded.error();
    const auto params = Devnet();
    auto tx = BuildRegisterDevice(KeyFromByte(1), *loaded, params, DeviceClass::kRadio, {}, 0,
                                  std::nullopt);
    ASSERT_TRUE(tx) << tx.error();
    EXPECT_TRUE(consensus::CheckTransaction(*tx, params));
    EXPECT_EQ(consensus::RegisterDevicePayload::Decode(tx->payload)->device, device.GetPubKey());
}

}  // namespace
}  // namespace cairn::wallet
