// Counts by verdict code, as the node's getdevicestats reports them and the simulator's summary
// prints them: one place for the conversions the radio and compute fleets both make.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace cairn::devsim {

using VerdictCounts = std::map<std::string, uint64_t>;

nlohmann::json CountsJson(const VerdictCounts& m);
// The unsigned counts of a JSON object (anything else is skipped; a non-object gives none).
VerdictCounts CountsFrom(const nlohmann::json& j);
// a − b per code, keeping only the codes that grew: what happened since `b` was read.
VerdictCounts Minus(const VerdictCounts& a, const VerdictCounts& b);

}  // namespace cairn::devsim
