#!/usr/bin/env bash
# A soak: `televent serve` (release, SQLite) under a mixed CalDAV load for a long time, with the
# server's resident memory and open file descriptors sampled every 10 s. Both should stay flat.
#   bench/soak.sh [--minutes 60] [-n 5000]
# Load: the harness (../shared/bench) loads N events once into one calendar, then, until the
# time is up, runs all its phases (PUT, listing, multiget, time-range queries with and without
# expand, GET, If-Match updates, sync-collection, DELETE; every answer checked) on a calendar of
# 1,000 events made for the round and deleted after it.
# Results: bench/results/soak.csv (time, rss_kib, fds) and bench/results/soak.md.
# Minutes to hours: never part of the test command.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=60; n=5000
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    -n) n="$2"; shift 2 ;;
    *) echo "soak.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
shared="${TELEVENT_SHARED_DIR:-../shared}"
[ -f "$shared/bench/caldav_bench.py" ] || { echo "soak.sh: no harness at $shared/bench" >&2; exit 1; }
work="$(pwd)/target/bench"; results="$(pwd)/bench/results"
mkdir -p "$work" "$results"
[ -d "$work/harness" ] || { mkdir -p "$work/harness"; cp -r "$shared/bench/." "$work/harness/"; }
cargo build --release --locked --bin televent
televent="$(pwd)/target/release/televent"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

rm -rf "$work/soak"; mkdir -p "$work/soak"
url="sqlite://$work/soak/soak.db"
TELEVENT_DATABASE_URL="$url" "$televent" user add bench >/dev/null
password="$(TELEVENT_DATABASE_URL="$url" "$televent" device add bench --label soak | tail -n 1)"
port="$(free_port)"
TELEVENT_DATABASE_URL="$url" TELEVENT_LOG=warn "$televent" serve --listen "127.0.0.1:$port" \
  --rate-limit-per-second 0 >"$work/soak/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; kill "$sampler" 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
calendar="http://127.0.0.1:$port/dav/calendars/bench/bench/"

csv="$results/soak.csv"
echo "seconds,rss_kib,fds" > "$csv"
start=$(date +%s)
( while kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
    echo "$(( $(date +%s) - start )),$rss,$fds" >> "$csv"
    sleep 10
  done ) &
sampler=$!

"$work/harness/run.sh" --url "$calendar" --user bench --password "$password" --create --pid "$pid" \
  -n "$n" --phases load --label soak-load --json-out "$work/soak/load.json" >/dev/null
deadline=$(( start + minutes * 60 )); rounds=0; failed=0
# Each round: every phase of the harness (load, listing, multiget, queries with and without
# expand, GET, If-Match updates, sync-collection, DELETE), each answer checked, on a calendar of
# its own that is deleted afterwards, beside the N events loaded at the start: the data does not
# grow from round to round, so neither should memory.
while [ "$(date +%s)" -lt "$deadline" ]; do
  rounds=$((rounds + 1))
  scratch="http://127.0.0.1:$port/dav/calendars/bench/soak-$rounds/"
  "$work/harness/run.sh" --url "$scratch" --user bench --password "$password" --create --pid "$pid" \
    -n 1000 --seed "$rounds" --get-ops 2000 --update-ops 300 --delete-ops 500 --query-ops 50 \
    --multiget-ops 50 --propfind-repeats 2 --label "soak-$rounds" --json-out "$work/soak/round.json" >/dev/null \
    || failed=$((failed + 1))
  curl -sf -X DELETE -u "bench:$password" "$scratch" >/dev/null || failed=$((failed + 1))
done
kill "$sampler" 2>/dev/null || true
python3 - "$csv" "$minutes" "$n" "$rounds" "$failed" > "$results/soak.md" <<'PY'
import csv, sys
path, minutes, n, rounds, failed = sys.argv[1:6]
rows = [(int(r["seconds"]), int(r["rss_kib"]), int(r["fds"])) for r in csv.DictReader(open(path))]
warm = [r for r in rows if r[0] >= 60] or rows
def summary(i, unit):
    first, last = warm[0][i], warm[-1][i]
    return f"{first} → {last} {unit} (max {max(r[i] for r in warm)}, min {min(r[i] for r in warm)})"
print(f"Soak: {minutes} min, {n} events, {rounds} rounds of mixed load ({failed} failed checks), {len(rows)} samples.\n")
print("| measure | after the first minute → end |")
print("|---|---|")
print(f"| resident memory | {summary(1, 'KiB')} |")
print(f"| open file descriptors | {summary(2, '')} |")
PY
cat "$results/soak.md"
