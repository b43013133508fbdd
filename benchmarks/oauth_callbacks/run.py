"""Benchmark: N concurrent sandbox consents + OAuth callbacks against the production app running
in a process of its own (``reflex run --env prod --single-port``, see ``benchmarks/harness.py``).

    .venv/bin/python -m benchmarks.oauth_callbacks.run                        # all setups, N = 15 50 200 500, 3 rounds
    .venv/bin/python -m benchmarks.oauth_callbacks.run --setups sqlite pg2 --n 15 50 --rounds 1
    .venv/bin/python -m benchmarks.oauth_callbacks.run --setups sqlite --n 200 --rounds 1 --profile

Setups: ``sqlite`` (one process), ``pg1``/``pg2``/``pg4`` (PostgreSQL + Redis db 11, granian workers).
The provider sandbox runs in a third process (``sandbox_server.py``, X personas pre-seeded), the
client (``burst.fire_as``: one Professional workspace, N flows, a different persona each) in this
one. Per setup and N, one JSON line per round, then the medians over the rounds: callback
p50/p95 against the bound "sandbox exchange p50 (unloaded, same setup) + 250 ms", accounts
created (must be N, distinct), errors and the worst ``/ping``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
import psutil

from benchmarks.harness import ROOT, App, Setup, free_port, load_average, other_activity

from .sandbox_server import persona_ids

PROFILE_DIR = Path(__file__).resolve().parent / "profile"


def start_sandbox(env: dict[str, str], port: int, personas: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "benchmarks.oauth_callbacks.sandbox_server",
            "--port",
            str(port),
            "--personas",
            str(personas),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(120):
        try:
            httpx.get(f"http://127.0.0.1:{port}/_control/state", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.25)
    raise RuntimeError("the sandbox did not start")


def own_time_top(raw: Path, top: int = 8) -> list[tuple[str, float]]:
    """Leaf frames of py-spy's collapsed stacks: share of on-CPU samples by own time."""
    counts: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack:
            continue
        leaf = stack.split(";")[-1]
        counts[leaf] += int(n)
        total += int(n)
    return [(frame, round(100 * c / total, 1)) for frame, c in counts.most_common(top)]


async def one_setup(setup: Setup, ns: list[int], rounds: int, profile: bool) -> list[dict]:
    from . import burst

    sandbox_port = free_port()
    sandbox_url = f"http://127.0.0.1:{sandbox_port}"
    needed = rounds * sum(ns) + 1 + (200 if profile else 0)
    results = []
    with App(setup, f"cb_{setup.name}", extra_env={"SOCIALIZIOZ_PROVIDERS_SANDBOX_BASE_URL": sandbox_url}) as app:
        sandbox = start_sandbox(app.env(), sandbox_port, needed)
        try:
            exchange = statistics.median(await burst.sandbox_exchange_latency(None, 20, persona=persona_ids(0, 1)[0]))
            bound_ms = (exchange + 0.250) * 1000
            next_persona = 1
            for round_no in range(1, rounds + 1):
                for n in ns:
                    personas = persona_ids(next_persona, n)
                    next_persona += n
                    before = load_average()
                    user = burst.owner()
                    cpu_before = _cpu(app, sandbox)
                    result = await burst.fire_as(app.base_url, personas, *user)
                    cpu = {k: v - cpu_before[k] for k, v in _cpu(app, sandbox).items()}
                    summary = result.summary()
                    summary.update(_cpu_figures(cpu, n, result.wall_s))
                    summary.update(
                        setup=setup.name,
                        round=round_no,
                        exchange_ms=round(exchange * 1000, 1),
                        bound_ms=round(bound_ms, 1),
                        p50_ratio=round(summary["callback_p50_ms"] / bound_ms, 2),
                        p95_ratio=round(summary["callback_p95_ms"] / bound_ms, 2),
                        rss_mb=app.rss_mb(),
                        load=f"{before} -> {load_average()}",
                        others=other_activity(),
                    )
                    print(json.dumps(summary), flush=True)
                    results.append(summary)
            if profile:
                results.append(await profiled_burst(app, burst, persona_ids(next_persona, 200)))
        finally:
            sandbox.terminate()
            sandbox.wait(10)
    return results


