#!/usr/bin/env bash
# Runs the same seeded paper session with two peak binaries (before/after a change to hashing
# or formatting) and checks the packs agree: `peak evidence compare`, every file's SHA-256 in
# manifest.json, and each binary's validator accepting the other's pack.
# Usage: scripts/check-pack-hashes.sh BEFORE_PEAK AFTER_PEAK [EVENTS] [SEED]
# Exit 0 identical, 1 different, 2 bad usage.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 BEFORE_PEAK AFTER_PEAK [EVENTS] [SEED]" >&2; exit 2; }
before=$1 after=$2 events=${3:-200000} seed=${4:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() { "$1" run --mode paper --synthetic "$events" --seed "$seed" --engine reference \
  --out "$work/$2" >/dev/null; ls -d "$work/$2"/paper-*; }
a=$(run "$before" before)
b=$(run "$after" after)
status=0
"$after" evidence compare "$a" "$b" || status=1
"$before" evidence validate "$b" >/dev/null || { echo "before's validator rejects after's pack"; status=1; }
"$after" evidence validate "$a" >/dev/null || { echo "after's validator rejects before's pack"; status=1; }
# File hashes in both manifests; run_manifest.json and metrics.json carry wall-clock fields.
files() { python3 -c 'import json,sys
for f in json.load(open(sys.argv[1]))["files"]: print(f["path"], f["size"], f["sha256"])' "$1"; }
skip='^(run_manifest|metrics)\.json '
if diff <(files "$a/manifest.json" | grep -Ev "$skip") <(files "$b/manifest.json" | grep -Ev "$skip"); then
  echo "manifest.json file hashes identical (run_manifest.json, metrics.json: wall clock)"
else
  status=1
fi
exit $status
