#!/usr/bin/env bash
# Benchmark: memory of a 100 000-iteration step, with reports on.
#
#  One suite, one step `iterate: {range: "1..100000", as: i}` hitting a tiny local endpoint
#  (httpbin /status/200, empty body), run by `flowtest run` with the json report written (the
#  report streams its steps to disk, so memory must stay flat). Prints the peak RSS (target
#  < 64 MB) next to the floor: the peak RSS of the same suite with 1 iteration.
#
#   bench/iterate_memory.sh [BUILD_DIR] [ITERATIONS]
# It prints numbers, it does not fail on them: targets are shown as "ok" or "MISSED".
# Loopback only. Needs GNU time (/usr/bin/time -v).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build/release}"
build="$(cd "$build" 2>/dev/null && pwd || echo "$build")"  # absolute: the script changes directory
iterations="${2:-100000}"
flowtest="$build/src/cli/flowtest"
[ -x "$flowtest" ] || { echo "build first: scripts/build.sh ($flowtest missing)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time is missing (apt-get install time)" >&2; exit 2; }

work="$(mktemp -d)"
trap '"$root/scripts/httpbin.sh" stop "$work/httpbin" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
url="$("$root/scripts/httpbin.sh" start "$work/httpbin" --owner $$ --gunicorn --workers 2 --threads 4)"
echo "httpbin (gunicorn, 2 workers x 4 threads): $url"

suite() {  # suite N FILE: the iterate suite with N iterations
  cat >"$2" <<SUITE
suite_name: iterate memory
node_id: iterate_memory
base_url: "$url"
steps:
  - name: "status {{i}}"
    iterate: {range: "1..$1", as: i}
    request: {method: GET, url: "/status/200"}
    assert: {status_code: 200}
SUITE
}
suite "$iterations" "$work/many.yaml"
suite 1 "$work/one.yaml"

peak_kb() {  # peak_kb SUITE RESULTS_DIR: runs flowtest with the json report, prints max RSS (kB)
  local log="$work/time.log" status=0
  /usr/bin/time -v "$flowtest" run "$1" --silent --format json --output-dir "$2" \
    >/dev/null 2>"$log" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "flowtest failed on $1 (exit $status):" >&2
    tail -20 "$log" >&2
    "$flowtest" run "$1" --no-report 2>&1 | tail -20 >&2
    exit 1
  fi
  awk -F': ' '/Maximum resident set size/ {print $2}' "$log"
}

floor_kb=$(peak_kb "$work/one.yaml" "$work/results-one")
t0=$(date +%s%N)
peak=$(peak_kb "$work/many.yaml" "$work/results-many")
t1=$(date +%s%N)

report="$work/results-many/latest.json"
[ -s "$report" ] || { echo "no report written at $report" >&2; exit 1; }
report_mb=$(du -m "$report" | cut -f1)
reported=$(grep -c '"iteration": ' "$report" || true)

verdict() { awk -v v="$1" -v t="$2" 'BEGIN {print (v < t) ? "ok" : "MISSED"}'; }
peak_mb=$(awk -v k="$peak" 'BEGIN {printf "%.1f", k / 1024}')
floor_mb=$(awk -v k="$floor_kb" 'BEGIN {printf "%.1f", k / 1024}')
seconds=$(awk -v d=$((t1 - t0)) 'BEGIN {printf "%.1f", d / 1e9}')
echo
echo "one step iterating $iterations times, json report on:"
echo "  peak RSS                      ${peak_mb} MB   (target < 64 MB: $(verdict "$peak_mb" 64))"
echo "  floor: the same with 1 iteration  ${floor_mb} MB"
echo "  report: ${report_mb} MB, $reported iterations in it; run took ${seconds} s"
