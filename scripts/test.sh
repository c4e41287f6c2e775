#!/usr/bin/env bash
# Builds everything (including benchmarks) and runs the whole test suite through CTest,
# including a quick pass of every benchmark (labels bench;smoke). Used by README and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache: paths relative to the checkout, so clones in other folders share its cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(pwd)}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
./scripts/install-deps.sh
BUILD_DIR="${BUILD_DIR:-build/dev}"
t0=$(date +%s)
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
t1=$(date +%s)
echo "test.sh: configure + build took $((t1 - t0)) s on $(nproc) cores"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$(nproc)" --timeout 300
echo "test.sh: tests took $(($(date +%s) - t1)) s"
