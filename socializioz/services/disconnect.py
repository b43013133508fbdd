"""Disconnecting an account: it leaves the list at once, its tokens are deleted, its scheduled posts
are held (blocked with the reason) and its row stays, so a reconnect re-attaches posts and campaign
assignments. Platform permissions are not revoked (the dialog says how to)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, col, delete

from socializioz.domain.health import AccountStatus
from socializioz.models import ConnectionEvent, Credential, SyncedPost, User
from socializioz.services import analytics_rollup
from socializioz.services.account_access import workspace_account
from socializioz.services.errors import NotFound
from socializioz.services.persisted import saved_id
from socializioz.services.post_holds import hold_posts


def disconnect_account(
    db: Session, user: User | None, workspace_id: int, account_id: int, now: datetime | None = None
) -> int:
    """Owners and admins only; returns how many scheduled posts are now held. Commits."""
    now = now or datetime.now(UTC)
    account = workspace_account(db, user, workspace_id, account_id, managers_only=True)
    if user is None:  # workspace_account already refused it; this tells the type checker
        raise NotFound("accounts.not_found")
    account.disconnected_at = now
    account.status = AccountStatus.DISCONNECTED.value
    db.add(account)
    db.exec(delete(Credential).where(col(Credential.account_id) == account.id))
    db.exec(delete(SyncedPost).where(col(SyncedPost.account_id) == account.id))
    held = hold_posts(db, saved_id(account))
    analytics_rollup.rebuild_account(db, saved_id(account))  # its metrics leave the workspace's sums
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
