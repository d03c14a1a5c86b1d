#include "consensus/poc/fspl.h"

#include "consensus/poc/fixed_math.h"

namespace cairn::consensus::poc {

namespace {

using i128 = __int128;

// 20000 * log10(2) = 6020.599913279623904... mdB per unit of log2, in Q32.
constexpr i128 kMdbPerLog2Q32 = 25'858'279'729'836;
// 1000 * (20 * log10(4 * pi / 299'792'458) - 60) = -207552.216778116626... mdB, in Q64.
constexpr i128 kOffsetMdbQ64 = -(i128{3'828'662'624} * 1'000'000'000'000'000 + 837'003'041'134'316);

}  // namespace

int64_t FsplMdb(uint64_t distance_mm, uint64_t frequency_hz) {
    const uint64_t d = distance_mm < 1000 ? 1000 : distance_mm;
    const uint64_t f = frequency_hz == 0 ? 1 : frequency_hz;
    // d * f < 2^128; its log2 in Q32 is below 2^39, so the product with kA is below 2^84.
    const i128 log2_q32 = Log2Q32(static_cast<unsigned __int128>(d) * f);
    const i128 v = log2_q32 * kMdbPerLog2Q32 + kOffsetMdbQ64;
    // Arithmetic shift floors (C++20), so adding one half first rounds half up.
    return static_cast<int64_t>((v + (i128{1} << 63)) >> 64);
}

}  // namespace cairn::consensus::poc
