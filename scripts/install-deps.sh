#!/usr/bin/env bash
# Installs every Debian package that building and testing flowtest needs.
# Idempotent: packages already present are left alone; `apt-get update` runs once per call,
# and only when something is missing.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config git curl ca-certificates openssl
  # libraries of the engine
  libyaml-cpp-dev nlohmann-json3-dev libcurl4-openssl-dev libpcre2-dev
  # the JavaScript sandbox: SpiderMonkey 102 and seccomp filters (node and npm, for the
  # build-time faker bundle, come with the machine)
  libmozjs-102-dev libseccomp-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  python3 python3-httpbin gunicorn python3-brotli time
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
