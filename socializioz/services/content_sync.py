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
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlmodel import Session, col, delete, select

from socializioz.db import session_scope
from socializioz.domain.account_rules import has_content_details
from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.domain.platforms import platform_info
from socializioz.integrations.base import Provider
from socializioz.integrations.factory import get_provider
from socializioz.integrations.models import CommentInfo, PostInfo
from socializioz.models import ConnectionEvent, SocialAccount, SyncedPost, User
from socializioz.security.credentials import load_tokens
from socializioz.services import notify
from socializioz.services.account_access import workspace_account
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


@dataclass(frozen=True)
class _Target:
    platform: str
    external_id: str
    token: str = field(repr=False)
    user_token: str = field(default="", repr=False)  # a Facebook Page's user token: asks for the granted scopes
    client: str = ""  # whose client reads it: the record's answer for its connection method

    @property
    def via_parent(self) -> bool:
        """A Page-linked Instagram account: read on its parent platform's API with the Page token."""
        return self.client != self.platform


async def sync_content(
    user_id: int,
    workspace_id: int,
    account_id: int,
    *,
    provider_factory: Callable[[str], Provider] = get_provider,
    now: datetime | None = None,
) -> SyncResult:
    """Raises ``NotFound`` for an account the caller cannot see; no token leaves this function."""
    now = now or datetime.now(UTC)
    with session_scope() as db:
        target = _target(db, db.get(User, user_id), workspace_id, account_id)
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
            _record_scopes(db, account_id, scopes)
    return SyncResult("synced", posts=len(posts), new_posts=new)


def _target(db: Session, user: User | None, workspace_id: int, account_id: int) -> _Target | None:
    account = workspace_account(db, user, workspace_id, account_id)
    if not has_content_details(account.platform):
        return None
    tokens = load_tokens(db, saved_id(account))
    if not tokens:
        raise NotFound("accounts.not_found")
    info = platform_info(account.platform)
    if len(info.connections) > 1 and not info.has_connection(account.connection_method):
        return None  # a legacy Instagram connection: neither Business Login nor linked through a Page
    client = info.connection(account.connection_method).client
    if client != account.platform:
        return _Target(account.platform, account.external_id, tokens["access_token"], client=client)
    page_token = tokens.get("page_access_token")
    return _Target(
        account.platform,
        account.external_id,
        page_token or tokens["access_token"],
        tokens["access_token"] if page_token else "",
        client=client,
    )


def _readers(provider: Provider, target: _Target) -> tuple[PostsReader, CommentsReader]:
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


def _record_scopes(db: Session, account_id: int, scopes: tuple[str, ...]) -> None:
    account = db.get(SocialAccount, account_id)
    if account is not None and account.disconnected_at is None:
        account.granted_scopes = " ".join(scopes)
        db.add(account)


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
            account = db.get(SocialAccount, account_id)
            if account is None:  # accounts are never deleted, only disconnected
                raise NotFound("accounts.not_found")
            account.status, account.last_error = "needs_reconnect", error.code
            db.add(account)
    if error.kind is ErrorKind.NEEDS_RECONNECT:
        await notify.workspace_changed(workspace_id)
    status = error.kind.value if error.kind is not ErrorKind.REJECTED_CONTENT else ErrorKind.TEMPORARY.value
    return SyncResult(status, code=error.code, scope=error.missing_scope or "")
