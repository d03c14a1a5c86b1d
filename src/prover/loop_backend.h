// The reference int8 GEMM: a plain triple loop, written to be obviously correct.
//
// Why keep a slow backend: it is the baseline the benchmarks compare oneDNN against, and it needs
// nothing beyond the C++ standard library, so the prover works (slowly) wherever the code builds.
// Each output cell is one dot product of a row of A and a column of B, both contiguous in the
// challenge layout, so the compiler can vectorise the inner loop; rows are split across threads.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "prover/gemm_backend.h"

namespace cairn::prover {

class LoopBackend final : public GemmBackend {
public:
    static constexpr std::string_view kName = "loop";

    // threads: worker threads over output rows; 0 = std::thread::hardware_concurrency().
    explicit LoopBackend(unsigned threads) : m_threads{threads} {}

    std::string_view Name() const override { return kName; }
    void Multiply(std::span<const int8_t> a, std::span<const int8_t> b, uint32_t n, uint32_t k,
                  std::span<int32_t> c) override;

private:
    const unsigned m_threads;
};

}  // namespace cairn::prover
