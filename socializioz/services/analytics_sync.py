"""Collecting analytics: the hourly job that takes each account's daily snapshot, the backfill when
an account connects, and the per-account "Refresh analytics" action (issue 12).

For each account the platform's client reads the daily account metrics of the window it still
lacks (its whole history the first time: ``Provider.insights_history_days``; afterwards from two
days before its last day, because Meta revises the last 48 hours) and the counters of its recent
posts; ``analytics_store`` writes them in one short transaction. No database connection is held
across a provider call. Two values the app charts for every platform are derived here:
  * posts published per day, from the recent posts, for the days the list fully covers;
  * for platforms that keep only lifetime counters (TikTok, X), the day's views and engagement as
    what the account's posts gained since the previous sync's snapshots.

Failures are classified before anything changes (docs/architecture.md, "Hold, don't lose"): a
missing scope records ``analytics_missing_scope`` and the scope, so the page says "Reconnect and
allow read_insights to see analytics" instead of showing an empty chart; a dead token records the
token's code; a temporary failure records nothing and the next hourly run retries. Rate limits:
at most ``CONCURRENCY`` accounts are read at once, and a 429 is waited out (``Retry-After`` or
exponential backoff) before the same call is tried again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from socializioz.db import run_db, session_scope
from socializioz.domain.analytics import Metric
from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.integrations.base import Provider
from socializioz.integrations.factory import get_provider
from socializioz.integrations.insight_windows import days
from socializioz.integrations.models import MetricPoint, PostMetrics
from socializioz.models import PostMetricSnapshot, User
from socializioz.services import analytics_store as store
from socializioz.services import notify, refresh_leases
from socializioz.services.account_access import workspace_account

log = logging.getLogger(__name__)

T = TypeVar("T")
ProviderFactory = Callable[[str], Provider]
Sleep = Callable[[float], Awaitable[None]]

POST_LIMIT = 25  # recent posts refreshed per account and sync
CONCURRENCY = 8  # accounts read at once
REVISION_DAYS = 2  # re-read days the platform may still revise (Meta: up to 48 h late)
MAX_ATTEMPTS = 4  # a rate-limited call is tried this often before the account waits for the next run
BACKOFF_CAP_SECONDS = 120.0
JOB_NAME = "analytics-sync"
JOB_INTERVAL = timedelta(hours=1)  # each hour catches up on accounts not synced for yesterday yet
LEASE_RENEWAL = timedelta(minutes=10)
RENEW_EVERY_SECONDS = 60.0

_background: set[asyncio.Task[Any]] = set()


@dataclass(frozen=True)
class AnalyticsRefresh:
    """One account's sync. ``status``: synced / missing_permission / needs_reconnect / temporary /
    unsupported; ``code`` and ``scope`` say why when it is not "synced"."""

    status: str
    days: int = 0
    posts: int = 0
    code: str = ""
    scope: str = ""


@dataclass(frozen=True)
class SyncReport:
    accounts: int
    synced: int
    problems: int
    stopped: bool = False  # the job lease was lost: the rest waits for the next run


# -- one account --------------------------------------------------------------------------------


def last_complete_day(now: datetime) -> date:
    """Platforms report whole UTC days: the sync reads up to yesterday."""
    return now.astimezone(UTC).date() - timedelta(days=1)


def sync_window(history_days: int, backfilled_until: date | None, until: date) -> tuple[date, date]:
    """The days to read: the platform's whole history the first time, then the days since the last
    sync plus the ones the platform may still revise; never further back than it keeps."""
    earliest = until - timedelta(days=max(history_days, 1) - 1)
    if backfilled_until is None:
        return earliest, until
    return max(earliest, min(backfilled_until - timedelta(days=REVISION_DAYS), until)), until


async def with_backoff(call: Callable[[], Awaitable[T]], sleep: Sleep = asyncio.sleep) -> T:
    """The call, retried after a rate-limit answer: ``Retry-After`` when given, else 5 s, 10 s, 20 s."""
    for attempt in range(MAX_ATTEMPTS):
        try:
            return await call()
        except ProviderError as error:
            if error.code != "rate_limited" or attempt == MAX_ATTEMPTS - 1:
                raise
            await sleep(min(error.retry_after or 5.0 * 2**attempt, BACKOFF_CAP_SECONDS))
    raise AssertionError("unreachable: the last attempt returns or raises")


async def sync_account(
    target: store.SyncTarget,
    until: date,
    *,
    provider_factory: ProviderFactory | None = None,
    now: datetime | None = None,
    sleep: Sleep = asyncio.sleep,
) -> AnalyticsRefresh:
    """Read one account's window and recent posts, then store them (or the reason it could not)."""
    now = now or datetime.now(UTC)
    provider = (provider_factory or get_provider)(target.client)  # looked up per call: tests route it
    try:
        since, until = sync_window(provider.insights_history_days(target.ref), target.backfilled_until, until)
        points = await with_backoff(lambda: provider.account_insights(target.ref, since, until), sleep)
        posts = await with_backoff(lambda: provider.post_metrics(target.ref, POST_LIMIT), sleep)
    except ProviderError as error:
        return await run_db(_record_failure, target, error)
    finally:
        await provider.aclose()
    return await run_db(_store, target, since, until, points, posts, now)


