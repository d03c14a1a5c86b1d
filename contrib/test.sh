#!/usr/bin/env bash
# The second README command: installs what is missing, builds everything (node, wallet, tests,
# benchmarks), checks the locking annotations with clang's thread-safety analysis (build-tsa/),
# runs each libFuzzer target for a short bounded time in a separate clang build (build-fuzz/),
# then every unit and functional test through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
./contrib/install_deps.sh
./contrib/build.sh -DCAIRN_BUILD_TESTS=ON -DCAIRN_BUILD_BENCH=ON

jobs=$(nproc 2>/dev/null || echo 2)

# Every GUARDED_BY/REQUIRES in the node, RPC and wallet code (src/util/sync.h) is checked here.
CC=clang CXX=clang++ cmake -S . -B build-tsa -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_CXX_FLAGS="-O0 -Wthread-safety -Werror=thread-safety" \
  -DCAIRN_BUILD_TESTS=OFF -DCAIRN_BUILD_BENCH=OFF >/dev/null
cmake --build build-tsa -j"$jobs" --target cairnd cairn-cli cairn-wallet

fuzz_seconds=${CAIRN_FUZZ_SECONDS:-10}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCAIRN_BUILD_FUZZ=ON -DCAIRN_BUILD_TESTS=OFF -DCAIRN_BUILD_BENCH=OFF >/dev/null
targets=(decode_tx decode_block decode_address decode_report decode_compute)
cmake --build build-fuzz -j"$jobs" --target "${targets[@]/#/fuzz_}"
for t in "${targets[@]}"; do
  corpus=$(mktemp -d)
  if [ -d "tests/fuzz/corpus/$t" ]; then cp -r "tests/fuzz/corpus/$t/." "$corpus/"; fi
  echo "fuzz_$t: ${fuzz_seconds}s"
  build-fuzz/bin/fuzz_"$t" "$corpus" -max_total_time="$fuzz_seconds" 2>&1 | tail -n 1
  rm -rf "$corpus"
done

cd build
ctest --output-on-failure -j2 --timeout 600
