#!/usr/bin/env bash
# Configures and builds flowtest with CMake + Ninja (+ ccache).
#   scripts/build.sh [BUILD_DIR] [extra cmake args...]
# BUILD_DIR defaults to build/release. -DFLOW_SANITIZE=ON builds with ASan+UBSan.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build/release}"
shift || true
jobs="${FLOW_JOBS:-$(nproc)}"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
fi
log="$(mktemp)"
if ! ninja -C "$build" -j "$jobs" >"$log" 2>&1; then
  grep -v '^\[[0-9]*/[0-9]*\] ' "$log" >&2 || true
  rm -f "$log"
  echo "build failed ($build)" >&2
  exit 1
fi
rm -f "$log"
echo "built $build"
