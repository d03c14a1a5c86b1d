// JSON views of transactions, blocks and commits for RPC. Amounts are exact decimal strings
// ("12.5") with an integer "_units" twin, never floating point.
#pragma once

#include <nlohmann/json.hpp>

#include "primitives/block.h"
#include "primitives/network.h"

namespace cairn::rpc {

nlohmann::json TxToJson(const Transaction& tx, Network net);
nlohmann::json CommitToJson(const Commit& c);
nlohmann::json HeaderToJson(const BlockHeader& h, Network net);

}  // namespace cairn::rpc
