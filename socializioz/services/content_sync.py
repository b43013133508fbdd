"""Refresh content: read an account's recent posts and a few comments from the platform and keep
them for the details panel. An Instagram account added through its Facebook Page is read on the
Facebook Graph with its stored Page token; only a legacy Instagram connection is "unsupported".

A failure is classified before anything changes (docs/architecture.md, "Hold, don't lose"): only a needs-reconnect error
(expired or revoked token) turns the account amber; a temporary one (outage, rate limit) changes
nothing and just says "try again"; a missing permission is reported by name.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, delete, select

from socializioz.db import session_scope
from socializioz.domain.account_rules import has_content_details
from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.integrations.base import Provider
from socializioz.integrations.factory import get_provider
from socializioz.integrations.models import CommentInfo, PostInfo
from socializioz.models import ConnectionEvent, SocialAccount, SyncedPost, User
from socializioz.security.credentials import load_tokens
from socializioz.services import notify
from socializioz.services.account_access import workspace_account
from socializioz.services.account_tokens import (
    ActingAccount,
    acting_account,
    mark_needs_reconnect,
    record_granted_scopes,
)
from socializioz.services.errors import NotFound
from socializioz.services.persisted import saved_id

PostsReader = Callable[[str, str, int], Awaitable[list[PostInfo]]]  # (token, account external id, limit)
CommentsReader = Callable[[str, str, int], Awaitable[list[CommentInfo]]]  # (token, post external id, limit)

POST_LIMIT = 10
COMMENT_PREVIEWS = 3
EVENT_SYNCED, EVENT_FAILED = "content_synced", "content_sync_failed"


@dataclass(frozen=True)
class SyncResult:
    """``status``: synced / temporary / needs_reconnect / missing_permission / unsupported."""

    status: str
    posts: int = 0
    new_posts: int = 0
    code: str = ""
    scope: str = ""


async def sync_content(
    user_id: int,
    workspace_id: int,
    account_id: int,
    *,
    provider_factory: Callable[[str], Provider] = get_provider,
    now: datetime | None = None,
) -> SyncResult:
    """Raises ``NotFound`` for an account the caller cannot see; no token leaves this function."""
    with session_scope() as db:
        target = _target(db, db.get(User, user_id), workspace_id, account_id)
    return await _sync(target, workspace_id, account_id, provider_factory, now or datetime.now(UTC))


async def sync_after_publish(
    workspace_id: int, account_id: int, *, provider_factory: Callable[[str], Provider] = get_provider
) -> SyncResult:
    """The publisher's refresh of an account it has just posted to, so the new post shows in the
    details panel; no user is asking, so no membership check (the account's own workspace)."""
    with session_scope() as db:
        account = db.get(SocialAccount, account_id)
        if account is None or account.workspace_id != workspace_id or account.disconnected_at is not None:
            return SyncResult("unsupported")
        tokens = load_tokens(db, account_id) if has_content_details(account.platform) else None
        target = acting_account(account, tokens) if tokens else None
    return await _sync(target, workspace_id, account_id, provider_factory, datetime.now(UTC))


async def _sync(
    target: ActingAccount | None,
    workspace_id: int,
    account_id: int,
    provider_factory: Callable[[str], Provider],
    now: datetime,
) -> SyncResult:
    if target is None:
        return SyncResult("unsupported")
    provider = provider_factory(target.client)
    read_posts, read_comments = _readers(provider, target)
    try:
        posts = await read_posts(target.token, target.external_id, POST_LIMIT)
        previews = {p.external_id: await _previews(read_comments, target.token, p) for p in posts}
        scopes = await _granted_scopes(provider, target.user_token)
    except ProviderError as error:
        return await _failed(workspace_id, account_id, error, now)
    finally:
        await provider.aclose()
    with session_scope() as db:
        new = _store(db, workspace_id, account_id, posts, previews, now)
        if scopes is not None:
            record_granted_scopes(db, account_id, scopes)
    return SyncResult("synced", posts=len(posts), new_posts=new)


def _target(db: Session, user: User | None, workspace_id: int, account_id: int) -> ActingAccount | None:
    account = workspace_account(db, user, workspace_id, account_id)
    if not has_content_details(account.platform):
        return None
    tokens = load_tokens(db, saved_id(account))
    if not tokens:
        raise NotFound("accounts.not_found")
    return acting_account(account, tokens)


def _readers(provider: Provider, target: ActingAccount) -> tuple[PostsReader, CommentsReader]:
    """(recent posts, comments of a post): the parent's reads of a linked account (a Page's Instagram)."""
    if target.via_parent:
        return provider.linked_posts, provider.linked_comments
    return provider.recent_posts, provider.comments


async def _previews(read_comments: CommentsReader, token: str, post: PostInfo) -> list[dict[str, str]]:
    """The first comments of a post; without the comments permission the post still shows."""
    if not post.comments:
        return []
    try:
        comments = await read_comments(token, post.external_id, COMMENT_PREVIEWS)
    except ProviderError as error:
        if error.kind is ErrorKind.MISSING_PERMISSION:
            return []
        raise
    return [{"author": c.author or "", "text": c.text} for c in comments[:COMMENT_PREVIEWS]]


async def _granted_scopes(provider: Provider, user_token: str) -> tuple[str, ...] | None:
    """The permissions Meta says are granted now (the banner's truth); None when not asked or not known."""
    if not user_token:
        return None
    try:
        return (await provider.permissions(user_token)).granted
    except ProviderError as error:
        if error.kind is ErrorKind.TEMPORARY:
            raise
        return None  # the posts came through the Page token; the user token's state is the debug panel's job


def _store(
    db: Session,
    workspace_id: int,
    account_id: int,
    posts: list[PostInfo],
    previews: dict[str, list[dict[str, str]]],
    now: datetime,
) -> int:
    """Replace the account's cached posts; returns how many were not there before."""
    account = db.get(SocialAccount, account_id)
    if account is None or account.disconnected_at is not None:
        return 0  # disconnected meanwhile: keep nothing
    known = set(db.exec(select(SyncedPost.external_id).where(SyncedPost.account_id == account_id)).all())
    db.exec(delete(SyncedPost).where(col(SyncedPost.account_id) == account_id))
    for post in posts:
        db.add(
            SyncedPost(
                workspace_id=workspace_id,
                account_id=account_id,
                external_id=post.external_id,
                caption=post.caption or "",
                media_url=post.media_url or "",
                permalink=post.permalink or "",
                published_at=post.published_at,
                reactions=post.reactions,
                comments=post.comments,
                shares=post.shares,
                comment_preview=json.dumps(previews.get(post.external_id, [])),
                synced_at=now,
            )
        )
    db.add(
        ConnectionEvent(
            workspace_id=workspace_id, account_id=account_id, kind=EVENT_SYNCED, detail=f"{len(posts)} posts", at=now
        )
    )
    return len({p.external_id for p in posts} - known)


async def _failed(workspace_id: int, account_id: int, error: ProviderError, now: datetime) -> SyncResult:
    with session_scope() as db:
        db.add(
            ConnectionEvent(
                workspace_id=workspace_id,
                account_id=account_id,
                kind=EVENT_FAILED,
                detail=f"{error.kind.value}:{error.code}",
                at=now,
            )
        )
        if error.kind is ErrorKind.NEEDS_RECONNECT:
            mark_needs_reconnect(db, account_id, error.code)
    if error.kind is ErrorKind.NEEDS_RECONNECT:
        await notify.workspace_changed(workspace_id)
    status = error.kind.value if error.kind is not ErrorKind.REJECTED_CONTENT else ErrorKind.TEMPORARY.value
    return SyncResult(status, code=error.code, scope=error.missing_scope or "")
