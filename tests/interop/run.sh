#!/usr/bin/env bash
# Real-client interop suite: the python `caldav` library and `vdirsyncer` against a CalDAV server
# started here on a free loopback port.
#
#   tests/interop/run.sh radicale [PYTEST ARGS...]   Radicale 3.9.0 (the reference; user bench)
#   tests/interop/run.sh televent [PYTEST ARGS...]   `televent serve` on a fresh SQLite file
#
# The first run creates tests/interop/.venv and installs requirements.txt from PyPI (and, for
# radicale, requirements-radicale.txt); later runs reuse it. The server is always stopped on exit.
# Exit status: pytest's, or non-zero with a message when the setup fails.
#
# Environment:
#   TELEVENT_BIN            the televent binary (default: target/debug/televent in the repo root)
#   INTEROP_PYTHON          python used to create the venv (default: python3)
#   INTEROP_TIMEOUT         seconds the whole pytest run may take (default: 900)
#   INTEROP_LOG_REQUESTS=1  radicale only: log every request and response, with headers and
#                           bodies, to the server log (printed path) for protocol study
#   INTEROP_KEEP_TMP=1      keep the temporary directory (server data and log) after the run
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
say() { printf 'interop: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

kind="${1:-}"
case "$kind" in
  radicale|televent) shift ;;
  *) die "usage: $0 radicale|televent [pytest args...]" ;;
esac

# --- the Python environment ---------------------------------------------------------------------
venv="$here/.venv"
python="${INTEROP_PYTHON:-python3}"
reqs=("$here/requirements.txt")
[ "$kind" = radicale ] && reqs+=("$here/requirements-radicale.txt")

if [ ! -x "$venv/bin/python" ]; then
  command -v "$python" >/dev/null 2>&1 || die "$python not found: install Python 3.10 or later"
  say "creating $venv"
  "$python" -m venv "$venv" \
    || die "cannot create a venv with $python (Debian: apt-get install python3-venv)"
fi
stamp="$venv/.installed-$kind"
want="$(cat "${reqs[@]}" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  say "installing $(printf '%s ' "${reqs[@]##*/}")into $venv"
  pip_args=(install --disable-pip-version-check -q --retries 2 --timeout 20)
  for r in "${reqs[@]}"; do pip_args+=(-r "$r"); done
  if ! pip_out="$("$venv/bin/python" -m pip "${pip_args[@]}" 2>&1)"; then
    printf '%s\n' "$pip_out" | tail -n 15 >&2
    say "could not install the interop requirements from PyPI (is PyPI reachable from here?);"
    say "nothing was tested"
    exit 3
  fi
  printf '%s\n' "$want" > "$stamp"
fi

# --- a temporary directory and a free loopback port ---------------------------------------------
tmp="$(mktemp -d "${TMPDIR:-/tmp}/televent-interop.XXXXXX")"
server_pid=""
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  local status=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    # Bounded wait for a graceful stop, then force it.
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "${INTEROP_KEEP_TMP:-}" = 1 ]; then say "kept $tmp"; else rm -rf "$tmp"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port="$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"
log="$tmp/server.log"

# Poll URL until it answers (any HTTP status when $2 is "any", else 200), for at most 30 s,
# while the server process is alive.
wait_for() {
  local url="$1" want="${2:-200}" deadline=$((SECONDS + 30)) code
  while [ "$SECONDS" -lt "$deadline" ]; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      tail -n 30 "$log" >&2 || true
      die "the $kind server exited before it answered on $url"
    fi
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)"
    if [ "$want" = any ] && [ "${code:-000}" != 000 ]; then return 0; fi
    if [ "$code" = "$want" ]; then return 0; fi
    sleep 0.1
  done
  tail -n 30 "$log" >&2 || true
  die "the $kind server did not answer $want on $url within 30 s (last: ${code:-none})"
}
command -v curl >/dev/null 2>&1 || die "curl is needed to wait for the server (apt-get install curl)"

# --- the server ---------------------------------------------------------------------------------
case "$kind" in
  radicale)
    # As shared/bench/radicale.sh: htpasswd (plain) user bench/benchpw, owner_only rights,
    # multifilesystem storage; here in a temporary directory, on the free port. `delay = 0`
    # turns off Radicale's brute-force delay on 401s: every new client's first request carries no
    # credentials (the caldav library waits for the 401 to choose Basic), and the delay would
    # otherwise add about 1.5 s per client.
    mkdir -p "$tmp/collections"
    printf 'bench:benchpw\n' > "$tmp/users"
    level=info; debug_opts=""
    if [ "${INTEROP_LOG_REQUESTS:-}" = 1 ]; then
      level=debug
      debug_opts=$'request_header_on_debug = True\nrequest_content_on_debug = True\nresponse_header_on_debug = True\nresponse_content_on_debug = True'
    fi
    cat > "$tmp/config" <<CFG
[server]
hosts = 127.0.0.1:$port
[auth]
type = htpasswd
htpasswd_filename = $tmp/users
htpasswd_encryption = plain
delay = 0
[rights]
type = owner_only
[storage]
type = multifilesystem
filesystem_folder = $tmp/collections
[logging]
level = $level
mask_passwords = True
$debug_opts
CFG
    "$venv/bin/radicale" --config "$tmp/config" > "$log" 2>&1 &
    server_pid=$!
    wait_for "$base/" any
    user=bench; password=benchpw
    ;;

  televent)
    bin="${TELEVENT_BIN:-$repo_root/target/debug/televent}"
    [ -x "$bin" ] || die "no televent binary at $bin: build it (cargo build -p televent-cli) or set TELEVENT_BIN"
    unset TELEVENT_LISTEN TELEVENT_PUBLIC_URL
    export TELEVENT_DATABASE_URL="sqlite://$tmp/t.db"
    "$bin" user add interop > "$tmp/user-add.out" 2>&1 \
      || { cat "$tmp/user-add.out" >&2; die "televent user add interop failed"; }
    "$bin" device add interop --label interop > "$tmp/device-add.out" 2> "$tmp/device-add.err" \
      || { cat "$tmp/device-add.out" "$tmp/device-add.err" >&2; die "televent device add failed"; }
    password="$(tail -n 1 "$tmp/device-add.out" | tr -d '\r\n')"
    [ -n "$password" ] || die "televent device add printed no password on its last line"
    "$bin" serve --listen "127.0.0.1:$port" > "$log" 2>&1 &
    server_pid=$!
    wait_for "$base/health" 200
    user=interop
    ;;
esac
say "$kind is up on $base (pid $server_pid, log $log)"

# --- the tests ----------------------------------------------------------------------------------
cd "$here"
set +e
INTEROP_URL="$base/" INTEROP_USER="$user" INTEROP_PASSWORD="$password" INTEROP_SERVER="$kind" \
  timeout --signal=TERM "${INTEROP_TIMEOUT:-900}" \
  "$venv/bin/python" -m pytest -p no:cacheprovider -ra "$@"
status=$?
set -e
if [ "$status" -ne 0 ]; then
  [ "$status" -eq 124 ] && say "pytest did not finish within ${INTEROP_TIMEOUT:-900} s"
  say "last lines of the server log ($log):"
  tail -n 40 "$log" >&2 || true
  [ "${INTEROP_KEEP_TMP:-}" = 1 ] || say "(set INTEROP_KEEP_TMP=1 to keep it)"
fi
exit "$status"
