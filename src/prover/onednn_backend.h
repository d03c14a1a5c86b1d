// The oneDNN int8 GEMM backend: the fast CPU path of the prover.
//
// Why oneDNN: its s8s8s32 GEMM dispatches at run time to the best int8 instructions the CPU has
// (AVX-512 VNNI / AVX-VNNI, AMX where present) and reads the challenge's "TN" layout directly:
// A row-major with transa = 'N' and the column-major B as a row-major n×k matrix with
// transb = 'T', so the generated buffers are multiplied in place, never copied or transposed.
// Offsets are zero, alpha = 1, beta = 0, so C is the plain exact int32 product.
//
// Exactness: on CPUs without VNNI, oneDNN's int8 kernels may saturate 16-bit intermediates
// (oneDNN "int8 computations" guide), which would silently break the bit-identity the challenge
// relies on. The constructor therefore multiplies worst-case operands (every sign combination of
// -128 and 127) and throws std::runtime_error if oneDNN does not return the exact products.
//
// Threads: Debian's libdnnl uses OpenMP (libgomp). When this library is built with GCC's OpenMP,
// a nonzero `threads` is applied with omp_set_num_threads on the calling thread just before each
// GEMM (it also governs that thread's later OpenMP regions elsewhere); otherwise, and for
// threads == 0, oneDNN uses its default: OMP_NUM_THREADS or all cores. libgomp's workers spin
// for a while after each GEMM before sleeping, so on a machine with few cores they slow whatever
// std::threads run right after (keystream, tile hashing); OMP_WAIT_POLICY=PASSIVE avoids that
// (cpu-dev challenge on 2 cores: keystream 1.2 -> 0.6 ms). It is left to the operator, since it
// is process-wide and read once when the OpenMP runtime starts.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "prover/gemm_backend.h"

namespace cairn::prover {

class OneDnnBackend final : public GemmBackend {
public:
    static constexpr std::string_view kName = "onednn";

    // Throws std::runtime_error if oneDNN fails or is not exact on this CPU (see above).
    explicit OneDnnBackend(unsigned threads);

    std::string_view Name() const override { return kName; }
    // Throws std::runtime_error (with oneDNN's status) if the GEMM call fails.
    void Multiply(std::span<const int8_t> a, std::span<const int8_t> b, uint32_t n, uint32_t k,
                  std::span<int32_t> c) override;

private:
    const unsigned m_threads;
};

}  // namespace cairn::prover
