#!/usr/bin/env bash
# Conventions that check themselves (CONVENTIONS #1, #10, #14); fast, no build needed.
#   1. CAF headers (<caf/...>) only in actors/ (and its tests, tests/actors/).
#   2. No clock reads, no sleeps and no OS randomness (random_device, /dev/urandom, rand())
#      in the decision cores (marketdata, strategy, risk, broker, evidence): decisions run on
#      event time and seeded generators (DESIGN §2). Exceptions, each with a reason, are
#      listed in scripts/layering-allowlist.txt.
# Self-contained headers (#10) need a compiler: cmake -DPEAK_CHECK_HEADERS=ON, then build the
# `check-headers` target (cmake/PeakHeaderCheck.cmake); .ci/run does both.
# Exit 0 when clean, 1 with each violation as file:line: rule: text.
set -euo pipefail
cd "$(dirname "$0")/.."
ALLOWLIST=scripts/layering-allowlist.txt
CORES=(marketdata strategy risk broker evidence)

# Tracked sources in a checkout (CI uses a clean clone); everything but build trees otherwise.
list_sources() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files --cached --others --exclude-standard -- "$@" |
      grep -E '\.(hpp|cpp|h|cc|ipp)$' || true
  else
    find "$@" -type f \( -name '*.hpp' -o -name '*.cpp' -o -name '*.h' -o -name '*.cc' -o -name '*.ipp' \) \
      -not -path '*/build/*' 2>/dev/null || true
  fi
}

# Prints "file:line:code" with comments blanked out (// to end of line; /* */ on one line and
# the lines of block comments), so a comment may name a forbidden call.
strip_comments() {
  awk '{
    line = $0
    out = ""
    while (length(line) > 0) {
      if (in_block) {
        e = index(line, "*/")
        if (e == 0) { line = ""; break }
        line = substr(line, e + 2); in_block = 0
        continue
      }
      s = index(line, "/*"); c = index(line, "//")
      if (c > 0 && (s == 0 || c < s)) { out = out substr(line, 1, c - 1); line = ""; break }
      if (s > 0) { out = out substr(line, 1, s - 1); line = substr(line, s + 2); in_block = 1; continue }
      out = out line; line = ""
    }
    printf "%s:%d:%s\n", FILENAME, FNR, out
  }' "$@"
}

violations=0
report() {  # rule, "file:line:text"
  echo "$2" | sed -E "s/^([^:]+:[0-9]+):[[:space:]]*/\1: $1: /"
  violations=$((violations + 1))
}

# 1. CAF only in actors/.
caf_files=()
while IFS= read -r f; do
  case "$f" in actors/* | tests/actors/*) ;; *) caf_files+=("$f") ;; esac
done < <(list_sources .)
caf_hits=0
if [ ${#caf_files[@]} -gt 0 ]; then
  while IFS= read -r hit; do
    [ -n "$hit" ] || continue
    report "caf-outside-actors" "$hit"
    caf_hits=$((caf_hits + 1))
  done < <(strip_comments "${caf_files[@]}" | grep -E '^[^:]+:[0-9]+:[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]caf/' || true)
fi
echo "check-layering: CAF headers outside actors/: ${caf_hits} (${#caf_files[@]} files)"

# 2. Clock reads and sleeps in the decision cores.
clock_re='clock::now|clock_gettime|gettimeofday|(^|[^_[:alnum:].>])time[[:space:]]*\(|steady_now_ns|system_clock|high_resolution_clock|__rdtsc|rdtsc\('
sleep_re='sleep_for|sleep_until|usleep|nanosleep|(^|[^_[:alnum:]])sleep[[:space:]]*\('
random_re='random_device|/dev/u?random|getrandom|getentropy|arc4random|(^|[^_[:alnum:].>])s?rand[[:space:]]*\('
declare -A allowed=() used=()
while read -r path rule reason; do
  case "$path" in '' | '#'*) continue ;; esac
  if [ -z "${reason:-}" ] || { [ "$rule" != clock ] && [ "$rule" != sleep ] && [ "$rule" != random ]; }; then
    echo "$ALLOWLIST: bad entry '$path $rule': needs <path> <clock|sleep|random> <reason>" >&2
    exit 2
  fi
  allowed["$path $rule"]=1
done < "$ALLOWLIST"

mapfile -t core_files < <(list_sources "${CORES[@]}")
core_hits=0
allowed_hits=0
if [ ${#core_files[@]} -gt 0 ]; then
  stripped=$(strip_comments "${core_files[@]}")
  for rule in clock sleep random; do
    case "$rule" in clock) re=$clock_re ;; sleep) re=$sleep_re ;; random) re=$random_re ;; esac
    while IFS= read -r hit; do
      [ -n "$hit" ] || continue
      file=${hit%%:*}
      if [ -n "${allowed["$file $rule"]:-}" ]; then
        used["$file $rule"]=1
        allowed_hits=$((allowed_hits + 1))
        continue
      fi
      report "$rule-in-decision-core" "$hit"
      core_hits=$((core_hits + 1))
    done < <(echo "$stripped" | grep -E "^[^:]+:[0-9]+:.*(${re})" || true)
  done
fi
for key in "${!allowed[@]}"; do
  [ -n "${used[$key]:-}" ] || echo "check-layering: note: stale allowlist entry '$key' (no longer needed: remove it)"
done
echo "check-layering: clock reads, sleeps, OS randomness in ${CORES[*]}: ${core_hits} (${#core_files[@]} files; ${allowed_hits} allowlisted in $ALLOWLIST)"

if [ "$violations" -gt 0 ]; then
  echo "check-layering: FAILED, $violations violations"
  exit 1
fi
echo "check-layering: OK"
