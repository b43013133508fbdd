"""The registry of open pages that receive live pushes (pen-test findings 1 and 2).

A tab is registered on page load, after its session cookie was checked, with the workspace it
shows and a hash of that session. Pushes go only to registered tabs; the pusher re-checks each
tab's cookie and unregisters tabs that are gone, expired or no longer members.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from socializioz.db import session_scope
from socializioz.models import LiveTab, utcnow
from socializioz.security.tokens import hash_token

# Reflex forgets an idle tab's state after an hour (redis_token_expiration); so do we.
TAB_LIFETIME = timedelta(hours=1)


def register(
    db: Session, client_token: str, workspace_id: int, user_id: int, session_token: str, now: datetime | None = None
) -> None:
    """Upsert: a tab that switches workspace or user is re-bound, never listed twice."""
    row = db.get(LiveTab, client_token) or LiveTab(
        client_token=client_token, workspace_id=workspace_id, user_id=user_id, session_hash=""
    )
    row.workspace_id, row.user_id = workspace_id, user_id
    row.session_hash = hash_token(session_token)
    row.last_seen = now or utcnow()
    db.add(row)


def unregister(db: Session, client_tokens: list[str]) -> None:
    if client_tokens:
        db.exec(sa.delete(LiveTab).where(col(LiveTab.client_token).in_(client_tokens)))


def is_registered(db: Session, client_token: str) -> bool:
    return db.get(LiveTab, client_token) is not None


def push_targets(workspace_id: int) -> list[tuple[str, int, str]]:
    """(client token, user id, session hash) of the workspace's live tabs, in its own unit of work."""
    with session_scope() as db:
        return [(t.client_token, t.user_id, t.session_hash) for t in tabs_of(db, workspace_id)]


def forget(client_tokens: list[str]) -> None:
    """Unregister tabs that are gone, in its own unit of work."""
    with session_scope() as db:
        unregister(db, client_tokens)


def still_registered(client_token: str) -> bool:
    with session_scope() as db:
        return is_registered(db, client_token)


def tabs_of(db: Session, workspace_id: int, now: datetime | None = None) -> list[LiveTab]:
    """The workspace's live tabs; expired ones are dropped on the way."""
    cutoff = (now or utcnow()) - TAB_LIFETIME
    db.exec(sa.delete(LiveTab).where(col(LiveTab.workspace_id) == workspace_id, col(LiveTab.last_seen) < cutoff))
    return list(db.exec(select(LiveTab).where(LiveTab.workspace_id == workspace_id)).all())
