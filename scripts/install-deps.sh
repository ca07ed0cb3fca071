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
  # the JavaScript sandbox: SpiderMonkey 102, seccomp filters, OpenSSL for its crypto
  libmozjs-102-dev libseccomp-dev libssl-dev
  # storage: SQLite (embedded history), libpq and a PostgreSQL 15 server (the service database;
  # the tests start a throwaway cluster), libsodium (argon2id passwords, checkpoint encryption)
  libsqlite3-dev libpq-dev postgresql-15 libsodium-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  python3 python3-httpbin gunicorn python3-brotli time
  # report checks: xmllint validates JUnit XML against its schema; the HTML report is opened in
  # headless Chromium, driven over the DevTools protocol from Python; JSON reports and suites are
  # checked against their JSON Schemas with python3-jsonschema
  libxml2-utils chromium python3-websocket python3-jsonschema
  # the tests check that `flowtest graph --format dot` output parses (dot -Tsvg)
  graphviz
)

# node >= 18 and npm >= 9 fetch and bundle faker at build time (third_party/faker). A newer node
# already on the machine is used; otherwise Debian's nodejs 18 and npm 9 are enough.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 18 ] || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

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
