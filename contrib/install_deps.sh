#!/usr/bin/env bash
# Installs every Debian package that building, running and testing Cairn needs.
# Idempotent: installs only what is missing, and runs `apt-get update` only then.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git
  libssl-dev libsecp256k1-dev libleveldb-dev libsnappy-dev libevent-dev
  nlohmann-json3-dev libboost-dev libboost-program-options-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libdnnl-dev
  python3 clang libclang-rt-14-dev
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install_deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install_deps: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
