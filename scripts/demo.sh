#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs a paper session on the bundled
# demo config (seeded synthetic data), then validates its evidence pack.
# Extra arguments are passed to `peak run` (e.g. --synthetic 1000000 --seed 7).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh >/dev/null
BUILD_DIR="${BUILD_DIR:-build/release}"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPEAK_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$BUILD_DIR" --target peak -j"$(nproc)" >/dev/null
out="${PEAK_RUNS_DIR:-runs}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$BUILD_DIR/apps/peak" run --mode paper --config config/paper_demo.toml --out "$out" "$@" | tee "$log"
pack=$(awk '/^  evidence /{print $2}' "$log" | tail -n 1)
if [ -n "$pack" ]; then
  "$BUILD_DIR/apps/peak" evidence validate "$pack"
fi
