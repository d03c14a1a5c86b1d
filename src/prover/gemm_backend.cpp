#include "prover/gemm_backend.h"

#include <stdexcept>

#include "consensus/compute/challenge.h"
#include "prover/loop_backend.h"
#include "prover/onednn_backend.h"

namespace cairn::prover {

std::unique_ptr<GemmBackend> MakeGemmBackend(std::string_view name, unsigned threads) {
    if (name == OneDnnBackend::kName) return std::make_unique<OneDnnBackend>(threads);
    if (name == LoopBackend::kName) return std::make_unique<LoopBackend>(threads);
    return nullptr;
}

BestBackend MakeBestGemmBackend(unsigned threads) {
    try {
        return {std::make_unique<OneDnnBackend>(threads), {}};
    } catch (const std::runtime_error& e) {
        return {std::make_unique<LoopBackend>(threads), e.what()};
    }
}

std::vector<std::string_view> GemmBackendNames() {
    return {OneDnnBackend::kName, LoopBackend::kName};
}

void CheckGemmArgs(std::span<const int8_t> a, std::span<const int8_t> b, uint32_t n, uint32_t k,
                   std::span<const int32_t> c) {
    if (n < 1 || k < 1 || k > consensus::compute::kMaxK) {
        throw std::invalid_argument("int8 GEMM needs n >= 1 and 1 <= k <= 65,536");
    }
    const uint64_t operand = uint64_t{n} * k;
    if (a.size() != operand || b.size() != operand || c.size() != uint64_t{n} * n) {
        throw std::invalid_argument("int8 GEMM spans do not match n and k");
    }
}

}  // namespace cairn::prover
