"""Sign-in throttling kept in the database, so every worker process sees the same counts.

An attempt is recorded *before* the password is checked: concurrent guesses each see the
others, and no burst slips under the limit. Limits hold per email and per client IP (an IP
may try a few accounts, so it gets a larger budget).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from socializioz.models import SignInAttempt
from socializioz.settings import get_settings

WINDOW = timedelta(minutes=15)
IP_BUDGET_FACTOR = 4  # an IP's limit is this many times an email's


def register_attempt(db: Session, email: str, client_ip: str, now: datetime) -> bool:
    """Record an attempt; ``False`` (and nothing kept) when it would go over a limit.

    Commits, because the caller's transaction rolls back when sign-in fails, and the failure
    must still count. Rows older than the window are pruned on the way.
    """
    db.exec(sa.delete(SignInAttempt).where(col(SignInAttempt.at) <= now - WINDOW))
    attempt = SignInAttempt(email=email, client_ip=client_ip, at=now)
    db.add(attempt)
    db.commit()
    limit = get_settings().sign_in_attempts_per_15_min
    over = _recent(db, SignInAttempt.email == email, now) > limit
    if client_ip:
        over = over or _recent(db, SignInAttempt.client_ip == client_ip, now) > limit * IP_BUDGET_FACTOR
    if over:
        db.delete(attempt)
        db.commit()
    return not over


def clear_attempts(db: Session, email: str) -> None:
    """A successful sign-in forgives the email's earlier failures."""
    db.exec(sa.delete(SignInAttempt).where(col(SignInAttempt.email) == email))


def _recent(db: Session, condition, now: datetime) -> int:
    since = now - WINDOW
    query = select(func.count()).select_from(SignInAttempt).where(condition, col(SignInAttempt.at) > since)
    return db.exec(query).one()
