// ReportPool's compute side: admission of commits and opens (every refusal code), what
// ComputeForBlock hands the producer at each height, and that one report too large for the
// remaining block space never holds back the reports after it.
#include <gtest/gtest.h>

#include <algorithm>

#include "compute_test_util.h"
#include "node/report_pool.h"

namespace cairn {
namespace {

using consensus::BucketProgress;
using test::ComputeChain;
using test::ComputeProof;
using test::kTierT;
using test::kTierU;

constexpr uint64_t kH0 = test::kBucketLength;  // the first bucket

class ComputePoolTest : public ::testing::Test {
protected:
    ComputeChain chain;
    ReportPool pool{chain.params, {}, nullptr};
    std::vector<size_t> devices;

    void SetUp() override {
        for (size_t i = 0; i < 8; ++i) devices.push_back(chain.AddDevice(i % 2, kTierT));
        chain.RegisterDevices(devices);
        chain.MineTo(kH0);  // the bucket starts: every device is challenged
    }

    // The refusal code, or "" if admitted.
    std::string Submit(const Report& r) {
        auto res = pool.Submit(r, chain.state, chain.hashes, chain.Height());
        return res ? std::string{} : res.error().code;
    }
    std::vector<ComputeEntry> ForNextBlock(size_t max_bytes = 1'000'000) const {
        return pool.ComputeForBlock(chain.Height() + 1, chain.state, 100, max_bytes);
    }
    // Mines the next block with what the pool offers, as the producer does.
    void MinePooled() {
        Block before = chain.tip;
        chain.MineC(ForNextBlock());
        pool.UpdateForBlock(chain.tip);
    }
};

TEST_F(ComputePoolTest, HonestCommitThenOpenFlowIntoBlocks) {
    const size_t d = devices[0];
    const ComputeProof proof = chain.Prove(d);
    EXPECT_EQ(Submit(chain.Commit(d, proof.root)), "");
    ASSERT_EQ(ForNextBlock().size(), 1u);
    MinePooled();  // block 11 counts the commit
    EXPECT_EQ(chain.State(d)->progress, BucketProgress::kCommitted);
    EXPECT_EQ(pool.Info().compute_commits, 0u);

    // The open waits for the spot block (h0 + D + 1 = 13).
    EXPECT_EQ(Submit(chain.MakeOpen(d, kH0, proof.root, {})), "compute-open-too-early");
    chain.MineTo(13);
    EXPECT_EQ(Submit(chain.Open(d, proof)), "");
    EXPECT_EQ(Submit(chain.Open(d, proof)), "compute-duplicate-open");
    ASSERT_EQ(ForNextBlock().size(), 1u);
    MinePooled();  // block 14
    EXPECT_EQ(chain.State(d)->progress, BucketProgress::kOpened);
    EXPECT_EQ(chain.State(d)->open_verdict, consensus::ComputeVerdict::kValid);
    EXPECT_EQ(Submit(chain.Open(d, proof)), "compute-duplicate-open");
}

TEST_F(ComputePoolTest, CommitRefusals) {
    const size_t d = devices[0];
    const ComputeProof proof = chain.Prove(d);
    EXPECT_EQ(Submit(chain.MakeCommit(d, kH0, kTierU, proof.root)), "compute-wrong-tier");
    EXPECT_EQ(Submit(chain.MakeCommit(d, kH0 - test::kBucketLength, kTierT, proof.root)),
              "compute-stale-bucket");
    ComputeCommit forged = chain.Commit(d, proof.root);
    forged.root.bytes[0] ^= 1;  // signature no longer matches
    EXPECT_EQ(Submit(forged), "report-bad-signature");
    EXPECT_EQ(Submit(chain.Commit(d, proof.root)), "");
    EXPECT_EQ(Submit(chain.Commit(d, Hash256{})), "compute-duplicate-commit");
    MinePooled();
    EXPECT_EQ(Submit(chain.Commit(d, Hash256{})), "compute-duplicate-commit");
    // An open without a counted commit.
    chain.MineTo(13);
    EXPECT_EQ(Submit(chain.Open(devices[1], chain.Prove(devices[1]))), "compute-no-commit");
}

TEST_F(ComputePoolTest, OpensOfTheWrongFormAreRefused) {
    const size_t d = devices[0];
    const ComputeProof proof = chain.Prove(d);
    EXPECT_EQ(Submit(chain.Commit(d, proof.root)), "");
    MinePooled();
    chain.MineTo(13);
    const ComputeOpen honest = chain.Open(d, proof);
    ASSERT_GE(honest.tiles.size(), 2u);
    auto resign = [&](ComputeOpen o) {
        test::SignOpen(o, chain.devices[d].key, chain.params.network_id);
        return o;
    };
    ComputeOpen other_root = honest;
    other_root.root.bytes[0] ^= 1;
    EXPECT_EQ(Submit(resign(other_root)), "compute-root-mismatch");
    ComputeOpen missing = honest;
    missing.tiles.pop_back();
    EXPECT_EQ(Submit(resign(missing)), "compute-wrong-tiles");
    ComputeOpen extra_cell = honest;
    extra_cell.tiles[0].cells.push_back(0);
    EXPECT_EQ(Submit(resign(extra_cell)), "compute-wrong-tiles");
    ComputeOpen long_path = honest;
    long_path.tiles[1].path.push_back(Hash256{});
    EXPECT_EQ(Submit(resign(long_path)), "compute-wrong-tiles");
    ComputeOpen swapped = honest;
    std::swap(swapped.tiles[0], swapped.tiles[1]);
    EXPECT_EQ(Submit(resign(swapped)), "compute-wrong-tiles");
    // Wrong cells in the right form are the block's to judge (and record).
    ComputeOpen wrong_cells = honest;
    wrong_cells.tiles[0].cells[0] += 1;
    EXPECT_EQ(Submit(resign(wrong_cells)), "");
    MinePooled();
    EXPECT_EQ(chain.State(d)->open_verdict, consensus::ComputeVerdict::kBadPath);
}

TEST_F(ComputePoolTest, AnOpenThatDoesNotFitIsSkippedNotTheEnd) {
    // Every device commits, then opens; opens differ in size by their distinct tiles.
    std::vector<ComputeProof> proofs;
    for (size_t d : devices) {
        proofs.push_back(chain.Prove(d));
        ASSERT_EQ(Submit(chain.Commit(d, proofs.back().root)), "");
    }
    MinePooled();
    chain.MineTo(13);
    for (size_t i = 0; i < devices.size(); ++i) {
        ASSERT_EQ(Submit(chain.Open(devices[i], proofs[i])), "");
    }
    const std::vector<ComputeEntry> all = ForNextBlock();
    ASSERT_EQ(all.size(), devices.size());
    // The pool lists opens in device key order. Find entries i < j with i larger than j and
    // give the block room for everything before i, and j: i does not fit, j still must.
    std::vector<size_t> sizes;
    for (const ComputeEntry& e : all) sizes.push_back(EncodedSize(e));
    size_t i = 0, j = 0;
    for (size_t a = 0; a < sizes.size() && j == 0; ++a) {
        for (size_t b = a + 1; b < sizes.size(); ++b) {
            if (sizes[a] > sizes[b]) {
                i = a;
                j = b;
                break;
            }
        }
    }
    ASSERT_NE(j, 0u) << "these device keys give opens of non-decreasing size: "
                     << ::testing::PrintToString(sizes);
    size_t budget = sizes[j];
    for (size_t a = 0; a < i; ++a) budget += sizes[a];
    const std::vector<ComputeEntry> fit = ForNextBlock(budget);
    ASSERT_EQ(fit.size(), i + 1);
    for (size_t a = 0; a < i; ++a) EXPECT_EQ(fit[a], all[a]);
    EXPECT_EQ(fit[i], all[j]);
}

}  // namespace
}  // namespace cairn
