// Wallet: key files (clear and encrypted) and transfer building.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "consensus/params.h"
#include "consensus/tx/transfer.h"
#include "consensus/tx_check.h"
#include "crypto/keys.h"
#include "primitives/address.h"
#include "primitives/transaction.h"
#include "util/fs.h"
#include "util/strencodings.h"
#include "wallet/keystore.h"
#include "wallet/tx_builder.h"

namespace cairn::wallet {
namespace {

// Cheap scrypt for the tests that do not care about the cost; one test keeps the default.
constexpr ScryptParams kFastScrypt{1024, 8, 1};

SecretKey KeyFromByte(uint8_t b) {
    std::array<uint8_t, 32> raw{};
    raw[31] = b;
    return *SecretKey::FromBytes(raw);
}

// A fresh directory under the system temp directory, removed with everything in it.
class TempDir {
public:
    TempDir() {
        std::string tmpl =
            (std::filesystem::temp_directory_path() / "cairn-wallet-XXXXXX").string();
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

TEST(KeyStoreTest, ClearRoundTrip) {
    TempDir dir;
    const std::string path = dir.File("wallet.key");
    SecretKey sk = KeyFromByte(7);
    ASSERT_TRUE(WriteKeyFile(path, sk, Network::kDevnet, std::nullopt));

    auto loaded = LoadKeyFile(path, Network::kDevnet, std::nullopt);
    ASSERT_TRUE(loaded) << loaded.error();
    EXPECT_EQ(loaded->Bytes(), sk.Bytes());

    auto info = ReadKeyFileInfo(path, Network::kDevnet);
    ASSERT_TRUE(info) << info.error();
    EXPECT_FALSE(info->encrypted);
    EXPECT_EQ(info->address, EncodeAddress(Network::kDevnet, sk.GetPubKey()));
    EXPECT_EQ(info->address.rfind("dcairn1", 0), 0u);
    EXPECT_EQ(info->pubkey, sk.GetPubKey());

    auto doc = nlohmann::json::parse(*ReadFile(path));
    EXPECT_EQ(doc["version"], 1);
    EXPECT_EQ(doc["network"], "devnet");
    EXPECT_EQ(doc["address"], info->address);
    EXPECT_EQ(doc["secret_key"], HexStr(sk.Bytes()));
    EXPECT_FALSE(doc.contains("encrypted"));
}

TEST(KeyStoreTest, FileMode0600) {
    TempDir dir;
    const std::string path = dir.File("wallet.key");
    ASSERT_TRUE(WriteKeyFile(path, KeyFromByte(1), Network::kDevnet, std::nullopt));
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    // The staging file is gone.
    EXPECT_FALSE(FileExists(path + ".new"));
    EXPECT_FALSE(FileExists(path + ".new.tmp"));
}

TEST(KeyStoreTest, RefusesOverwrite) {
    TempDir dir;
    const std::string path = dir.File("wallet.key");
    SecretKey first = KeyFromByte(1);
    ASSERT_TRUE(WriteKeyFile(path, first, Network::kDevnet, std::nullopt));
    auto again = WriteKeyFile(path, KeyFromByte(2), Network::kDevnet, std::nullopt);
    ASSERT_FALSE(again);
    EXPECT_NE(again.error().find("already exists"), std::string::npos) << again.error();
    // The original key is untouched.
    auto loaded = LoadKeyFile(path, Network::kDevnet, std::nullopt);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->Bytes(), first.Bytes());
}

TEST(KeyStoreTest, EncryptedRoundTripWithDefaultScrypt) {
    TempDir dir;
    const std::string path = dir.File("wallet.key");
    SecretKey sk = KeyFromByte(9);
    ASSERT_TRUE(WriteKeyFile(path, sk, Network::kDevnet, std::string_view{"correct horse"}));

    std::string text = *ReadFile(path);
    EXPECT_EQ(text.find(HexStr(sk.Bytes())), std::string::npos) << "secret stored in clear";
    auto doc = nlohmann::json::parse(text);
    EXPECT_FALSE(doc.contains("secret_key"));
    const auto& enc = doc["encrypted"];
    EXPECT_EQ(enc["kdf"], "scrypt");
    EXPECT_EQ(enc["n"], 32768);
    EXPECT_EQ(enc["r"], 8);
    EXPECT_EQ(enc["p"], 1);
    EXPECT_EQ(enc["cipher"], "aes-256-gcm");
    EXPECT_EQ(enc["iv"].get<std::string>().size(), 24u);
    EXPECT_EQ(enc["tag"].get<std::string>().size(), 32u);
    EXPECT_EQ(enc["ciphertext"].get<std::string>().size(), 64u);

    // The address is readable without the passphrase.
    auto info = ReadKeyFileInfo(path, Network::kDevnet);
    ASSERT_TRUE(info) << info.error();
    EXPECT_TRUE(info->encrypted);
    EXPECT_EQ(info->pubkey, sk.GetPubKey());

    auto loaded = LoadKeyFile(path, Network::kDevnet, std::string_view{"correct horse"});
    ASSERT_TRUE(loaded) << loaded.error();
    EXPECT_EQ(loaded->Bytes(), sk.Bytes());
}

TEST(KeyStoreTest, WrongOrMissingPassphrase) {
    SecretKey sk = KeyFromByte(9);
    auto text = EncodeKeyFile(sk, Network::kDevnet, std::string_view{"right"}, kFastScrypt);
    ASSERT_TRUE(text) << text.error();

    auto wrong = DecodeKeyFile(*text, Network::kDevnet, std::string_view{"wrong"});
    ASSERT_FALSE(wrong);
    EXPECT_NE(wrong.error().find("wrong passphrase"), std::string::npos) << wrong.error();

    auto missing = DecodeKeyFile(*text, Network::kDevnet, std::nullopt);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().find("passphrase is needed"), std::string::npos);

