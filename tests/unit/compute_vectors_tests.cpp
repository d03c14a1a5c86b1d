// The published proof-of-compute test vectors (doc/compute-vectors.json) against the consensus
// functions: every value in the file is recomputed here, so the file cannot drift from the code
// that validators run. doc/depin.md ("Byte layout for provers") describes what each value is.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "compute_test_util.h"
#include "consensus/compute/challenge.h"
#include "consensus/compute/compute_verdict.h"
#include "consensus/compute/open_check.h"
#include "consensus/compute/spot_check.h"
#include "crypto/hash.h"
#include "crypto/keys.h"
#include "primitives/compute_report.h"
#include "util/strencodings.h"

namespace cairn::consensus::compute {
namespace {

using json = nlohmann::json;

json LoadVectors() {
    const std::filesystem::path path =
        std::filesystem::path{CAIRN_SOURCE_DIR} / "doc" / "compute-vectors.json";
    std::ifstream in{path};
    if (!in.good()) throw std::runtime_error("cannot read " + path.string());
    std::stringstream ss;
    ss << in.rdbuf();
    return json::parse(ss.str());
}

Hash256 HashOf(const json& v) {
    auto h = Hash256::FromHex(v.get<std::string>());
    if (!h) throw std::runtime_error("not a 32-byte hash: " + v.dump());
    return *h;
}

ChallengeShape ShapeOf(const json& v) {
    return {v.at("g").get<uint32_t>(), v.at("n").get<uint32_t>(), v.at("k").get<uint32_t>(),
            v.at("tile").get<uint32_t>()};
}

std::string Hex(std::span<const int8_t> v) {
    const auto* p = reinterpret_cast<const uint8_t*>(v.data());
    return HexStr(ByteSpan{p, v.size()});
}

std::vector<Hash256> HashList(const json& v) {
    std::vector<Hash256> out;
    for (const json& h : v) out.push_back(HashOf(h));
    return out;
}

class ComputeVectors : public ::testing::Test {
protected:
    static void SetUpTestSuite() { s_vectors = new json(LoadVectors()); }
    static void TearDownTestSuite() {
        delete s_vectors;
        s_vectors = nullptr;
    }
    static const json& Cases() { return s_vectors->at("cases"); }
    static json* s_vectors;
};
json* ComputeVectors::s_vectors = nullptr;

TEST_F(ComputeVectors, FileHasTheRequiredCases) {
    ASSERT_GE(Cases().size(), 3u);
    // The pinned case of compute_challenge_tests.cpp is among them.
    bool pinned = false;
    for (const json& c : Cases()) {
        if (c.at("block_hash") == std::string(64, '1') &&
            c.at("device_secret_key") ==
                "0101010101010101010101010101010101010101010101010101010101010101" &&
            ShapeOf(c.at("shape")).n == 8 && ShapeOf(c.at("shape")).k == 64) {
            pinned = true;
        }
    }
    EXPECT_TRUE(pinned);
}

TEST_F(ComputeVectors, DeviceAndSeed) {
    for (const json& c : Cases()) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        const auto sk_bytes = ParseHex(c.at("device_secret_key").get<std::string>());
        ASSERT_TRUE(sk_bytes && sk_bytes->size() == 32);
        const auto sk = SecretKey::FromBytes(*sk_bytes);
        ASSERT_TRUE(sk.has_value());
        const PubKey device = sk->GetPubKey();
        EXPECT_EQ(device.Hex(), c.at("device").get<std::string>());
        EXPECT_EQ(ChallengeSeed(HashOf(c.at("block_hash")), device).Hex(),
                  c.at("seed").get<std::string>());
        EXPECT_TRUE(IsValidShape(ShapeOf(c.at("shape"))));
    }
}

TEST_F(ComputeVectors, SegmentsAndTheirCounters) {
    size_t checked = 0;
    for (const json& c : Cases()) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        const ChallengeShape s = ShapeOf(c.at("shape"));
        const Hash256 seed = HashOf(c.at("seed"));
        for (const json& sg : c.at("segments")) {
            const auto g = sg.at("g").get<uint32_t>();
            const auto index = sg.at("index").get<uint32_t>();
            const bool is_a = sg.at("matrix") == "A";
            ASSERT_TRUE(is_a || sg.at("matrix") == "B");
            const uint64_t counter = sg.at("counter").get<uint64_t>();
            EXPECT_EQ(counter, uint64_t{index} * s.k / 64);
            std::vector<int8_t> v(s.k);
            if (is_a) {
                RowOfA(seed, s, g, index, v);
            } else {
                ColumnOfB(seed, s, g, index, v);
            }
            const std::string first16 = sg.at("first16").get<std::string>();
            EXPECT_EQ(Hex(std::span<const int8_t>(v).first(16)), first16)
                << sg.at("matrix") << " g=" << g << " index=" << index;
            // The segment is the keystream at that block counter, nonce (g, 0 for A / 1 for B, 0).
            EXPECT_EQ(Hex(test::RawChaChaStream(seed, static_cast<uint32_t>(counter), g,
                                                is_a ? 0 : 1, 16)),
                      first16);
            ++checked;
        }
    }
    EXPECT_GT(checked, 0u);
}

