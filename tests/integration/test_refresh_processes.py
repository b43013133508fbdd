"""Several processes on one PostgreSQL database and one sandbox server: concurrent refreshes of one
account make one provider call per round; a crash between the provider's answer and the commit
leaves a usable token; three schedulers over 24 simulated hours run the job 24 times."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from starlette.applications import Starlette
from starlette.routing import Mount

from socializioz.integrations import ProviderSettings, get_provider
from socializioz.scheduler import run_refresh_job
from socializioz.services import refresh_store
from socializioz.services.token_refresh import Outcome, refresh_account_now, refresh_sweep
from socializioz.settings import Settings

from .test_refresh_harness import (
    DAY,
    HOUR,
    START,
    SandboxServer,
    TokenEndpointCounter,
    World,
    admin_of,
    postgres_database,
)

ROUNDS, PER_PROCESS = 100, 25  # 50 concurrent requests per round across the two processes
TOKEN_ENDPOINTS = ("/2/oauth2/token", "/refresh_access_token")
fork = multiprocessing.get_context("fork")


@pytest.fixture
def pg(monkeypatch):
    with postgres_database(monkeypatch):
        yield


@pytest.fixture
def served(sandbox):
    counter = TokenEndpointCounter(Starlette(routes=[Mount("/sandbox", app=sandbox)]), *TOKEN_ENDPOINTS)
    with SandboxServer(counter) as base:
        yield base, counter


def _factory(base: str):
    settings = ProviderSettings(sandbox_base_url=base, request_timeout_seconds=5)
    return lambda platform: get_provider(platform, Settings(), provider_settings=settings)


def _start(target, *args) -> multiprocessing.Process:
    """A forked worker; the parent's engine is dropped first so no connection is shared."""
    from socializioz import db as database

    database.reset_engine()
    process = fork.Process(target=target, args=args)
    process.start()
    return process


def _refresher(base, account_id, admin, start, done, asked_at, results) -> None:
    async def one_round(moment: datetime):
        calls = (
            refresh_account_now(
                account_id, admin, now=moment, provider_factory=_factory(base), refresh_rotating_tokens=True
            )
            for _ in range(PER_PROCESS)
        )
        return Counter(result.outcome for result in await asyncio.gather(*calls))

    rounds = []
    for _ in range(ROUNDS):
        start.wait(timeout=60)
        rounds.append(asyncio.run(one_round(datetime.fromtimestamp(asked_at.value, tz=UTC))))
        done.wait(timeout=60)
    results.put(rounds)


def test_two_processes_of_50_concurrent_refreshes_make_one_provider_call_per_round(pg, served, state):
    base, counter = served
    world = World(state)
    account, admin = world.account("x", expires_in=2 * HOUR), admin_of(world.workspace_id)
    start, done, results, asked_at = fork.Barrier(3), fork.Barrier(3), fork.Queue(), fork.Value("d")
    workers = [_start(_refresher, base, account, admin, start, done, asked_at, results) for _ in range(2)]

    calls_per_round = []
    for _ in range(ROUNDS):
        before = len(counter.statuses)
        asked_at.value = time.time()  # every request of the round is made at this instant
        start.wait(timeout=60)
        done.wait(timeout=120)
        calls_per_round.append(counter.statuses[before:])
    per_worker = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)

    assert calls_per_round == [[200]] * ROUNDS  # one refresh per round, never an invalid_grant
    for round_outcomes in zip(*per_worker, strict=True):
        total = sum(round_outcomes, Counter())
        assert total[Outcome.REFRESHED] == 1 and sum(total.values()) == 2 * PER_PROCESS
        assert set(total) <= {Outcome.REFRESHED, Outcome.BUSY, Outcome.ALREADY_FRESH}
    stored = world.tokens(account)
    assert world.token_state(account) == "valid"
    assert state.token(stored["refresh_token"]).used is False  # the newest refresh token is the one kept
    assert world.events(account) == ["token_refreshed"] * ROUNDS


def _crash_after_provider_answer(base, account_id, admin) -> None:
    def crash(*_args, **_kwargs):
        os._exit(17)  # the process dies with the provider's answer in memory, before the commit

    refresh_store.record_success = crash
    asyncio.run(refresh_account_now(account_id, admin, provider_factory=_factory(base), refresh_rotating_tokens=True))


@pytest.mark.parametrize(
    "platform, expires_in, age, after_restart",
    [
        ("instagram", 5 * DAY, 55 * DAY, Outcome.REFRESHED),  # the old token still works: just retried
        ("x", HOUR, timedelta(0), Outcome.NEEDS_RECONNECT),  # spent refresh token: not replayed, flagged
    ],
)
def test_a_crash_between_the_provider_answer_and_the_commit_leaves_a_usable_token(
    pg, served, state, platform, expires_in, age, after_restart
):
    base, counter = served
    world = World(state)
    account = world.account(platform, expires_in=expires_in, age=age)
    before = world.tokens(account)

    crashed = _start(_crash_after_provider_answer, base, account, admin_of(world.workspace_id))
    crashed.join(timeout=60)

    assert crashed.exitcode == 17 and counter.statuses == [200]  # the provider did answer
    assert world.tokens(account) == before  # nothing half-written
    assert world.token_state(account) == "valid"  # and what is stored still works
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=10)):  # the dead holder's lease expired
        report = asyncio.run(refresh_sweep(provider_factory=_factory(base), refresh_rotating_tokens=True))
    assert report.count(after_restart) == 1
    assert world.token_state(account) == "valid"
    if platform == "x":
        assert counter.statuses == [200]  # no replay of the spent refresh token (it would revoke the grant)
        assert world.events(account) == ["token_refresh_interrupted"]


def _scheduler(index, hours, barrier, results) -> None:
    ran = []

    async def sweep(keep_going):
        assert keep_going()

    for hour in range(hours):
        barrier.wait(timeout=60)
        for delay in (timedelta(seconds=7 * index), timedelta(minutes=20, seconds=index)):  # on time, then late
            with time_machine.travel(START + hour * HOUR + delay, tick=False):
                if asyncio.run(run_refresh_job(sweep=sweep)):
                    ran.append(hour)
    results.put(ran)


def test_three_schedulers_over_24_simulated_hours_run_24_times(pg):
    barrier, results = fork.Barrier(3), fork.Queue()
    workers = [_start(_scheduler, index, 24, barrier, results) for index in range(3)]
    runs = sorted(hour for _ in workers for hour in results.get(timeout=120))
    for worker in workers:
        worker.join(timeout=30)
    assert runs == list(range(24))
