#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds (normal, and ASan+UBSan for the unit
# tests), starts the services the tests need on loopback (httpbin, a throwaway PostgreSQL
# cluster), runs ctest in both builds (every test, then the unit tests under the sanitizers).
# Prints a closing line "tests: N passed, N failed". Exit status 0 only if every test passed.
#
# FLOW_REQUIRE_SERVICES=1 makes a missing service a failure instead of a skip (CI sets it), and
# FLOW_REQUIRE_SHARED=1 does the same for the ../shared conformance data.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-deps.sh"

echo "== build (RelWithDebInfo)"
"$root/scripts/build.sh" "$root/build/release"
echo "== build (ASan + UBSan, unit tests only)"
# -O1 -g1: what ASan's stack traces need, compiled in far less time than -O2 -g.
FLOW_BUILD_TARGETS=flow_unit_tests \
  "$root/scripts/build.sh" "$root/build/asan" -DFLOW_SANITIZE=ON -DFLOW_BUILD_BENCH=OFF \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"

state="$(mktemp -d)"
stop_services() {
  "$root/scripts/httpbin.sh" stop "$state" >/dev/null 2>&1 || true
  "$root/scripts/postgres.sh" stop "$state" >/dev/null 2>&1 || true
  rm -rf "$state"
}
trap stop_services EXIT
if url="$("$root/scripts/httpbin.sh" start "$state" --owner $$)"; then
  export FLOW_HTTPBIN_URL="$url"
  echo "== httpbin at $url"
else
  echo "== httpbin could not start: tests that need it will skip (or fail when required)"
fi
if url="$("$root/scripts/postgres.sh" start "$state")"; then
  export FLOW_PG_URL="$url"
  echo "== PostgreSQL at $url"
else
  echo "== PostgreSQL could not start: the storage tests on it will skip (or fail when required)"
fi

passed=0
failed=0
run_ctest() {  # run_ctest NAME BUILD_DIR [ctest args...]
  local name="$1" dir="$2" log
  shift 2
  log="$(mktemp)"
  echo "== ctest: $name"
  set +e
  ctest --test-dir "$dir" --output-on-failure -j "$(nproc)" "$@" 2>&1 | tee "$log"
  set -e
  local summary total bad
  summary="$(grep -E '^[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -n1 || true)"
  if [ -z "$summary" ]; then
    echo "ctest ($name) printed no summary" >&2
    failed=$((failed + 1))
  else
    bad="$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$summary")"
    total="$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$summary")"
    passed=$((passed + total - bad))
    failed=$((failed + bad))
  fi
  rm -f "$log"
}

run_ctest "all tests" "$root/build/release"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
run_ctest "unit tests under ASan+UBSan" "$root/build/asan" -L unit

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
