"""APScheduler wiring: the hourly token sweep, run by exactly one process per hour; the retry
job (every two minutes, same lease scheme) that retries failed refreshes when their 30-minute
backoff ends; the publisher's tick, run by every process every few seconds (each claims its own
targets); the webhook backstop; and the hourly analytics sync.

Reflex runs lifespan tasks in every backend worker, and APScheduler cannot share a job store
between processes (its FAQ: "You can't"), so every worker runs its own in-memory scheduler and a
``JobLease`` row decides who works. Each run belongs to the hour it was scheduled in (its slot);
the lease of a slot is claimed with one conditional INSERT/UPDATE and held until the slot ends,
so a late or duplicate firing of the same slot in any process finds it taken and skips. A run
that outlasts its slot keeps renewing the lease between batches (and stops if it ever loses
it), so the next slot is skipped rather than run on top of it.

The publisher needs no job lease: its targets are claimed one by one with leases of their own
(``services/publish_claim.py``), so every worker publishes and the work spreads over them.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from socializioz import db as database
from socializioz.domain.refresh_policy import CHECK_INTERVAL
from socializioz.services import analytics_sync, comments_poll, inbox, publisher, refresh_leases, webhook_intake
from socializioz.services.token_refresh import refresh_sweep, retry_sweep

log = logging.getLogger(__name__)

JOB_NAME = "token-refresh-sweep"
RETRY_JOB_NAME = "token-refresh-retries"
RETRY_INTERVAL = timedelta(minutes=2)  # a retry due at :30 runs by :32
# A run delayed by a busy loop or a restart still happens within the hour (APScheduler's default is 1 s).
MISFIRE_GRACE_SECONDS = int(CHECK_INTERVAL.total_seconds() // 2)
JITTER_SECONDS = 60  # workers do not all hit the lease at the same millisecond
WEBHOOK_BACKSTOP_MINUTES = 5
RENEWAL = timedelta(minutes=10)  # a long run keeps the lease at least this far ahead
PUBLISH_JOB_NAME = "publisher-tick"
PUBLISH_TICK_SECONDS = 3  # due posts go out within seconds; "post now" wakes the publisher at once

Sweep = Callable[..., Awaitable[object]]


def slot_of(moment: datetime, interval: timedelta = CHECK_INTERVAL) -> datetime:
    """The start of the interval ``moment`` falls in (whole hours of UTC)."""
    seconds = interval.total_seconds()
    return datetime.fromtimestamp(moment.timestamp() // seconds * seconds, tz=UTC)


async def run_refresh_job(
    now: datetime | None = None,
    sweep: Sweep = refresh_sweep,
    holder: str | None = None,
    job_name: str = JOB_NAME,
    interval: timedelta = CHECK_INTERVAL,
) -> bool:
    """Run the sweep if this process wins the current slot's lease; False when another one has it."""
    moment = now or datetime.now(UTC)
    start, holder = slot_of(moment, interval), holder or refresh_leases.new_holder()
    with database.session_scope() as db:
        won = refresh_leases.claim(db, [job_name], holder, free_at=start, until=start + interval)
    if not won:
        log.info("%s for %s skipped: another process holds the lease", job_name, start.isoformat())
        return False

    def keep_going() -> bool:
        until = max(start + interval, datetime.now(UTC) + min(RENEWAL, interval))
        with database.session_scope() as db:
            if refresh_leases.renew(db, job_name, holder, until):
                return True
        log.warning("%s for %s stopped: the job lease was lost", job_name, start.isoformat())
        return False

    await sweep(keep_going=keep_going)
    return True


async def run_retry_job(now: datetime | None = None, sweep: Sweep = retry_sweep, holder: str | None = None) -> bool:
    """The retry job: one process per two-minute slot retries the failed refreshes now due."""
    return await run_refresh_job(now, sweep, holder, RETRY_JOB_NAME, RETRY_INTERVAL)


def build_scheduler(first_run: datetime | None = None) -> AsyncIOScheduler:
    """An in-memory scheduler with the hourly job; the first run catches up on the current hour."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        run_refresh_job,
        CronTrigger(minute=0, jitter=JITTER_SECONDS, timezone=UTC),
        id=JOB_NAME,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=MISFIRE_GRACE_SECONDS,
        replace_existing=True,
        next_run_time=first_run or datetime.now(UTC),
    )
    scheduler.add_job(
        run_publish_tick,
        IntervalTrigger(seconds=PUBLISH_TICK_SECONDS, timezone=UTC),
        id=PUBLISH_JOB_NAME,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=PUBLISH_TICK_SECONDS,
        replace_existing=True,
        next_run_time=first_run or datetime.now(UTC),
    )
    scheduler.add_job(  # webhook deliveries a crash or a restart left unprocessed (each is claimed alone)
        webhook_intake.process_pending,
        IntervalTrigger(minutes=WEBHOOK_BACKSTOP_MINUTES, timezone=UTC),
        id="webhook-backstop",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=60,
        replace_existing=True,
    )
    scheduler.add_job(  # analytics: hourly at :30, catching up on accounts not synced for yesterday
        analytics_sync.run_analytics_job,
        CronTrigger(minute=30, jitter=JITTER_SECONDS, timezone=UTC),
        id=analytics_sync.JOB_NAME,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=MISFIRE_GRACE_SECONDS,
        replace_existing=True,
    )
    scheduler.add_job(  # comments, when no Meta webhook is configured (services/comments_poll.py: cadence)
        comments_poll.run_poll_job,
        IntervalTrigger(minutes=comments_poll.POLL_MINUTES, jitter=JITTER_SECONDS, timezone=UTC),
        id=comments_poll.JOB_NAME,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=60,
        replace_existing=True,
    )
    scheduler.add_job(  # the inbox's polling fallback: only while no Meta webhook is configured (services/inbox.py)
        inbox.run_poll_job,
        IntervalTrigger(seconds=int(inbox.POLL_INTERVAL.total_seconds()), jitter=10, timezone=UTC),
        id=inbox.POLL_JOB_NAME,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=60,
        replace_existing=True,
    )
    scheduler.add_job(
        run_retry_job,
        CronTrigger(minute=f"*/{RETRY_INTERVAL.seconds // 60}", jitter=10, timezone=UTC),
        id=RETRY_JOB_NAME,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(RETRY_INTERVAL.total_seconds()),
        replace_existing=True,
    )
    return scheduler


async def run_publish_tick() -> None:
    """Claim and start this process's share of the due targets (they finish in their own tasks)."""
    try:
        await publisher.default_publisher().tick()
    except Exception:
        log.exception("publisher tick failed; the next tick tries again")


@contextlib.asynccontextmanager
async def scheduler_lifespan() -> AsyncIterator[AsyncIOScheduler]:
    """Starts the scheduler with the backend worker and stops it with the worker."""
    scheduler = build_scheduler()
    scheduler.start()
    try:
        yield scheduler
    finally:
        scheduler.shutdown(wait=False)  # targets in flight keep their leases; a successor reconciles them


def register(app) -> None:
    """Called once from ``socializioz.py``: every backend worker gets a scheduler; the lease picks the runner."""
    app.register_lifespan_task(scheduler_lifespan)
