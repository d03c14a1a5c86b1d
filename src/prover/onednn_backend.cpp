#include "prover/onednn_backend.h"

#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <vector>

#if defined(CAIRN_PROVER_HAVE_OPENMP)
#include <omp.h>
#endif

namespace cairn::prover {
namespace {

// Worst-case probe size: large enough for oneDNN's blocked kernels (not a gemv special case),
// small enough to cost well under a millisecond.
constexpr uint32_t kProbeN = 64;
constexpr uint32_t kProbeK = 1024;

}  // namespace

OneDnnBackend::OneDnnBackend(unsigned threads) : m_threads{threads} {
    // Every sign combination of the extreme values; each cell must be exactly k * x * y.
    constexpr std::array<std::array<int8_t, 2>, 4> kCases{
        {{-128, -128}, {-128, 127}, {127, -128}, {127, 127}}};
    std::vector<int8_t> a(size_t{kProbeN} * kProbeK), b(a.size());
    std::vector<int32_t> c(size_t{kProbeN} * kProbeN);
    for (const auto& [x, y] : kCases) {
        std::fill(a.begin(), a.end(), x);
        std::fill(b.begin(), b.end(), y);
        Multiply(a, b, kProbeN, kProbeK, c);
        const int32_t want = int32_t{kProbeK} * x * y;
        for (const int32_t v : c) {
            if (v != want) {
                throw std::runtime_error(
                    "oneDNN int8 GEMM is not exact on this CPU (saturating kernel?): got " +
                    std::to_string(v) + ", want " + std::to_string(want));
            }
        }
    }
}

void OneDnnBackend::Multiply(std::span<const int8_t> a, std::span<const int8_t> b, uint32_t n,
                             uint32_t k, std::span<int32_t> c) {
    CheckGemmArgs(a, b, n, k, c);
#if defined(CAIRN_PROVER_HAVE_OPENMP)
    if (m_threads != 0) omp_set_num_threads(static_cast<int>(m_threads));
#endif
    // Row-major oneDNN GEMM: C (n×n) = A (n×k, 'N', lda = k) · op(B), where the column-major
    // k×n B is the row-major n×k matrix B^T, hence transb = 'T' with ldb = k.
    const dnnl_dim_t dn = n, dk = k;
    const int32_t zero_offset = 0;  // offsetc = 'F': one C offset for every cell
    const dnnl_status_t status =
        dnnl_gemm_s8s8s32('N', 'T', 'F', dn, dn, dk, 1.0f, a.data(), dk, 0, b.data(), dk, 0, 0.0f,
                          c.data(), dn, &zero_offset);
    if (status != dnnl_success) {
        throw std::runtime_error(std::string("oneDNN dnnl_gemm_s8s8s32 failed: ") +
                                 dnnl_status2str(status));
    }
}

}  // namespace cairn::prover
