"""What the inbox shows: the workspace's Instagram accounts that can message, their conversations
with unread counts, and one thread with its reply window. Reads only; members of the workspace only
(``require_member``); a conversation of another workspace is ``NotFound``, like a missing one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from socializioz.domain.messaging_window import ReplyWindow, reply_window
from socializioz.domain.platform_specs import ConnectionMethod
from socializioz.models import Conversation, DirectMessage, SocialAccount, User
from socializioz.services.errors import NotFound
from socializioz.services.persisted import saved_id
from socializioz.services.workspaces import role_in

MESSAGING_SCOPE = "instagram_business_manage_messages"
THREAD_LIMIT = 200  # messages shown in a thread (newest kept)
LIST_LIMIT = 200  # conversations listed


def require_member(db: Session, user: User | None, workspace_id: int) -> str:
    """The caller's role in the workspace; an outsider gets ``NotFound`` (nothing to probe)."""
    role = role_in(db, user, workspace_id) if user is not None else None
    if role is None:
        raise NotFound("inbox.not_found")
    return role


@dataclass(frozen=True)
class InboxAccount:
    """An Instagram account of the workspace as the inbox sees it; ``problem`` is "" when it can
    message, else ``missing_scope`` (reconnect to allow messaging), ``needs_reconnect`` or
    ``via_page`` (connected through a Facebook Page: messaging needs Instagram Business Login)."""

    id: int
    name: str
    username: str
    problem: str


def messaging_problem(account: SocialAccount) -> str:
    if account.connection_method != ConnectionMethod.INSTAGRAM_LOGIN.value:
        return "via_page"
    if account.status != "active":
        return "needs_reconnect"
    if MESSAGING_SCOPE not in account.granted_scopes.split():
        return "missing_scope"
    return ""


def instagram_accounts(db: Session, workspace_id: int) -> list[InboxAccount]:
    rows = db.exec(
        select(SocialAccount)
        .where(
            SocialAccount.workspace_id == workspace_id,
            SocialAccount.platform == "instagram",
            col(SocialAccount.disconnected_at).is_(None),
        )
        .order_by(col(SocialAccount.id))
    ).all()
    return [InboxAccount(saved_id(a), a.name, a.username, messaging_problem(a)) for a in rows]


def _connected(workspace_id: int) -> sa.ColumnElement[bool]:
    return sa.and_(
        col(Conversation.workspace_id) == workspace_id,
        col(SocialAccount.id) == col(Conversation.account_id),
        col(SocialAccount.disconnected_at).is_(None),
    )


def unread_conversations(db: Session, workspace_id: int) -> int:
    """Conversations with unread messages, for the navigation badge."""
    query = (
        select(sa.func.count())
        .select_from(Conversation)
        .join(SocialAccount, col(SocialAccount.id) == col(Conversation.account_id))
        .where(_connected(workspace_id), col(Conversation.unread) > 0)
    )
    return int(db.exec(query).one())


@dataclass(frozen=True)
class ConversationRow:
    id: int
    account_id: int
    account_name: str
    participant_id: str
    participant_name: str
    last_text: str
    last_inbound: bool
    last_is_image: bool  # an image without text: the list says "Photo" in the reader's language
    last_message_at: datetime | None
    last_inbound_at: datetime | None
    unread: int
    assigned_to: int | None


def _last_messages(db: Session, ids: list[int]) -> dict[int, DirectMessage]:
    if not ids:
        return {}
    newest = (
        select(DirectMessage.conversation_id, sa.func.max(DirectMessage.id).label("top"))
        .where(col(DirectMessage.conversation_id).in_(ids))
        .group_by(col(DirectMessage.conversation_id))
        .subquery()
    )
    rows = db.exec(select(DirectMessage).join(newest, col(DirectMessage.id) == newest.c.top)).all()
    return {m.conversation_id: m for m in rows}


