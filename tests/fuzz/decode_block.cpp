// Blocks, headers and commits from arbitrary bytes: no crash, canonical re-encoding.
#include <cstdlib>

#include "fuzz.h"
#include "primitives/block.h"

static void Run(std::span<const uint8_t> data) {
    if (auto block = cairn::DecodeBlock(data)) {
        cairn::Bytes again = block->ToBytes();
        if (again.size() != data.size() || !std::equal(again.begin(), again.end(), data.begin())) {
            std::abort();
        }
        (void)block->Hash();
    }
    if (auto commit = cairn::DecodeCommit(data)) {
        cairn::Writer w;
        commit->Serialize(w);
        if (w.Data().size() != data.size()) std::abort();
    }
}

CAIRN_FUZZ_TARGET(Run)
