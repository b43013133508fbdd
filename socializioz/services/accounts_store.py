"""Saving connected accounts: one row per workspace+platform+external id, tokens encrypted beside it.

Connecting an account that is already in the workspace refreshes that row (no plan slot used);
so does a reconnect, which keeps the row's id and with it every post and campaign assignment,
and releases the scheduled posts a disconnect held.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, func, select

from socializioz.domain.health import AccountStatus
from socializioz.models import ConnectionEvent, SocialAccount
from socializioz.security.credentials import store_tokens
from socializioz.services.persisted import saved_id
from socializioz.services.post_holds import release_posts


@dataclass(frozen=True)
class AccountDraft:
    """Everything we learned about one account during a flow; tokens never leave the server."""

    platform: str
    external_id: str
    name: str
    username: str
    avatar_url: str
    followers: int
    tokens: dict[str, object]
    token_expires_at: datetime | None
    granted_scopes: tuple[str, ...]
    publish_capable: bool
    connection_method: str
    parent_external_id: str | None = None


def active_account_count(db: Session, workspace_id: int) -> int:
    return db.exec(
        select(func.count())
        .select_from(SocialAccount)
        .where(SocialAccount.workspace_id == workspace_id, col(SocialAccount.disconnected_at).is_(None))
    ).one()


def find_account(db: Session, workspace_id: int, platform: str, external_id: str) -> SocialAccount | None:
    return db.exec(
        select(SocialAccount).where(
            SocialAccount.workspace_id == workspace_id,
            SocialAccount.platform == platform,
            SocialAccount.external_id == external_id,
        )
    ).first()


def uses_a_slot(db: Session, workspace_id: int, draft: AccountDraft) -> bool:
    """Only a new or a disconnected account takes a plan slot; an active one is just refreshed."""
    existing = find_account(db, workspace_id, draft.platform, draft.external_id)
    return existing is None or existing.disconnected_at is not None


def save_account(
    db: Session, workspace_id: int, draft: AccountDraft, event_kind: str, now: datetime | None = None
) -> SocialAccount:
    now = now or datetime.now(UTC)
    account = find_account(db, workspace_id, draft.platform, draft.external_id)
    if account is None:
        account = SocialAccount(
            workspace_id=workspace_id,
            platform=draft.platform,
            external_id=draft.external_id,
            name=draft.name,
            connected_at=now,
        )
    elif account.disconnected_at is not None:
        account.connected_at = now
    account.name = draft.name
    account.username = draft.username
    account.avatar_url = draft.avatar_url
    account.followers = draft.followers
    account.status = AccountStatus.ACTIVE.value
    account.token_expires_at = draft.token_expires_at
    account.granted_scopes = " ".join(draft.granted_scopes)
    account.publish_capable = draft.publish_capable
    account.connection_method = draft.connection_method
    account.last_error = None
    account.refresh_failures = 0
    account.refresh_paused = False
    account.disconnected_at = None
    if draft.parent_external_id:
        parent = find_account(db, workspace_id, "facebook", draft.parent_external_id)
        account.parent_account_id = parent.id if parent else None
    db.add(account)
    db.flush()
    account_id = saved_id(account)
    store_tokens(db, account_id, draft.tokens)
    release_posts(db, account_id, now)
    db.add(
        ConnectionEvent(
            workspace_id=workspace_id, account_id=account_id, kind=event_kind, detail=draft.connection_method, at=now
        )
    )
    return account
