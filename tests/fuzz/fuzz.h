// libFuzzer entry point helper: each target defines FUZZ_TARGET_BODY over a byte span.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#define CAIRN_FUZZ_TARGET(body_fn)                                                  \
    extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {       \
        body_fn(std::span<const uint8_t>{data, size});                             \
        return 0;                                                                   \
    }
