"""The polling fallback for comments (issue 13): when no Meta webhook is configured (the embedded
default: no ``SOCIALIZIOZ_META_WEBHOOK_VERIFY_TOKEN``), a scheduler job reads the recent posts'
comments of every connected Facebook Page and Instagram account and stores them through
``engagement_store`` (idempotent by platform id), then pushes the change to open tabs.

Cadence, chosen for the rate limits (reference/engagement.md §4.3, platforms.md §1.6): every
``POLL_MINUTES`` (10) one process (a ``JobLease`` per slot) reads, per account, its
``POLL_POSTS`` (10) latest posts and the comments of those that have any: at most 11 calls per
account per run, 66 an hour, a third of Graph's 200 calls per user-hour budget, leaving the
rest for publishing, analytics and the people using the app. With webhooks configured the job
does nothing: Meta delivers, and the webhook backstop processes what a restart left.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from socializioz.db import run_db, session_scope
from socializioz.domain.comment_rules import comment_capability, has_comment_management
from socializioz.domain.errors import ProviderError
from socializioz.integrations.base import Provider
from socializioz.integrations.factory import get_provider
from socializioz.integrations.meta_webhooks import CommentEvent, Event
from socializioz.integrations.models import ManagedComment
from socializioz.models import SocialAccount
from socializioz.security.credentials import load_tokens
from socializioz.services import notify, refresh_leases
from socializioz.services.account_tokens import NEEDS_RECONNECT, ActingAccount, acting_account
from socializioz.services.engagement_store import apply_events
from socializioz.services.persisted import saved_id
from socializioz.settings import get_settings

log = logging.getLogger(__name__)
JOB_NAME = "comments-poll"
POLL_MINUTES = 10
POLL_INTERVAL = timedelta(minutes=POLL_MINUTES)
POLL_POSTS = 10


@dataclass(frozen=True)
class PollReport:
    accounts: int = 0
    stored: int = 0  # workspaces x topics changed
    failed: int = 0


def webhooks_configured() -> bool:
    return bool(get_settings().meta_webhook_verify_token.get_secret_value())


def _targets() -> list[tuple[int, ActingAccount]]:
    """(account id, how to act for it) of every account whose comments can be read."""
    with session_scope() as db:
        rows = db.exec(
            select(SocialAccount).where(
                col(SocialAccount.disconnected_at).is_(None), col(SocialAccount.status) != NEEDS_RECONNECT
            )
        ).all()
        out = []
        for account in rows:
            if not has_comment_management(account.platform, account.connection_method):
                continue
            if not comment_capability(account.platform, account.connection_method, account.granted_scopes.split()).read:
                continue
            tokens = load_tokens(db, saved_id(account))
            acting = acting_account(account, tokens) if tokens else None
            if acting is not None:
                out.append((saved_id(account), acting))
        return out


def _event(acting: ActingAccount, c: ManagedComment) -> CommentEvent:
    return CommentEvent(
        platform=acting.platform,
        account_external_id=acting.external_id,
        comment_id=c.external_id,
        verb="hide" if c.hidden else "add",
        post_id=c.post_external_id,
        parent_id=c.parent_id,
        author_id=c.author_id,
        author_name=c.author_name,
        text=c.text,
        created_at=c.created_at,
    )


async def read_account(provider: Provider, acting: ActingAccount) -> list[Event]:
    """The comments of the account's recent posts that have any."""
    read_posts = provider.linked_posts if acting.via_parent else provider.recent_posts
    events: list[Event] = []
    for post in await read_posts(acting.token, acting.external_id, POLL_POSTS):
        if post.comments:
            events += [_event(acting, c) for c in await provider.list_comments(acting.ref, post.external_id)]
    return events


def _store(events: list[Event], now: datetime) -> set[tuple[int, str]]:
    with session_scope() as db:
        changed = apply_events(db, events, now)
        db.commit()
        return changed


async def poll_comments(
    *, provider_factory: Callable[[str], Provider] = get_provider, now: datetime | None = None
) -> PollReport:
    """One pass over every readable account; a failing account is skipped until the next pass."""
    now = now or datetime.now(UTC)
    targets = await run_db(_targets)
    changed: set[tuple[int, str]] = set()
    failed = 0
    for _account_id, acting in targets:
        provider = provider_factory(acting.client)
        try:
            events = await read_account(provider, acting)
        except ProviderError as error:
            failed += 1
            log.info("comments poll skipped an account: %s", error)
            continue
        finally:
            await provider.aclose()
        changed |= await run_db(_store, events, now)
    for workspace_id, topic in sorted(changed):
        await notify.topic_changed(workspace_id, topic)
    return PollReport(len(targets), len(changed), failed)


def _slot(moment: datetime) -> datetime:
    seconds = POLL_INTERVAL.total_seconds()
    return datetime.fromtimestamp(moment.timestamp() // seconds * seconds, tz=UTC)


async def run_poll_job(
    now: datetime | None = None,
    *,
    holder: str | None = None,
    provider_factory: Callable[[str], Provider] = get_provider,
) -> PollReport | None:
    """The scheduler's entry: nothing when webhooks are configured; otherwise one process per
    slot (its ``JobLease``) polls. None when skipped."""
    if webhooks_configured():
        return None
    moment = now or datetime.now(UTC)
    start, holder = _slot(moment), holder or refresh_leases.new_holder()

    def claim() -> bool:
        with session_scope() as db:
            won = refresh_leases.claim(db, [JOB_NAME], holder, free_at=start, until=start + POLL_INTERVAL)
            db.commit()
            return bool(won)

    if not await run_db(claim):
        return None
    return await poll_comments(provider_factory=provider_factory, now=moment)
