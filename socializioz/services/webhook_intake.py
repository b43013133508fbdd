"""Meta webhook deliveries: kept on arrival, processed off the request, each exactly once.

The route checks the signature, then ``record_delivery`` stores the raw body under its SHA-256
(the same bytes again, a replay or Meta's retry, are the same row: nothing new is stored) and the
200 goes back at once, after one INSERT. Processing runs in batches: ``drain`` claims up to
``BATCH`` pending deliveries with a short lease (one UPDATE, so two processes never take the same
row), applies their events (``engagement_store``, idempotent by platform ids) and marks them
processed in one transaction. A crash leaves them to the lease's expiry and the next drain in any
process; two processes racing to insert the same new comment fall back to one delivery at a time.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import secrets
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from socializioz.db import run_db, session_scope
from socializioz.integrations.meta_webhooks import Event, parse_meta_delivery
from socializioz.models import WebhookDelivery
from socializioz.services import notify
from socializioz.services.engagement_store import apply_events

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 1_000_000  # Meta batches up to 1,000 updates; far below this
CLAIM = timedelta(minutes=2)
MAX_ATTEMPTS = 5
BATCH = 200


def record_delivery(db: Session, source: str, body: bytes, now: datetime | None = None) -> int | None:
    """Store a verified delivery; its id, or None when these exact bytes were stored before."""
    row = {
        "source": source,
        "body_sha256": hashlib.sha256(body).hexdigest(),
        "body": body.decode("utf-8", "replace"),
        "received_at": now or datetime.now(UTC),
        "attempts": 0,
    }
    try:  # one Core INSERT: the request path stays short (benchmarks/webhooks)
        inserted = db.execute(sa.insert(WebhookDelivery).values(**row))
        db.commit()
    except IntegrityError:  # the unique digest: stored before (or by a request racing this one)
        db.rollback()
        return None
    key = inserted.inserted_primary_key  # type: ignore[attr-defined]  # a CursorResult for an INSERT
    return int(key[0]) if key else None


def _pending_clause(now: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(
        col(WebhookDelivery.processed_at).is_(None),
        col(WebhookDelivery.attempts) < MAX_ATTEMPTS,
        sa.or_(col(WebhookDelivery.claimed_until).is_(None), col(WebhookDelivery.claimed_until) < now),
    )


def _claim(db: Session, ids: list[int] | None, holder: str, now: datetime) -> list[WebhookDelivery]:
    """Take ``ids`` (or the oldest ``BATCH`` pending) for ``CLAIM``; the rows this holder got."""
    wanted = select(WebhookDelivery.id).where(_pending_clause(now))
    wanted = wanted.where(col(WebhookDelivery.id).in_(ids)) if ids is not None else wanted
    db.execute(
        sa.update(WebhookDelivery)
        .where(col(WebhookDelivery.id).in_(wanted.order_by(col(WebhookDelivery.id)).limit(BATCH).scalar_subquery()))
        .where(_pending_clause(now))
        .values(claimed_by=holder, claimed_until=now + CLAIM, attempts=col(WebhookDelivery.attempts) + 1)
        .execution_options(synchronize_session=False)
    )
    db.commit()
    mine = select(WebhookDelivery).where(
        WebhookDelivery.claimed_by == holder, col(WebhookDelivery.processed_at).is_(None)
    )
    return list(db.exec(mine.order_by(col(WebhookDelivery.id))).all())


def _events(delivery: WebhookDelivery) -> list[Event]:
    try:
        return parse_meta_delivery(json.loads(delivery.body))
    except ValueError:
        delivery.error = "not JSON"
        return []


def _process(ids: list[int] | None) -> tuple[set[tuple[int, str]], int]:
    """Claim, apply and mark one batch; the (workspace, topic) pairs changed and how many were done."""
    now, holder = datetime.now(UTC), secrets.token_hex(8)
    with session_scope() as db:
        deliveries = _claim(db, ids, holder, now)
        changed: set[tuple[int, str]] = set()
        for delivery in deliveries:
            delivery.error = None
            changed |= apply_events(db, _events(delivery), now)
            db.flush()  # a later delivery of the batch sees this one's rows
            delivery.processed_at, delivery.claimed_until = now, None
            db.add(delivery)
        db.commit()
        return changed, len(deliveries)


def _release(ids: list[int], error: str) -> None:
    """A failed batch gives its deliveries back at once (until ``MAX_ATTEMPTS``)."""
    with session_scope() as db:
        db.execute(
            sa.update(WebhookDelivery)
            .where(col(WebhookDelivery.id).in_(ids), col(WebhookDelivery.processed_at).is_(None))
            .values(claimed_until=None, claimed_by=None, error=error[:200])
        )
        db.commit()


async def _push(changed: set[tuple[int, str]]) -> None:
    for workspace_id, topic in sorted(changed):
        await notify.topic_changed(workspace_id, topic)


async def process_delivery(delivery_id: int) -> None:
    """Apply one delivery (if still pending). Two processes may race to insert the same new
    comment: the loser rolls back, gives the delivery back and tries again, and then finds the
    row the winner wrote."""
    for _attempt in range(MAX_ATTEMPTS):
        try:
            changed, _done = await run_db(_process, [delivery_id])
        except IntegrityError:
            await run_db(_release, [delivery_id], "a concurrent delivery wrote the same row; retried")
            continue
        except Exception as error:  # left pending: the next drain retries it
            log.exception("webhook delivery %s failed", delivery_id)
            await run_db(_release, [delivery_id], type(error).__name__)
            return
        await _push(changed)
        return


def _pending_ids(now: datetime, limit: int) -> list[int]:
    with session_scope() as db:
        query = select(WebhookDelivery.id).where(_pending_clause(now)).order_by(col(WebhookDelivery.id)).limit(limit)
        return [i for i in db.exec(query).all() if i is not None]


async def drain() -> int:
    """Process pending deliveries a batch at a time until none is left; how many were done. A
    batch that fails as a whole is retried one delivery at a time."""
    done = 0
    while True:
        try:
            changed, count = await run_db(_process, None)
        except Exception:
            log.warning("a webhook batch failed; processing its deliveries one by one", exc_info=True)
            ids = await run_db(_pending_ids, datetime.now(UTC) + CLAIM, BATCH)
            await run_db(_release, ids, "batch failed; retried alone")
            for delivery_id in ids:
                await process_delivery(delivery_id)
            done += len(ids)
            if not ids:
                return done
            continue
        await _push(changed)
        done += count
        if count == 0:
            return done


async def process_pending() -> int:
    """The backstop (a scheduler tick, or a test): whatever a crash or a restart left pending."""
    return await drain()


class Drainer:
    """One per process: a request kicks it; it drains once deliveries pause for ``QUIET`` (or
    after ``MAX_DELAY`` of a steady stream), so a burst's requests are answered first and its
    deliveries applied in a few large batches right after."""

    QUIET = 0.2
    MAX_DELAY = 2.0

    def __init__(self) -> None:
        self._kicked_at = 0.0
        self._task: asyncio.Task[None] | None = None

    def kick(self) -> None:
        self._kicked_at = time.monotonic()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            started = time.monotonic()
            while (now := time.monotonic()) - self._kicked_at < self.QUIET and now - started < self.MAX_DELAY:
                await asyncio.sleep(self.QUIET / 4)
            drained_from = self._kicked_at
            await drain()
            if self._kicked_at == drained_from:
                return

    async def idle(self) -> None:
        """Wait until the drainer has nothing left to do (tests)."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)


drainer = Drainer()
