"""Comments and direct messages kept per account, whichever way they arrive (a webhook, a poll,
our own reply): one row per platform id, so the same event twice changes nothing.

An event is for every connected account with that platform id (a Page connected in two
workspaces gets it in both); returns the workspaces touched, per topic, for the live push.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from socializioz.integrations.meta_webhooks import CommentEvent, Event, MessageEvent
from socializioz.models import Conversation, DirectMessage, EngagementComment, SocialAccount
from socializioz.services import notify
from socializioz.services.persisted import saved_id


def _accounts(db: Session, platform: str, external_id: str) -> list[SocialAccount]:
    return list(
        db.exec(
            select(SocialAccount).where(
                SocialAccount.platform == platform,
                SocialAccount.external_id == external_id,
                col(SocialAccount.disconnected_at).is_(None),
            )
        ).all()
    )


def apply_comment(db: Session, account: SocialAccount, event: CommentEvent, now: datetime) -> bool:
    """Insert, edit, hide, unhide or mark deleted; False when the event changed nothing."""
    account_id = saved_id(account)
    row = db.exec(
        select(EngagementComment).where(
            EngagementComment.account_id == account_id, EngagementComment.external_id == event.comment_id
        )
    ).first()
    if row is None:
        if event.verb == "remove":
            return False
        row = EngagementComment(
            workspace_id=account.workspace_id,
            account_id=account_id,
            external_id=event.comment_id,
            post_external_id=event.post_id,
            parent_external_id=event.parent_id,
            author_external_id=event.author_id,
            author_name=event.author_name,
            text=event.text,
            created_at=event.created_at or now,
            hidden=event.verb == "hide",
            by_account=event.author_id == account.external_id,
            updated_at=now,
        )
        db.add(row)
        return True
    before = (row.text, row.hidden, row.deleted)
    if event.verb == "edited" and event.text:
        row.text = event.text
    elif event.verb in ("hide", "unhide"):
        row.hidden = event.verb == "hide"
    elif event.verb == "remove":
        row.deleted = True
    if (row.text, row.hidden, row.deleted) == before:
        return False
    row.updated_at = now
    db.add(row)
    return True


def apply_message(db: Session, account: SocialAccount, event: MessageEvent, now: datetime) -> bool:
    """Add the message to its conversation (made on first contact); False when already there."""
    account_id = saved_id(account)
    conversation = db.exec(
        select(Conversation).where(
            Conversation.account_id == account_id, Conversation.participant_id == event.participant_id
        )
    ).first()
    if conversation is None:
        conversation = Conversation(
            workspace_id=account.workspace_id, account_id=account_id, participant_id=event.participant_id
        )
        db.add(conversation)
        db.flush()
    conversation_id = saved_id(conversation)
    if db.exec(
        select(DirectMessage.id).where(
            DirectMessage.conversation_id == conversation_id, DirectMessage.external_id == event.mid
        )
    ).first():
        return False
    sent_at = event.sent_at or now
    db.add(
        DirectMessage(
            conversation_id=conversation_id,
            external_id=event.mid,
            inbound=event.inbound,
            text=event.text,
            attachments=json.dumps([{"type": t, "url": u} for t, u in event.attachments]),
            sent_at=sent_at,
        )
    )
    if conversation.last_message_at is None or sent_at > conversation.last_message_at:
        conversation.last_message_at = sent_at
    if event.inbound:
        conversation.unread += 1
        if conversation.last_inbound_at is None or sent_at > conversation.last_inbound_at:
            conversation.last_inbound_at = sent_at
    db.add(conversation)
    return True


def apply_events(db: Session, events: list[Event], now: datetime | None = None) -> set[tuple[int, str]]:
    """Apply a delivery's events; the (workspace, topic) pairs that changed."""
    now = now or datetime.now(UTC)
    changed: set[tuple[int, str]] = set()
    for event in events:
        if isinstance(event, CommentEvent):
            for account in _accounts(db, event.platform, event.account_external_id):
                if apply_comment(db, account, event, now):
                    changed.add((account.workspace_id, notify.COMMENTS))
        else:
            for account in _accounts(db, "instagram", event.account_external_id):
                if apply_message(db, account, event, now):
                    changed.add((account.workspace_id, notify.MESSAGES))
    return changed
