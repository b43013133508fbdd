"""The account details panel's view model: the card's facts, publish capability and its guidance,
missing engagement permissions, and the recent posts last synced from the platform."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from socializioz.domain import errors as error_catalogue
from socializioz.domain.account_rules import has_content_details, missing_engagement_scopes, publish_guidance_code
from socializioz.models import ConnectionEvent, SocialAccount, SyncedPost, User
from socializioz.services.account_access import workspace_account
from socializioz.services.account_views import account_view

SYNC_EVENTS = ("content_synced", "content_sync_failed")


def account_details(
    db: Session, user: User | None, workspace_id: int, account_id: int, now: datetime | None = None
) -> dict[str, Any]:
    """The details panel's view model (plain values for Reflex state vars; the UI indexes into ``account``)."""
    account = workspace_account(db, user, workspace_id, account_id)
    guidance = publish_guidance_code(account.platform, account.publish_capable)
    entry = error_catalogue.describe(guidance, account.platform) if guidance else None
    return {
        "account": account_view(account, now).as_dict(),
        "has_content": has_content_details(account.platform),
        "missing_scopes": missing_engagement_scopes(
            account.platform, account.connection_method, set(account.granted_scopes.split())
        ),
        "guidance_code": guidance,
        "guidance_cause_key": entry.cause_key if entry else "",
        "guidance_what_key": entry.what_to_do_key if entry else "",
        "posts": synced_posts(db, account),
        "last_synced": _last_sync(db, account),
    }


def synced_posts(db: Session, account: SocialAccount) -> list[dict[str, object]]:
    rows = db.exec(
        select(SyncedPost)
        .where(SyncedPost.account_id == account.id)
        .order_by(col(SyncedPost.published_at).desc(), col(SyncedPost.id))
    ).all()
    return [
        {
            "id": row.external_id,
            "caption": row.caption,
            "media_url": row.media_url,
            "permalink": row.permalink,
            "published": row.published_at.strftime("%Y-%m-%d %H:%M") if row.published_at else "",
            "reactions": row.reactions,
            "comments": row.comments,
            "shares": row.shares,
            "comment_preview": json.loads(row.comment_preview or "[]"),
        }
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
