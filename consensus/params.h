// Chain parameters: the numbers every validator of a network must agree on.
#pragma once

#include <cstdint>

#include "primitives/amount.h"
#include "primitives/network.h"

namespace cairn::consensus {

struct ChainParams {
    Network network{Network::kDevnet};
    uint32_t network_id{0};
    // Minimum fee per byte of the encoded transaction: fee >= size * min_fee_per_byte.
    Amount min_fee_per_byte{10};
    uint64_t max_block_bytes{2'000'000};
    uint64_t max_block_txs{10'000};
    uint64_t max_memo_bytes{256};
};

ChainParams DefaultParams(Network n);

}  // namespace cairn::consensus
