"""Benchmark of the analytics sync (``services.analytics_sync.run_daily_sync``): 500 accounts (100
workspaces × Facebook Page, Instagram, TikTok, X, LinkedIn) in their daily steady state, every
provider call 100 ms slower, as over a network.

Reports, per concurrency: the wall time against the bound (provider calls × latency ÷ concurrency:
the time the calls would take if the sync kept ``concurrency`` of them in flight all the time, since
one account's calls follow each other), their ratio, calls per account, rows written, peak RSS.

    .venv/bin/python -m benchmarks.analytics.sync --sqlite                # a SQLite file
    .venv/bin/python -m benchmarks.analytics.sync                         # PostgreSQL on 127.0.0.1
    .venv/bin/python -m benchmarks.analytics.sync --sqlite --concurrency 8 16

The sandbox runs in a process of its own (uvicorn on a loopback port, its state in a SQLite file
of its own), so the measured process does only the sync's work: the HTTP clients, the app's
database writes. Each workspace's tokens carry their own sandbox tenant, so the platforms'
per-account call budgets are per workspace as they would be for 100 real teams.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx
import psutil
import sqlalchemy as sa
from sqlmodel import SQLModel, func, select

from benchmarks.harness import sandbox_process
from benchmarks.refresh_sweep.run import use_database
from socializioz import db as database
from socializioz.domain.platforms import platform_info
from socializioz.integrations import SANDBOX_CREDENTIALS, ProviderSettings, get_provider
from socializioz.integrations.sandbox import build_sandbox_app
from socializioz.integrations.sandbox.store import TABLES as SANDBOX_TABLES
from socializioz.models import (
    AccountMetricDay,
    AnalyticsState,
    Credential,
    PostMetricSnapshot,
    SocialAccount,
    Workspace,
    WorkspaceMetricDay,
)
from socializioz.security.crypto import TokenCipher
from socializioz.services import analytics_store, analytics_sync
from socializioz.settings import Settings

WORKSPACES, LATENCY = 100, 0.100
# (platform, persona, connection method); two X and LinkedIn personas keep each under its per-user budget
ACCOUNTS = (
    ("facebook", "fb-alice", "facebook_page"),
    ("instagram", "ig-studio", "instagram_login"),
    ("tiktok", "tt-maya", "oauth"),
    ("x", ("x-acme", "x-jane"), "oauth"),
    ("linkedin", ("li-jane", "li-omar"), "oauth"),
)


class LatencyTransport(httpx.AsyncBaseTransport):
    """Every provider call takes ``LATENCY`` more, and is counted by host."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner, self.calls, self.answer_times = inner, Counter(), []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls[request.url.path.split("/")[2]] += 1
        await asyncio.sleep(LATENCY)
        started = time.perf_counter()
        try:
            return await self.inner.handle_async_request(request)
        finally:
            self.answer_times.append(time.perf_counter() - started)


def seed(state) -> int:
    """Workspaces, accounts with sandbox tokens (one tenant per workspace), and an analytics state
    synced through the day before yesterday: the sync reads its usual three revisable days."""
    SQLModel.metadata.drop_all(database.engine())
    SQLModel.metadata.create_all(database.engine())
    cipher = TokenCipher.from_settings()
    yesterday = datetime.fromtimestamp(state.now(), UTC).date() - timedelta(days=1)
    accounts, credentials, states = [], [], []
    for w in range(1, WORKSPACES + 1):
        tenant = f"bench-tenant-{w:04d}-xxxxxxxx"
        for platform, personas, method in ACCOUNTS:
            persona_id = personas[w % 2] if isinstance(personas, tuple) else personas
            n = len(accounts) + 1
            tokens, external_id = _tokens(state, platform, persona_id, tenant)
            accounts.append(
                {
                    "id": n,
                    "workspace_id": w,
                    "platform": platform,
                    "external_id": external_id,
                    "name": f"{platform} {w}",
                    "connection_method": method,
                    "granted_scopes": "",
                }
            )
            key_id, blob = cipher.encrypt(json.dumps(tokens), n)
            credentials.append({"account_id": n, "key_id": key_id, "ciphertext": blob})
            states.append({"account_id": n, "backfilled_until": yesterday - timedelta(days=1)})
    with database.session_scope() as db:
        db.execute(sa.insert(Workspace), [{"id": w, "name": f"Team {w}"} for w in range(1, WORKSPACES + 1)])
        db.execute(sa.insert(SocialAccount), accounts)
        db.execute(sa.insert(Credential), credentials)
        db.execute(sa.insert(AnalyticsState), states)
    return len(accounts)


