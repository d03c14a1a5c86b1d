// The transfer transaction type: payload encoding, JSON, registry and OtherAccounts.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "consensus/tx/transfer.h"
#include "consensus/tx/tx_type.h"
#include "consensus_test_util.h"
#include "primitives/address.h"

namespace cairn::consensus {
namespace {

using test::TestPubKey;

TEST(TransferTest, EncodeDecodeRoundTrip) {
    Bytes all_bytes;
    for (int i = 0; i < 256; ++i) all_bytes.push_back(static_cast<uint8_t>(i));
    for (const TransferPayload& p : {
             TransferPayload{TestPubKey(1), 1, {}}, TransferPayload{TestPubKey(2), 127, {0x00}},
             TransferPayload{TestPubKey(3), 128, {0xff, 0x00, 0x7f}},
             TransferPayload{TestPubKey(4), std::numeric_limits<Amount>::max(), all_bytes},
             TransferPayload{PubKey{}, 0, {}},  // decoding is structural: no validity checks
         }) {
        Bytes enc = p.Encode();
        auto dec = TransferPayload::Decode(enc);
        ASSERT_TRUE(dec.has_value()) << dec.error().ToString();
        EXPECT_EQ(dec->recipient, p.recipient);
        EXPECT_EQ(dec->amount, p.amount);
        EXPECT_EQ(dec->memo, p.memo);
        EXPECT_EQ(dec->Encode(), enc);
    }
}

TEST(TransferTest, EncodingLayout) {
    TransferPayload p{TestPubKey(1), 300, {0xaa, 0xbb}};
    Bytes expected(p.recipient.bytes.begin(), p.recipient.bytes.end());
    expected.insert(expected.end(), {0xac, 0x02});  // varint 300
    expected.insert(expected.end(), {0x02, 0xaa, 0xbb});
    EXPECT_EQ(p.Encode(), expected);
}

TEST(TransferTest, DecodeRejectsMalformed) {
    Bytes good = TransferPayload{TestPubKey(1), 5, {1, 2, 3}}.Encode();
    ASSERT_TRUE(TransferPayload::Decode(good).has_value());
    Bytes trailing = good;
    trailing.push_back(0);
    EXPECT_FALSE(TransferPayload::Decode(trailing).has_value());
    for (size_t len = 0; len < good.size(); ++len) {
        EXPECT_FALSE(TransferPayload::Decode(ByteSpan{good.data(), len}).has_value())
            << "truncated to " << len;
    }
    // A memo above the absolute decoding bound.
    Bytes huge = TransferPayload{TestPubKey(1), 5, Bytes(kMaxTxPayload + 1, 0)}.Encode();
    EXPECT_FALSE(TransferPayload::Decode(huge).has_value());
}

TEST(TransferTest, TypeRegistry) {
    const TxType* by_id = FindTxType(TransferTx::kId);
    ASSERT_NE(by_id, nullptr);
    EXPECT_EQ(by_id->Name(), "transfer");
    EXPECT_EQ(FindTxType("transfer"), by_id);
    EXPECT_EQ(FindTxType(uint64_t{0}), nullptr);
    EXPECT_EQ(FindTxType("Transfer"), nullptr);
    EXPECT_EQ(FindTxType(""), nullptr);
    // Ids and names are unique across the registry.
    const auto& all = AllTxTypes();
    for (size_t i = 0; i < all.size(); ++i) {
        for (size_t j = i + 1; j < all.size(); ++j) {
            EXPECT_NE(all[i]->Id(), all[j]->Id());
            EXPECT_NE(all[i]->Name(), all[j]->Name());
        }
    }
}

TEST(TransferTest, PayloadToJson) {
    const TxType* type = FindTxType(TransferTx::kId);
    ASSERT_NE(type, nullptr);
    PubKey to = TestPubKey(1);
    Transaction tx = test::MakeTransfer(test::TestKey(0), to, 1'234'500'000, 0, 10'000, 3,
                                        Bytes{0xde, 0xad, 0x00, 0xff});
    nlohmann::json j = type->PayloadToJson(tx, Network::kDevnet);
    EXPECT_EQ(j.at("to").get<std::string>(), EncodeAddress(Network::kDevnet, to));
    EXPECT_EQ(j.at("to").get<std::string>().rfind("dcairn1", 0), 0u);
    EXPECT_EQ(j.at("amount").get<std::string>(), "12.345");
    EXPECT_EQ(j.at("amount_units").get<uint64_t>(), 1'234'500'000u);
    EXPECT_EQ(j.at("memo_hex").get<std::string>(), "dead00ff");
    // The address follows the requested network.
    nlohmann::json main = type->PayloadToJson(tx, Network::kMain);
    EXPECT_EQ(main.at("to").get<std::string>(), EncodeAddress(Network::kMain, to));
    EXPECT_NE(main.at("to"), j.at("to"));
    // Large amounts print exactly.
    Transaction big =
        test::MakeTransfer(test::TestKey(0), to, std::numeric_limits<Amount>::max(), 0, 10'000, 3);
    nlohmann::json jb = type->PayloadToJson(big, Network::kDevnet);
    EXPECT_EQ(jb.at("amount").get<std::string>(), "184467440737.09551615");
    EXPECT_EQ(jb.at("memo_hex").get<std::string>(), "");
}

TEST(TransferTest, OtherAccountsIsTheRecipient) {
    const TxType* type = FindTxType(TransferTx::kId);
    ASSERT_NE(type, nullptr);
    PubKey to = TestPubKey(7);
    Transaction tx = test::MakeTransfer(test::TestKey(0), to, 5, 0, 10'000, 3);
    EXPECT_EQ(type->OtherAccounts(tx), std::vector<PubKey>{to});
    // A self-transfer names the sender.
    Transaction self = test::MakeTransfer(test::TestKey(0), TestPubKey(0), 5, 0, 10'000, 3);
    EXPECT_EQ(type->OtherAccounts(self), std::vector<PubKey>{TestPubKey(0)});
    // An undecodable payload names nobody.
    Transaction bad = tx;
    bad.payload.push_back(0);
    EXPECT_TRUE(type->OtherAccounts(bad).empty());
}

}  // namespace
}  // namespace cairn::consensus