def _store(
    target: store.SyncTarget,
    since: date,
    until: date,
    points: list[MetricPoint],
    posts: list[PostMetrics],
    now: datetime,
) -> AnalyticsRefresh:
    with session_scope() as db:
        if not store.is_connected(db, target.account_id):
            return AnalyticsRefresh("unsupported")  # disconnected while we were reading: keep nothing
        previous = store.latest_snapshots(db, target.account_id, before=store.day_start(until + timedelta(days=1)))
        derived = [
            *posts_per_day(posts, since, until, complete=len(posts) < POST_LIMIT),
            *activity_from_snapshots(points, posts, previous, until),
        ]
        written = store.save_points(db, target.workspace_id, target.account_id, [*points, *derived], now)
        store.update_rollup(db, target, [*points, *derived])  # before record_synced: it reads the last sync
        store.save_snapshots(db, target.workspace_id, target.account_id, posts, now)
        store.record_synced(db, target.account_id, until, now)
    return AnalyticsRefresh("synced", days=written, posts=len(posts))


def _record_failure(target: store.SyncTarget, error: ProviderError) -> AnalyticsRefresh:
    log.info("analytics for account %s not synced: %s", target.account_id, error)
    with session_scope() as db:
        if error.kind is ErrorKind.MISSING_PERMISSION:
            store.record_problem(db, target.account_id, store.MISSING_SCOPE_CODE, error.missing_scope)
        elif error.kind is ErrorKind.NEEDS_RECONNECT:
            store.record_problem(db, target.account_id, error.code, None)
    code = store.MISSING_SCOPE_CODE if error.kind is ErrorKind.MISSING_PERMISSION else error.code
    return AnalyticsRefresh(error.kind.value, code=code, scope=error.missing_scope or "")


# -- values derived from the posts ---------------------------------------------------------------


def posts_per_day(posts: Sequence[PostMetrics], since: date, until: date, *, complete: bool) -> list[MetricPoint]:
    """Posts published each day (0 included) for the days the list covers: all of them when it
    holds every post, else from the day after its oldest post (that day may be cut)."""
    published = [p.published_at.astimezone(UTC).date() for p in posts if p.published_at is not None]
    if not complete:
        if not published:
            return []
        since = max(since, min(published) + timedelta(days=1))
    per_day = Counter(published)
    return [MetricPoint(day, Metric.POSTS.value, per_day.get(day, 0)) for day in days(since, until)]


def _interactions(post: PostMetrics | PostMetricSnapshot) -> int:
    return post.likes + post.comments + post.shares + post.saves


def activity_from_snapshots(
    points: Iterable[MetricPoint],
    posts: Sequence[PostMetrics],
    previous: Mapping[str, PostMetricSnapshot],
    until: date,
) -> list[MetricPoint]:
    """For platforms without daily account series (no views reported for ``until``): the day's views
    and engagement are what the posts gained since the previous sync's snapshots. Nothing before
    there is a previous sync: a first reading has no "since"."""
    if not previous or any(p.metric == Metric.VIEWS.value and p.day == until for p in points):
        return []
    last_sync = max(s.synced_at for s in previous.values())
    views = engagement = 0
    for post in posts:
        before = previous.get(post.external_id)
        if before is not None:
            views += max(post.views - before.views, 0)
            engagement += max(_interactions(post) - _interactions(before), 0)
        elif post.published_at is not None and post.published_at >= last_sync:
            views, engagement = views + post.views, engagement + _interactions(post)
    return [MetricPoint(until, Metric.VIEWS.value, views), MetricPoint(until, Metric.ENGAGEMENT.value, engagement)]


# -- the daily job ------------------------------------------------------------------------------


class _Renewal:
    """Asks ``keep_going`` (which renews the job lease) at most once a minute."""

    def __init__(self, keep_going: Callable[[], bool] | None) -> None:
        self._keep_going, self._asked, self._answer = keep_going, 0.0, True

    async def ok(self) -> bool:
        if self._keep_going is None or not self._answer:
            return self._answer
        if time.monotonic() - self._asked >= RENEW_EVERY_SECONDS:
            self._asked, self._answer = time.monotonic(), await run_db(self._keep_going)
        return self._answer


