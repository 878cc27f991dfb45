#!/usr/bin/env python3
"""Turn caldav-bench JSON summaries (one per server) into one Markdown comparison table.

Usage: bench/table.py results/*.json > table.md
Each cell: status, throughput and median latency of one phase; servers side by side.
"""
import json
import sys
from pathlib import Path

PHASES = ["load", "propfind", "multiget", "query", "query-expand", "get", "update", "sync", "delete"]


def cell(phase):
    if phase is None:
        return "-"
    if phase["status"] == "skipped":
        return "skipped"
    rate = phase.get("ops_per_s") or 0
    p50 = phase.get("p50_ms")
    extra = ""
    if phase["phase"] == "propfind" and phase.get("s_per_listing") is not None:
        extra = f", {phase['s_per_listing'] * 1000:.0f} ms/listing"
    if phase["phase"] == "sync" and phase.get("incremental_s") is not None:
        extra = f", delta {phase['incremental_s'] * 1000:.1f} ms"
    text = f"{rate:,.0f}/s, p50 {p50:.1f} ms{extra}" if p50 is not None else f"{rate:,.0f}/s"
    return text if phase["status"] == "ok" else f"**{phase['status'].upper()}** {text}"


def main(paths):
    runs = []
    for path in paths:
        summary = json.loads(Path(path).read_text())
        label = summary.get("label") or Path(path).stem
        runs.append((label, summary, {p["phase"]: p for p in summary["phases"]}))
    header = "| phase | " + " | ".join(f"{label} (N={s['n']}, C={s['concurrency']})" for label, s, _ in runs) + " |"
    print(header)
    print("|---" * (len(runs) + 1) + "|")
    for name in PHASES:
        if not any(name in phases for _, _, phases in runs):
            continue
        print(f"| {name} | " + " | ".join(cell(phases.get(name)) for _, _, phases in runs) + " |")
    rss = " | ".join(f"{s.get('server_peak_rss_kib', 0) / 1024:.0f} MiB" for _, s, _ in runs)
    print(f"| server peak RSS | {rss} |")
    cpu = " | ".join(f"{s.get('server_cpu_s_during_run', 0):.1f} s" for _, s, _ in runs)
    print(f"| server CPU during run | {cpu} |")


def main_wrk(paths):
    """The wrk runs (bench/wrk.sh): one row per phase, servers side by side."""
    runs = [json.loads(Path(path).read_text()) for path in paths]
    if not runs:
        return
    print()
    print("| phase, with wrk (C=16) | " + " | ".join(f"{r['label']} ({r['items']} items)" for r in runs) + " |")
    print("|---" * (len(runs) + 1) + "|")
    for name in ["query", "query-expand", "multiget"]:
        cells = []
        for run in runs:
            phase = next((p for p in run["phases"] if p["phase"] == name), None)
            if phase is None:
                cells.append("-")
                continue
            bad = f", **{phase['non_2xx']} non-2xx**" if phase.get("non_2xx") else ""
            cells.append(f"{phase['rps']:,.0f}/s, p50 {phase['p50_ms']:.1f} ms, p99 {phase['p99_ms']:.1f} ms{bad}")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--wrk"]:
        main_wrk(sys.argv[2:])
    else:
        main(sys.argv[1:])
