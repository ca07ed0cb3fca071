#!/usr/bin/env bash
# Benchmark: JavaScript and faker through the sandbox (docs/adr/0004), against floors measured in
# the same run on the same machine.
#
#  1-4. bench/js_sandbox_bench.cpp (flow_js_sandbox_bench, flowtest as the helper): the cost of
#       one `{{js: a + b * 2}}` and one `{{$faker.person.firstName}}` render through a real
#       session (median and p90, target < 50 µs each) next to a plain `{{a}}` render; the start of
#       a helper process and a fresh global on a warm pool (medians, target < 10 ms each), with
#       the parts of each.
#  5.   A 200-step sequential suite of GETs against a local httpbin where every step has a
#       `{{js: …}}` query parameter and a faker header, against the same suite with literal
#       values (both check what httpbin received). Median of ROUNDS alternating rounds of
#       `flowtest run FILE --no-report --silent`; prints both times and the ratio (target <= 1.5),
#       the fixed part of the difference (the same two suites cut to 1 step: the helper start),
#       and the CPU time of flowtest and its helper, whole and per further step.
#
#   bench/js_sandbox.sh [BUILD_DIR] [ROUNDS]
# Builds nothing (`ninja -C BUILD_DIR flowtest flow_js_sandbox_bench` first). It prints numbers,
# it does not fail on them: targets are shown as "ok" or "MISSED".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build/release}"
build="$(cd "$build" 2>/dev/null && pwd || echo "$build")"  # absolute: the script changes directory
rounds="${2:-7}"
flowtest="$build/src/cli/flowtest"
bench="$build/bench/flow_js_sandbox_bench"
[ -x "$flowtest" ] || { echo "build first: scripts/build.sh ($flowtest missing)" >&2; exit 2; }
[ -x "$bench" ] || {
  echo "build first: ninja -C $build flow_js_sandbox_bench ($bench missing;" \
    "it needs FLOW_BUILD_BENCH=ON)" >&2
  exit 2
}
[ "$rounds" -ge 5 ] 2>/dev/null || { echo "ROUNDS must be a number >= 5" >&2; exit 2; }

work="$(mktemp -d)"
trap '"$root/scripts/httpbin.sh" stop "$work/httpbin" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
url="$("$root/scripts/httpbin.sh" start "$work/httpbin" --owner $$ --gunicorn --workers 2 --threads 8)"
echo "httpbin (gunicorn, 2 workers x 8 threads): $url"
echo

# 1-4, with the helper executable flowtest itself starts: flowtest-sandbox beside it, else itself.
helper="$build/src/cli/flowtest-sandbox"
[ -x "$helper" ] || helper="$flowtest"
echo "helper executable: $helper"
"$bench" "$helper"

# 5. The same 200 steps with and without JavaScript and faker: `n` is base * i + 1 and the header
# a capitalised name in both, and both suites check that httpbin received them.
steps=200
suite() {  # suite NAME JS(0|1) [STEPS]
  echo "suite_name: $1"
  echo "node_id: $1"
  echo "base_url: \"$url\""
  echo "variables: {base: 3}"
  echo "steps:"
  local i n param header
  for i in $(seq 1 "${3:-$steps}"); do
    n=$((3 * i + 1))
    if [ "$2" = 1 ]; then
      # shellcheck disable=SC2016  # the faker template is literal text for flowtest
      param="\"{{js: base * $i + 1}}\"" header='"{{$faker.person.firstName}}"'
    else
      param="\"$n\"" header='"Ana"'
    fi
    cat <<STEP
  - name: "get $i"
    request:
      method: GET
      url: "/get?i=$i"
      params: {n: $param}
      headers: {Xname: $header}
    assert:
      status_code: 200
      body: {args.i: {equals: "$i"}, args.n: {equals: "$n"}, headers.Xname: {regex: "^[A-Z]"}}
    capture: {last: body.args.i}
STEP
  done
}
suite plain 0 >"$work/plain.yaml"
suite js 1 >"$work/js.yaml"
suite plain1 0 1 >"$work/plain1.yaml"
suite js1 1 1 >"$work/js1.yaml"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() {  # run FILE: "WALL_MS CPU_MS" of one `flowtest run FILE`; CPU = user + sys of flowtest and
  # its helper processes: the children reaped by this subshell, read with `times` into a file
  # (a pipe or $(...) would fork and see none); $EPOCHREALTIME starts no process either.
  local t0 t1
  t0=$EPOCHREALTIME
  "$flowtest" run "$1" --no-report --silent >/dev/null 2>&1
  t1=$EPOCHREALTIME
  times >"$work/times"
  awk -v t0="$t0" -v t1="$t1" 'NR == 2 {
    split($1, u, /[ms]/); split($2, s, /[ms]/)
    printf "%.3f %.3f\n", (t1 - t0) * 1000, (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000 }' \
    "$work/times"
}

