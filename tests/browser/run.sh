#!/usr/bin/env bash
# Browser tests of the web page against a real `televent serve`.
#
#   TELEVENT_BIN=target/debug/televent tests/browser/run.sh [test files...]
#
# Builds nothing: TELEVENT_BIN (default target/debug/televent, relative to the repo root) must
# be a built binary. Needs Chromium at /usr/bin/chromium (CHROMIUM_PATH to use another);
# installs the Debian package when it is missing and this runs as root. Installs playwright-core
# with `npm ci` when node_modules is missing or older than package-lock.json.
# TELEVENT_SCREENSHOTS=1 writes docs/screenshots/week.png and month.png.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

bin="${TELEVENT_BIN:-target/debug/televent}"
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
if [[ ! -x "$bin" ]]; then
    echo "run.sh: no televent binary at $bin; build it first (cargo build -p televent-cli) or set TELEVENT_BIN" >&2
    exit 1
fi
export TELEVENT_BIN="$bin"

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ ! -x "$chromium" ]]; then
    if [[ "$chromium" == /usr/bin/chromium && "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        echo "run.sh: installing Chromium (Debian package chromium)" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "run.sh: Chromium is missing at $chromium; install it (apt-get install chromium) or set CHROMIUM_PATH" >&2
        exit 1
    fi
fi
export CHROMIUM_PATH="$chromium"

if ! command -v node >/dev/null; then
    echo "run.sh: Node.js (20 or newer) is needed" >&2
    exit 1
fi

cd "$here"
stamp="node_modules/.package-lock.json"
if [[ ! -d node_modules/playwright-core || ! -f "$stamp" || package-lock.json -nt "$stamp" ]]; then
    npm ci --no-audit --no-fund --loglevel=error
fi

if [[ $# -gt 0 ]]; then
    files=("$@")
else
    files=(*.test.mjs)
fi
# One file at a time: each starts its own server and browser, and the machine may be small.
exec node --test --test-concurrency=1 "${files[@]}"
