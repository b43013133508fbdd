"""Markdown tables from the benchmarks' JSON lines (for the README).

.venv/bin/python -m benchmarks.tables callbacks results.jsonl
.venv/bin/python -m benchmarks.tables load results.jsonl
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path


def callbacks(lines: list[dict]) -> None:
    rows = [r for r in lines if "setup" in r and "round" in r]
    print(
        "| setup | N | rounds | ok (min) | accounts = N, distinct | errors | exchange (ms) | bound (ms) | p50 (ms) | p95 (ms) | p50 / bound | p95 / bound | max /ping (ms) | worker RSS (MB) | CPU ms / callback: server, sandbox, client | wall / CPU floor |"
    )
    print("|---|--:|--:|--:|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for setup in dict.fromkeys(r["setup"] for r in rows):
        for n in sorted({r["n"] for r in rows if r["setup"] == setup}):
            rs = [r for r in rows if r["setup"] == setup and r["n"] == n]
            med = lambda k, rs=rs: statistics.median(r[k] for r in rs)
            exact = all(r["accounts"] == r["ok"] == r["distinct"] for r in rs)
            full = all(r["accounts"] == n for r in rs)
            acc = (
                "yes"
                if full and exact
                else f"{'/'.join(str(r['accounts']) for r in rs)} ({'no duplicates' if exact else 'DUPLICATES'})"
            )
            errors = ", ".join(sorted({e for r in rs for e in r["errors"]})) or "0"
            rss = max(v for r in rs for k, v in r["rss_mb"].items() if k != "tree")
            print(
                f"| {setup} | {n} | {len(rs)} | {min(r['ok'] for r in rs)} | {acc} | {errors} | {rs[0]['exchange_ms']} | {rs[0]['bound_ms']} "
                f"| {med('callback_p50_ms'):.0f} | {med('callback_p95_ms'):.0f} | {med('p50_ratio'):.2f} | {med('p95_ratio'):.2f} "
                f"| {med('ping_max_ms'):.0f} | {rss} | {_cpu_parts(rs)} | {_floor(rs)} |"
            )


def _cpu_parts(rs: list[dict]) -> str:
    """Median CPU ms per callback of the server, the sandbox and the client (older lines: –)."""
    if not all("cpu_ms_per_callback" in r for r in rs):
        return "–"
    parts = ("server", "sandbox", "client")
    return ", ".join(f"{statistics.median(r['cpu_ms_per_callback'][p] for r in rs):.1f}" for p in parts)


def _floor(rs: list[dict]) -> str:
    floors = [r["wall_over_cpu_floor"] for r in rs if r.get("wall_over_cpu_floor")]
    return f"{statistics.median(floors):.2f}" if floors else "–"


def load(lines: list[dict]) -> None:
    print("| setup | event | n | alone p50 / p95 (ms) | bound (ms) | p50 (ms) | p95 (ms) | p95 / bound |")
    print("|---|---|--:|--:|--:|--:|--:|--:|")
    for r in lines:
        for kind, e in r["events"].items():
            print(
                f"| {r['setup']} | {kind} | {e['n']} | {e['alone_p50_ms']} / {e['alone_p95_ms']} | {e['bound_ms']} | {e['p50_ms']} | {e['p95_ms']} | {e['ratio']} |"
            )
    print()
    print(
        "| setup | users hydrated | hydrate p50 / p95 (ms) | events | events/s | errors | peak RSS per worker (MB) | tree (MB) | largest frame (B) | load avg before → after |"
    )
    print("|---|--:|--:|--:|--:|--:|---|--:|--:|---|")
    for r in lines:
        workers = ", ".join(str(v) for k, v in r["peak_rss_mb"].items() if k != "tree")
        print(
            f"| {r['setup']} | {r['hydrated']} | {r['hydrate_p50_ms']} / {r['hydrate_p95_ms']} | {r['events_done']} | {r['events_per_s']} "
            f"| {r['errors']} | {workers} | {r['peak_rss_mb']['tree']} | {r['largest_frame_bytes']} | {r['load']} |"
        )


if __name__ == "__main__":
    kind, *paths = sys.argv[1:]
    data = [json.loads(line) for p in paths for line in Path(p).read_text().splitlines() if line.startswith("{")]
    {"callbacks": callbacks, "load": load}[kind](data)
