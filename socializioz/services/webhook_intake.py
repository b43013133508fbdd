"""Meta webhook deliveries: kept on arrival, processed off the request, each exactly once.

The route checks the signature, then ``record_delivery`` stores the raw body under its SHA-256
(the same bytes again, a replay or Meta's retry, are the same row: nothing new is stored) and the
200 goes back at once. ``process_delivery`` claims the row with a short lease, applies its events
(``engagement_store``, idempotent by platform ids) and marks it processed in the same
transaction, so a crash leaves it to the next ``process_pending`` in any process.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from socializioz.db import run_db, session_scope
from socializioz.integrations.meta_webhooks import parse_meta_delivery
from socializioz.models import WebhookDelivery
from socializioz.services import notify
from socializioz.services.engagement_store import apply_events

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 1_000_000  # Meta batches up to 1,000 updates; far below this
CLAIM = timedelta(minutes=2)
MAX_ATTEMPTS = 5


def record_delivery(db: Session, source: str, body: bytes, now: datetime | None = None) -> int | None:
    """Store a verified delivery; its id, or None when these exact bytes were stored before."""
    digest = hashlib.sha256(body).hexdigest()
    if db.exec(select(WebhookDelivery.id).where(WebhookDelivery.body_sha256 == digest)).first():
        return None
    delivery = WebhookDelivery(
        source=source, body_sha256=digest, body=body.decode("utf-8", "replace"), received_at=now or datetime.now(UTC)
    )
    db.add(delivery)
    try:
        db.commit()
    except IntegrityError:  # the same bytes arrived twice at once: the other request stored them
        db.rollback()
        return None
    return delivery.id


def _claim(db: Session, delivery_id: int, now: datetime) -> WebhookDelivery | None:
    """Take the delivery for ``CLAIM`` unless it is processed or someone else holds it."""
    claimed = db.execute(
        sa.update(WebhookDelivery)
        .where(
            col(WebhookDelivery.id) == delivery_id,
            col(WebhookDelivery.processed_at).is_(None),
            col(WebhookDelivery.attempts) < MAX_ATTEMPTS,
            sa.or_(col(WebhookDelivery.claimed_until).is_(None), col(WebhookDelivery.claimed_until) < now),
        )
        .values(claimed_until=now + CLAIM, attempts=col(WebhookDelivery.attempts) + 1)
    )
    db.commit()
    return db.get(WebhookDelivery, delivery_id) if claimed.rowcount == 1 else None  # type: ignore[attr-defined]


def _process(delivery_id: int) -> set[tuple[int, str]]:
    now = datetime.now(UTC)
    with session_scope() as db:
        delivery = _claim(db, delivery_id, now)
        if delivery is None:
            return set()
        delivery.error = None
        try:
            events = parse_meta_delivery(json.loads(delivery.body))
        except ValueError:
            events = []
            delivery.error = "not JSON"
        changed = apply_events(db, events, now)
        delivery.processed_at = now
        delivery.claimed_until = None
        db.add(delivery)
        db.commit()
        return changed


def _release(delivery_id: int, error: str) -> None:
    """A failed attempt gives the delivery back at once (until ``MAX_ATTEMPTS``)."""
    with session_scope() as db:
        db.execute(
            sa.update(WebhookDelivery)
            .where(col(WebhookDelivery.id) == delivery_id)
            .values(claimed_until=None, error=error[:200])
        )
        db.commit()


async def process_delivery(delivery_id: int) -> None:
    """Apply one delivery (if still pending) and push the pages it changed. Two deliveries about
    the same new comment may race to insert it: the loser rolls back and tries again, and then
    finds the row the winner wrote."""
    for _attempt in range(MAX_ATTEMPTS):
        try:
            changed = await run_db(_process, delivery_id)
            break
        except IntegrityError:
            await run_db(_release, delivery_id, "a concurrent delivery wrote the same row; retried")
        except Exception as error:  # left pending: the next process_pending retries it
            log.exception("webhook delivery %s failed", delivery_id)
            await run_db(_release, delivery_id, type(error).__name__)
            return
    else:
        return
    for workspace_id, topic in sorted(changed):
        await notify.topic_changed(workspace_id, topic)


def _pending(now: datetime, limit: int) -> list[int]:
    with session_scope() as db:
        return [
            i
            for i in db.exec(
                select(WebhookDelivery.id)
                .where(
                    col(WebhookDelivery.processed_at).is_(None),
                    col(WebhookDelivery.attempts) < MAX_ATTEMPTS,
                    sa.or_(col(WebhookDelivery.claimed_until).is_(None), col(WebhookDelivery.claimed_until) < now),
                )
                .order_by(col(WebhookDelivery.id))
                .limit(limit)
            ).all()
            if i is not None
        ]


async def process_pending(limit: int = 500) -> int:
    """The backstop: deliveries a crash or a restart left unprocessed; how many were tried."""
    ids = await run_db(_pending, datetime.now(UTC), limit)
    for delivery_id in ids:
        await process_delivery(delivery_id)
    return len(ids)
