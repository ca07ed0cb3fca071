#!/usr/bin/env bash
# Starts and stops a throwaway PostgreSQL 15 cluster for the tests (docs/development.md).
#
#   scripts/postgres.sh start DIR [--port N]
#       Creates a cluster in DIR/pg (initdb, trust authentication, UTF-8, fsync off), starts it
#       on 127.0.0.1 on a free port (or --port N), waits until it accepts connections and prints
#       its URL (postgresql://postgres@127.0.0.1:PORT/postgres). DIR/pg/log is the server log.
#       Starting twice in the same DIR prints the URL of the running cluster.
#   scripts/postgres.sh url DIR     prints the URL of the cluster running from DIR (exit 1 if none)
#   scripts/postgres.sh stop DIR    stops it (fast shutdown) and removes DIR/pg
#
# PostgreSQL refuses to run as root: as root the server runs as the `postgres` user (runuser),
# and DIR/pg belongs to it; as another user the server runs as that user. PGBIN overrides the
# folder of initdb and pg_ctl (default /usr/lib/postgresql/15/bin).
set -euo pipefail

pgbin="${PGBIN:-/usr/lib/postgresql/15/bin}"

usage() {
  sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

die() {
  echo "postgres.sh: $*" >&2
  exit 1
}

as_owner() {  # runs a command as the cluster's owner
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {  # a loopback port nothing listens on (the kernel picks it)
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

url_of() {
  local port
  port="$(cat "$1/pg/port" 2>/dev/null || true)"
  [[ "$port" =~ ^[0-9]+$ ]] || return 1
  echo "postgresql://postgres@127.0.0.1:$port/postgres"
}

running() {  # true when the cluster in $1 is up
  [ -f "$1/pg/data/postmaster.pid" ] && as_owner "$pgbin/pg_ctl" -D "$1/pg/data" status >/dev/null 2>&1
}

cmd_start() {
  local dir="$1"
  shift
  local port=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) [ $# -ge 2 ] || usage; port="$2"; shift 2 ;;
      *) usage ;;
    esac
  done
  [ -x "$pgbin/initdb" ] || die "$pgbin/initdb not found (run scripts/install-deps.sh)"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if running "$dir" && url_of "$dir" >/dev/null; then
    url_of "$dir"
    return 0
  fi
  rm -rf "$dir/pg"
  mkdir -p "$dir/pg"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "no 'postgres' user to run the server as (install postgresql-15)"
    # Every parent of the data folder must be traversable by postgres.
    local d="$dir"
    while [ "$d" != "/" ]; do
      chmod o+x "$d" 2>/dev/null || true
      d="$(dirname "$d")"
    done
    chown postgres:postgres "$dir/pg"
  fi
  chmod 0700 "$dir/pg"
  [ -n "$port" ] || port="$(free_port)"
  [[ "$port" =~ ^[0-9]+$ ]] || die "--port needs a number, got '$port'"
  if ! as_owner "$pgbin/initdb" -D "$dir/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
      --no-sync >"$dir/pg/initdb.log" 2>&1; then
    cat "$dir/pg/initdb.log" >&2
    die "initdb failed (log: $dir/pg/initdb.log)"
  fi
  if ! as_owner "$pgbin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null 2>&1; then
    cat "$dir/pg/log" >&2 || true
    die "the server did not start (log: $dir/pg/log)"
  fi
  echo "$port" >"$dir/pg/port"
  "$pgbin/pg_isready" -h 127.0.0.1 -p "$port" -q || die "the server does not accept connections"
  url_of "$dir"
}

cmd_url() {
  running "$1" || die "no PostgreSQL running from $1"
  url_of "$1" || die "no port recorded in $1/pg/port"
}

cmd_stop() {
  local dir="$1"
  if [ -d "$dir/pg/data" ]; then
    as_owner "$pgbin/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir/pg"
}

[ $# -ge 2 ] || usage
command="$1"
dir="$2"
shift 2
case "$command" in
  start) cmd_start "$dir" "$@" ;;
  url) [ $# -eq 0 ] || usage; cmd_url "$dir" ;;
  stop) [ $# -eq 0 ] || usage; cmd_stop "$dir" ;;
  *) usage ;;
esac
