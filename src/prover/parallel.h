// Internal to cairn_prover: split [0, count) into contiguous chunks, one per std::thread.
//
// Why a helper: the loop backend, the keystream and the tile hashing all parallelise the same way
// (disjoint output ranges, no shared mutable state), and results never depend on the thread count
// because every index is computed by exactly one worker from the same inputs. Threads are started
// per call: the work items here take milliseconds, so a pool would save nothing measurable.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace cairn::prover {

// Calls fn(begin, end) on disjoint ranges covering [0, count), using at most `threads` threads
// (0 means std::thread::hardware_concurrency()) and never more than `count`. The calling thread
// runs the first range itself. The first exception thrown by any fn is rethrown after all joined.
template <typename Fn>
void ParallelFor(size_t count, unsigned threads, Fn&& fn) {
    if (count == 0) return;
    size_t workers = threads != 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
    workers = std::min(workers, count);
    if (workers == 1) {
        fn(size_t{0}, count);
        return;
    }
    std::vector<std::exception_ptr> errors(workers);
    std::vector<std::thread> pool;
    pool.reserve(workers - 1);
    const auto run = [&](size_t w) {
        const size_t begin = count * w / workers;
        const size_t end = count * (w + 1) / workers;
        try {
            fn(begin, end);
        } catch (...) {
            errors[w] = std::current_exception();
        }
    };
    try {
        for (size_t w = 1; w < workers; ++w) pool.emplace_back(run, w);
    } catch (...) {  // could not start a thread: finish the started ones, then report
        for (auto& t : pool) t.join();
        throw;
    }
    run(0);
    for (auto& t : pool) t.join();
    for (const auto& e : errors) {
        if (e) std::rethrow_exception(e);
    }
}

}  // namespace cairn::prover
