#!/usr/bin/env bash
# Benchmark: flowtest against the curl floor, in the same run, on the same machine.
#
#  1. A 200-step sequential suite (GET, 2 assertions, 1 capture per step) against a local
#     multi-threaded httpbin (gunicorn), and one `curl` process fetching the same 200 URLs over
#     one reused connection. Prints both times (median of N runs) and the ratio (target <= 1.3).
#  2. Startup: a whole `flowtest run` process on a 1-step suite (target < 30 ms).
#  3. Peak RSS of the 200-step run (target < 30 MB).
#  4. The run history: the same 200-step run recording into an SQLite file (docs/history.md)
#     against the run with --no-history, alternated in the same loop (target ratio <= 1.1), over
#     HISTORY_RUNS pairs (default 101: the ratio sought is a few percent, the VM's noise more).
#
#   [HISTORY_RUNS=N] bench/engine_vs_curl.sh [BUILD_DIR] [RUNS]
# It prints ratios, it does not fail on them: targets are shown as "ok" or "MISSED".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build/release}"
build="$(cd "$build" 2>/dev/null && pwd || echo "$build")"  # absolute: the script changes directory
runs="${2:-15}"
history_runs="${HISTORY_RUNS:-101}"
flowtest="$build/src/cli/flowtest"
[ -x "$flowtest" ] || { echo "build first: scripts/build.sh ($flowtest missing)" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is missing (scripts/install-deps.sh)" >&2; exit 2; }

work="$(mktemp -d)"
trap '"$root/scripts/httpbin.sh" stop "$work/httpbin" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
url="$("$root/scripts/httpbin.sh" start "$work/httpbin" --owner $$ --gunicorn --workers 2 --threads 8)"
echo "httpbin (gunicorn, 2 workers x 8 threads): $url"

steps=200
{
  echo "suite_name: bench"
  echo "node_id: bench"
  echo "base_url: \"$url\""
  echo "steps:"
  for i in $(seq 1 "$steps"); do
    cat <<STEP
  - name: "get $i"
    request: {method: GET, url: "/get?i=$i"}
    assert:
      status_code: 200
      body: {args.i: {equals: "$i"}}
    capture: {last: body.args.i}
STEP
  done
} >"$work/suite.yaml"
{
  echo "suite_name: startup"
  echo "node_id: startup"
  echo "steps:"
  echo "  - name: one"
  echo "    request: {method: GET, url: \"$url/get\"}"
  echo "    assert: {status_code: 200}"
} >"$work/one.yaml"
: >"$work/curl.cfg"
for i in $(seq 1 "$steps"); do
  printf 'url = "%s/get?i=%d"\noutput = "/dev/null"\n' "$url" "$i" >>"$work/curl.cfg"
done

now_ns() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_ms() {  # time_ms CMD...: wall time of one run in ms (3 decimals)
  local t0 t1
  t0=$(now_ns)
  "$@" >/dev/null 2>&1
  t1=$(now_ns)
  awk -v d=$((t1 - t0)) 'BEGIN {printf "%.3f\n", d / 1e6}'
}

# Warm up both (connections, page cache, gunicorn workers).
curl -s --config "$work/curl.cfg" >/dev/null
"$flowtest" run "$work/suite.yaml" --silent --no-report --no-history >/dev/null || {
  echo "the benchmark suite failed:" >&2
  "$flowtest" run "$work/suite.yaml" --no-report --no-history | tail -20 >&2
  exit 1
}
history_db="$work/history.db"
"$flowtest" run "$work/suite.yaml" --no-report --database "$history_db" 2>&1 | grep -q '^history: ' || {
  echo "the benchmark run did not record its history:" >&2
  "$flowtest" run "$work/suite.yaml" --no-report --database "$history_db" | tail -5 >&2
  exit 1
}

curl_times=() engine_times=() startup_times=() history_times=()
for _ in $(seq 1 "$runs"); do
  curl_times+=("$(time_ms curl -s --config "$work/curl.cfg")")
  engine_times+=("$(time_ms "$flowtest" run "$work/suite.yaml" --silent --no-report --no-history)")
  history_times+=("$(time_ms "$flowtest" run "$work/suite.yaml" --silent --no-report --database "$history_db")")
done
# More alternated pairs for the history's ratio (the first RUNS are those above).
history_off_times=("${engine_times[@]}")
for _ in $(seq $((runs + 1)) "$history_runs"); do
  history_off_times+=("$(time_ms "$flowtest" run "$work/suite.yaml" --silent --no-report --no-history)")
  history_times+=("$(time_ms "$flowtest" run "$work/suite.yaml" --silent --no-report --database "$history_db")")
done
history_pairs=${#history_times[@]}
for _ in $(seq 1 $((runs * 2))); do
  startup_times+=("$(time_ms "$flowtest" run "$work/one.yaml" --silent --no-report --no-history)")
done
curl_ms=$(printf '%s\n' "${curl_times[@]}" | median)
engine_ms=$(printf '%s\n' "${engine_times[@]}" | median)
history_ms=$(printf '%s\n' "${history_times[@]}" | median)
history_off_ms=$(printf '%s\n' "${history_off_times[@]}" | median)
startup_ms=$(printf '%s\n' "${startup_times[@]}" | median)
rss_kb=$(/usr/bin/time -f '%M' "$flowtest" run "$work/suite.yaml" --silent --no-report --no-history 2>&1 >/dev/null | tail -n1)
curl_rss_kb=$(/usr/bin/time -f '%M' curl -s --config "$work/curl.cfg" 2>&1 >/dev/null | tail -n1)

verdict() { awk -v v="$1" -v t="$2" 'BEGIN {print (v <= t) ? "ok" : "MISSED"}'; }
ratio=$(awk -v a="$engine_ms" -v b="$curl_ms" 'BEGIN {printf "%.2f", a / b}')
history_ratio=$(awk -v a="$history_ms" -v b="$history_off_ms" 'BEGIN {printf "%.2f", a / b}')
# The same from each alternated pair (on after off), less sensitive to the machine drifting.
pair_ratio=$(for i in "${!history_times[@]}"; do
  awk -v a="${history_times[$i]}" -v b="${history_off_times[$i]}" 'BEGIN {printf "%.4f\n", a / b}'
done | median)
pair_ratio=$(awk -v r="$pair_ratio" 'BEGIN {printf "%.2f", r}')
rss_mb=$(awk -v k="$rss_kb" 'BEGIN {printf "%.1f", k / 1024}')
curl_rss_mb=$(awk -v k="$curl_rss_kb" 'BEGIN {printf "%.1f", k / 1024}')
echo
echo "200 sequential GETs (median of $runs runs):"
printf '  curl floor (1 process, reused connection) %9.1f ms\n' "$curl_ms"
printf '  flowtest run (2 assertions + 1 capture)   %9.1f ms\n' "$engine_ms"
echo "  ratio flowtest / curl                      ${ratio}x   (target <= 1.30: $(verdict "$ratio" 1.30))"
printf 'startup, whole process, 1-step suite        %9.1f ms  (target < 30 ms: %s)\n' "$startup_ms" "$(verdict "$startup_ms" 30)"
echo "peak RSS, 200-step run                       ${rss_mb} MB  (curl: ${curl_rss_mb} MB; target < 30 MB: $(verdict "$rss_mb" 30))"
echo
echo "run history, the same 200-step run (median of $history_pairs runs, alternated):"
printf '  history off (--no-history)                %9.1f ms\n' "$history_off_ms"
printf '  history on (SQLite file)                  %9.1f ms\n' "$history_ms"
echo "  ratio on / off                             ${history_ratio}x   (target <= 1.10: $(verdict "$history_ratio" 1.10))"
echo "  median of the $history_pairs pairs' ratios             ${pair_ratio}x"
