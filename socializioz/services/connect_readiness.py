"""The setup sheets' readiness check before consent (spec: "checks that your account is ready").

Possible only when the workspace already holds a Facebook connection in good health: its stored
user token asks Graph (``FacebookProvider.list_pages``, ``/me/accounts``) which Pages that login
still manages, its tasks on each and each Page's linked Instagram professional account; the rule
of ``domain/connect_readiness.py`` turns that into the sheet's items. Read-only: the check never
changes an account, and a failure (an outage, an expired or revoked token, a missing permission)
is reported as a note that does not stop anyone from connecting.

Three steps, as the OAuth callback (docs/architecture.md, "OAuth"): a short transaction in a
thread checks the caller's membership and reads the workspace's own Facebook accounts and their
tokens; the Graph calls run with no session open; the result holds names, handles, catalogue keys
and Meta's help URLs, never a token.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlmodel import col, select

from socializioz.db import run_db, session_scope
from socializioz.domain.connect_readiness import (
    READINESS_PLATFORMS,
    ConnectedPage,
    GrantedPage,
    ReadinessItem,
    readiness_items,
)
from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.domain.health import needs_reconnect
from socializioz.domain.platforms import Platform
from socializioz.integrations.base import Provider
from socializioz.integrations.factory import get_provider
from socializioz.models import SocialAccount, User
from socializioz.security.credentials import load_tokens
from socializioz.security.crypto import DecryptionError
from socializioz.services.errors import NotFound
from socializioz.services.persisted import saved_id
from socializioz.services.workspaces import role_in

log = logging.getLogger(__name__)

MAX_GRANTS = 3  # distinct stored Facebook logins asked (the newest connections first)
MAX_ITEMS = 5  # lines the sheet shows; the rest is counted ("+2 more")
DEADLINE_SECONDS = 20.0  # the whole check; a slower Graph is reported as "could not check"


class ReadinessStatus(enum.StrEnum):
    NONE = "none"  # the workspace has no Facebook connection: nothing to read before consent
    STALE = "stale"  # only Facebook connections that need reconnecting: their tokens are not used
    CHECKED = "checked"  # items (and maybe a note about a login that could not be read)
    FAILED = "failed"  # nothing could be read: the note says why


# Why the check could not read the stored login: the note shown in the sheet (never blocking).
PROBLEMS = {
    ErrorKind.NEEDS_RECONNECT: "connect.ready.failed_expired",
    ErrorKind.MISSING_PERMISSION: "connect.ready.failed_permission",
}
TEMPORARY_PROBLEM = "connect.ready.failed_temporary"


@dataclass(frozen=True)
class Readiness:
    """What the sheet shows: at most ``MAX_ITEMS`` items, how many more, and an optional note."""

    status: ReadinessStatus
    items: tuple[ReadinessItem, ...] = ()
    more: int = 0
    problem: str = ""  # i18n key, "" when every stored login was read


@dataclass(frozen=True)
class _Grant:
    """One stored Facebook login and the workspace's Pages connected with it."""

    token: str = field(repr=False)
    pages: tuple[ConnectedPage, ...]


@dataclass(frozen=True)
class _Stored:
    connections: int  # the workspace's Facebook Page connections, healthy or not
    grants: tuple[_Grant, ...]  # the healthy ones, by login


async def check_readiness(
    user_id: int,
    workspace_id: int,
    platform: str,
    *,
    provider_factory: Callable[[str], Provider] = get_provider,
    now: datetime | None = None,
) -> Readiness:
    """The readiness of ``platform``'s sheet for a member of ``workspace_id``. Raises ``NotFound``
    for anyone else: only the caller's own workspace's accounts are ever read."""
    if platform not in READINESS_PLATFORMS:
        raise ValueError(f"no readiness check for {platform}")
    stored = await run_db(_stored_logins, user_id, workspace_id, now or datetime.now(UTC))
    if not stored.connections:
        return Readiness(ReadinessStatus.NONE)
    if not stored.grants:
        return Readiness(ReadinessStatus.STALE)
    connected: list[ConnectedPage] = []
    granted: dict[str, GrantedPage] = {}
    problems: list[str] = []
    for grant in stored.grants[:MAX_GRANTS]:
        try:
            listed = await asyncio.wait_for(_granted_pages(provider_factory, grant.token), DEADLINE_SECONDS)
        except ProviderError as error:
            log.info("readiness check: the stored Facebook login could not be read: %s (%s)", error.code, error.kind)
            problems.append(PROBLEMS.get(error.kind, TEMPORARY_PROBLEM))
            continue
        except TimeoutError:
            log.info("readiness check: Graph did not answer within %.0f s", DEADLINE_SECONDS)
            problems.append(TEMPORARY_PROBLEM)
            continue
        connected += grant.pages
        granted.update({p.external_id: listed[p.external_id] for p in grant.pages if p.external_id in listed})
    problem = problems[0] if problems else ""
    if not connected:
        return Readiness(ReadinessStatus.FAILED, problem=problem)
    items = readiness_items(platform, connected, granted)
    return Readiness(ReadinessStatus.CHECKED, tuple(items[:MAX_ITEMS]), max(0, len(items) - MAX_ITEMS), problem)


def _stored_logins(user_id: int, workspace_id: int, now: datetime) -> _Stored:
    """Step 1 (thread): the caller's membership, then the workspace's own Facebook Pages grouped
    by the login (user token) that connected them; accounts needing a reconnect are left out."""
    with session_scope() as db:
        user = db.get(User, user_id)
        if user is None or role_in(db, user, workspace_id) is None:
            raise NotFound("workspace.not_found")
        rows = db.exec(
            select(SocialAccount)
            .where(
                SocialAccount.workspace_id == workspace_id,
                SocialAccount.platform == Platform.FACEBOOK.value,
                col(SocialAccount.disconnected_at).is_(None),
            )
            .order_by(col(SocialAccount.connected_at).desc(), col(SocialAccount.id).desc())
        ).all()
        by_login: dict[str, list[ConnectedPage]] = {}
        for row in rows:
            if needs_reconnect(
                status=row.status, token_expires_at=row.token_expires_at, last_platform_error=row.last_error, now=now
            ):
                continue
            try:
                tokens = load_tokens(db, saved_id(row)) or {}
            except DecryptionError:
                log.warning("readiness check: the tokens of account %s cannot be decrypted", row.id)
                continue
            user_token = tokens.get("access_token")
            if isinstance(user_token, str) and user_token:
                by_login.setdefault(user_token, []).append(ConnectedPage(row.external_id, row.name))
        grants = tuple(_Grant(token, tuple(pages)) for token, pages in by_login.items())
        return _Stored(len(rows), grants)


async def _granted_pages(provider_factory: Callable[[str], Provider], user_token: str) -> dict[str, GrantedPage]:
    """Step 2 (no session): the Pages Graph lists for one stored login, with tasks and linked Instagram."""
    provider = provider_factory(Platform.FACEBOOK.value)
    try:
        pages = await provider.list_pages(user_token)
    finally:
        await provider.aclose()
    return {
        page.external_id: GrantedPage(
            page.external_id,
            page.name,
            page.tasks,
            (page.instagram.username or page.instagram.name or page.instagram.external_id) if page.instagram else None,
        )
        for page in pages
    }
