#!/usr/bin/env bash
# Starts, stops and locates the local httpbin (tests/support/httpbin_server.py) for shell scripts.
#
#   scripts/httpbin.sh start DIR [--owner PID] [--port N] [--gunicorn --workers N --threads M]
#       Starts the server in the background on a free port (or --port N), waits until it answers
#       and prints its URL (http://127.0.0.1:PORT). DIR holds httpbin.pid, httpbin.port and
#       httpbin.log. With --owner PID the server also exits when process PID dies (pass $$ so a
#       script that dies without calling stop leaves nothing behind). Starting twice in the same
#       DIR prints the URL of the running server.
#   scripts/httpbin.sh url DIR     prints the URL of the server running from DIR (exit 1 if none)
#   scripts/httpbin.sh stop DIR    stops it (SIGTERM, then SIGKILL after 5 s)
#
# The server runs on Debian's interpreter (FLOW_PYTHON, default /usr/bin/python3), where
# python3-httpbin and gunicorn are installed (scripts/install-deps.sh).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
server="$here/../tests/support/httpbin_server.py"
python="${FLOW_PYTHON:-/usr/bin/python3}"

usage() {
  sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

die() {
  echo "httpbin.sh: $*" >&2
  exit 1
}

running_pid() {  # prints the pid of the server started from $1, if it is still alive
  local pid_file="$1/httpbin.pid" pid
  [ -f "$pid_file" ] || return 1
  pid="$(cat "$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

url_of() {
  local port
  port="$(cat "$1/httpbin.port" 2>/dev/null || true)"
  [[ "$port" =~ ^[0-9]+$ ]] || return 1
  echo "http://127.0.0.1:$port"
}

answers() {  # true once the server replies to GET /get
  curl --silent --max-time 2 --output /dev/null --fail "$1/get"
}

cmd_start() {
  local dir="$1"
  shift
  local owner=0 args=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --owner) [ $# -ge 2 ] || usage; owner="$2"; shift 2 ;;
      --port | --workers | --threads) [ $# -ge 2 ] || usage; args+=("$1" "$2"); shift 2 ;;
      --gunicorn) args+=("$1"); shift ;;
      *) usage ;;
    esac
  done
  [[ "$owner" =~ ^[0-9]+$ ]] || die "--owner needs a process id, got '$owner'"
  [ -x "$python" ] || die "$python not found (run scripts/install-deps.sh)"

  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if running_pid "$dir" >/dev/null && url_of "$dir" >/dev/null; then
    url_of "$dir"
    return 0
  fi
  rm -f "$dir/httpbin.pid" "$dir/httpbin.port"

  "$python" "$server" --port-file "$dir/httpbin.port" --watch-pid "$owner" "${args[@]}" \
    </dev/null >/dev/null 2>"$dir/httpbin.log" &
  local pid=$!
  echo "$pid" >"$dir/httpbin.pid"

  local url="" i
  for i in $(seq 1 150); do  # up to 15 s
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$dir/httpbin.pid"
      cat "$dir/httpbin.log" >&2 || true
      die "the server exited during start (log: $dir/httpbin.log)"
    fi
    if [ -z "$url" ]; then url="$(url_of "$dir" || true)"; fi
    if [ -n "$url" ] && answers "$url"; then
      echo "$url"
      return 0
    fi
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  rm -f "$dir/httpbin.pid"
  die "the server did not answer within 15 s (log: $dir/httpbin.log)"
}

cmd_url() {
  running_pid "$1" >/dev/null || die "no httpbin running from $1"
  url_of "$1" || die "no port recorded in $1/httpbin.port"
}

cmd_stop() {
  local dir="$1" pid i
  if pid="$(running_pid "$dir")"; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/httpbin.pid" "$dir/httpbin.port"
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
