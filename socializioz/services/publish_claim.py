"""Claiming due targets: one conditional UPDATE per batch, the same on SQLite and PostgreSQL.

A target is free when its lease is empty or expired. Due means scheduled with ``due_at`` passed,
or "publishing" with an expired lease (its worker died mid-attempt: a takeover). The UPDATE
repeats the conditions of the sub-select in its own WHERE, so when two processes race for the
same row only one UPDATE matches it (PostgreSQL re-checks the WHERE on the locked row; SQLite has
one writer); on PostgreSQL the sub-select also skips rows another claim has locked, so workers
take different targets instead of queueing on the same ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col

from socializioz.domain.publishing import ACCOUNT_DISCONNECTED, TargetStatus
from socializioz.models import PostTarget


@dataclass(frozen=True)
class Claim:
    """A target this worker now holds. ``reconcile``: an earlier attempt may have posted (its
    worker died, or it timed out), so the platform must be asked before any new attempt; else
    the claim itself recorded this attempt."""

    target_id: int
    reconcile: bool


def _due(now: datetime) -> sa.ColumnElement[bool]:
    scheduled = sa.and_(col(PostTarget.status) == TargetStatus.SCHEDULED.value, col(PostTarget.due_at) <= now)
    abandoned = col(PostTarget.status) == TargetStatus.PUBLISHING.value
    free = sa.or_(col(PostTarget.lease_until).is_(None), col(PostTarget.lease_until) <= now)
    return sa.and_(sa.or_(scheduled, abandoned), free)


def claim(db: Session, holder: str, *, now: datetime, limit: int, lease: timedelta) -> list[Claim]:
    """Take up to ``limit`` due targets, oldest first, until ``now + lease``.

    The same statement records the attempt of every target with nothing to reconcile (status
    publishing, attempts + 1, ``attempt_started_at`` = now), so the attempt is committed before
    the platform is called at the cost of one commit per batch, not one per target. A target
    that must be reconciled keeps its earlier ``attempt_started_at``: that is how the returned
    rows tell the two apart (SET expressions read the row as it was)."""
    if limit <= 0:
        return []
    pick = sa.select(col(PostTarget.id)).where(_due(now)).order_by(col(PostTarget.due_at), col(PostTarget.id))
    pick = pick.limit(limit)
    if db.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    fresh = sa.and_(
        col(PostTarget.status) == TargetStatus.SCHEDULED.value, col(PostTarget.attempt_started_at).is_(None)
    )
    statement = (
        sa.update(PostTarget)
        .where(col(PostTarget.id).in_(pick.scalar_subquery()), _due(now))
        .values(
            lease_holder=holder,
            lease_until=now + lease,
            status=TargetStatus.PUBLISHING.value,
            attempts=sa.case((fresh, col(PostTarget.attempts) + 1), else_=col(PostTarget.attempts)),
            attempt_started_at=sa.case((fresh, now), else_=col(PostTarget.attempt_started_at)),
            updated_at=now,
        )
        .returning(col(PostTarget.id), col(PostTarget.attempt_started_at))
    )
    rows = db.connection().execute(statement).all()
    return [Claim(row.id, row.attempt_started_at != now) for row in sorted(rows, key=lambda r: r.id)]


def fail_disconnected(db: Session, *, now: datetime) -> list[int]:
    """Targets held for a disconnected account whose time has come fail with that reason (spec:
    "Any posts scheduled for that account will fail to publish"); returns their posts' ids."""
    statement = (
        sa.update(PostTarget)
        .where(
            col(PostTarget.status) == TargetStatus.BLOCKED.value,
            col(PostTarget.failure_code) == ACCOUNT_DISCONNECTED,
            col(PostTarget.due_at) <= now,
        )
        .values(status=TargetStatus.FAILED.value, updated_at=now)
        .returning(col(PostTarget.post_id))
    )
    return sorted(set(db.connection().execute(statement).scalars()))
