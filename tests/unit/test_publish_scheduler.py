"""The publisher's tick in every worker's scheduler, and a tick that fails not stopping the next."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from socializioz import scheduler
from socializioz.services import publisher


def test_every_worker_ticks_the_publisher_every_few_seconds_one_tick_at_a_time():
    job = scheduler.build_scheduler(first_run=datetime(2026, 3, 2, tzinfo=UTC)).get_job(scheduler.PUBLISH_JOB_NAME)
    assert job.func is scheduler.run_publish_tick
    assert job.trigger.interval == timedelta(seconds=scheduler.PUBLISH_TICK_SECONDS) <= timedelta(seconds=5)
    assert job.max_instances == 1 and job.coalesce is True


async def test_the_tick_runs_this_processes_publisher_and_survives_its_failure(monkeypatch):
    calls = []

    class Recording:
        async def tick(self):
            calls.append("tick")
            if len(calls) == 2:
                raise RuntimeError("database away")
            return 0

    monkeypatch.setattr(publisher, "default_publisher", Recording)
    await scheduler.run_publish_tick()
    await scheduler.run_publish_tick()  # logged, not raised: APScheduler runs the next one anyway
    assert calls == ["tick", "tick"]


def test_wake_without_a_running_publisher_does_nothing(monkeypatch):
    monkeypatch.setattr(publisher, "_default", None)
    publisher.wake()  # no loop, no publisher: the next scheduled tick picks the target up
    idle = publisher.Publisher()
    idle.wake()  # never ticked: no loop recorded yet
    assert idle._loop is None