    auto right = DecodeKeyFile(*text, Network::kDevnet, std::string_view{"right"});
    ASSERT_TRUE(right) << right.error();
    EXPECT_EQ(right->Bytes(), sk.Bytes());

    EXPECT_FALSE(EncodeKeyFile(sk, Network::kDevnet, std::string_view{""}));
}

TEST(KeyStoreTest, EncryptionBindsTheClearFields) {
    SecretKey sk = KeyFromByte(3);
    auto text = EncodeKeyFile(sk, Network::kDevnet, std::string_view{"pw"}, kFastScrypt);
    ASSERT_TRUE(text);
    // Swapping in another valid address breaks decryption even with the right passphrase.
    auto doc = nlohmann::json::parse(*text);
    doc["address"] = EncodeAddress(Network::kDevnet, KeyFromByte(4).GetPubKey());
    EXPECT_FALSE(DecodeKeyFile(doc.dump(), Network::kDevnet, std::string_view{"pw"}));
    // So does a flipped ciphertext bit.
    doc = nlohmann::json::parse(*text);
    std::string ct = doc["encrypted"]["ciphertext"];
    ct[0] = ct[0] == '0' ? '1' : '0';
    doc["encrypted"]["ciphertext"] = ct;
    EXPECT_FALSE(DecodeKeyFile(doc.dump(), Network::kDevnet, std::string_view{"pw"}));
    // Absurd scrypt costs are refused before any allocation.
    doc = nlohmann::json::parse(*text);
    doc["encrypted"]["n"] = uint64_t{1} << 40;
    EXPECT_FALSE(DecodeKeyFile(doc.dump(), Network::kDevnet, std::string_view{"pw"}));
}

TEST(KeyStoreTest, NetworkMismatchRejected) {
    TempDir dir;
    const std::string path = dir.File("wallet.key");
    ASSERT_TRUE(WriteKeyFile(path, KeyFromByte(5), Network::kDevnet, std::nullopt));
    auto info = ReadKeyFileInfo(path, Network::kMain);
    ASSERT_FALSE(info);
    EXPECT_NE(info.error().find("network 'devnet'"), std::string::npos) << info.error();
    EXPECT_FALSE(LoadKeyFile(path, Network::kTest, std::nullopt));

    // A file claiming "main" but holding a devnet address is rejected too.
    auto doc = nlohmann::json::parse(*ReadFile(path));
    doc["network"] = "main";
    EXPECT_FALSE(DecodeKeyFileInfo(doc.dump(), Network::kMain));
}

TEST(KeyStoreTest, SecretMustMatchAddress) {
    auto text = EncodeKeyFile(KeyFromByte(5), Network::kDevnet, std::nullopt);
    ASSERT_TRUE(text);
    auto doc = nlohmann::json::parse(*text);
    doc["address"] = EncodeAddress(Network::kDevnet, KeyFromByte(6).GetPubKey());
    auto r = DecodeKeyFile(doc.dump(), Network::kDevnet, std::nullopt);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().find("does not match"), std::string::npos) << r.error();
}

TEST(KeyStoreTest, MalformedFilesRejected) {
    for (const char* text : {
             "",
             "[]",
             "{}",
             R"({"version":2,"network":"devnet","address":"x","secret_key":"00"})",
             R"({"version":1,"network":"devnet","address":"dcairn1qqq","secret_key":"00"})",
         }) {
        EXPECT_FALSE(DecodeKeyFile(text, Network::kDevnet, std::nullopt)) << text;
    }
    auto good = nlohmann::json::parse(*EncodeKeyFile(KeyFromByte(1), Network::kDevnet, {}));
    auto bad = good;
    bad["secret_key"] = "zz";
    EXPECT_FALSE(DecodeKeyFile(bad.dump(), Network::kDevnet, std::nullopt));
    bad = good;
    bad["encrypted"] = nlohmann::json::object();
    EXPECT_FALSE(DecodeKeyFile(bad.dump(), Network::kDevnet, std::nullopt));
    bad = good;
    bad["secret_key"] = std::string(64, '0');  // zero is not a secret key
    EXPECT_FALSE(DecodeKeyFile(bad.dump(), Network::kDevnet, std::nullopt));
}

consensus::ChainParams Params(uint32_t network_id, Amount per_byte) {
    consensus::ChainParams p = consensus::DefaultParams(Network::kDevnet);
    p.network_id = network_id;
    p.min_fee_per_byte = per_byte;
    return p;
}

TEST(TxBuilderTest, TransferPassesConsensusChecks) {
    SecretKey sk = KeyFromByte(1);
    PubKey to = KeyFromByte(2).GetPubKey();
    Bytes memo{'d', 'e', 'p', '-', '4', '2'};
    auto tx = BuildTransfer(sk, 3, to, 150'000'000, 4, std::nullopt, memo, 10);
    ASSERT_TRUE(tx) << tx.error();
    EXPECT_EQ(tx->network_id, 3u);
    EXPECT_EQ(tx->type, consensus::TransferTx::kId);
    EXPECT_EQ(tx->sender, sk.GetPubKey());
    EXPECT_EQ(tx->nonce, 4u);

    auto payload = consensus::TransferPayload::Decode(tx->payload);
    ASSERT_TRUE(payload);
    EXPECT_EQ(payload->recipient, to);
    EXPECT_EQ(payload->amount, 150'000'000u);
    EXPECT_EQ(payload->memo, memo);

    EXPECT_TRUE(consensus::CheckTransaction(*tx, Params(3, 10)));
    EXPECT_TRUE(consensus::SignatureChecker{}.Verify(*tx));
    // The signature commits to the network id.
    EXPECT_FALSE(consensus::CheckTransaction(*tx, Params(4, 10)));

    // The hex the wallet prints decodes back to the same transaction.
    auto decoded = DecodeTransaction(*ParseHex(HexStr(tx->ToBytes())));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, *tx);
}

