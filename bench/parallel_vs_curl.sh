#!/usr/bin/env bash
# Benchmark: parallel suites against the curl floor, in the same run, on the same machine.
#
#  64 suites x 20 GET steps (1 assertion each) against a local multi-threaded httpbin (gunicorn),
#  run by `flowtest run --parallel 16 DIR --no-report`, and the same 1280 URLs fetched by one
#  `curl --parallel --parallel-max 16` process. Prints both times (median of N rounds) and the
#  ratio (target <= 1.5).
#
#   bench/parallel_vs_curl.sh [BUILD_DIR] [ROUNDS]
# It prints ratios, it does not fail on them: targets are shown as "ok" or "MISSED".
# Loopback only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build/release}"
build="$(cd "$build" 2>/dev/null && pwd || echo "$build")"  # absolute: the script changes directory
rounds="${2:-5}"
flowtest="$build/src/cli/flowtest"
[ -x "$flowtest" ] || { echo "build first: scripts/build.sh ($flowtest missing)" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is missing (scripts/install-deps.sh)" >&2; exit 2; }
curl --help all 2>/dev/null | grep -q -- '--parallel-max' ||
  { echo "this curl has no --parallel-max (curl >= 7.66 needed)" >&2; exit 2; }
"$flowtest" run --help 2>&1 | grep -q -- '--parallel' ||
  { echo "this flowtest has no 'run --parallel N' yet" >&2; exit 2; }

suites=64
steps=20
parallel=16

work="$(mktemp -d)"
trap '"$root/scripts/httpbin.sh" stop "$work/httpbin" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
url="$("$root/scripts/httpbin.sh" start "$work/httpbin" --owner $$ --gunicorn --workers 2 --threads 16)"
echo "httpbin (gunicorn, 2 workers x 16 threads): $url"

mkdir -p "$work/suites"
: >"$work/curl.cfg"
for s in $(seq 1 "$suites"); do
  {
    echo "suite_name: \"parallel $s\""
    echo "node_id: p$s"
    echo "base_url: \"$url\""
    echo "steps:"
    for i in $(seq 1 "$steps"); do
      cat <<STEP
  - name: "get $s.$i"
    request: {method: GET, url: "/get?s=$s&i=$i"}
    assert: {status_code: 200}
STEP
    done
  } >"$work/suites/p$s.yaml"
  for i in $(seq 1 "$steps"); do
    printf 'url = "%s/get?s=%d&i=%d"\noutput = "/dev/null"\n' "$url" "$s" "$i" >>"$work/curl.cfg"
  done
done

now_ns() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_ms() {  # time_ms CMD...: wall time of one run in ms (3 decimals); fails when CMD fails
  local t0 t1
  t0=$(now_ns)
  "$@" >/dev/null 2>&1 || return 1
  t1=$(now_ns)
  awk -v d=$((t1 - t0)) 'BEGIN {printf "%.3f\n", d / 1e6}'
}
run_curl() { curl -s --no-progress-meter --parallel --parallel-max "$parallel" --config "$work/curl.cfg"; }
run_flowtest() {
  (cd "$work" && "$flowtest" run --parallel "$parallel" suites --silent --no-report)
}

# Warm up both (connections, page cache, gunicorn workers); the suites must pass.
run_curl >/dev/null 2>&1
run_flowtest >/dev/null || {
  echo "the benchmark suites failed:" >&2
  (cd "$work" && "$flowtest" run --parallel "$parallel" suites --no-report | tail -20) >&2
  exit 1
}

curl_times=() engine_times=()
for _ in $(seq 1 "$rounds"); do
  curl_times+=("$(time_ms run_curl)")
  engine_times+=("$(time_ms run_flowtest)")
done
curl_ms=$(printf '%s\n' "${curl_times[@]}" | median)
engine_ms=$(printf '%s\n' "${engine_times[@]}" | median)
sequential_ms=$(time_ms bash -c "cd '$work' && '$flowtest' run suites --silent --no-report")

verdict() { awk -v v="$1" -v t="$2" 'BEGIN {print (v <= t) ? "ok" : "MISSED"}'; }
ratio=$(awk -v a="$engine_ms" -v b="$curl_ms" 'BEGIN {printf "%.2f", a / b}')
speedup=$(awk -v a="$sequential_ms" -v b="$engine_ms" 'BEGIN {printf "%.1f", a / b}')
echo
echo "$suites suites x $steps GETs = $((suites * steps)) requests, $parallel at a time (median of $rounds rounds):"
printf '  curl floor (--parallel-max %d)            %9.1f ms\n' "$parallel" "$curl_ms"
printf '  flowtest run --parallel %d               %9.1f ms\n' "$parallel" "$engine_ms"
echo "  ratio flowtest / curl                      ${ratio}x   (target <= 1.50: $(verdict "$ratio" 1.50))"
printf '  flowtest run, one suite at a time (1 run) %9.1f ms  (parallel is %sx faster)\n' \
  "$sequential_ms" "$speedup"
