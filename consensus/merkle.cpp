#include "merkle.h"

namespace cairn::consensus {

Hash256 ComputeMerkleRoot(const std::vector<Hash256>& txids) {
    if (txids.empty()) return Hash256::Zero();
    std::vector<Hash256> level;
    level.reserve(txids.size());
    for (const Hash256& id : txids) level.push_back(TaggedHash(tags::kMerkleLeaf, id.bytes));
    while (level.size() > 1) {
        std::vector<Hash256> next;
        next.reserve((level.size() + 1) / 2);
        for (size_t i = 0; i + 1 < level.size(); i += 2) {
            std::array<uint8_t, 64> buf;
            std::copy(level[i].bytes.begin(), level[i].bytes.end(), buf.begin());
            std::copy(level[i + 1].bytes.begin(), level[i + 1].bytes.end(), buf.begin() + 32);
            next.push_back(TaggedHash(tags::kMerkleNode, buf));
        }
        if (level.size() % 2 == 1) next.push_back(level.back());
        level = std::move(next);
    }
    return level[0];
}

}  // namespace cairn::consensus
