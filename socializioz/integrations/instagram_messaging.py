"""Instagram direct messages through Instagram Login (reference/engagement.md §3), for
``InstagramProvider``: the conversation list, one thread's messages and the Send API.

One call per poll reads every thread with its 20 most recent messages (``fields=messages{...}``):
the Conversations API allows 2 calls a second per account, so polling lists, never walks threads.
Meta refuses a reply outside the messaging window with code 10 / subcode 2534022 (Messenger's
10 / 2018278 is accepted too); that becomes ``messaging_window_closed``, a refusal of this message
(REJECTED_CONTENT: no reconnect, no retry), not the missing-permission that code 10 otherwise means.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

from socializioz.domain.errors import ErrorKind, ProviderError

from .base import parse_time
from .classify import Stage
from .models import AccountRef, ConversationInfo, MessageInfo, SentMessage

SCOPE = "instagram_business_manage_messages"
MESSAGE_FIELDS = "id,created_time,from,to,message,attachments"
CONVERSATION_FIELDS = f"id,updated_time,participants,messages{{{MESSAGE_FIELDS}}}"
WINDOW_CLOSED_CODES = frozenset({"10/2534022", "10/2018278"})
WINDOW_CLOSED = "messaging_window_closed"
MAX_TEXT_BYTES = 1000

Call = Callable[..., Awaitable[dict[str, Any]]]  # (stage, method, path, token, **kwargs) -> body


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _attachments(raw: Any) -> tuple[tuple[str, str], ...]:
    found = []
    for item in _dict(raw).get("data", []) if isinstance(raw, dict) else []:
        item = _dict(item)
        for kind, key in (("image", "image_data"), ("video", "video_data"), ("file", "file_url")):
            value = item.get(key)
            url = _dict(value).get("url") if isinstance(value, dict) else value
            if isinstance(url, str) and url:
                found.append((kind, url))
    return tuple(found)


def parse_message(raw: dict[str, Any], own_id: str) -> MessageInfo | None:
    if not raw.get("id"):
        return None
    sender = str(_dict(raw.get("from")).get("id") or "")
    return MessageInfo(
        external_id=str(raw["id"]),
        inbound=sender != own_id,
        text=str(raw.get("message") or ""),
        sent_at=parse_time(raw.get("created_time")),
        attachments=_attachments(raw.get("attachments")),
    )


def parse_conversation(raw: dict[str, Any], own_id: str) -> ConversationInfo | None:
    """A thread with the person who is not the account; None without one (nothing to answer)."""
    people = [_dict(p) for p in _dict(raw.get("participants")).get("data", [])]
    messages = tuple(
        m for m in (parse_message(_dict(x), own_id) for x in _dict(raw.get("messages")).get("data", [])) if m
    )
    other = next((p for p in people if str(p.get("id") or "") != own_id), None)
    if other is None:  # no participants asked for: the sender of an inbound message names the person
        raws = [_dict(x) for x in _dict(raw.get("messages")).get("data", [])]
        sender = next((_dict(x.get("from")) for x in raws if str(_dict(x.get("from")).get("id")) != own_id), None)
        other = sender
    if not raw.get("id") or not other or not other.get("id"):
        return None
    return ConversationInfo(
        external_id=str(raw["id"]),
        participant_id=str(other["id"]),
        participant_name=str(other.get("username") or other.get("name") or ""),
        updated_at=parse_time(raw.get("updated_time")),
        messages=messages,
    )


def _window(error: ProviderError) -> ProviderError:
    if error.provider_code in WINDOW_CLOSED_CODES:
        return dataclasses.replace(error, kind=ErrorKind.REJECTED_CONTENT, code=WINDOW_CLOSED, missing_scope=None)
    return error


async def conversations(call: Call, account: AccountRef, limit: int) -> list[ConversationInfo]:
    body = await call(
        Stage.READ,
        "GET",
        f"/{account.external_id}/conversations",
        account.access_token,
        params={"platform": "instagram", "fields": CONVERSATION_FIELDS, "limit": str(limit)},
        required_scope=SCOPE,
    )
    found = (parse_conversation(_dict(c), account.external_id) for c in body.get("data", []))
    return [c for c in found if c is not None]


async def conversation_messages(call: Call, account: AccountRef, conversation_id: str) -> list[MessageInfo]:
    body = await call(
        Stage.READ,
        "GET",
        f"/{conversation_id}",
        account.access_token,
        params={"fields": f"messages{{{MESSAGE_FIELDS}}}"},
        required_scope=SCOPE,
    )
    found = (parse_message(_dict(m), account.external_id) for m in _dict(body.get("messages")).get("data", []))
    return [m for m in found if m is not None]


def message_body(recipient_id: str, text: str, image_url: str | None, human_agent: bool) -> dict[str, Any]:
    """The Send API's JSON (§3.3): a text or one image; the HUMAN_AGENT tag outside 24 hours."""
    message: dict[str, Any] = (
        {"attachment": {"type": "image", "payload": {"url": image_url}}} if image_url else {"text": text}
    )
    body: dict[str, Any] = {"recipient": {"id": recipient_id}, "message": message}
    if human_agent:
        body.update(messaging_type="MESSAGE_TAG", tag="HUMAN_AGENT")
    else:
        body["messaging_type"] = "RESPONSE"
    return body


async def send_message(
    call: Call, account: AccountRef, recipient_id: str, text: str, image_url: str | None, human_agent: bool
) -> SentMessage:
    if not image_url and not text.strip():
        raise ProviderError(ErrorKind.REJECTED_CONTENT, "content_rejected", "instagram", detail="empty message")
    if len(text.encode()) > MAX_TEXT_BYTES:
        raise ProviderError(ErrorKind.REJECTED_CONTENT, "content_rejected", "instagram", detail="text over 1000 bytes")
    try:
        body = await call(
            Stage.PUBLISH,
            "POST",
            f"/{account.external_id}/messages",
            account.access_token,
            json=message_body(recipient_id, text, image_url, human_agent),
            required_scope=SCOPE,
        )
    except ProviderError as error:
        raise _window(error) from None
    message_id = body.get("message_id")
    if not message_id:
        raise ProviderError(
            ErrorKind.TEMPORARY, "provider_unavailable", "instagram", status=200, detail="response lacks message_id"
        )
    return SentMessage(message_id=str(message_id), recipient_id=str(body.get("recipient_id") or recipient_id))
