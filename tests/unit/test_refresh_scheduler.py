"""The scheduler's job options, its lifespan task, and the slot lease that makes one process run each hour."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger

from socializioz import db as database
from socializioz import scheduler as scheduler_module
from socializioz.scheduler import (
    JOB_NAME,
    MISFIRE_GRACE_SECONDS,
    RETRY_JOB_NAME,
    build_scheduler,
    register,
    run_refresh_job,
    run_retry_job,
    scheduler_lifespan,
    slot_of,
)
from socializioz.services import refresh_leases
from tests.conftest import START

pytestmark = pytest.mark.usefixtures("schema")


def test_hourly_job_coalesces_runs_one_instance_and_tolerates_a_late_start():
    job = build_scheduler(first_run=START).get_job(JOB_NAME)
    assert (job.coalesce, job.max_instances) == (True, 1)
    assert job.misfire_grace_time == MISFIRE_GRACE_SECONDS >= 1800
    assert isinstance(job.trigger, CronTrigger) and str(job.trigger.fields[6]) == "0"  # minute 0 of every hour
    assert job.next_run_time == START  # the first run catches up on the current hour


def test_the_retry_job_runs_every_two_minutes():
    job = build_scheduler(first_run=START).get_job(RETRY_JOB_NAME)
    assert (job.coalesce, job.max_instances) == (True, 1)
    assert isinstance(job.trigger, CronTrigger) and str(job.trigger.fields[6]) == "*/2"
    assert job.func is run_retry_job


async def test_one_retry_run_per_two_minute_slot_beside_the_hourly_run(clock):
    runs = []

    async def sweep(keep_going):
        runs.append(keep_going())

    assert await run_refresh_job(sweep=sweep, holder="hourly") is True  # its own lease: no conflict
    assert await run_retry_job(sweep=sweep, holder="a") is True
    clock.shift(timedelta(seconds=50))
    assert await run_retry_job(sweep=sweep, holder="b") is False  # same two-minute slot
    clock.shift(timedelta(seconds=70))
    assert await run_retry_job(sweep=sweep, holder="b") is True
    assert runs == [True, True, True]


async def test_the_lifespan_task_starts_and_stops_the_scheduler(monkeypatch):
    ran = asyncio.Event()

    async def job():
        ran.set()

    monkeypatch.setattr(scheduler_module, "run_refresh_job", job)
    registered = []

    class App:
        def register_lifespan_task(self, task):
            registered.append(task)

    register(App())
    assert registered == [scheduler_lifespan]
    async with scheduler_lifespan() as scheduler:
        assert scheduler.running and scheduler.get_job(JOB_NAME)
        await asyncio.wait_for(ran.wait(), 5)  # the first run starts at once
    await asyncio.sleep(0)  # AsyncIOScheduler stops on the loop's next turn
    assert not scheduler.running


async def test_one_run_per_hourly_slot_whoever_fires(clock):
    runs = []

    async def sweep(keep_going):
        runs.append(keep_going())

    assert await run_refresh_job(sweep=sweep, holder="a") is True
    clock.shift(timedelta(minutes=40))  # a late firing of the same hour, in another process
    assert await run_refresh_job(sweep=sweep, holder="b") is False
    clock.shift(timedelta(minutes=20))  # the next hour
    assert await run_refresh_job(sweep=sweep, holder="b") is True
    assert runs == [True, True]
    assert slot_of(START + timedelta(minutes=59)) == START


async def test_a_run_longer_than_its_hour_keeps_the_lease_and_the_next_hour_is_skipped(clock):
    async def slow_sweep(keep_going):
        clock.shift(timedelta(minutes=65))  # still working when the next hour starts
        assert keep_going()
        assert await run_refresh_job(sweep=slow_sweep, holder="other") is False

    assert await run_refresh_job(sweep=slow_sweep, holder="first") is True


async def test_a_run_that_lost_its_lease_stops(clock):
    seen = []

    async def sweep(keep_going):
        with database.session_scope() as db:
            refresh_leases.release(db, [JOB_NAME], "mine")
        seen.append(keep_going())

    await run_refresh_job(sweep=sweep, holder="mine")
    assert seen == [False]
