"""Benchmark of ``refresh_sweep``: 10,000 Instagram accounts, 2,000 due, 50 ms provider latency.

Reports, per concurrency: wall time against the bound (provider calls x latency / concurrency), SQL
statements per account and per batch (a SQLAlchemy ``before_cursor_execute`` listener), the
time between a provider's answer and its commit (the loss window of a rotating token), and the
peak RSS of the process during the sweep.

    .venv/bin/python -m benchmarks.refresh_sweep.run                # PostgreSQL on 127.0.0.1
    .venv/bin/python -m benchmarks.refresh_sweep.run --sqlite       # a SQLite file instead

The sandbox runs in a process of its own (uvicorn on loopback, ``--in-process-sandbox``: behind
``httpx.ASGITransport`` in this process, its CPU counted); the latency is added by a transport
wrapper (the sandbox's control API has no latency knob), so the provider's time is a real
``asyncio.sleep`` the sweep has to overlap.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime

import httpx
import psutil
import sqlalchemy as sa
from sqlmodel import SQLModel

from benchmarks.harness import sandbox_process
from socializioz import db as database
from socializioz.integrations import SANDBOX_CREDENTIALS, ProviderSettings, get_provider
from socializioz.integrations.models import TokenSet
from socializioz.integrations.sandbox import build_sandbox_app
from socializioz.integrations.sandbox.store import TABLES as SANDBOX_TABLES
from socializioz.models import Credential, SocialAccount, Workspace
from socializioz.security.crypto import TokenCipher
from socializioz.services import token_refresh
from socializioz.settings import Settings, get_settings

ACCOUNTS, DUE, LATENCY = 10_000, 2_000, 0.050
WORKSPACES = 100
SCOPES = ("instagram_business_basic", "instagram_business_content_publish")


class LatencyTransport(httpx.AsyncBaseTransport):
    """Every provider call takes ``LATENCY`` more, as over a network. ``answers``: how long the
    sandbox itself took to answer each call (a real platform's time is in the latency; the
    sandbox's, on the same two cores and under the same load, is not)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner, self.calls, self.answers = inner, Counter(), []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls[request.url.path.rsplit("/", 1)[-1]] += 1
        await asyncio.sleep(LATENCY)
        started = time.perf_counter()
        try:
            return await self.inner.handle_async_request(request)
        finally:
            self.answers.append(time.perf_counter() - started)


def seed(state) -> None:
    """Workspaces, accounts and encrypted credentials in bulk; 2,000 tokens inside the 7-day window."""
    SQLModel.metadata.drop_all(database.engine())
    SQLModel.metadata.create_all(database.engine())
    cipher, client_id = TokenCipher.from_settings(), SANDBOX_CREDENTIALS["instagram"][0]
    accounts, credentials = [], []
    for n in range(1, ACCOUNTS + 1):
        due = n % (ACCOUNTS // DUE) == 0
        expires_in, age = (5 if due else 30) * 86400, 55 * 86400
        token = state.backdate(
            state.issue_token("instagram", "long", "ig-studio", SCOPES, client_id, expires_in + age), age
        )
        tokens = TokenSet(
            access_token=token.value, issued_at=int(token.issued_at), expires_at=int(token.expires_at), scopes=SCOPES
        )
        accounts.append(
            {
                "id": n,
                "workspace_id": n % WORKSPACES + 1,
                "platform": "instagram",
                "external_id": f"ig-{n}",
                "name": f"Account {n}",
                "token_expires_at": tokens.expires_at_datetime,
                "granted_scopes": " ".join(SCOPES),
            }
        )
        key_id, blob = cipher.encrypt(json.dumps(tokens.as_stored()), n)
        credentials.append({"account_id": n, "key_id": key_id, "ciphertext": blob})
    with database.session_scope() as db:
        db.execute(sa.insert(Workspace), [{"id": w, "name": f"Team {w}"} for w in range(1, WORKSPACES + 1)])
        db.execute(sa.insert(SocialAccount), accounts)
        db.execute(sa.insert(Credential), credentials)
    if database.engine().dialect.name == "postgresql":
        with database.engine().begin() as connection:
            for table in ("workspace", "socialaccount"):
                connection.execute(sa.text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))


class Measured:
    """SQL statements by kind, commit windows, and peak RSS while the sweep runs."""

    def __init__(self) -> None:
        self.statements: Counter = Counter()
        self.windows: list[float] = []
        self.peak_rss = 0
        self._sampling = False

    def on_statement(self, _conn, _cursor, statement, *_args) -> None:
        words = statement.split()
        self.statements[" ".join(words[:2] if words[0] != "SELECT" else [*words[:1], _table(statement)])] += 1

    def sample(self) -> None:
        process = psutil.Process()
        while self._sampling:
            self.peak_rss = max(self.peak_rss, process.memory_info().rss)
            time.sleep(0.1)  # 10 ms cost the sweep ~8 % of its CPU (py-spy): this runs in its process

    def __enter__(self) -> Measured:
        sa.event.listen(database.engine(), "before_cursor_execute", self.on_statement)
        original = token_refresh._commit

        async def timed_commit(*args, **kwargs):
            started = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                self.windows.append(time.perf_counter() - started)

        self._original, token_refresh._commit = original, timed_commit
        self._sampling = True
        self._sampler = threading.Thread(target=self.sample, daemon=True)
        self._sampler.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._sampling = False
        self._sampler.join()
        token_refresh._commit = self._original
        sa.event.remove(database.engine(), "before_cursor_execute", self.on_statement)


def _table(statement: str) -> str:
    found = re.search(r"\bFROM\s+(\w+)", statement)
    return f"FROM {found.group(1)}" if found else ""


def _sandbox_engine(path: str) -> sa.Engine:
    """The sandbox's state in a SQLite file of its own, so the measured statements are the app's only."""
    engine = database.create_engine_for(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine, tables=[t.__table__ for t in SANDBOX_TABLES])
    return engine


async def sweep_once(concurrency: int, batch_size: int, in_process: bool = False) -> dict:
    """One sweep. The sandbox answers from a process of its own over loopback HTTP (as a platform
    is another machine, its CPU is not the sweep's), or ``in_process`` behind ``ASGITransport``."""
    path = f"{tempfile.mkdtemp()}/sandbox.db"
    app = build_sandbox_app(engine=_sandbox_engine(path))
    seed(app.state.sandbox)
    server = None
    if in_process:
        transport = LatencyTransport(httpx.ASGITransport(app=app))
        base = "http://sandbox"
    else:
        server, base = sandbox_process(path)
        transport = LatencyTransport(httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=100)))
    settings = ProviderSettings(sandbox_base_url=base, request_timeout_seconds=15)
    try:
        return await _measure(concurrency, batch_size, transport, settings, in_process)
    finally:
        if server is not None:
            server.terminate()


