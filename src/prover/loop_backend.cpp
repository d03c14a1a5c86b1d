#include "prover/loop_backend.h"

#include "prover/parallel.h"

namespace cairn::prover {

void LoopBackend::Multiply(std::span<const int8_t> a, std::span<const int8_t> b, uint32_t n,
                           uint32_t k, std::span<int32_t> c) {
    CheckGemmArgs(a, b, n, k, c);
    const size_t rows = n, cols = n, depth = k;
    ParallelFor(rows, m_threads, [&](size_t row_begin, size_t row_end) {
        for (size_t i = row_begin; i < row_end; ++i) {
            const int8_t* row = a.data() + i * depth;
            for (size_t j = 0; j < cols; ++j) {
                const int8_t* col = b.data() + j * depth;
                // |row[t]*col[t]| <= 2^14 and depth <= 2^16: |sum| <= 2^30, never overflows.
                int32_t sum = 0;
                for (size_t t = 0; t < depth; ++t) sum += int32_t{row[t]} * int32_t{col[t]};
                c[i * cols + j] = sum;
            }
        }
    });
}

}  // namespace cairn::prover
