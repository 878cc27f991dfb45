#!/usr/bin/env bash
# The report phases again with wrk (C, one thread), for where the harness's Python client
# saturates a core before the server does: one-week calendar-query, the same with expand,
# and calendar-multiget of 100 hrefs, each for 10 s at 16 connections.
#   bench/wrk.sh URL USER PASSWORD LABEL OUT.json
# URL is the calendar collection (trailing /). Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
url="$1"; user="$2"; password="$3"; label="$4"; out="$5"
here="$(cd "$(dirname "$0")" && pwd)"
command -v wrk >/dev/null || { echo "wrk.sh: wrk is missing (Debian: apt-get install wrk)" >&2; exit 1; }
auth="$(printf '%s:%s' "$user" "$password" | base64 -w0)"
hrefs="$(mktemp)"; trap 'rm -f "$hrefs"' EXIT
curl -sf -X PROPFIND -H "Depth: 1" -H "Authorization: Basic $auth" "$url" \
  -d '<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>' \
  | grep -o '<d:href>[^<]*\.ics</d:href>' | sed 's/<[^>]*>//g' > "$hrefs"
items="$(wc -l < "$hrefs")"
run() {  # name script [env...]
  local name="$1" script="$2"; shift 2
  # A first pass warms what the server keeps in memory; the second is measured.
  env "$@" WRK_AUTH="$auth" WRK_HREFS="$hrefs" wrk -t1 -c16 -d3s -s "$here/wrk/$script" "$url" >/dev/null
  env "$@" WRK_AUTH="$auth" WRK_HREFS="$hrefs" wrk -t1 -c16 -d10s --latency -s "$here/wrk/$script" "$url" \
    | python3 -c '
import json, re, sys
text = sys.stdin.read()
def ms(v, unit): return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
lat = dict((p, ms(v, u)) for p, v, u in re.findall(r"\s(50|99)%\s+([\d.]+)(us|ms|s)", text))
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(json.dumps({"phase": sys.argv[1], "rps": rate, "p50_ms": lat.get("50"), "p99_ms": lat.get("99"),
                  "non_2xx": int(errors.group(1)) if errors else 0}))' "$name"
}
{
  run query query.lua WRK_EXPAND=0
  run query-expand query.lua WRK_EXPAND=1
  run multiget multiget.lua
} | python3 -c '
import json, sys
phases = [json.loads(line) for line in sys.stdin if line.strip()]
json.dump({"label": sys.argv[1], "items": int(sys.argv[2]), "phases": phases}, open(sys.argv[3], "w"), indent=1)
for p in phases: print("wrk %s %s: %.0f/s p50 %s ms p99 %s ms" % (sys.argv[1], p["phase"], p["rps"], p["p50_ms"], p["p99_ms"]))
' "$label" "$items" "$out"
