#!/usr/bin/env bash
# clang-tidy (14, Debian 12) over the product code with the repository's .clang-tidy:
# every translation unit of the libraries and apps, not tests/, bench/*_bench.cpp or fuzz/.
# Exits 1 when there is any finding, 2 when it cannot run. Prints the findings (each once,
# also when a header is reached from several files) and a count per check.
#
#   scripts/check-tidy.sh                 # the whole product tree
#   scripts/check-tidy.sh risk broker     # only files under these folders (or these files)
#   JOBS=2 BUILD_DIR=build/dev scripts/check-tidy.sh
#   TIDY_CHECKS=bugprone-branch-clone scripts/check-tidy.sh   # try a check (added to .clang-tidy's)
#
# Needs a configured build directory (compile_commands.json; `cmake --preset dev`). The build
# uses GCC: GCC-only flags (-mmemset-strategy, GCC precompiled headers, warning flags) are
# dropped from a filtered copy of the compilation database before clang-tidy reads it;
# compiler warnings are the compiler's job, this check is about the tidy checks only.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD_DIR="${BUILD_DIR:-build/dev}"
JOBS="${JOBS:-$(nproc)}"
TIDY="${CLANG_TIDY:-clang-tidy-14}"
TIDY_CHECKS="${TIDY_CHECKS:-}"

command -v "$TIDY" >/dev/null || { echo "check-tidy: $TIDY not found (apt-get install clang-tidy-14)" >&2; exit 2; }
[ -f "$BUILD_DIR/compile_commands.json" ] || { echo "check-tidy: no $BUILD_DIR/compile_commands.json (configure first)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Filtered database and the list of product files (optionally restricted to the arguments).
python3 - "$ROOT" "$BUILD_DIR/compile_commands.json" "$work" "$@" <<'EOF'
import json, os, shlex, sys
root, db_path, work, *only = sys.argv[1:]
only = [os.path.normpath(os.path.join(root, o)) for o in only]
excluded = ("tests/", "fuzz/", "build/")
out, files = [], []
for e in json.load(open(db_path)):
    f = os.path.normpath(os.path.join(e["directory"], e["file"]))
    rel = os.path.relpath(f, root)
    if rel.startswith("..") or rel.startswith(excluded):
        continue
    if rel.startswith("bench/") and not rel.startswith("bench/pipeline/"):
        continue  # benchmarks are not product code; the pipeline harness is (`peak bench`)
    if only and not any(f == o or f.startswith(o + os.sep) for o in only):
        continue
    args = e["arguments"] if "arguments" in e else shlex.split(e["command"])
    kept, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a == "-include" :  # GCC precompiled header (cmake_pch.hxx): clang cannot read it
            skip = True
            continue
        if a.startswith(("-W", "-mmemset-strategy", "-fno-sanitize-recover", "-Winvalid-pch")):
            continue
        kept.append(a)
    out.append({"directory": e["directory"], "file": f, "arguments": kept})
    files.append(f)
json.dump(out, open(os.path.join(work, "compile_commands.json"), "w"))
open(os.path.join(work, "files"), "w").write("\n".join(sorted(set(files))) + ("\n" if files else ""))
EOF

n=$(wc -l < "$work/files")
if [ "$n" -eq 0 ]; then
  echo "check-tidy: no product files matched" >&2
  exit 2
fi
folders='actors|apps|bench|broker|config|engine|evidence|infra|marketdata|messages|observability|risk|session|strategy'
header_filter="^${ROOT}/(${folders})/"
echo "check-tidy: $TIDY over $n files, $JOBS jobs"
t0=$(date +%s)
# One output file per translation unit; clang-tidy's own exit code is ignored (findings are
# counted below), but a file that fails to parse shows up as a clang-diagnostic-error.
set +e
xargs -a "$work/files" -P "$JOBS" -I{} sh -c \
  'out="$1/$(echo "$4" | tr / _).log"; "$2" -p "$1" --quiet --header-filter="$3" ${5:+--checks="$5"} --extra-arg=-Wno-unknown-warning-option "$4" >"$out" 2>&1' \
  _ "$work" "$TIDY" "$header_filter" {} "$TIDY_CHECKS"
set -e

# Findings: "path:line:col: warning|error: text [check]"; a header's finding is reported by
# every file that includes it: keep each once.
cat "$work"/*.log | grep -E '^/.*:[0-9]+:[0-9]+: (warning|error): ' | sort -u > "$work/findings" || true
count=$(wc -l < "$work/findings")
secs=$(( $(date +%s) - t0 ))
if [ "$count" -eq 0 ]; then
  echo "check-tidy: clean ($n files, ${secs} s)"
  exit 0
fi
sed "s|^${ROOT}/||" "$work/findings"
echo "check-tidy: $count findings in $n files (${secs} s), by check:"
sed -E 's/.*\[([^]]+)\]$/\1/' "$work/findings" | sort | uniq -c | sort -rn
echo "check-tidy: by folder:"
sed -E "s|^${ROOT}/([^/]+)/.*|\1|" "$work/findings" | sort | uniq -c | sort -rn
exit 1
