"""Benchmark of the publisher: N targets due in the same minute over N/5 accounts, every platform
call taking 200 ms. Reports per setup (SQLite with one process, PostgreSQL with 1, 2, 4 worker
processes): wall time from the due time to the last target published against the bound
(targets x latency / (processes x concurrency)), p50/p95 lateness (published minus due), SQL
statements per target (a ``before_cursor_execute`` listener in every worker), peak RSS of a worker.

    .venv/bin/python -m benchmarks.publish_dispatch.run                       # all setups, 10,000 targets
    .venv/bin/python -m benchmarks.publish_dispatch.run --setups sqlite pg2 --targets 2000

Each worker runs the production ``Publisher`` as the scheduler drives it (a tick every second,
plus the wake-ups of finished targets), with a stand-in client whose ``publish_post`` sleeps the
latency, so what is measured is the dispatch: claims, attempt records, outcomes, post statuses.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import psutil
import sqlalchemy as sa
from sqlmodel import SQLModel

from socializioz import db as database
from socializioz.integrations.models import AccountRef, PublishRequest, PublishResult
from socializioz.models import Credential, Membership, Post, PostTarget, SocialAccount, User, Workspace
from socializioz.security.crypto import TokenCipher
from socializioz.services.publisher import Publisher
from socializioz.settings import get_settings

LATENCY = 0.200
CONCURRENCY = 50  # platform calls in flight per worker process
TARGETS_PER_POST = 10
WORKSPACES = 20
fork = multiprocessing.get_context("fork")


class LatencyClient:
    """A platform that answers every post after ``LATENCY``."""

    def __init__(self, _platform: str) -> None:
        self.count = 0

    async def publish_post(self, account: AccountRef, request: PublishRequest, checkpoint=None) -> PublishResult:
        await asyncio.sleep(LATENCY)
        self.count += 1
        return PublishResult(f"{account.external_id}-{self.count}", permalink="https://example.test/p")

    async def find_published(self, account, request, since):
        return None

    async def aclose(self) -> None:
        return None


def seed(targets: int, due: datetime) -> None:
    """Accounts (one per 5 targets) with encrypted tokens, posts of 10 targets, all due at ``due``."""
    SQLModel.metadata.drop_all(database.engine())
    SQLModel.metadata.create_all(database.engine())
    accounts = targets // 5
    cipher = TokenCipher.from_settings()
    with database.session_scope() as db:
        db.execute(sa.insert(Workspace), [{"id": w, "name": f"Team {w}"} for w in range(1, WORKSPACES + 1)])
        db.execute(sa.insert(User), [{"id": 1, "email": "a@example.com", "name": "A", "password_hash": "-"}])
        db.execute(sa.insert(Membership), [{"workspace_id": w, "user_id": 1} for w in range(1, WORKSPACES + 1)])
        db.execute(
            sa.insert(SocialAccount),
            [
                {
                    "id": n,
                    "workspace_id": _workspace(n, accounts),
                    "platform": "x",
                    "external_id": f"x-{n}",
                    "name": f"Account {n}",
                    "granted_scopes": "tweet.write",
                    "connection_method": "oauth",
                }
                for n in range(1, accounts + 1)
            ],
        )
        credentials = []
        for n in range(1, accounts + 1):
            key_id, blob = cipher.encrypt(json.dumps({"access_token": f"token-{n}"}), n)
            credentials.append({"account_id": n, "key_id": key_id, "ciphertext": blob})
        db.execute(sa.insert(Credential), credentials)
        posts = targets // TARGETS_PER_POST
        # Post p goes to 10 consecutive accounts of one workspace; every account gets 5 targets.
        first = [((p - 1) * TARGETS_PER_POST) % accounts + 1 for p in range(1, posts + 1)]
        db.execute(
            sa.insert(Post),
            [
                {"id": p, "workspace_id": _workspace(first[p - 1], accounts), "author_id": 1, "text": f"Post {p}"}
                | {"status": "scheduled"}
                for p in range(1, posts + 1)
            ],
        )
        rows = [
            {"post_id": p, "account_id": first[p - 1] + k, "status": "scheduled", "due_at": due}
            for p in range(1, posts + 1)
            for k in range(TARGETS_PER_POST)
        ]
        db.execute(sa.insert(PostTarget), rows)
    if database.engine().dialect.name == "postgresql":
        with database.engine().begin() as connection:
            for table in ("workspace", "socialaccount", "post", '"user"'):
                name = table.strip('"')
                connection.execute(sa.text(f"SELECT setval('{name}_id_seq', (SELECT max(id) FROM {table}))"))


def _workspace(account: int, accounts: int) -> int:
    """Accounts in blocks of ``accounts / WORKSPACES`` (a multiple of 10 when targets are whole thousands)."""
    return (account - 1) // max(1, accounts // WORKSPACES) % WORKSPACES + 1


def worker(due_ts: float, total: int, results) -> None:
    """One backend worker: ticks every second from the due time until no target is left (the
    CPU it reports includes its idle ticks and the final checks, a few ms in all)."""
    database.reset_engine()
    statements = Counter()
    sa.event.listen(
        database.engine(),
        "before_cursor_execute",
        lambda _c, _cur, statement, *_a: statements.update([statement.split()[0]]),
    )
    peak = [0]
    sampling = [True]

    def sample() -> None:
        process = psutil.Process()
        while sampling[0]:
            peak[0] = max(peak[0], process.memory_info().rss)
            time.sleep(0.05)

    threading.Thread(target=sample, daemon=True).start()

    async def main() -> None:
        publisher = Publisher(provider_factory=LatencyClient, concurrency=CONCURRENCY, sync_content=False)
        await asyncio.sleep(max(0.0, due_ts - time.time()))
        idle = 0
        while idle < 3:
            await publisher.tick()
            await asyncio.sleep(1.0)
            if not publisher._work:
                idle = idle + 1 if await database.run_db(_pending) == 0 else 0
        await publisher.aclose()

    asyncio.run(main())
    sampling[0] = False
    usage = resource.getrusage(resource.RUSAGE_SELF)
    results.put({"statements": dict(statements), "peak_rss": peak[0], "cpu_s": usage.ru_utime + usage.ru_stime})


def _pending() -> int:
    with database.session_scope() as db:
        query = sa.select(sa.func.count()).select_from(PostTarget).where(PostTarget.status != "published")
        return int(db.execute(query).scalar_one())


def run_setup(setup: str, targets: int) -> dict:
    processes = 1 if setup == "sqlite" else int(setup.removeprefix("pg"))
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=5 + targets // 1000)
    seed(targets, due)
    database.reset_engine()
    results = fork.Queue()
    workers = [fork.Process(target=worker, args=(due.timestamp(), targets, results)) for _ in range(processes)]
    for process in workers:
        process.start()
    reports = [results.get(timeout=3600) for _ in workers]
    for process in workers:
        process.join(timeout=60)
    with database.session_scope() as db:
        rows = db.execute(sa.select(PostTarget.published_at, PostTarget.status, PostTarget.attempts)).all()
    lateness = sorted((r.published_at - due).total_seconds() for r in rows if r.published_at is not None)
    statuses = Counter(r.status for r in rows)
    wall = lateness[-1] if lateness else float("nan")
    bound = targets * LATENCY / (processes * CONCURRENCY)
    total_statements = sum(sum(r["statements"].values()) for r in reports)
    kinds = Counter()
    for r in reports:
        kinds.update(r["statements"])
    return {
        "setup": "sqlite-1" if setup == "sqlite" else f"pg-{processes}",
        "targets": targets,
        "accounts": targets // 5,
        "concurrency_per_process": CONCURRENCY,
        "published": statuses["published"],
        "attempts_max": max(r.attempts for r in rows),
        "wall_s": round(wall, 2),
        "bound_s": round(bound, 2),
        "ratio": round(wall / bound, 2),
        "lateness_p50_s": round(statistics.median(lateness), 2),
        "lateness_p95_s": round(lateness[int(len(lateness) * 0.95) - 1], 2),
        "statements_per_target": round(total_statements / targets, 2),
        "statements_by_kind": dict(kinds),
        "peak_rss_mb": round(max(r["peak_rss"] for r in reports) / 2**20, 1),
        # The workers' own CPU (PostgreSQL's is not counted): on a shared 2-core machine the wall
        # time cannot go below cpu / the cores they actually got.
        "worker_cpu_ms_per_target": round(1000 * sum(r["cpu_s"] for r in reports) / targets, 2),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }


def _point_at(url: str, data_dir: str) -> None:
    os.environ["SOCIALIZIOZ_DATABASE_URL"] = url
    os.environ["SOCIALIZIOZ_DATA_DIR"] = data_dir
    get_settings.cache_clear()
    database.reset_engine()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--setups", nargs="+", default=["sqlite", "pg1", "pg2", "pg4"])
    parser.add_argument("--targets", type=int, default=10_000)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="sz_bench_publish_")
    for setup in args.setups:
        if setup == "sqlite":
            _point_at(f"sqlite:///{data_dir}/bench-{uuid.uuid4().hex[:6]}.db", data_dir)
            print(json.dumps(run_setup(setup, args.targets)), flush=True)
            continue
        name = f"sz_bench_pubcore_{uuid.uuid4().hex[:8]}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        try:
            _point_at(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", data_dir)
            print(json.dumps(run_setup(setup, args.targets)), flush=True)
        finally:
            database.reset_engine()
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", name], check=False)


if __name__ == "__main__":
    main()
