"""What people do in the inbox (issue 13): reply, mark read or unread, assign; and the polling that
brings messages in when Meta webhooks are not configured.

Every action takes the caller and the workspace from the session and re-checks both here, on the
server: a conversation of another workspace is ``NotFound``. Replies go through the account's
Instagram client; the reply window is checked first on the platform's clock
(``domain.messaging_window``), and Instagram's own refusal is explained the same way if it still
comes. No database connection is held across a provider call.

Polling (``run_poll_job``, every ``POLL_INTERVAL`` by one process, only while no webhook verify
token is set): one ``GET /{ig-id}/conversations`` per account with the messaging scope, its threads
with their 20 most recent messages. Instagram's Conversations API allows 2 calls a second per
account and every call counts against the account's hourly business-use-case budget, so one call
every two minutes (30 an hour) stays far inside both; messages are stored by their ids, so a poll
that overlaps a webhook stores nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import BinaryIO

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from socializioz import routes
from socializioz.db import run_db, session_scope
from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.domain.messaging_window import ReplyMode, may_send, reply_window
from socializioz.domain.roles import manages
from socializioz.integrations.base import Provider
from socializioz.integrations.factory import get_provider
from socializioz.integrations.meta_webhooks import MessageEvent
from socializioz.integrations.models import AccountRef, ConversationInfo
from socializioz.integrations.platform_clock import platform_now
from socializioz.models import Conversation, MediaAsset, Membership, SocialAccount, User
from socializioz.security.credentials import load_tokens
from socializioz.services import media_store, notify, refresh_leases
from socializioz.services.account_tokens import mark_needs_reconnect
from socializioz.services.engagement_store import apply_message
from socializioz.services.errors import NotFound, PermissionDenied, ValidationError
from socializioz.services.inbox_view import messaging_problem, require_member, workspace_conversation
from socializioz.services.media_urls import media_public_url
from socializioz.services.persisted import saved_id
from socializioz.settings import get_settings

log = logging.getLogger(__name__)

ProviderFactory = Callable[[str], Provider]
MAX_TEXT_BYTES = 1000  # Instagram counts UTF-8 bytes, not characters (engagement.md §3.1)
POLL_JOB_NAME = "inbox-poll"
POLL_INTERVAL = timedelta(minutes=2)
POLL_CONVERSATIONS = 25
ON_OPEN_MIN_SECONDS = 60.0  # a page load reads an account's threads at most once a minute per process
_last_open_poll: dict[int, float] = {}
_background: set[asyncio.Task[None]] = set()


# -- read state and assignment ---------------------------------------------------------------------


def mark_read(db: Session, user: User | None, workspace_id: int, conversation_id: int) -> None:
    conversation = workspace_conversation(db, user, workspace_id, conversation_id)
    conversation.unread = 0
    db.add(conversation)


def mark_unread(db: Session, user: User | None, workspace_id: int, conversation_id: int) -> None:
    conversation = workspace_conversation(db, user, workspace_id, conversation_id)
    conversation.unread = max(conversation.unread, 1)
    db.add(conversation)


def assign(db: Session, user: User | None, workspace_id: int, conversation_id: int, assignee_id: int | None) -> None:
    """Give the conversation to a member of the workspace (None: nobody). Owners and admins assign
    anyone; a member may take a conversation nobody else holds, or give back their own."""
    role = require_member(db, user, workspace_id)
    conversation = workspace_conversation(db, user, workspace_id, conversation_id)
    if assignee_id is not None:
        member = db.exec(
            select(Membership.id).where(Membership.workspace_id == workspace_id, Membership.user_id == assignee_id)
        ).first()
        if member is None:
            raise NotFound("inbox.member_not_found")
    me = user.id if user is not None else None
    if not manages(role):
        taking = assignee_id == me and conversation.assigned_to in (None, me)
        giving_back = assignee_id is None and conversation.assigned_to == me
        if not (taking or giving_back):
            raise PermissionDenied("inbox.assign_denied")
    conversation.assigned_to = assignee_id
    db.add(conversation)


# -- replies ---------------------------------------------------------------------------------------


# Instagram's Send API takes a PNG or JPEG of at most 8 MB by URL (engagement.md §3.3).
MESSAGE_IMAGE_TYPES = ("image/jpeg", "image/png")
MAX_MESSAGE_IMAGE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class _Target:
    account_id: int
    workspace_id: int
    participant_id: str
    ref: AccountRef
    image_url: str = ""


def message_image(db: Session, user: User | None, workspace_id: int, asset_id: int) -> MediaAsset:
    """An upload of the workspace that Instagram accepts in a message, else ``ValidationError``."""
    (asset,) = media_store.workspace_assets(db, user, workspace_id, [asset_id])
    if asset.mime_type not in MESSAGE_IMAGE_TYPES or asset.size_bytes > MAX_MESSAGE_IMAGE_BYTES:
        raise ValidationError("inbox.image_not_allowed")
    return asset


@dataclass(frozen=True)
class PickedImage:
    id: int
    url: str  # this app's own path, for the composer's preview


def save_message_image(
    db: Session, user: User | None, workspace_id: int, filename: str, source: BinaryIO
) -> PickedImage:
    """Keep a picked file for a reply if Instagram takes it in a message; otherwise keep nothing."""
    asset = media_store.save_upload(db, user, workspace_id, filename, source)
    try:
        message_image(db, user, workspace_id, saved_id(asset))
    except ValidationError:
        media_store.delete_asset(db, user, workspace_id, saved_id(asset))
        raise
    return PickedImage(saved_id(asset), routes.MEDIA_PREFIX + asset.token)


def _reply_target(
    db: Session,
    user: User | None,
    workspace_id: int,
    conversation_id: int,
    text: str,
    human_agent: bool,
    image_id: int | None = None,
) -> _Target:
    conversation = workspace_conversation(db, user, workspace_id, conversation_id)
    account = db.get(SocialAccount, conversation.account_id)
    assert account is not None  # workspace_conversation checked it
    problem = messaging_problem(account)
    if problem:
        raise ValidationError(f"inbox.problem.{problem}")
    window = reply_window(conversation.last_inbound_at, platform_now("instagram"))
    if not may_send(window, human_agent):
        raise ValidationError(
            "inbox.human_agent_needed" if window.mode is ReplyMode.HUMAN_AGENT else "inbox.window_closed"
        )
    if not text.strip() and not image_id:
        raise ValidationError("inbox.empty_reply")
    if len(text.encode()) > MAX_TEXT_BYTES:
        raise ValidationError("inbox.reply_too_long")
    image_url = media_public_url(message_image(db, user, workspace_id, image_id).token) if image_id else ""
    tokens = load_tokens(db, saved_id(account))
    if not tokens or not tokens.get("access_token"):
        raise ValidationError("inbox.problem.needs_reconnect")
    return _Target(
        saved_id(account),
        workspace_id,
        conversation.participant_id,
        AccountRef("instagram", account.external_id, str(tokens["access_token"])),
        image_url,
    )


def _store_sent(target: _Target, message_id: str, text: str, image_url: str, sent_at: datetime) -> None:
    attachments = (("image", image_url),) if image_url else ()
    event = MessageEvent(target.ref.external_id, target.participant_id, message_id, False, text, attachments, sent_at)
    with session_scope() as db:
        account = db.get(SocialAccount, target.account_id)
        if account is None:
            return
        try:
            apply_message(db, account, event, sent_at)
            db.commit()
        except IntegrityError:  # the platform's echo got here first: the message is stored
            db.rollback()


def _record_failure(account_id: int, error: ProviderError) -> None:
    if error.kind is ErrorKind.NEEDS_RECONNECT:
        with session_scope() as db:
            mark_needs_reconnect(db, account_id, error.code)


async def send_reply(
    user: User | None,
    workspace_id: int,
    conversation_id: int,
    text: str,
    *,
    image_id: int | None = None,
    human_agent: bool = False,
    provider_factory: ProviderFactory | None = None,
) -> None:
    """Send ``text`` and/or an uploaded image (``image_id``) to the conversation's person; a
    refusal raises ``ValidationError`` whose code is an i18n key saying why (the window, the
    permission, the image, the platform's own reason). Instagram carries an image and text in
    separate messages: the image goes first, so a refused image sends nothing."""

    def load(db: Session) -> _Target:
        return _reply_target(db, user, workspace_id, conversation_id, text, human_agent, image_id)

    target = await run_db(_in_session, load)
    provider = (provider_factory or get_provider)("instagram")
    parts = [("", target.image_url)] if target.image_url else []
    parts += [(text, "")] if text.strip() else []
    try:
        for part_text, image_url in parts:
            sent = await provider.send_message(
                target.ref, target.participant_id, part_text, image_url=image_url or None, human_agent=human_agent
            )
            await run_db(_store_sent, target, sent.message_id, part_text, image_url, platform_now("instagram"))
    except ProviderError as error:
        await run_db(_record_failure, target.account_id, error)
        if error.kind is ErrorKind.MISSING_PERMISSION:
            raise ValidationError("inbox.problem.missing_scope") from None
        if error.kind is ErrorKind.NEEDS_RECONNECT:
            raise ValidationError("inbox.problem.needs_reconnect") from None
        raise ValidationError(error.entry.cause_key) from None
    finally:
        await notify.topic_changed(workspace_id, notify.MESSAGES)


def _in_session(work: Callable[[Session], _Target]) -> _Target:
    with session_scope() as db:
        return work(db)


# -- polling ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PollTarget:
    account_id: int
    workspace_id: int
    ref: AccountRef


def poll_targets(db: Session, account_ids: Iterable[int] | None = None) -> list[PollTarget]:
    """Connected Instagram-Login accounts with the messaging scope and a token."""
    query = select(SocialAccount).where(
        SocialAccount.platform == "instagram", col(SocialAccount.disconnected_at).is_(None)
    )
    if account_ids is not None:
        query = query.where(col(SocialAccount.id).in_(list(account_ids)))
    targets = []
    for account in db.exec(query.order_by(col(SocialAccount.id))).all():
        if messaging_problem(account):
            continue
        tokens = load_tokens(db, saved_id(account))
        if tokens and tokens.get("access_token"):
            ref = AccountRef("instagram", account.external_id, str(tokens["access_token"]))
            targets.append(PollTarget(saved_id(account), account.workspace_id, ref))
    return targets


def store_conversations(account_id: int, threads: list[ConversationInfo], now: datetime) -> bool:
    """Apply a poll's threads (oldest message first); True when anything new was stored."""
    changed = False
    with session_scope() as db:
        account = db.get(SocialAccount, account_id)
        if account is None or account.disconnected_at is not None:
            return False
        for info in threads:
            for message in reversed(info.messages):
                event = MessageEvent(
                    account.external_id,
                    info.participant_id,
                    message.external_id,
                    message.inbound,
                    message.text,
                    message.attachments,
                    message.sent_at,
                )
                changed |= apply_message(db, account, event, now)
            db.flush()
            conversation = db.exec(
                select(Conversation).where(
                    Conversation.account_id == account_id, Conversation.participant_id == info.participant_id
                )
            ).first()
            if conversation is not None and (
                conversation.external_id != info.external_id
                or (info.participant_name and conversation.participant_name != info.participant_name)
            ):
                conversation.external_id = info.external_id
                conversation.participant_name = info.participant_name or conversation.participant_name
                db.add(conversation)
                changed = True
        db.commit()
    return changed


async def poll_accounts(
    account_ids: Iterable[int] | None = None, *, provider_factory: ProviderFactory | None = None
) -> set[int]:
    """Read every target's threads once; the workspaces whose inbox changed (pushed live)."""
    targets = await run_db(_targets, list(account_ids) if account_ids is not None else None)
    provider = (provider_factory or get_provider)("instagram")
    changed: set[int] = set()
    for target in targets:
        try:
            threads = await provider.conversations(target.ref, POLL_CONVERSATIONS)
        except ProviderError as error:
            log.info("inbox poll of account %s failed: %s", target.account_id, error)
            await run_db(_record_failure, target.account_id, error)
            continue
        if await run_db(store_conversations, target.account_id, threads, datetime.now(UTC)):
            changed.add(target.workspace_id)
    for workspace_id in sorted(changed):
        await notify.topic_changed(workspace_id, notify.MESSAGES)
    return changed


def _targets(account_ids: list[int] | None) -> list[PollTarget]:
    with session_scope() as db:
        return poll_targets(db, account_ids)


def webhooks_configured() -> bool:
    return bool(get_settings().meta_webhook_verify_token.get_secret_value())


async def run_poll_job(
    now: datetime | None = None, *, holder: str | None = None, provider_factory: ProviderFactory | None = None
) -> set[int] | None:
    """The scheduler's entry: with no webhook configured, one process per two-minute slot polls;
    None when webhooks deliver instead or another process holds the slot."""
    if webhooks_configured():
        return None
    moment = now or datetime.now(UTC)
    seconds = POLL_INTERVAL.total_seconds()
    start = datetime.fromtimestamp(moment.timestamp() // seconds * seconds, tz=UTC)
    holder = holder or refresh_leases.new_holder()

    def claim() -> bool:
        with session_scope() as db:
            return bool(refresh_leases.claim(db, [POLL_JOB_NAME], holder, free_at=start, until=start + POLL_INTERVAL))

    if not await run_db(claim):
        return None
    return await poll_accounts(provider_factory=provider_factory)


def poll_on_open(account_ids: Iterable[int]) -> None:
    """An inbox page opened: read its accounts' threads in the background (names and anything a
    missed webhook lost), at most once a minute per account and process."""
    now = time.monotonic()
    due = [a for a in account_ids if now - _last_open_poll.get(a, -ON_OPEN_MIN_SECONDS) >= ON_OPEN_MIN_SECONDS]
    if not due:
        return
    for account_id in due:
        _last_open_poll[account_id] = now
    task = asyncio.get_running_loop().create_task(_quiet_poll(due))
    _background.add(task)
    task.add_done_callback(_background.discard)


async def _quiet_poll(account_ids: list[int]) -> None:
    try:
        await poll_accounts(account_ids)
    except Exception:  # a background read must never break the page
        log.exception("inbox poll on open failed")
