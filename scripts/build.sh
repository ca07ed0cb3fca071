#!/usr/bin/env bash
# Configures and builds flowtest with CMake + Ninja (+ ccache).
#   scripts/build.sh [BUILD_DIR] [extra cmake args...]
# BUILD_DIR defaults to build/release. -DFLOW_SANITIZE=ON builds with ASan+UBSan.
# FLOW_BUILD_TARGETS="t1 t2" builds only those targets (default: all).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build/release}"
shift || true
jobs="${FLOW_JOBS:-$(nproc)}"
# Configure on the first build, and whenever cmake arguments are given (they may have changed).
if [ ! -f "$build/build.ninja" ] || [ "$#" -gt 0 ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
fi
log="$(mktemp)"
# shellcheck disable=SC2086  # the target list is meant to split on spaces
if ! ninja -C "$build" -j "$jobs" ${FLOW_BUILD_TARGETS:-} >"$log" 2>&1; then
  grep -v '^\[[0-9]*/[0-9]*\] ' "$log" >&2 || true
  rm -f "$log"
  echo "build failed ($build)" >&2
  exit 1
fi
rm -f "$log"
echo "built $build"