def conversations(
    db: Session, user: User | None, workspace_id: int, account_id: int | None = None
) -> list[ConversationRow]:
    """The workspace's conversations, most recent first."""
    require_member(db, user, workspace_id)
    query = (
        select(Conversation, SocialAccount)
        .join(SocialAccount, col(SocialAccount.id) == col(Conversation.account_id))
        .where(_connected(workspace_id))
    )
    if account_id:
        query = query.where(col(Conversation.account_id) == account_id)
    rows = db.exec(
        query.order_by(col(Conversation.last_message_at).desc(), col(Conversation.id).desc()).limit(LIST_LIMIT)
    ).all()
    last = _last_messages(db, [saved_id(c) for c, _ in rows])
    out = []
    for conversation, account in rows:
        message = last.get(saved_id(conversation))
        out.append(
            ConversationRow(
                id=saved_id(conversation),
                account_id=saved_id(account),
                account_name=account.username or account.name,
                participant_id=conversation.participant_id,
                participant_name=conversation.participant_name or conversation.participant_id,
                last_text=message.text if message else "",
                last_is_image=bool(message and not message.text and message.attachments not in ("", "[]")),
                last_inbound=message.inbound if message else True,
                last_message_at=conversation.last_message_at,
                last_inbound_at=conversation.last_inbound_at,
                unread=conversation.unread,
                assigned_to=conversation.assigned_to,
            )
        )
    return out


def workspace_conversation(db: Session, user: User | None, workspace_id: int, conversation_id: int) -> Conversation:
    """The conversation, if it belongs to a connected account of the caller's workspace."""
    require_member(db, user, workspace_id)
    conversation = db.get(Conversation, conversation_id) if isinstance(conversation_id, int) else None
    if conversation is None or conversation.workspace_id != workspace_id:
        raise NotFound("inbox.not_found")
    account = db.get(SocialAccount, conversation.account_id)
    if account is None or account.workspace_id != workspace_id or account.disconnected_at is not None:
        raise NotFound("inbox.not_found")
    return conversation


@dataclass(frozen=True)
class MessageRow:
    id: int
    inbound: bool
    text: str
    image_url: str
    sent_at: datetime


@dataclass(frozen=True)
class Thread:
    conversation: ConversationRow
    messages: list[MessageRow]
    window: ReplyWindow
    account_problem: str  # "" when the account can send (messaging_problem)


def _image(attachments: str) -> str:
    try:
        items = json.loads(attachments or "[]")
    except ValueError:
        return ""
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("url") and item.get("type") in ("image", "share", "story_mention", ""):
            return str(item["url"])
    return ""


def thread(db: Session, user: User | None, workspace_id: int, conversation_id: int, now: datetime) -> Thread:
    """One conversation, its messages oldest first, and whether a reply is possible at ``now``
    (the platform's clock)."""
    conversation = workspace_conversation(db, user, workspace_id, conversation_id)
    account = db.get(SocialAccount, conversation.account_id)
    assert account is not None  # workspace_conversation checked it
    rows = db.exec(
        select(DirectMessage)
        .where(DirectMessage.conversation_id == conversation_id)
        .order_by(col(DirectMessage.sent_at).desc(), col(DirectMessage.id).desc())
        .limit(THREAD_LIMIT)
    ).all()
    messages = [MessageRow(saved_id(m), m.inbound, m.text, _image(m.attachments), m.sent_at) for m in reversed(rows)]
    listed = next(
        (r for r in conversations(db, user, workspace_id, conversation.account_id) if r.id == conversation_id), None
    )
    row = listed or ConversationRow(
        conversation_id,
        account.id or 0,
        account.username or account.name,
        conversation.participant_id,
        conversation.participant_name or conversation.participant_id,
        "",
        True,
        False,
        conversation.last_message_at,
        conversation.last_inbound_at,
        conversation.unread,
        conversation.assigned_to,
    )
    return Thread(row, messages, reply_window(conversation.last_inbound_at, now), messaging_problem(account))
