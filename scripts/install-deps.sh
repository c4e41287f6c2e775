#!/usr/bin/env bash
# Installs exactly the Debian 12 packages that the build, the tests and the demo need.
# Idempotent: packages already present are left alone; safe to run again.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache git pkg-config
  # libraries
  libcaf-dev libconcurrentqueue-dev libsimdjson-dev prometheus-cpp-dev libspdlog-dev
  libfmt-dev libtomlplusplus-dev libcli11-dev libsqlite3-dev libssl-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev python3 r-cran-ttr
  # Prometheus server and promtool (observability integration and rule tests)
  prometheus
)
# clang-tidy for scripts/check-tidy.sh (about 150 MB with its LLVM): only when asked for,
# with PEAK_TIDY=1 (.ci/run's optional tidy step) or --tidy.
if [ "${PEAK_TIDY:-0}" = 1 ] || [ "${1:-}" = --tidy ]; then
  PACKAGES+=(clang-tidy-14)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
