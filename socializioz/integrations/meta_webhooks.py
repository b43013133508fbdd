"""Meta's webhook payloads read into plain events (reference/engagement.md §4.5).

Both shapes of an entry are accepted: ``changes[]`` (Page ``feed``, Instagram ``comments``), the
flat ``field``/``value`` form the Instagram-Login examples show, and ``messaging[]`` (Instagram
messages, timestamps in milliseconds). Anything else in a delivery is ignored, not an error: Meta
sends many fields the app does not subscribe to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from socializioz.domain.platforms import META_PLATFORMS
from socializioz.settings import Settings

from .endpoints import SANDBOX_CREDENTIALS

COMMENT_VERBS = frozenset({"add", "edited", "remove", "hide", "unhide"})


@dataclass(frozen=True)
class CommentEvent:
    platform: str  # "facebook" (object page) or "instagram"
    account_external_id: str  # the Page id or the Instagram account id the entry is for
    comment_id: str
    verb: str  # add / edited / remove / hide / unhide
    post_id: str = ""
    parent_id: str | None = None  # the parent comment of a reply (never the post)
    author_id: str = ""
    author_name: str = ""
    text: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True)
class MessageEvent:
    account_external_id: str
    participant_id: str  # the person's IGSID (the sender, or the recipient of an echo)
    mid: str
    inbound: bool  # False: an echo of a message the account sent
    text: str = ""
    attachments: tuple[tuple[str, str], ...] = ()  # (type, url)
    sent_at: datetime | None = None


Event = CommentEvent | MessageEvent


def webhook_app_secrets(settings: Settings) -> list[str]:
    """The secrets deliveries may be signed with: the Facebook app's and the Instagram-Login app's
    (the sandbox's own for a platform without credentials)."""
    secrets = []
    for platform in (p.value for p in META_PLATFORMS):
        creds = settings.credentials_for(platform)
        secrets.append(creds.client_secret.get_secret_value() if creds.configured else SANDBOX_CREDENTIALS[platform][1])
    return secrets


MILLIS_FROM = 100_000_000_000  # an epoch this large is in milliseconds (messaging entries use them)


def _time(value: Any, *, millis: bool = False) -> datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value / 1000 if millis or value >= MILLIS_FROM else value, tz=UTC)
        except (OverflowError, ValueError, OSError):
            return None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("+0000", "+00:00"))
        except ValueError:
            return None
    return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _page_comment(page_id: str, value: dict[str, Any]) -> CommentEvent | None:
    if value.get("item") != "comment" or value.get("verb") not in COMMENT_VERBS or not value.get("comment_id"):
        return None
    post_id, parent = str(value.get("post_id") or ""), value.get("parent_id")
    author = _dict(value.get("from"))
    return CommentEvent(
        platform="facebook",
        account_external_id=page_id,
        comment_id=str(value["comment_id"]),
        verb=str(value["verb"]),
        post_id=post_id,
        parent_id=str(parent) if parent and str(parent) != post_id else None,  # top level: parent is the post
        author_id=str(author.get("id") or ""),
        author_name=str(author.get("name") or ""),
        text=str(value.get("message") or ""),
        created_at=_time(value.get("created_time")),
    )


def _instagram_comment(account_id: str, value: dict[str, Any], when: datetime | None) -> CommentEvent | None:
    if not value.get("id"):
        return None
    author = _dict(value.get("from"))
    parent = value.get("parent_id")
    return CommentEvent(
        platform="instagram",
        account_external_id=account_id,
        comment_id=str(value["id"]),
        verb="add",
        post_id=str(_dict(value.get("media")).get("id") or ""),
        parent_id=str(parent) if parent else None,
        author_id=str(author.get("id") or ""),
        author_name=str(author.get("username") or ""),
        text=str(value.get("text") or ""),
        created_at=when,
    )


def _message(account_id: str, item: dict[str, Any]) -> MessageEvent | None:
    message = _dict(item.get("message"))
    if not message.get("mid") or message.get("is_deleted"):
        return None
    sender, recipient = (
        str(_dict(item.get("sender")).get("id") or ""),
        str(_dict(item.get("recipient")).get("id") or ""),
    )
    echo = bool(message.get("is_echo")) or sender == account_id
    attachments = tuple(
        (str(a.get("type") or ""), str(_dict(a.get("payload")).get("url") or ""))
        for a in _list(message.get("attachments"))
        if isinstance(a, dict)
    )
    return MessageEvent(
        account_external_id=account_id,
        participant_id=recipient if echo else sender,
        mid=str(message["mid"]),
        inbound=not echo,
        text=str(message.get("text") or ""),
        attachments=attachments,
        sent_at=_time(item.get("timestamp"), millis=True),
    )


def parse_meta_delivery(payload: Any) -> list[Event]:
    """Every comment and message event of one delivery, in order."""
    payload = _dict(payload)
    kind = payload.get("object")
    if kind not in ("page", "instagram"):
        return []
    events: list[Event | None] = []
    for entry in filter(None, map(_dict, _list(payload.get("entry")))):
        account_id = str(entry.get("id") or "")
        if not account_id:
            continue
        when = _time(entry.get("time"))
        changes = [_dict(c) for c in _list(entry.get("changes"))]
        if "field" in entry:  # the flat Instagram-Login form
            changes.append({"field": entry.get("field"), "value": entry.get("value")})
        for change in changes:
            value = _dict(change.get("value"))
            if kind == "page" and change.get("field") == "feed":
                events.append(_page_comment(account_id, value))
            elif kind == "instagram" and change.get("field") == "comments":
                events.append(_instagram_comment(account_id, value, when))
        if kind == "instagram":
            events.extend(_message(account_id, _dict(m)) for m in _list(entry.get("messaging")))
    return [e for e in events if e is not None]
