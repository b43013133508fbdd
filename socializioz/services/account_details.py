"""The account details panel's view model: the card's facts, publish capability and its guidance,
missing engagement permissions, and the recent posts last synced from the platform."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypedDict

from sqlmodel import Session, col, select

from socializioz.domain import errors as error_catalogue
from socializioz.domain.account_rules import has_content_details, missing_engagement_scopes, publish_guidance_code
from socializioz.models import ConnectionEvent, SocialAccount, SyncedPost, User
from socializioz.services.account_access import workspace_account
from socializioz.services.account_views import AccountView, account_view

SYNC_EVENTS = ("content_synced", "content_sync_failed")


class SyncedPostView(TypedDict):
    id: str
    caption: str
    media_url: str
    permalink: str
    published: str
    reactions: int
    comments: int
    shares: int
    comment_preview: list[Any]


@dataclass(frozen=True)
class AccountDetails:
    """The details panel's view model; ``account`` is ``None`` only for the closed panel."""

    account: AccountView | None = None
    has_content: bool = False
    missing_scopes: list[str] = field(default_factory=list)
    guidance_code: str = ""
    guidance_cause_key: str = ""
    guidance_what_key: str = ""
    posts: list[SyncedPostView] = field(default_factory=list)
    last_synced: str = ""


def account_details(
    db: Session, user: User | None, workspace_id: int, account_id: int, now: datetime | None = None
) -> AccountDetails:
    """The details panel's view model, for an account of the caller's workspace only."""
    account = workspace_account(db, user, workspace_id, account_id)
    guidance = publish_guidance_code(account.platform, account.publish_capable)
    entry = error_catalogue.describe(guidance, account.platform) if guidance else None
    return AccountDetails(
        account=account_view(account, now),
        has_content=has_content_details(account.platform),
        missing_scopes=missing_engagement_scopes(
            account.platform, account.connection_method, set(account.granted_scopes.split())
        ),
        guidance_code=guidance or "",
        guidance_cause_key=entry.cause_key if entry else "",
        guidance_what_key=entry.what_to_do_key if entry else "",
        posts=synced_posts(db, account),
        last_synced=_last_sync(db, account),
    )


def synced_posts(db: Session, account: SocialAccount) -> list[SyncedPostView]:
    rows = db.exec(
        select(SyncedPost)
        .where(SyncedPost.account_id == account.id)
        .order_by(col(SyncedPost.published_at).desc(), col(SyncedPost.id))
    ).all()
    return [
        SyncedPostView(
            id=row.external_id,
            caption=row.caption,
            media_url=row.media_url,
            permalink=row.permalink,
            published=row.published_at.strftime("%Y-%m-%d %H:%M") if row.published_at else "",
            reactions=row.reactions,
            comments=row.comments,
            shares=row.shares,
            comment_preview=json.loads(row.comment_preview or "[]"),
        )
        for row in rows
    ]


def _last_sync(db: Session, account: SocialAccount) -> str:
    """When content was last synced since the account was (re)connected: a sync from before a
    disconnect describes posts that are gone, so it must not sit above an empty list."""
    event = db.exec(
        select(ConnectionEvent)
        .where(
            ConnectionEvent.account_id == account.id,
            col(ConnectionEvent.kind).in_(SYNC_EVENTS),
            col(ConnectionEvent.at) >= account.connected_at,
        )
        .order_by(col(ConnectionEvent.at).desc(), col(ConnectionEvent.id).desc())
    ).first()
    return event.at.strftime("%Y-%m-%d %H:%M UTC") if event else ""