def _tokens(state, platform: str, persona_id: str, tenant: str) -> tuple[dict[str, str], str]:
    scopes = platform_info(platform).consent_scopes
    client_id = SANDBOX_CREDENTIALS[platform][0]
    persona = state.personas[persona_id]
    if platform == "facebook":
        user = state.issue_token(
            "facebook", "long", persona_id, scopes, client_id, 5_000_000, page_ids=("1111",), tenant=tenant
        )
        return {"access_token": user.value, "page_access_token": state.page_token(user, "1111").value}, "1111"
    kind = "long" if platform == "instagram" else "access"
    token = state.issue_token(platform, kind, persona_id, scopes, client_id, 5_000_000, tenant=tenant)
    return {"access_token": token.value}, persona.external_id


def _peak_rss(stop: threading.Event, peak: list[int]) -> None:
    process = psutil.Process()
    while not stop.is_set():
        peak[0] = max(peak[0], process.memory_info().rss)
        time.sleep(0.01)


async def sync_once(concurrency: int) -> dict:
    path = f"{tempfile.mkdtemp()}/sandbox.db"
    engine = database.create_engine_for(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine, tables=[t.__table__ for t in SANDBOX_TABLES])
    sandbox = build_sandbox_app(engine=engine).state.sandbox
    accounts = seed(sandbox)
    server, base = sandbox_process(path)
    transport = LatencyTransport(httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=100)))
    settings, app_settings = ProviderSettings(sandbox_base_url=base, request_timeout_seconds=30), Settings()

    def factory(platform: str):
        return get_provider(platform, app_settings, http_client=transport, provider_settings=settings)

    rollup_s = [0.0]  # time in the rollup's rebuilds (they run inside the store transactions)
    rebuild = analytics_store.update_rollup

    def timed_rollup(*args, **kwargs):
        began = time.perf_counter()
        try:
            return rebuild(*args, **kwargs)
        finally:
            rollup_s[0] += time.perf_counter() - began

    analytics_store.update_rollup = timed_rollup
    stop, peak = threading.Event(), [0]
    sampler = threading.Thread(target=_peak_rss, args=(stop, peak), daemon=True)
    sampler.start()
    started = time.perf_counter()
    try:
        report = await analytics_sync.run_daily_sync(
            datetime.fromtimestamp(sandbox.now(), UTC), provider_factory=factory, concurrency=concurrency
        )
    finally:
        wall = time.perf_counter() - started
        analytics_store.update_rollup = rebuild
        stop.set()
        sampler.join()
        server.terminate()
    calls = sum(transport.calls.values())
    bound = calls * LATENCY / concurrency
    answered = (calls * LATENCY + sum(transport.answer_times)) / concurrency
    with database.session_scope() as db:
        days = db.exec(select(func.count()).select_from(AccountMetricDay)).one()
        snapshots = db.exec(select(func.count()).select_from(PostMetricSnapshot)).one()
        rollup_rows = db.exec(select(func.count()).select_from(WorkspaceMetricDay)).one()
    return {
        "accounts": accounts,
        "synced": report.synced,
        "problems": report.problems,
        "concurrency": concurrency,
        "latency_ms": int(LATENCY * 1000),
        "calls": calls,
        "calls_per_account": round(calls / accounts, 2),
        "calls_by_host": dict(transport.calls.most_common()),
        "wall_s": round(wall, 2),
        "bound_s": round(bound, 2),
        "ratio": round(wall / bound, 2),
        # the same bound with the sandbox's own answer time added to the simulated latency
        "answered_bound_s": round(answered, 2),
        "answered_ratio": round(wall / answered, 2),
        "day_rows": days,
        "snapshots": snapshots,
        "rollup_rows": rollup_rows,
        "rollup_ms_per_account": round(rollup_s[0] * 1000 / max(accounts, 1), 2),
        "sandbox_answer_ms_p50": round(statistics.median(transport.answer_times) * 1000, 1),
        "sandbox_answer_ms_p95": round(sorted(transport.answer_times)[int(calls * 0.95)] * 1000, 1),
        "peak_rss_mb": round(peak[0] / 2**20, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true", help="SQLite file instead of PostgreSQL")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[analytics_sync.CONCURRENCY])
    args = parser.parse_args()
    machine = {"machine": f"{os.cpu_count()} cores", "database": "sqlite" if args.sqlite else "postgresql"}
    with tempfile.TemporaryDirectory() as folder:
        name = use_database(args.sqlite, folder)
        try:
            for concurrency in args.concurrency:
                result = asyncio.run(sync_once(concurrency))
                load = f"{os.getloadavg()[0]:.1f}"
                print(json.dumps({**result, **machine, "load": load, "at": datetime.now(UTC).isoformat()}), flush=True)
        finally:
            database.reset_engine()
            if name:
                subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", name], check=False)


if __name__ == "__main__":
    main()
