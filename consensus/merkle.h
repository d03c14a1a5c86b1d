// The transactions Merkle root.
//
// Leaves are TaggedHash("Cairn/MerkleLeaf", txid) and inner nodes TaggedHash("Cairn/MerkleNode",
// left || right), so a leaf can never be read as a node. An odd node at the end of a level is
// carried up unchanged instead of being paired with a copy of itself: Bitcoin's duplication is
// what let two different transaction lists share a root (CVE-2012-2459); here no list of
// distinct length or content can produce the same root without a hash collision.
// The empty list's root is all zeros.
#pragma once

#include <vector>

#include "crypto/hash.h"

namespace cairn::consensus {

Hash256 ComputeMerkleRoot(const std::vector<Hash256>& txids);

}  // namespace cairn::consensus
