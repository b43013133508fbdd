"""Named leases in the ``JobLease`` table: one statement claims many, on SQLite and PostgreSQL alike.

Why leases and not row locks: a refresh holds its guard across a provider call of up to the HTTP
timeout, and a transaction held open that long would block SQLite's single writer. A lease is
claimed in its own short transaction; a crashed holder's lease simply expires. Every release and
renewal checks the holder, so a process never frees a lease that another one has taken over.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from socializioz.models import JobLease


def new_holder() -> str:
    """``host:pid:uuid``: unique per claimant, readable when an operator inspects the table."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def claim(db: Session, names: Iterable[str], holder: str, *, free_at: datetime, until: datetime) -> set[str]:
    """Take every lease in ``names`` that expired by ``free_at``; returns the names now held until ``until``."""
    rows = [{"name": name, "holder": holder, "expires_at": until} for name in names]
    if not rows:
        return set()
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(JobLease).values(rows)
    statement = insert.on_conflict_do_update(
        index_elements=[JobLease.name],
        set_={"holder": insert.excluded.holder, "expires_at": insert.excluded.expires_at},
        where=JobLease.expires_at <= free_at,
    ).returning(JobLease.name)
    return set(db.connection().execute(statement).scalars())


def stale(db: Session, names: Iterable[str], *, free_at: datetime) -> set[str]:
    """Leases in ``names`` that expired without being released: their holder died mid-work."""
    names = list(names)
    if not names:
        return set()
    query = sa.select(col(JobLease.name)).where(col(JobLease.name).in_(names), col(JobLease.expires_at) <= free_at)
    return set(db.connection().execute(query).scalars())


def renew(db: Session, name: str, holder: str, until: datetime) -> bool:
    """Extend a lease we still hold; False means it was lost and the work must stop."""
    statement = (
        sa.update(JobLease).where(col(JobLease.name) == name, col(JobLease.holder) == holder).values(expires_at=until)
    )
    return db.connection().execute(statement).rowcount == 1


def release(db: Session, names: Iterable[str], holder: str) -> None:
    """Free the leases of ``names`` that ``holder`` still holds."""
    names = list(names)
    if names:
        db.connection().execute(
            sa.delete(JobLease).where(col(JobLease.name).in_(names), col(JobLease.holder) == holder)
        )