# Warm up (connections, page cache, gunicorn workers); every suite must pass.
for s in plain js plain1 js1; do
  "$flowtest" run "$work/$s.yaml" --no-report --silent >/dev/null 2>&1 || {
    echo "the $s benchmark suite failed:" >&2
    "$flowtest" run "$work/$s.yaml" --no-report 2>&1 | tail -20 >&2
    exit 1
  }
done

declare -A wall cpu
for _ in $(seq 1 "$rounds"); do
  for s in plain js plain1 js1; do
    read -r w c < <(run "$work/$s.yaml")
    wall[$s]+="$w "
    cpu[$s]+="$c "
  done
done
# shellcheck disable=SC2086  # the list is split on purpose
med() { printf '%s\n' $1 | median; }  # med "LIST": the median of a space-separated list
plain_ms=$(med "${wall[plain]}") js_ms=$(med "${wall[js]}")
plain1_ms=$(med "${wall[plain1]}") js1_ms=$(med "${wall[js1]}")
plain_cpu=$(med "${cpu[plain]}") js_cpu=$(med "${cpu[js]}")
plain1_cpu=$(med "${cpu[plain1]}") js1_cpu=$(med "${cpu[js1]}")
ratio=$(awk -v a="$js_ms" -v b="$plain_ms" 'BEGIN {printf "%.2f", a / b}')
fixed_ms=$(awk -v a="$js1_ms" -v b="$plain1_ms" 'BEGIN {printf "%.1f", a - b}')
fixed_cpu=$(awk -v a="$js1_cpu" -v b="$plain1_cpu" 'BEGIN {printf "%.1f", a - b}')
step_cpu_us=$(awk -v a="$js_cpu" -v b="$plain_cpu" -v f="$fixed_cpu" -v n="$steps" \
  'BEGIN {printf "%.1f", (a - b - f) * 1000 / (n - 1)}')
verdict() { awk -v v="$1" -v t="$2" 'BEGIN {print (v <= t) ? "ok" : "MISSED"}'; }

echo
echo "200 sequential GETs, whole flowtest run (median of $rounds alternating rounds):"
printf '  %-40s %9.1f ms\n' "floor: literal query parameter and header" "$plain_ms"
printf '  %-40s %9.1f ms\n' "{{js: ...}} parameter + faker header" "$js_ms"
printf '  %-40s %9sx   (target <= 1.50: %s)\n' "ratio js / floor" "$ratio" \
  "$(verdict "$ratio" 1.50)"
printf '  %-40s %9.1f ms   (1-step suites: %.1f ms js, %.1f ms floor)\n' \
  "of the difference: fixed per run" "$fixed_ms" "$js1_ms" "$plain1_ms"
echo "CPU time, flowtest + its helper (user + sys, medians):"
printf '  %-40s %9.1f ms   (js %.1f ms, floor %.1f ms)\n' "200 steps: js - floor" "$(awk -v a="$js_cpu" \
  -v b="$plain_cpu" 'BEGIN {print a - b}')" "$js_cpu" "$plain_cpu"
printf '  %-40s %9.1f ms   (1-step suites: js %.1f ms, floor %.1f ms)\n' \
  "of it: fixed per run" "$fixed_cpu" "$js1_cpu" "$plain1_cpu"
printf '  %-40s %9.1f µs   (one js + one faker render, both processes)\n' \
  "        per further step" "$step_cpu_us"
