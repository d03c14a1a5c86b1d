// HIP-15 reward units: how a beacon's reward is shared between the beaconer and its witnesses.
//
// Up to N (the redundancy) valid witnesses, each witness earns 1 unit and the beaconer w/N. Past
// N the extra witnesses add little coverage, so the beaconer's units grow towards 2 with a
// geometric decay (2 - r^(w-N)) and the witnesses split N - (1 - r^(w-N)) units between them;
// beaconer plus witnesses then stay N + 1 however many witnesses there are (when the cap does
// not bind). Units are fixed point in kUnitOne (1.0 = 10^9), integer only, so every node
// computes the same numbers.
#pragma once

#include <cstdint>

namespace cairn::consensus::rewards {

// 1.0 in the fixed point used for reward units and density scales.
inline constexpr uint64_t kUnitOne = 1'000'000'000;

struct Hip15Params {
    uint32_t redundancy{4};  // N
    uint64_t decay_num{8};   // r = decay_num / decay_den
    uint64_t decay_den{10};
    uint64_t beaconer_cap{2 * kUnitOne};  // the beaconer never earns more than this many units
};

// r^k in kUnitOne fixed point: k steps of p = floor(p * num / den) starting at kUnitOne. The floor
// at each step (rather than one rounding at the end) is the definition: it is exact to state
// and cheap to check by hand. A ratio that does not decay (num >= den, which includes den == 0)
// gives kUnitOne, so the result is never above 1.0 and there is no division by zero. The loop
// stops once p reaches 0, so a huge k costs nothing for any real decay (0.8 hits 0 in < 100).
uint64_t DecayPow(const Hip15Params& p, uint32_t k);

// Beaconer units for w valid (rewarded) witnesses: floor(w * ONE / N) if w <= N, else
// min(cap, 2 * ONE - r^(w - N)). 0 for w == 0.
uint64_t BeaconerUnits(const Hip15Params& p, uint32_t w);

// Units of EACH witness: ONE if 1 <= w <= N, else floor((N * ONE - (ONE - r^(w - N))) / w).
// 0 for w == 0, and 0 past N when N == 0 (the formula would be negative).
uint64_t WitnessUnits(const Hip15Params& p, uint32_t w);

}  // namespace cairn::consensus::rewards
