"""Several processes run the analytics sync at the same moment, on SQLite and on PostgreSQL, against
one sandbox server: each account's day is written once (one row per account, day and metric), and
of the schedulers that fire for the same hour exactly one wins the job lease."""

from __future__ import annotations

import asyncio
import multiprocessing
from datetime import UTC, datetime

import pytest
from sqlmodel import func, select
from starlette.applications import Starlette
from starlette.routing import Mount

from socializioz.domain.analytics import Metric
from socializioz.integrations import ProviderSettings, get_provider
from socializioz.models import AccountMetricDay
from socializioz.services import analytics_sync
from socializioz.settings import Settings
from tests.unit.accounts_fixtures import make_team

from .test_analytics_sync import _five_platforms, duplicate_days
from .test_refresh_harness import SandboxServer, postgres_database

WORKERS = 3
fork = multiprocessing.get_context("fork")


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, monkeypatch):
    if request.param == "sqlite":
        yield request.param
        return
    with postgres_database(monkeypatch, prefix="anback"):
        yield request.param


@pytest.fixture
def served(backend, sandbox):
    with SandboxServer(Starlette(routes=[Mount("/sandbox", app=sandbox)])) as base:
        yield base


def _factory(base: str):
    settings = ProviderSettings(sandbox_base_url=base, request_timeout_seconds=30)
    return lambda platform: get_provider(platform, Settings(), provider_settings=settings)


def _worker(base: str, moment: float, job: bool, barrier, results) -> None:
    now = datetime.fromtimestamp(moment, UTC)
    barrier.wait(timeout=60)
    if job:
        report = asyncio.run(analytics_sync.run_analytics_job(now, provider_factory=_factory(base), concurrency=4))
    else:
        report = asyncio.run(analytics_sync.run_daily_sync(now, provider_factory=_factory(base), concurrency=4))
    results.put(None if report is None else (report.accounts, report.synced, report.problems))


def _run(base: str, moment: float, *, job: bool) -> list[tuple[int, int, int] | None]:
    from socializioz import db as database

    database.reset_engine()  # no connection shared with the children
    barrier, results = fork.Barrier(WORKERS), fork.Queue()
    workers = [fork.Process(target=_worker, args=(base, moment, job, barrier, results)) for _ in range(WORKERS)]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    return reports


async def test_processes_syncing_at_once_write_each_day_once(backend, served, db, make_provider, consent, clock):
    team = make_team(db, "procs")
    accounts = await _five_platforms(db, team, make_provider, consent)
    reports = _run(served, clock.now(), job=False)
    assert all(r is not None and r[2] == 0 for r in reports)
    assert sum(r[1] for r in reports if r) >= len(accounts)  # every account synced, some by several processes
    assert duplicate_days(db) == []
    page_rows = db.exec(
        select(AccountMetricDay.metric, func.count())
        .where(AccountMetricDay.account_id == accounts["facebook"].id)
        .group_by(AccountMetricDay.metric)
    ).all()
    assert dict(page_rows) == {m.value: 365 for m in Metric}


async def test_of_the_schedulers_firing_for_one_hour_one_runs_the_sync(
    backend, served, db, make_provider, consent, clock
):
    team = make_team(db, "lease")
    accounts = await _five_platforms(db, team, make_provider, consent)
    reports = _run(served, clock.now(), job=True)
    ran = [r for r in reports if r is not None]
    assert ran == [(len(accounts), len(accounts), 0)]