TEST(TxBuilderTest, DefaultFeeIsMinimumOfFinalSize) {
    SecretKey sk = KeyFromByte(1);
    PubKey to = KeyFromByte(2).GetPubKey();
    // Per-byte rates around the varint boundaries, where the fee's own length changes.
    for (Amount per_byte : {Amount{0}, Amount{1}, Amount{10}, Amount{127}, Amount{128},
                            Amount{1000}, Amount{16383}, Amount{16384}, Amount{1'000'000}}) {
        auto tx = BuildTransfer(sk, 3, to, 1, 0, std::nullopt, {}, per_byte);
        ASSERT_TRUE(tx) << per_byte << ": " << tx.error();
        auto min = consensus::MinimumFee(tx->ToBytes().size(), Params(3, per_byte));
        ASSERT_TRUE(min);
        EXPECT_EQ(tx->fee, *min) << per_byte;
        // One unit less is below the minimum of the (possibly shorter) encoding.
        if (tx->fee > 0) {
            Transaction cheaper = *tx;
            cheaper.fee -= 1;
            EXPECT_FALSE(consensus::CheckTransaction(cheaper, Params(3, per_byte))) << per_byte;
        }
    }
}

TEST(TxBuilderTest, ExplicitFee) {
    SecretKey sk = KeyFromByte(1);
    PubKey to = KeyFromByte(2).GetPubKey();
    auto low = BuildTransfer(sk, 3, to, 1, 0, Amount{5}, {}, 10);
    ASSERT_FALSE(low);
    EXPECT_NE(low.error().find("tx-fee-too-low"), std::string::npos) << low.error();

    auto high = BuildTransfer(sk, 3, to, 1, 0, Amount{1'000'000}, {}, 10);
    ASSERT_TRUE(high) << high.error();
    EXPECT_EQ(high->fee, 1'000'000u);
    EXPECT_TRUE(consensus::SignatureChecker{}.Verify(*high));
}

TEST(TxBuilderTest, ContextFreeRejections) {
    SecretKey sk = KeyFromByte(1);
    PubKey to = KeyFromByte(2).GetPubKey();
    auto zero = BuildTransfer(sk, 3, to, 0, 0, std::nullopt, {}, 10);
    ASSERT_FALSE(zero);
    EXPECT_NE(zero.error().find("zero"), std::string::npos) << zero.error();

    Bytes long_memo(consensus::DefaultParams(Network::kDevnet).max_memo_bytes + 1, 'x');
    auto memo = BuildTransfer(sk, 3, to, 1, 0, std::nullopt, long_memo, 10);
    ASSERT_FALSE(memo);
    EXPECT_NE(memo.error().find("memo"), std::string::npos) << memo.error();

    PubKey not_a_key;  // all zero: not on the curve
    EXPECT_FALSE(BuildTransfer(sk, 3, not_a_key, 1, 0, std::nullopt, {}, 10));

    // A per-byte rate so high the minimum fee overflows.
    EXPECT_FALSE(BuildTransfer(sk, 3, to, 1, 0, std::nullopt, {}, Amount{1} << 62));
}

}  // namespace
}  // namespace cairn::wallet
