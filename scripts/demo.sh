#!/usr/bin/env bash
# The demo: installs what is missing, builds flowtest, starts a local httpbin, runs the example
# suites in examples/ on the embedded defaults, and writes the reports (results/: latest.json,
# latest-junit.xml, latest-qa.json, html/latest.html), and lists the runs recorded in the
# embedded history (examples/.flowtest/history.db).
#   scripts/demo.sh [extra flowtest run arguments...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build/release"

state="$(mktemp -d)"
trap '"$root/scripts/httpbin.sh" stop "$state" >/dev/null 2>&1 || true; rm -rf "$state"' EXIT
url="$("$root/scripts/httpbin.sh" start "$state" --owner $$)"
echo "httpbin: $url"

cd "$root/examples"
set +e
FLOW_TEST_HTTPBIN_URL="$url" "$root/build/release/src/cli/flowtest" run . "$@"
code=$?
echo
echo "the run history (examples/.flowtest/history.db, see docs/history.md): flowtest runs list"
"$root/build/release/src/cli/flowtest" runs list --limit 10
set -e
echo "exit status: $code (reports in $root/results: open html/latest.html in a browser)"
exit "$code"
