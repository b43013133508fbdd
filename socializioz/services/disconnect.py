"""Disconnecting an account: it leaves the list at once, its tokens are deleted, its scheduled posts
are held (blocked with the reason) and its row stays, so a reconnect re-attaches posts and campaign
assignments. Platform permissions are not revoked (the dialog says how to)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, delete

from socializioz.models import ConnectionEvent, Credential, SyncedPost, User
from socializioz.services.account_access import workspace_account
from socializioz.services.post_holds import hold_posts


def disconnect_account(
    db: Session, user: User | None, workspace_id: int, account_id: int, now: datetime | None = None
) -> int:
    """Owners and admins only; returns how many scheduled posts are now held. Commits."""
    now = now or datetime.now(UTC)
    account = workspace_account(db, user, workspace_id, account_id, managers_only=True)
    account.disconnected_at = now
    account.status = "disconnected"
    db.add(account)
    db.exec(delete(Credential).where(Credential.account_id == account.id))
    db.exec(delete(SyncedPost).where(SyncedPost.account_id == account.id))
    held = hold_posts(db, account.id)
    db.add(
        ConnectionEvent(
            workspace_id=workspace_id,
            account_id=account.id,
            kind="disconnected",
            detail=f"by user {user.id}; {held} scheduled posts held",
            at=now,
        )
    )
    db.commit()
    return held
