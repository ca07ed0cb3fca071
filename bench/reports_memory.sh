#!/usr/bin/env bash
# Benchmark: peak memory and time of a 100 000-step run with every report on.
#
#  1. One step `iterate: {range: "1..100000", as: i}` hitting a tiny local endpoint (httpbin
#     /status/200, empty body): 100 000 step results.
#  2. 100 suites of 1 000 steps each, the same request: 100 000 top-level steps.
#  Each runs three ways, `flowtest run` with:
#   - every format (json, junit, html, qa) and --live-events;
#   - the json report only;
#   - no report at all (--no-report): the floor of the run itself.
#  The reports stream to disk (docs/reports.md), so the peak RSS must stay flat: it is printed
#  for each, with the target (< 64 MB) for the all-formats runs, and next to the floor of the same
#  workload cut to 1 step (1 iteration; 1 suite of 1 step).
#
#   bench/reports_memory.sh [BUILD_DIR] [STEPS]
# It prints numbers, it does not fail on them: targets are shown as "ok" or "MISSED".
# Loopback only. Needs GNU time (/usr/bin/time -v).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build/release}"
build="$(cd "$build" 2>/dev/null && pwd || echo "$build")"  # absolute: the script changes directory
steps="${2:-100000}"
flowtest="$build/src/cli/flowtest"
[ -x "$flowtest" ] || { echo "build first: scripts/build.sh ($flowtest missing)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time is missing (apt-get install time)" >&2; exit 2; }
[ "$steps" -ge 1000 ] 2>/dev/null || { echo "STEPS must be a number >= 1000" >&2; exit 2; }

work="$(mktemp -d)"
trap '"$root/scripts/httpbin.sh" stop "$work/httpbin" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
url="$("$root/scripts/httpbin.sh" start "$work/httpbin" --owner $$ --gunicorn --workers 2 --threads 4)"
echo "httpbin (gunicorn, 2 workers x 4 threads): $url"

iterate_suite() {  # iterate_suite N FILE: one step iterating N times
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
suites_dir() {  # suites_dir SUITES STEPS DIR: SUITES suites of STEPS steps each
  mkdir -p "$3"
  local s i
  for s in $(seq 1 "$1"); do
    {
      echo "suite_name: suite $s"
      echo "node_id: suite_$s"
      echo "base_url: \"$url\""
      echo "steps:"
      for i in $(seq 1 "$2"); do
        printf '  - name: "step %s"\n    request: {method: GET, url: /status/200}\n' "$i"
        printf '    assert: {status_code: 200}\n'
      done
    } >"$3/suite_$s.yaml"
  done
}
iterate_suite "$steps" "$work/iterate.yaml"
iterate_suite 1 "$work/iterate1.yaml"
suites_dir 100 $((steps / 100)) "$work/suites"
suites_dir 1 1 "$work/suites1"

run() {  # run TARGET MODE: prints "PEAK_KB SECONDS"; MODE is all, json or none
  local log="$work/time.log" status=0 out="$work/results-$RANDOM" flags
  case "$2" in
    all) flags=(--format json,junit,html,qa --live-events --output-dir "$out") ;;
    json) flags=(--format json --output-dir "$out") ;;
    none) flags=(--no-report) ;;
  esac
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -v "$flowtest" run "$1" --silent "${flags[@]}" >/dev/null 2>"$log" || status=$?
  t1=$(date +%s%N)
  if [ "$status" -ne 0 ]; then
    echo "flowtest failed on $1 (exit $status):" >&2
    tail -20 "$log" >&2
    exit 1
  fi
  if [ "$2" = all ]; then
    for f in latest.json latest-qa.json latest-junit.xml html/latest.html live-events.jsonl; do
      [ -s "$out/$f" ] || { echo "no $f written for $1" >&2; exit 1; }
    done
    du -sm "$out" | cut -f1 >"$work/last-size"
  fi
  rm -rf "$out"
  awk -F': ' -v d=$((t1 - t0)) '/Maximum resident set size/ {printf "%s %.1f\n", $2, d / 1e9}' "$log"
}

mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN {print (v < t) ? "ok" : "MISSED"}'; }

report() {  # report TITLE TARGET FLOOR_TARGET
  local floor all json none size
  read -r floor _ < <(run "$3" all)
  read -r all all_s < <(run "$2" all)
  size=$(cat "$work/last-size")
  read -r json json_s < <(run "$2" json)
  read -r none none_s < <(run "$2" none)
  echo
  echo "$1:"
  printf '  %-46s %7s MB  %6s s   (target < 64 MB: %s; %s MB of reports)\n' \
    "every format + live events, peak RSS" "$(mb "$all")" "$all_s" "$(verdict "$(mb "$all")" 64)" "$size"
  printf '  %-46s %7s MB  %6s s\n' "json report only" "$(mb "$json")" "$json_s"
  printf '  %-46s %7s MB  %6s s\n' "no report (the run itself)" "$(mb "$none")" "$none_s"
  printf '  %-46s %7s MB\n' "floor: the same cut to 1 step, every format" "$(mb "$floor")"
}

report "one step iterating $steps times" "$work/iterate.yaml" "$work/iterate1.yaml"
report "100 suites x $((steps / 100)) steps" "$work/suites" "$work/suites1"
