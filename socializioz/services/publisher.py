"""The publisher: sends due post targets to their platforms, in every backend worker
(docs/architecture.md, "Publishing").

Each tick claims due targets with a lease (``publish_claim``), as many as this process has free
slots, and runs each in a task of its own: the attempt is recorded and committed first
(``publish_store.load_job``), then the platform is called with no database connection held,
then the outcome is committed. A target whose earlier attempt may have posted (a timeout, a 5xx,
a worker that died) is first looked for on the platform (``find_published``): found is
published, not found is sent again, undecidable is "needs review" for a person — never a blind
retry. ``wake()`` starts a tick at once ("post now"), from any thread of the process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from socializioz.db import run_db, session_scope
from socializioz.domain.account_rules import has_content_details
from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.domain.publishing import (
    OUTCOME_UNKNOWN,
    RECONCILE_MARGIN,
    TargetStatus,
    failure_code,
    may_have_posted,
    retry_delay,
)
from socializioz.integrations.base import Provider
from socializioz.integrations.factory import get_provider
from socializioz.integrations.models import PublishResult
from socializioz.services import notify, publish_claim, publish_store, refresh_leases
from socializioz.services.content_sync import sync_after_publish
from socializioz.services.publish_store import Job

log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 10  # platform calls in flight per process
LEASE = timedelta(minutes=15)  # longer than the slowest publish flow (video processing); renewed per step
ProviderFactory = Callable[[str], Provider]
Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Publisher:
    """One per process (``default_publisher``); tests and the benchmark build their own."""

    def __init__(
        self,
        *,
        provider_factory: ProviderFactory = get_provider,
        concurrency: int = DEFAULT_CONCURRENCY,
        lease: timedelta = LEASE,
        holder: str | None = None,
        sync_content: bool = True,
        clock: Clock = _utcnow,
    ) -> None:
        self.holder = holder or refresh_leases.new_holder()
        self.concurrency, self.lease, self.clock = concurrency, lease, clock
        self._factory, self._sync_content = provider_factory, sync_content
        self._providers: dict[str, Provider] = {}
        self._work: set[asyncio.Task[None]] = set()  # one per claimed target
        self._others: set[asyncio.Task[Any]] = set()  # ticks started by wake(), content syncs
        self._maybe_more = False
        self._syncing: set[int] = set()
        self._gate: asyncio.Semaphore | None = None
        self._ticking = False
        self._again = False
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- dispatch ----------------------------------------------------------------------------

    async def tick(self) -> int:
        """Claim what is due while slots are free and start it; returns how many were started.

        Claims up to twice the concurrency (the platform calls themselves are bounded by the
        semaphore), so the next target's attempt is recorded and ready when a slot frees up. A
        tick already running is asked to claim once more instead of running beside it; after a
        full claim, each finished target wakes the next tick."""
        self._loop = asyncio.get_running_loop()
        self._gate = self._gate or asyncio.Semaphore(self.concurrency)
        if self._ticking:
            self._again = True
            return 0
        self._ticking, started = True, 0
        try:
            while True:
                self._again = False
                free = 2 * self.concurrency - len(self._work)
                if free <= 0:
                    break
                claims, ended_posts = await run_db(self._claim, free, self.clock())
                self._maybe_more = len(claims) == free
                for claim in claims:
                    self._start(claim)
                started += len(claims)
                await self._announce_posts(ended_posts)
                if not self._again and not self._maybe_more:
                    break
        finally:
            self._ticking = False
        return started

    def _claim(self, limit: int, now: datetime) -> tuple[list[publish_claim.Claim], list[int]]:
        with session_scope() as db:
            ended = publish_claim.fail_disconnected(db, now=now)
            if ended:
                publish_store.refresh_posts(db, ended, now)
            return publish_claim.claim(db, self.holder, now=now, limit=limit, lease=self.lease), ended

    def _start(self, claim: publish_claim.Claim) -> None:
        task = asyncio.create_task(self._run(claim))
        self._work.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._work.discard(task)
        if self._maybe_more:  # the last claim was full: more may be due
            self.wake()

    def _background(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.create_task(coroutine)
        self._others.add(task)
        task.add_done_callback(self._others.discard)

    def wake(self) -> None:
        """Start a tick now ("post now"); safe from any thread. Without a running publisher in
        this process (no tick yet) the next scheduled tick picks the target up."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._spawn_tick()
        else:
            loop.call_soon_threadsafe(self._spawn_tick)

    def _spawn_tick(self) -> None:
        if self._ticking:
            self._again = True
            return
        self._background(self.tick())

    async def drain(self) -> None:
        """Wait until nothing is in flight (tests, the benchmark, shutdown)."""
        while self._work or self._others:
            await asyncio.gather(*self._work, *self._others, return_exceptions=True)

    async def run_until_idle(self) -> None:
        """Tick and drain until a tick finds nothing due (tests and the benchmark)."""
        while True:
            started = await self.tick()
            await self.drain()
            if not started:
                return

    async def aclose(self) -> None:
        await self.drain()
        for provider in self._providers.values():
            await provider.aclose()
        self._providers.clear()

    # -- one target --------------------------------------------------------------------------

    async def _run(self, claim: publish_claim.Claim) -> None:
        try:
            if claim.reconcile and not await self._reconciled(claim.target_id):
                return
            # After a reconcile found nothing, a new attempt is recorded here; else the claim did it.
            job = await run_db(
                publish_store.load_job,
                claim.target_id,
                self.holder,
                begin=claim.reconcile,
                now=self.clock(),
                lease=self.lease,
            )
            if job is not None:
                await self._attempt(job, claimed_attempt=not claim.reconcile)
        except Exception:  # our own fault (database, a bug): the lease expires and a takeover reconciles
            log.exception("publishing target %s failed unexpectedly", claim.target_id)

    async def _reconciled(self, target_id: int) -> bool:
        """Decide an earlier attempt that may have posted; True when a new attempt may go ahead."""
        job = await run_db(
            publish_store.load_job, target_id, self.holder, begin=False, now=self.clock(), lease=self.lease
        )
        if job is None:
            return False
        if job.stop or job.acting is None or job.request is None or job.attempt_started_at is None:
            if job.stop:
                await self._stopped(job)
                return False
            return True  # nothing was ever sent: a first attempt
        provider = self._provider(job.acting.client)
        try:
            found = await provider.find_published(
                job.acting.ref, job.request, since=job.attempt_started_at - RECONCILE_MARGIN
            )
        except ProviderError as error:  # Unsupported, an outage: a person decides
            await self._end(job, TargetStatus.NEEDS_REVIEW, OUTCOME_UNKNOWN, str(error))
            return False
        except Exception:
            log.exception("reconciling target %s: unexpected error from the %s client", target_id, job.platform)
            await self._end(job, TargetStatus.NEEDS_REVIEW, OUTCOME_UNKNOWN, "the platform could not be asked")
            return False
        if found is not None:
            await self._published(job, found)
            return False
        return True

    async def _attempt(self, job: Job, *, claimed_attempt: bool) -> None:
        if job.stop or job.acting is None or job.request is None:
            await self._stopped(job, undo_attempt=claimed_attempt)
            return
        provider = self._provider(job.acting.client)

        async def checkpoint(handles: Mapping[str, str]) -> None:
            await run_db(publish_store.save_handles, job.target_id, self.holder, handles, self.clock() + self.lease)

        gate = self._gate or asyncio.Semaphore(self.concurrency)
        try:
            async with gate:
                result = await provider.publish_post(job.acting.ref, job.request, checkpoint)
        except ProviderError as error:
            await self._failed(job, error)
            return
        except Exception:
            log.exception("publishing target %s: unexpected error from the %s client", job.target_id, job.platform)
            await self._failed(job, None)
            return
        await self._published(job, result)

    # -- outcomes ----------------------------------------------------------------------------

    async def _published(self, job: Job, result: PublishResult) -> None:
        await run_db(publish_store.record_published, job.target_id, result, self.clock())
        await notify.topic_changed(job.workspace_id, notify.POSTS)
        if self._sync_content and has_content_details(job.platform) and job.account_id not in self._syncing:
            self._syncing.add(job.account_id)
            self._background(self._sync(job))

    async def _sync(self, job: Job) -> None:
        """The new post in the account's details panel; a failed sync changes nothing here."""
        try:
            result = await sync_after_publish(job.workspace_id, job.account_id, provider_factory=self._factory)
            if result.new_posts:
                await notify.workspace_changed(job.workspace_id)
        except Exception:
            log.exception("content sync after publishing to account %s failed", job.account_id)
        finally:
            self._syncing.discard(job.account_id)

    async def _failed(self, job: Job, error: ProviderError | None) -> None:
        detail = (error.detail or str(error)) if error is not None else "unexpected error"
        if error is not None and error.kind is ErrorKind.NEEDS_RECONNECT:
            await run_db(publish_store.block_account, job, self.holder, failure_code(error), detail, self.clock())
            await notify.workspace_changed(job.workspace_id)
            await notify.topic_changed(job.workspace_id, notify.POSTS)
            return
        if error is not None and error.kind is ErrorKind.MISSING_PERMISSION:
            await self._end(job, TargetStatus.BLOCKED, failure_code(error), error.missing_scope or detail)
            return
        if error is not None and error.kind is not ErrorKind.TEMPORARY:
            await self._end(job, TargetStatus.FAILED, failure_code(error), detail, keep_attempt=False)
            return
        code = failure_code(error) if error is not None else "provider_unavailable"
        ambiguous = may_have_posted(error)
        delay = retry_delay(job.attempts, error.retry_after if error is not None else None)
        if delay is None:
            final = TargetStatus.NEEDS_REVIEW if ambiguous else TargetStatus.FAILED
            await self._end(job, final, OUTCOME_UNKNOWN if ambiguous else code, detail)
            return
        now = self.clock()
        await self._end(job, TargetStatus.SCHEDULED, code, detail, due_at=now + delay, keep_attempt=ambiguous)

    async def _stopped(self, job: Job, *, undo_attempt: bool = False) -> None:
        """The platform is not called; an attempt the claim recorded is taken back."""
        await self._end(
            job, job.stop_status, job.stop, job.stop_detail, keep_attempt=not undo_attempt, undo_attempt=undo_attempt
        )

    async def _end(
        self,
        job: Job,
        status: TargetStatus,
        code: str,
        detail: str,
        *,
        due_at: datetime | None = None,
        keep_attempt: bool = True,
        undo_attempt: bool = False,
    ) -> None:
        await run_db(
            publish_store.record_end,
            job.target_id,
            self.holder,
            status,
            now=self.clock(),
            code=code,
            detail=detail,
            due_at=due_at,
            keep_attempt=keep_attempt,
            undo_attempt=undo_attempt,
        )
        await notify.topic_changed(job.workspace_id, notify.POSTS)

    async def _announce_posts(self, post_ids: list[int]) -> None:
        if not post_ids:
            return
        for workspace_id in await run_db(publish_store.workspaces_of, post_ids):
            await notify.topic_changed(workspace_id, notify.POSTS)

    def _provider(self, client: str) -> Provider:
        if client not in self._providers:
            self._providers[client] = self._factory(client)
        return self._providers[client]


_default: Publisher | None = None


def default_publisher() -> Publisher:
    """This process's publisher, ticked by the scheduler and woken by "post now"."""
    global _default
    if _default is None:
        _default = Publisher()
    return _default


def wake() -> None:
    """Ask this process's publisher to look for due targets now (a no-op where none runs)."""
    if _default is not None:
        _default.wake()
