#!/usr/bin/env bash
# Start Xandikos (from PyPI, in target/bench/.venv-xandikos) on 127.0.0.1:PORT with its data in
# DIR, for a side-by-side run of the harness. Xandikos has no user store of its own: it runs
# without authentication here (its --htpasswd wants hashed passwords), which spares it the
# cost of checking a password on each request.
#   bench/xandikos.sh PORT DIR      prints the server PID; the calendar URL to give the
#   harness is http://127.0.0.1:PORT/user/calendars/bench/ (with --create)
set -euo pipefail
port="$1"; dir="$2"
venv="$(cd "$(dirname "$0")/.." && pwd)/target/bench/.venv-xandikos"
if [ ! -x "$venv/bin/xandikos" ]; then
  python3 -m venv "$venv" >/dev/null
  "$venv/bin/pip" install -q 'xandikos==0.4.10' >/dev/null
fi
mkdir -p "$dir"
nohup "$venv/bin/xandikos" serve -d "$dir/data" --defaults -l 127.0.0.1 -p "$port" > "$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  if python3 - "$port" <<'PY' 2>/dev/null; then break; fi
import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.2).close()
PY
  sleep 0.2
done
echo "$pid"