async def _measure(
    concurrency: int, batch_size: int, transport: httpx.AsyncBaseTransport, settings: ProviderSettings, in_process: bool
) -> dict:

    def factory(platform: str):
        return get_provider(platform, Settings(), http_client=transport, provider_settings=settings)

    with Measured() as measured:
        started = time.perf_counter()
        report = await token_refresh.refresh_sweep(
            provider_factory=factory, concurrency=concurrency, batch_size=batch_size
        )
        wall = time.perf_counter() - started
    refreshed = report.count(token_refresh.Outcome.REFRESHED)
    # Every token is checked each hour (the spec's rule) and the due ones refreshed too: the bound
    # is every provider call made, each LATENCY long, with all ``concurrency`` slots always busy.
    calls = sum(transport.calls.values())  # type: ignore[attr-defined]
    bound = calls * LATENCY / concurrency
    total = sum(measured.statements.values())
    windows = sorted(measured.windows)
    answers = sorted(transport.answers)  # type: ignore[attr-defined]
    # The same bound with each slot also held for the sandbox's own answer (its mean, measured in
    # this sweep): what is left above it is the sweep's own overhead.
    answered_bound = calls * (LATENCY + statistics.fmean(answers)) / concurrency
    return {
        "concurrency": concurrency,
        "sandbox": "in process" if in_process else "own process",
        "batch_size": batch_size,
        "refreshed": refreshed,
        "batches": report.batches,
        "wall_s": round(wall, 2),
        "provider_calls": calls,
        "calls_by_endpoint": dict(transport.calls.most_common()),  # type: ignore[attr-defined]
        "bound_s": round(bound, 2),
        "ratio": round(wall / bound, 2),
        "sandbox_answer_ms_p50": round(statistics.median(answers) * 1000, 2),
        "sandbox_answer_ms_p95": round(answers[int(len(answers) * 0.95) - 1] * 1000, 2),
        "bound_with_answers_s": round(answered_bound, 2),
        "ratio_with_answers": round(wall / answered_bound, 2),
        "statements": total,
        "statements_per_account": round(total / max(refreshed, 1), 2),
        "statements_by_kind": dict(measured.statements.most_common()),
        "commit_window_ms_p50": round(statistics.median(windows) * 1000, 2),
        "commit_window_ms_p99": round(windows[int(len(windows) * 0.99) - 1] * 1000, 2),
        "peak_rss_mb": round(measured.peak_rss / 2**20, 1),
    }


def use_database(sqlite: bool, folder: str) -> str | None:
    """Point the app at a fresh database; returns the PostgreSQL database to drop afterwards."""
    os.environ["SOCIALIZIOZ_DATA_DIR"] = folder
    name = None
    if sqlite:
        os.environ["SOCIALIZIOZ_DATABASE_URL"] = f"sqlite:///{folder}/bench.db"
    else:
        name = f"bench_refresh_{uuid.uuid4().hex[:8]}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        os.environ["SOCIALIZIOZ_DATABASE_URL"] = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    get_settings.cache_clear()
    database.reset_engine()
    return name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true", help="SQLite file instead of PostgreSQL")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[5, 10, 25])
    parser.add_argument("--batch-size", type=int, default=token_refresh.DEFAULT_BATCH_SIZE)
    parser.add_argument("--in-process-sandbox", action="store_true", help="the sandbox's CPU counted in the sweep's")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        name = use_database(args.sqlite, folder)
        try:
            for concurrency in args.concurrency:
                print(json.dumps(asyncio.run(sweep_once(concurrency, args.batch_size, args.in_process_sandbox))))
        finally:
            database.reset_engine()
            if name:
                subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", name], check=False)
    print(
        json.dumps(
            {
                "machine": f"{os.cpu_count()} cores",
                "database": "sqlite" if args.sqlite else "postgresql",
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        )
    )


if __name__ == "__main__":
    main()
