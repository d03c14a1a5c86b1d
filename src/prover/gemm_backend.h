// The int8 matrix product a prover runs for a compute challenge, behind one small interface.
//
// Why an interface: the challenge (consensus/compute/challenge.h) fixes WHAT is computed, exactly,
// but not HOW. A prover picks the fastest engine it has (oneDNN on CPUs, cuBLASLt on GPUs later)
// and the plain loop stays as the reference and comparison baseline. Because every partial sum is
// bounded by 2^30 for k <= 65,536, the int32 result is exact in any summation order, so every
// backend must return bit-identical output; the unit tests hold them to that.
//
// Layout is the challenge's "TN" layout, used as generated, without copies:
//   a: n×k, row-major    (row i    = bytes [i*k, (i+1)*k))
//   b: k×n, column-major (column j = bytes [j*k, (j+1)*k))
//   c: n×n, row-major, int32, fully overwritten: c[i*n + j] = sum_t a[i*k + t] * b[j*k + t].
//
// Thread safety: Multiply is non-const so that a backend may keep engine state (a GPU stream, a
// workspace). The two backends here keep only constant configuration, so calling their Multiply
// from several threads at once on distinct outputs is safe.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::prover {

class GemmBackend {
public:
    virtual ~GemmBackend() = default;

    // A stable short name ("onednn", "loop"), as accepted by MakeGemmBackend.
    virtual std::string_view Name() const = 0;

    // c = a · b in exact int32 (layouts above). Throws std::invalid_argument unless n >= 1,
    // 1 <= k <= 65,536 (the exactness bound), a.size() == b.size() == n*k and c.size() == n*n;
    // an engine failure is a std::runtime_error carrying the engine's status.
    virtual void Multiply(std::span<const int8_t> a, std::span<const int8_t> b, uint32_t n,
                          uint32_t k, std::span<int32_t> c) = 0;
};

// The backend called `name`, using `threads` threads (0 = all hardware threads), or nullptr when
// no backend has that name. May throw std::runtime_error if the engine cannot start.
std::unique_ptr<GemmBackend> MakeGemmBackend(std::string_view name, unsigned threads);

// The fastest backend that works on this machine: oneDNN, or the plain loop when oneDNN cannot
// start (its int8 GEMM is inexact on CPUs without VNNI, which its constructor detects). `why`
// says why oneDNN was passed over (empty when it was chosen), for the operator's log.
struct BestBackend {
    std::unique_ptr<GemmBackend> backend;
    std::string why;
};
BestBackend MakeBestGemmBackend(unsigned threads);

// Every name MakeGemmBackend accepts, fastest first.
std::vector<std::string_view> GemmBackendNames();

// The checks every Multiply makes (see above); throws std::invalid_argument. For backends.
void CheckGemmArgs(std::span<const int8_t> a, std::span<const int8_t> b, uint32_t n, uint32_t k,
                   std::span<const int32_t> c);

}  // namespace cairn::prover
