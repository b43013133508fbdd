"""Benchmark of Meta webhook intake (issue 13): a burst of 1,000 signed deliveries, each a new
comment on a connected Page, sent ``--concurrency`` at a time (default 10) to the route in a server process of its own; then
the same 1,000 again (Meta's retries).

Reports the per-request latency p50/p95/p99 against the 50 ms bound, requests per second, the
time until every delivery is processed, and the exactly-once checks: 1,000 deliveries stored,
1,000 comments, none twice, none left unprocessed.

    .venv/bin/python -m benchmarks.webhooks.run              # SQLite in a temp folder
    .venv/bin/python -m benchmarks.webhooks.run --postgres   # a fresh sz_bench_webhooks database
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

from benchmarks.harness import ROOT, free_port, point_settings_at

DELIVERIES, BOUND_MS = 1_000, 50.0
PAGE_ID = "5550001"


def _env(args: argparse.Namespace, data_dir: str) -> dict[str, str]:
    env = {**os.environ, "SOCIALIZIOZ_DATA_DIR": data_dir}
    env.pop("SOCIALIZIOZ_DATABASE_URL", None)
    if args.postgres:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "sz_bench_webhooks"], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "sz_bench_webhooks"], check=True)
        env["SOCIALIZIOZ_DATABASE_URL"] = "postgresql+psycopg://postgres@127.0.0.1:5432/sz_bench_webhooks"
    return env


def _prepare(env: dict[str, str]) -> None:
    """Migrate, and connect one Facebook Page to a workspace (through the app's own services)."""
    subprocess.run([sys.executable, "-m", "socializioz.cli", "migrate"], env=env, check=True, capture_output=True)
    point_settings_at(env)
    from socializioz.db import session_scope
    from socializioz.domain.plans import Plan
    from socializioz.models import SocialAccount
    from socializioz.services import auth, workspaces

    with session_scope() as db:
        owner = auth.sign_up(db, "bench@example.test", "Bench", "long-enough-password")
        workspace = workspaces.create_workspace(db, owner, "Bench", Plan.PROFESSIONAL)
        db.add(SocialAccount(workspace_id=workspace.id, platform="facebook", external_id=PAGE_ID, name="Bench Page"))
        db.commit()


def _delivery(n: int) -> bytes:
    value = {
        "item": "comment",
        "verb": "add",
        "comment_id": f"{PAGE_ID}_{n}",
        "post_id": f"{PAGE_ID}_post",
        "parent_id": f"{PAGE_ID}_post",
        "created_time": 1_764_000_000 + n,
        "from": {"id": f"fan{n}", "name": f"Fan {n}"},
        "message": f"Comment number {n} \u00e4\u00f6\u00e5",
    }
    body = {
        "object": "page",
        "entry": [{"id": PAGE_ID, "time": 1_764_000_000 + n, "changes": [{"field": "feed", "value": value}]}],
    }
    return json.dumps(body).encode()  # ASCII-escaped, as Meta sends it


async def _burst(url: str, bodies: list[bytes], secret: str, concurrency: int) -> tuple[list[float], float, int]:
    from socializioz.security.webhook_signatures import meta_signature

    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    failures = 0

    async def send(client: httpx.AsyncClient, body: bytes) -> None:
        nonlocal failures
        headers = {"content-type": "application/json", "x-hub-signature-256": meta_signature(secret, body)}
        async with gate:
            started = time.perf_counter()
            response = await client.post(url, content=body, headers=headers)
            latencies.append((time.perf_counter() - started) * 1000)
            failures += response.status_code != 200

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        started = time.perf_counter()
        await asyncio.gather(*(send(client, body) for body in bodies))
        return latencies, time.perf_counter() - started, failures


def _counts() -> dict[str, int]:
    from sqlmodel import func, select

    from socializioz.db import session_scope
    from socializioz.models import EngagementComment, WebhookDelivery

    with session_scope() as db:
        pending = db.exec(
            select(func.count()).select_from(WebhookDelivery).where(WebhookDelivery.processed_at.is_(None))  # type: ignore[union-attr]
        ).one()
        return {
            "deliveries": db.exec(select(func.count()).select_from(WebhookDelivery)).one(),
            "unprocessed": pending,
            "comments": db.exec(select(func.count()).select_from(EngagementComment)).one(),
            "distinct_comments": db.exec(select(func.count(func.distinct(EngagementComment.external_id)))).one(),
        }


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument(
        "--concurrency", type=int, default=10, help="requests in flight at once (Meta's own is unpublished)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sz-bench-webhooks-") as data_dir:
        env = _env(args, data_dir)
        _prepare(env)
        from socializioz.integrations.meta_webhooks import webhook_app_secrets
        from socializioz.settings import get_settings

        secret = webhook_app_secrets(get_settings())[0]
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "benchmarks.webhooks.server", str(port)], env=env, cwd=ROOT)
        try:
            url = f"http://127.0.0.1:{port}/webhooks/meta"
            for _ in range(100):
                try:
                    httpx.get(url, timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            bodies = [_delivery(n) for n in range(DELIVERIES)]
            latencies, wall, failures = asyncio.run(_burst(url, bodies, secret, args.concurrency))
            started = time.perf_counter()
            while _counts()["unprocessed"] and time.perf_counter() - started < 120:
                time.sleep(0.1)
            drained = time.perf_counter() - started
            repeat_latencies, _repeat_wall, repeat_failures = asyncio.run(_burst(url, bodies, secret, args.concurrency))
            time.sleep(1)
            counts = _counts()
            rss = psutil.Process(server.pid).memory_info().rss / 2**20
        finally:
            server.terminate()
            server.wait(10)
    p95 = _pct(latencies, 95)
    result = {
        "database": "postgres" if args.postgres else "sqlite",
        "deliveries": DELIVERIES,
        "concurrency": args.concurrency,
        "p50_ms": round(_pct(latencies, 50), 1),
        "p95_ms": round(p95, 1),
        "p99_ms": round(_pct(latencies, 99), 1),
        "ratio_p95_to_bound": round(p95 / BOUND_MS, 2),
        "requests_per_s": round(DELIVERIES / wall, 1),
        "processed_within_s": round(wall + drained, 2),
        "failures": failures + repeat_failures,
        "repeat_p95_ms": round(_pct(repeat_latencies, 95), 1),
        "server_rss_mb": round(rss, 1),
        **counts,
        "exactly_once": counts["deliveries"] == DELIVERIES == counts["comments"] == counts["distinct_comments"]
        and counts["unprocessed"] == 0,
    }
    print(json.dumps(result))
    with open(Path(__file__).parent / f"results-{result['database']}.jsonl", "a") as out:
        out.write(json.dumps({"at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **result}) + "\n")


if __name__ == "__main__":
    main()