TEST_F(ComputeVectors, Cells) {
    for (const json& c : Cases()) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        const ChallengeShape s = ShapeOf(c.at("shape"));
        const Hash256 seed = HashOf(c.at("seed"));
        for (const json& cell : c.at("cells")) {
            const auto g = cell.at("g").get<uint32_t>();
            const auto i = cell.at("i").get<uint32_t>();
            const auto j = cell.at("j").get<uint32_t>();
            EXPECT_EQ(ChallengeCell(seed, s, g, i, j), cell.at("value").get<int32_t>())
                << "g=" << g << " i=" << i << " j=" << j;
        }
        EXPECT_EQ(TileCount(s), c.at("tile_count").get<uint64_t>());
    }
}

TEST_F(ComputeVectors, TileLeavesRootAndPaths) {
    size_t with_root = 0;
    for (const json& c : Cases()) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        if (!c.contains("tile_root")) continue;
        const ChallengeShape s = ShapeOf(c.at("shape"));
        const Hash256 seed = HashOf(c.at("seed"));
        const std::vector<Hash256> leaves = ComputeTileLeaves(seed, s);
        ASSERT_EQ(leaves.size(), c.at("tile_count").get<uint64_t>());
        const Hash256 root = HashOf(c.at("tile_root"));
        EXPECT_EQ(TileRoot(leaves), root);
        if (c.contains("tile_leaves")) {
            EXPECT_EQ(HashList(c.at("tile_leaves")), leaves);
        }
        for (const json& l : c.value("some_tile_leaves", json::array())) {
            EXPECT_EQ(leaves.at(l.at("index").get<size_t>()), HashOf(l.at("leaf")));
        }
        for (const json& p : c.at("tile_paths")) {
            const auto index = p.at("index").get<size_t>();
            const std::vector<Hash256> path = HashList(p.at("path"));
            EXPECT_EQ(TilePath(leaves, index), path) << "tile " << index;
            EXPECT_TRUE(VerifyTilePath(leaves[index], index, leaves.size(), path, root));
        }
        const uint32_t side = s.n / s.tile;
        for (const json& t : c.at("tiles")) {
            const auto index = t.at("index").get<uint64_t>();
            const auto g = t.at("g").get<uint32_t>();
            const auto tr = t.at("tile_row").get<uint32_t>();
            const auto tc = t.at("tile_col").get<uint32_t>();
            EXPECT_EQ(index, (uint64_t{g} * side + tr) * side + tc);
            const auto cells = t.at("cells").get<std::vector<int32_t>>();
            ASSERT_EQ(cells.size(), size_t{s.tile} * s.tile);
            EXPECT_EQ(TileLeaf(g, tr, tc, cells), leaves.at(index));
            for (uint32_t r = 0; r < s.tile; ++r) {
                for (uint32_t q = 0; q < s.tile; ++q) {
                    EXPECT_EQ(cells[r * s.tile + q],
                              ChallengeCell(seed, s, g, tr * s.tile + r, tc * s.tile + q));
                }
            }
        }
        ++with_root;
    }
    EXPECT_GE(with_root, 2u);
}

