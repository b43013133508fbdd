"""Reading a workspace's connected accounts as display-ready views (the cards, compose, live pushes)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from socializioz.db import session_scope
from socializioz.domain.health import needs_reconnect
from socializioz.models import SocialAccount, User
from socializioz.services.errors import NotFound, ServiceError
from socializioz.services.persisted import saved_id
from socializioz.services.workspaces import role_in


@dataclass(frozen=True)
class AccountView:
    id: int
    platform: str
    name: str
    username: str
    avatar_url: str
    followers: int
    connected_at: str
    needs_reconnect: bool
    publish_capable: bool
    connection_method: str
    refresh_paused: bool = False  # three failed refreshes in a row: nothing automatic until a person acts

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def list_accounts(db: Session, user: User, workspace_id: int, now: datetime | None = None) -> list[AccountView]:
    """The workspace's connected accounts, oldest first; only for members of that workspace."""
    if role_in(db, user, workspace_id) is None:
        raise NotFound("workspace.not_found")
    return workspace_accounts(db, workspace_id, now)


def workspace_accounts(db: Session, workspace_id: int, now: datetime | None = None) -> list[AccountView]:
    """Same, for server pushes that already know the audience is the workspace's members."""
    now = now or datetime.now(UTC)
    rows = db.exec(
        select(SocialAccount)
        .where(SocialAccount.workspace_id == workspace_id, col(SocialAccount.disconnected_at).is_(None))
        .order_by(col(SocialAccount.connected_at), col(SocialAccount.id))
    ).all()
    return [account_view(row, now) for row in rows]


def workspace_account_dicts(workspace_id: int) -> list[dict[str, Any]]:
    """The workspace's accounts as plain dicts for a tab's list, in their own unit of work."""
    with session_scope() as db:
        return [v.as_dict() for v in workspace_accounts(db, workspace_id)]


def member_account_dicts(user: User, workspace_id: int) -> list[dict[str, Any]]:
    """The accounts a member may pick (compose); none for anyone else."""
    with session_scope() as db:
        try:
            return [v.as_dict() for v in list_accounts(db, user, workspace_id)]
        except ServiceError:
            return []


def account_view(row: SocialAccount, now: datetime | None = None) -> AccountView:
    """One account as the card shows it."""
    return AccountView(
        id=saved_id(row),
        platform=row.platform,
        name=row.name,
        username=row.username,
        avatar_url=row.avatar_url,
        followers=row.followers,
        connected_at=row.connected_at.date().isoformat(),
        needs_reconnect=needs_reconnect(
            status=row.status,
            token_expires_at=row.token_expires_at,
            last_platform_error=row.last_error,
            now=now or datetime.now(UTC),
        ),
        publish_capable=row.publish_capable,
        connection_method=row.connection_method,
        refresh_paused=row.refresh_paused,
    )