async def run_daily_sync(
    now: datetime | None = None,
    *,
    keep_going: Callable[[], bool] | None = None,
    provider_factory: ProviderFactory | None = None,
    concurrency: int = CONCURRENCY,
    sleep: Sleep = asyncio.sleep,
) -> SyncReport:
    """Sync every account not yet synced for yesterday, ``concurrency`` at a time; then prune what
    is past retention and tell open analytics pages of each touched workspace."""
    now = now or datetime.now(UTC)
    until = last_complete_day(now)
    due = await run_db(_due, until)
    gate, renewal = asyncio.Semaphore(concurrency), _Renewal(keep_going)

    async def one(account_id: int) -> tuple[int, AnalyticsRefresh] | None:
        async with gate:
            if not await renewal.ok():
                return None
            target = await run_db(_load, account_id)
            if target is None:
                return None
            result = await sync_account(target, until, provider_factory=provider_factory, now=now, sleep=sleep)
            return target.workspace_id, result

    results = [r for r in await asyncio.gather(*(one(a) for a in due)) if r is not None]
    await run_db(_prune, now.date())
    for workspace_id in sorted({w for w, _ in results}):
        await notify.topic_changed(workspace_id, notify.ANALYTICS)
    synced = sum(r.status == "synced" for _, r in results)
    return SyncReport(len(due), synced, len(results) - synced, stopped=not await renewal.ok())


def _due(until: date) -> list[int]:
    with session_scope() as db:
        return store.due_account_ids(db, until)


def _load(account_id: int) -> store.SyncTarget | None:
    with session_scope() as db:
        return store.load_target(db, account_id)


def _prune(today: date) -> tuple[int, int]:
    with session_scope() as db:
        return store.prune(db, today)


def _slot(moment: datetime) -> datetime:
    seconds = JOB_INTERVAL.total_seconds()
    return datetime.fromtimestamp(moment.timestamp() // seconds * seconds, tz=UTC)


async def run_analytics_job(
    now: datetime | None = None,
    *,
    holder: str | None = None,
    provider_factory: ProviderFactory | None = None,
    concurrency: int = CONCURRENCY,
) -> SyncReport | None:
    """The scheduler's entry: runs the sync if this process wins the hour's ``JobLease`` (one
    conditional statement, as the token sweep's), renewing it while the run lasts; None when
    another process holds it. Rows are upserts, so even two overlapping runs write each day once."""
    moment = now or datetime.now(UTC)
    start, holder = _slot(moment), holder or refresh_leases.new_holder()

    def claim() -> bool:
        with session_scope() as db:
            return bool(refresh_leases.claim(db, [JOB_NAME], holder, free_at=start, until=start + JOB_INTERVAL))

    if not await run_db(claim):
        log.info("analytics sync for %s skipped: another process holds the lease", start.isoformat())
        return None

    def keep_going() -> bool:
        until = max(start + JOB_INTERVAL, datetime.now(UTC) + LEASE_RENEWAL)
        with session_scope() as db:
            return refresh_leases.renew(db, JOB_NAME, holder, until)

    return await run_daily_sync(
        moment, keep_going=keep_going, provider_factory=provider_factory, concurrency=concurrency
    )


# -- on connect, and on request -------------------------------------------------------------------


async def backfill_accounts(
    account_ids: Iterable[int], *, provider_factory: ProviderFactory | None = None, now: datetime | None = None
) -> list[AnalyticsRefresh]:
    """Read the history of newly connected (or reconnected) accounts, one after another."""
    now = now or datetime.now(UTC)
    results, workspaces = [], set()
    for account_id in account_ids:
        target = await run_db(_load, account_id)
        if target is None:
            continue
        results.append(await sync_account(target, last_complete_day(now), provider_factory=provider_factory, now=now))
        workspaces.add(target.workspace_id)
    for workspace_id in sorted(workspaces):
        await notify.topic_changed(workspace_id, notify.ANALYTICS)
    return results


def backfill_in_background(added: Iterable[Mapping[str, Any]]) -> None:
    """Start the backfill of the accounts a connect added (``FlowOutcome.added``) without making
    the callback wait for it; outside an event loop (CLI, tests) nothing starts."""
    ids = [int(a["id"]) for a in added if isinstance(a.get("id"), int)]
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    if ids:
        task = loop.create_task(_backfill_logged(ids))
        _background.add(task)
        task.add_done_callback(_background.discard)


async def _backfill_logged(ids: list[int]) -> None:
    try:
        await backfill_accounts(ids)
    except Exception:  # a background task has no caller to tell: the hourly job retries
        log.exception("analytics backfill failed for accounts %s", ids)


async def refresh_account_analytics(
    user_id: int,
    workspace_id: int,
    account_id: int,
    *,
    provider_factory: ProviderFactory | None = None,
    now: datetime | None = None,
) -> AnalyticsRefresh:
    """The "Refresh analytics" action: the caller must be a member of the account's workspace
    (``NotFound`` otherwise, as for every per-account action); reads the account now."""
    now = now or datetime.now(UTC)
    target = await run_db(_visible_target, user_id, workspace_id, account_id)
    if target is None:
        return AnalyticsRefresh("unsupported")
    result = await sync_account(target, last_complete_day(now), provider_factory=provider_factory, now=now)
    await notify.topic_changed(workspace_id, notify.ANALYTICS)
    return result


def _visible_target(user_id: int, workspace_id: int, account_id: int) -> store.SyncTarget | None:
    with session_scope() as db:
        workspace_account(db, db.get(User, user_id), workspace_id, account_id)
        return store.load_target(db, account_id)
