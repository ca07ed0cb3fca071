#!/usr/bin/env bash
# Configures and builds flowtest with CMake + Ninja (+ ccache).
#   scripts/build.sh [BUILD_DIR] [extra cmake args...]
# BUILD_DIR defaults to build/release. FLOW_SANITIZE=1 in the cmake args builds with ASan+UBSan.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build/release}"
shift || true
jobs="${FLOW_JOBS:-$(nproc)}"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
fi
ninja -C "$build" -j "$jobs" | grep -v '^\[' || true
test -x "$build/src/cli/flowtest" || { echo "build failed" >&2; exit 1; }
