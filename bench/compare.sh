#!/usr/bin/env bash
# The CalDAV load harness (../shared/bench) against `televent serve` on SQLite and on
# PostgreSQL and against Radicale and Xandikos (both from PyPI), one after another on this
# machine, then a comparison table.
#   bench/compare.sh [-n N] [--radicale-n N] [--only televent-sqlite,televent-postgres,radicale,xandikos]
# Results: bench/results/<server>.json and bench/results/table.md (paste into docs/performance.md).
# A release build; minutes, not seconds: never part of the test command.
set -euo pipefail
cd "$(dirname "$0")/.."
n=10000; radicale_n=2000; only="televent-sqlite,televent-postgres,radicale,xandikos"
while [ $# -gt 0 ]; do
  case "$1" in
    -n) n="$2"; shift 2 ;;
    --radicale-n) radicale_n="$2"; shift 2 ;;  # also the size for Xandikos
    --only) only="$2"; shift 2 ;;
    *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
shared="${TELEVENT_SHARED_DIR:-../shared}"
[ -f "$shared/bench/caldav_bench.py" ] || { echo "compare.sh: no harness at $shared/bench" >&2; exit 1; }
work="$(pwd)/target/bench"; results="$(pwd)/bench/results"
mkdir -p "$work" "$results"
# The shared folder is read-only; the harness makes a venv beside itself.
cp -r "$shared/bench/." "$work/harness/" 2>/dev/null || { mkdir -p "$work/harness"; cp -r "$shared/bench/." "$work/harness/"; }
cargo build --release --locked --bin televent
televent="$(pwd)/target/release/televent"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_health() { for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$1/health" >/dev/null && return 0; sleep 0.2; done; echo "server did not come up" >&2; return 1; }

run_televent() {  # label database_url
  local label="$1" url="$2" port pid password
  TELEVENT_DATABASE_URL="$url" "$televent" user add bench >/dev/null
  password="$(TELEVENT_DATABASE_URL="$url" "$televent" device add bench --label bench | tail -n 1)"
  port="$(free_port)"
  # The rate limit is off: the harness is one client sending thousands of requests a second.
  TELEVENT_DATABASE_URL="$url" TELEVENT_LOG=warn "$televent" serve --listen "127.0.0.1:$port" \
    --rate-limit-per-second 0 >"$work/$label.log" 2>&1 &
  pid=$!
  wait_health "$port"
  "$work/harness/run.sh" --url "http://127.0.0.1:$port/dav/calendars/bench/bench/" --user bench --password "$password" \
    --create --pid "$pid" -n "$n" --label "$label" --json-out "$results/$label.json" || true
  # The reports again with wrk, where the Python client is the bottleneck (on what the
  # harness left: it deletes 1,000 events in its last phase).
  bench/wrk.sh "http://127.0.0.1:$port/dav/calendars/bench/bench/" bench "$password" "$label" "$results/$label.wrk.json" || true
  kill -TERM "$pid"; wait "$pid" || true
}

if [[ ",$only," == *",televent-sqlite,"* ]]; then
  rm -rf "$work/sqlite"; mkdir -p "$work/sqlite"
  run_televent televent-sqlite "sqlite://$work/sqlite/bench.db"
fi
if [[ ",$only," == *",televent-postgres,"* ]]; then
  scripts/pg-throwaway stop "$work/pg"   # a cluster left by an interrupted run
  url="$(scripts/pg-throwaway start "$work/pg")"
  trap 'scripts/pg-throwaway stop "$work/pg"' EXIT
  run_televent televent-postgres "$url"
  scripts/pg-throwaway stop "$work/pg"; trap - EXIT
fi
if [[ ",$only," == *",radicale,"* ]]; then
  port="$(free_port)"; rm -rf "$work/radicale"
  pid="$("$work/harness/radicale.sh" "$port" "$work/radicale")"
  "$work/harness/run.sh" --url "http://127.0.0.1:$port/bench/cal/" --user bench --password benchpw \
    --create --pid "$pid" -n "$radicale_n" --label radicale --json-out "$results/radicale.json" || true
  kill "$pid" || true
fi
if [[ ",$only," == *",xandikos,"* ]]; then
  port="$(free_port)"; rm -rf "$work/xandikos"
  pid="$(bench/xandikos.sh "$port" "$work/xandikos")"
  "$work/harness/run.sh" --url "http://127.0.0.1:$port/user/calendars/bench/" \
    --create --pid "$pid" -n "$radicale_n" --label xandikos --json-out "$results/xandikos.json" || true
  kill "$pid" || true
fi
python3 bench/table.py $(ls "$results"/*.json | grep -v '\.wrk\.json$') > "$results/table.md"
python3 bench/table.py --wrk "$results"/*.wrk.json >> "$results/table.md"
cat "$results/table.md"