TEST_F(ComputeVectors, SpotCells) {
    for (const json& c : Cases()) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        const ChallengeShape s = ShapeOf(c.at("shape"));
        const Hash256 seed = HashOf(c.at("seed"));
        const json& spot = c.at("spot");
        const auto device = PubKey::Parse(*ParseHex(c.at("device").get<std::string>()));
        ASSERT_TRUE(device.has_value());
        if (c.contains("tile_root")) {
            EXPECT_EQ(spot.at("root"), c.at("tile_root"));
        }
        const std::vector<uint64_t> cells =
            SpotCells(HashOf(spot.at("spot_hash")), *device, HashOf(spot.at("root")), s,
                      spot.at("count").get<uint32_t>());
        ASSERT_EQ(cells.size(), spot.at("cells").size());
        for (size_t q = 0; q < cells.size(); ++q) {
            const json& e = spot.at("cells")[q];
            EXPECT_EQ(cells[q], e.at("cell").get<uint64_t>()) << "spot " << q;
            const CellPosition p = CellAt(s, cells[q]);
            EXPECT_EQ(p.g, e.at("g").get<uint32_t>());
            EXPECT_EQ(p.i, e.at("i").get<uint32_t>());
            EXPECT_EQ(p.j, e.at("j").get<uint32_t>());
            EXPECT_EQ(TileOfCell(s, cells[q]), e.at("tile").get<uint64_t>());
            EXPECT_EQ(OffsetInTile(s, cells[q]), e.at("offset").get<uint32_t>());
            EXPECT_EQ(ChallengeCell(seed, s, p.g, p.i, p.j), e.at("value").get<int32_t>());
        }
        EXPECT_EQ(SpottedTiles(s, cells), spot.at("open_tiles").get<std::vector<uint64_t>>());
    }
}

// Where a case has every leaf, an honest open of its spotted tiles, built from the vectors,
// passes the consensus judge.
TEST_F(ComputeVectors, OpenOfTheSpottedTilesIsValid) {
    for (const json& c : Cases()) {
        if (!c.contains("tile_leaves")) continue;
        SCOPED_TRACE(c.at("name").get<std::string>());
        const ChallengeShape s = ShapeOf(c.at("shape"));
        const Hash256 seed = HashOf(c.at("seed"));
        const std::vector<Hash256> leaves = HashList(c.at("tile_leaves"));
        const json& spot = c.at("spot");
        ComputeOpen open;
        open.root = HashOf(spot.at("root"));
        const uint32_t side = s.n / s.tile;
        for (uint64_t index : spot.at("open_tiles").get<std::vector<uint64_t>>()) {
            OpenedTile t;
            t.index = index;
            const auto g = static_cast<uint32_t>(index / (side * side));
            const auto tr = static_cast<uint32_t>(index / side % side);
            const auto tc = static_cast<uint32_t>(index % side);
            for (uint32_t r = 0; r < s.tile; ++r) {
                for (uint32_t q = 0; q < s.tile; ++q) {
                    t.cells.push_back(ChallengeCell(seed, s, g, tr * s.tile + r, tc * s.tile + q));
                }
            }
            t.path = TilePath(leaves, index);
            open.tiles.push_back(std::move(t));
        }
        OpenCheckInput in;
        in.seed = seed;
        in.shape = s;
        for (const json& e : spot.at("cells")) in.cells.push_back(e.at("cell").get<uint64_t>());
        in.root = open.root;
        in.open = &open;
        EXPECT_EQ(CheckOpenCells(in), (OpenCheck{ComputeVerdict::kValid, 0}));
    }
}

TEST_F(ComputeVectors, CommitBodyAndSigHash) {
    size_t checked = 0;
    for (const json& c : Cases()) {
        if (!c.contains("commit")) continue;
        SCOPED_TRACE(c.at("name").get<std::string>());
        const json& cm = c.at("commit");
        ComputeCommit commit;
        commit.device = *PubKey::Parse(*ParseHex(c.at("device").get<std::string>()));
        commit.bucket = cm.at("bucket").get<uint64_t>();
        commit.tier = cm.at("tier").get<uint8_t>();
        commit.root = HashOf(cm.at("root"));
        Writer w;
        commit.SerializeBody(w);
        EXPECT_EQ(HexStr(w.Data()), cm.at("body").get<std::string>());
        EXPECT_EQ(commit.SigHash(cm.at("network_id").get<uint32_t>()).Hex(),
                  cm.at("sighash").get<std::string>());
        ++checked;
    }
    EXPECT_GT(checked, 0u);
}

}  // namespace
}  // namespace cairn::consensus::compute
