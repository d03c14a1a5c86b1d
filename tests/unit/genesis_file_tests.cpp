// Genesis JSON files and the devnet genesis.
#include <gtest/gtest.h>

#include "node/genesis_file.h"
#include "primitives/address.h"

namespace cairn {
namespace {

consensus::Genesis SampleGenesis() {
    consensus::Genesis g = DevnetGenesis(*PubKey::Parse(DevnetFaucetKey().GetPubKey().bytes));
    g.params.min_fee_per_byte = 7;
    return g;
}

TEST(GenesisFile, RoundTripsThroughJson) {
    consensus::Genesis g = SampleGenesis();
    auto parsed = ParseGenesisJson(GenesisToJson(g).dump());
    ASSERT_TRUE(parsed.has_value()) << parsed.error();
    EXPECT_EQ(parsed->params.min_fee_per_byte, 7u);
    EXPECT_EQ(parsed->time_ms, g.time_ms);
    ASSERT_EQ(parsed->accounts.size(), 1u);
    EXPECT_EQ(parsed->accounts[0].balance, kDevnetFaucetBalance);
    // Same genesis block either way.
    EXPECT_EQ(consensus::BuildGenesis(*parsed)->block.Hash(),
              consensus::BuildGenesis(g)->block.Hash());
}

TEST(GenesisFile, UnknownKeysAreErrorsNotDefaults) {
    nlohmann::json j = GenesisToJson(SampleGenesis());
    j["param"] = j["params"];  // a typo
    auto r = ParseGenesisJson(j.dump());
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().find("unknown key 'param'"), std::string::npos) << r.error();

    j = GenesisToJson(SampleGenesis());
    j["params"]["min_fee"] = 1;
    r = ParseGenesisJson(j.dump());
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().find("unknown parameter 'min_fee'"), std::string::npos) << r.error();
}

TEST(GenesisFile, RejectsMalformedInput) {
    const auto bad = [](const std::function<void(nlohmann::json&)>& edit) {
        nlohmann::json j = GenesisToJson(SampleGenesis());
        edit(j);
        return ParseGenesisJson(j.dump());
    };
    EXPECT_FALSE(bad([](auto& j) { j.erase("time_ms"); }));
    EXPECT_FALSE(bad([](auto& j) { j["network"] = "moon"; }));
    EXPECT_FALSE(bad([](auto& j) { j["network_id"] = -1; }));
    EXPECT_FALSE(bad([](auto& j) { j["accounts"][0]["balance"] = 5; }));  // must be a string
    EXPECT_FALSE(bad([](auto& j) { j["accounts"][0]["balance"] = "1.123456789"; }));
    EXPECT_FALSE(bad([](auto& j) { j["validators"] = nlohmann::json::array(); }));
    EXPECT_FALSE(bad([](auto& j) { j["params"]["max_block_bytes"] = 1000; }));
    EXPECT_FALSE(bad([](auto& j) { j["params"]["max_block_txs"] = 0; }));
    EXPECT_FALSE(bad([](auto& j) {
        std::string a = j["accounts"][0]["address"];
        a.back() = a.back() == 'q' ? 'p' : 'q';  // a mistyped address
        j["accounts"][0]["address"] = a;
    }));
    EXPECT_FALSE(ParseGenesisJson("not json"));
    EXPECT_FALSE(ParseGenesisJson("[]"));
}

TEST(GenesisFile, DevnetFaucetKeyIsThePublishedOne) {
    EXPECT_EQ(HexStr(DevnetFaucetKey().Bytes()),
              "add2d0eb5fdc56548bba0da5f277d5292da22bfe2bd7f76fa96e8c65d2cbfe5c");
    // The devnet genesis depends only on the validator key.
    PubKey v = SecretKey::FromBytes(Sha256(Bytes{1, 2, 3}).bytes)->GetPubKey();
    EXPECT_EQ(consensus::BuildGenesis(DevnetGenesis(v))->block.Hash(),
              consensus::BuildGenesis(DevnetGenesis(v))->block.Hash());
}

}  // namespace
}  // namespace cairn
