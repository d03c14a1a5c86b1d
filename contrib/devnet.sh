#!/usr/bin/env bash
# The first README command: installs what is missing, builds, and starts cairnd on the local
# devnet in the foreground (Ctrl-C stops it cleanly). Extra arguments go to cairnd.
# Data directory: $HOME/.cairn/devnet (override with --datadir=DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
./contrib/install_deps.sh
./contrib/build.sh -DCAIRN_BUILD_TESTS=OFF -DCAIRN_BUILD_BENCH=OFF
echo
echo "Starting cairnd on devnet. In another terminal try:  build/bin/cairn-cli getblockchaininfo"
exec build/bin/cairnd --network=devnet --printtoconsole "$@"