def _cpu(app: App, sandbox: subprocess.Popen) -> dict[str, float]:
    """CPU seconds so far of the server tree, the sandbox and this client process."""
    times = psutil.Process(sandbox.pid).cpu_times()
    return {"server": app.cpu_s(), "sandbox": times.user + times.system, "client": time.process_time()}


def _cpu_figures(cpu: dict[str, float], n: int, wall_s: float) -> dict:
    """Where a burst's CPU went, per callback, and the shortest wall time the machine's cores
    allow for it (every process's CPU spread over every core, no waiting at all): a burst whose
    wall time is close to that floor is CPU-bound, whatever the code does between its statements."""
    cores = psutil.cpu_count() or 1
    total = sum(cpu.values())
    return {
        "cpu_ms_per_callback": {k: round(1000 * v / n, 1) for k, v in cpu.items()},
        "cpu_floor_s": round(total / cores, 2),
        "wall_over_cpu_floor": round(wall_s / (total / cores), 2) if total else None,
    }


async def profiled_burst(app: App, burst, personas: list[str]) -> dict:
    """One more N=200 burst with py-spy recording the worker (not counted in the figures)."""
    PROFILE_DIR.mkdir(exist_ok=True)
    (worker,) = app.workers()[:1]
    name = f"{app.setup.name}-n{len(personas)}"
    raw, svg = PROFILE_DIR / f"{name}.txt", PROFILE_DIR / f"{name}.svg"
    spies = [
        subprocess.Popen(
            [
                str(ROOT / ".venv/bin/py-spy"),
                "record",
                "--pid",
                str(worker.pid),
                "--rate",
                "200",
                "--format",
                fmt,
                "-o",
                str(out),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for fmt, out in (("raw", raw), ("flamegraph", svg))
    ]
    time.sleep(1.5)
    result = (await burst.fire_as(app.base_url, personas, *burst.owner())).summary()
    for spy in spies:
        spy.send_signal(2)  # SIGINT: py-spy writes its output and exits
        spy.wait(30)
    top = own_time_top(raw)
    summary = {"profile": str(svg.relative_to(ROOT)), "burst": result, "top_own_time_pct": top}
    print(json.dumps(summary), flush=True)
    return summary


def medians(results: list[dict]) -> None:
    print("\nmedians over rounds:")
    keys = sorted({(r["setup"], r["n"]) for r in results if "setup" in r}, key=lambda k: (k[0], k[1]))
    for setup, n in keys:
        rows = [r for r in results if r.get("setup") == setup and r["n"] == n]
        med = lambda k, rows=rows: round(statistics.median(r[k] for r in rows), 2)
        print(
            json.dumps(
                {
                    "setup": setup,
                    "n": n,
                    "rounds": len(rows),
                    "bound_ms": rows[0]["bound_ms"],
                    "exchange_ms": rows[0]["exchange_ms"],
                    "p50_ms": med("callback_p50_ms"),
                    "p95_ms": med("callback_p95_ms"),
                    "p50_ratio": med("p50_ratio"),
                    "p95_ratio": med("p95_ratio"),
                    "ping_max_ms": med("ping_max_ms"),
                    "cpu_ms_per_callback": {
                        part: round(statistics.median(r["cpu_ms_per_callback"][part] for r in rows), 1)
                        for part in rows[0]["cpu_ms_per_callback"]
                    },
                    "wall_over_cpu_floor": med("wall_over_cpu_floor"),
                    "ok_min": min(r["ok"] for r in rows),
                    "accounts": [r["accounts"] for r in rows],
                    "distinct": [r["distinct"] for r in rows],
                    "errors": sorted({e for r in rows for e in r["errors"]}),
                }
            ),
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--setups", nargs="+", default=["sqlite", "pg1", "pg2", "pg4"])
    parser.add_argument("--n", type=int, nargs="+", default=[15, 50, 200, 500])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="py-spy one extra N=200 burst on the first setup")
    args = parser.parse_args()
    results = []
    for i, text in enumerate(args.setups):
        results += asyncio.run(one_setup(Setup.parse(text), args.n, args.rounds, args.profile and i == 0))
    medians(results)


if __name__ == "__main__":
    main()
