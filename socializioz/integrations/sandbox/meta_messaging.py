"""Instagram messaging with Instagram Login on graph.instagram.com (reference/engagement.md §3).

* ``GET /me/conversations?platform=instagram[&user_id=<IGSID>]`` (fault key ``instagram.conversations``)
  lists the account's threads, newest first; ``fields`` may ask for ``participants`` and
  ``messages{...}`` (the 20 most recent, with ``from``/``to``/``message``/``attachments``).
* ``GET /{conversation-id}?fields=messages`` and ``GET /{message-id}`` (``instagram.conversation``):
  only the 20 most recent messages of a conversation can be read in detail, as on Meta.
* ``POST /me/messages`` or ``/{ig-user-id}/messages`` (``instagram.send``): text (≤ 1,000 UTF-8
  bytes) or one image attachment by URL, to a person who has messaged the account. The 24-hour
  standard window runs from the person's last message on the *sandbox clock*; outside it only
  ``messaging_type=MESSAGE_TAG`` + ``tag=HUMAN_AGENT`` is accepted, up to 7 days. Refusals use
  Meta's envelope: code 10 / subcode 2534022 outside the window (engagement.md §3.3, the subcode
  UNVERIFIED), 100 / 2018001 for a person who never wrote.
Every call needs ``instagram_business_manage_messages``. A sent message comes back to the app's
webhook as an echo (``is_echo``), as Meta does; a simulated person's message
(``receive``, the control API's ``/_control/audience/message``) is pushed as a ``messages`` webhook.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from collections.abc import Iterable
from typing import Any

from sqlmodel import col, select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .common import Handler, authenticate
from .meta_common import path_parts
from .shapes import fields_of, form, graph_error, iso
from .state import SandboxState, Token, current_tenant
from .store import WORLD, SandboxMessage

SCOPE = "instagram_business_manage_messages"
STANDARD_WINDOW = 24 * 3600
HUMAN_AGENT_WINDOW = 7 * 24 * 3600
MAX_TEXT_BYTES = 1000
DETAIL_LIMIT = 20  # only the 20 most recent messages can be read in detail (§3.2)
KEEP = 90 * 86400  # messages are pruned this long after they were sent
CONVERSATION_PREFIX = "aWdfZAG06"  # Meta's conversation ids are base64 of "ig_d..."; ours carry the pair
MESSAGE_PREFIX = "aWdfZAG1faXRlbT"
OUTSIDE_WINDOW = (10, "This message is sent outside of allowed window.", 2534022)


def conversation_id(account_id: str, participant_id: str) -> str:
    pair = base64.urlsafe_b64encode(f"{account_id}:{participant_id}".encode()).decode().rstrip("=")
    return CONVERSATION_PREFIX + pair


def parse_conversation_id(value: str) -> tuple[str, str] | None:
    if not value.startswith(CONVERSATION_PREFIX):
        return None
    raw = value[len(CONVERSATION_PREFIX) :]
    try:
        account, _, participant = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return (account, participant) if account and participant else None


def messaging_route(parts: list[str], method: str) -> tuple[str, Handler] | None:
    """The messaging endpoints of graph.instagram.com, or None for any other path."""
    if len(parts) == 2 and parts[1] == "conversations" and method == "GET":
        return "instagram.conversations", conversations
    if len(parts) == 2 and parts[1] == "messages" and method == "POST":
        return "instagram.send", send
    if len(parts) == 1 and method == "GET" and parts[0].startswith((CONVERSATION_PREFIX, MESSAGE_PREFIX)):
        return "instagram.conversation", node
    return None


# -- state -----------------------------------------------------------------------------------------


def _visible(tenant: str) -> Any:
    return col(SandboxMessage.tenant).in_((WORLD, tenant))


def messages_of(st: SandboxState, account_id: str, participant_id: str | None = None) -> list[SandboxMessage]:
    """The account's messages the current tenant may see, newest first."""
    query = select(SandboxMessage).where(SandboxMessage.account_id == account_id, _visible(current_tenant()))
    if participant_id is not None:
        query = query.where(SandboxMessage.participant_id == participant_id)
    with st.session() as s:
        return list(s.exec(query.order_by(col(SandboxMessage.created).desc(), col(SandboxMessage.id))).all())


def _store(st: SandboxState, row: SandboxMessage) -> SandboxMessage:
    with st.session() as s:
        s.add(row)
        s.commit()
    return row


def _messaging_entry(row: SandboxMessage) -> dict[str, Any]:
    """The Instagram ``messages`` webhook entry for one message (timestamps in ms, §4.5)."""
    sender, recipient = (row.participant_id, row.account_id) if row.inbound else (row.account_id, row.participant_id)
    message: dict[str, Any] = {"mid": row.id}
    if row.text:
        message["text"] = row.text
    if row.attachment_url:
        message["attachments"] = [{"type": "image", "payload": {"url": row.attachment_url}}]
    if not row.inbound:
        message["is_echo"] = True
    millis = int(row.created * 1000)
    return {
        "id": row.account_id,
        "time": millis,
        "messaging": [
            {"sender": {"id": sender}, "recipient": {"id": recipient}, "timestamp": millis, "message": message}
        ],
    }


def receive(
    st: SandboxState, account_id: str, participant_id: str, text: str, name: str = "", tenant: str = WORLD
) -> SandboxMessage:
    """A simulated person writes to the account: stored, then pushed as a signed webhook."""
    if not account_id or not participant_id or participant_id == account_id:
        raise ValueError("account and from must be two different ids")
    if not text.strip() or len(text.encode()) > MAX_TEXT_BYTES:
        raise ValueError("text must be 1 to 1000 bytes")
    now = st.now()
    row = _store(
        st,
        SandboxMessage(
            id=MESSAGE_PREFIX + secrets.token_urlsafe(18),
            tenant=tenant,
            account_id=account_id,
            participant_id=participant_id,
            participant_name=name,
            inbound=True,
            text=text,
            created=now,
            expires_at=now + KEEP,
        ),
    )
    st.webhooks.push("instagram", "instagram", _messaging_entry(row))
    return row


def sent_messages(st: SandboxState, account_id: str | None = None) -> list[dict[str, Any]]:
    """What accounts sent through the Send API (every tenant), newest first: for tests."""
    query = select(SandboxMessage).where(col(SandboxMessage.inbound).is_(False))
    if account_id:
        query = query.where(SandboxMessage.account_id == account_id)
    with st.session() as s:
        rows = s.exec(query.order_by(col(SandboxMessage.created).desc())).all()
    return [
        {
            "id": r.id,
            "account": r.account_id,
            "to": r.participant_id,
            "text": r.text,
            "image_url": r.attachment_url,
            "tag": r.tag,
            "created": r.created,
        }
        for r in rows
    ]


# -- endpoints -------------------------------------------------------------------------------------


def _account(st: SandboxState, token: Token, node: str) -> str | None:
    persona = st.personas[token.persona_id]
    return persona.external_id if node in ("me", persona.external_id) else None


def _names(rows: Iterable[SandboxMessage]) -> dict[str, str]:
    names: dict[str, str] = {}
    for row in rows:
        if row.participant_name and row.participant_id not in names:
            names[row.participant_id] = row.participant_name
    return names


def _message_json(st: SandboxState, row: SandboxMessage, username: str, names: dict[str, str]) -> dict[str, Any]:
    person = {"id": row.participant_id, "username": names.get(row.participant_id, "")}
    own = {"id": row.account_id, "username": username}
    body: dict[str, Any] = {
        "id": row.id,
        "created_time": iso(row.created, graph=True),
        "from": person if row.inbound else own,
        "to": {"data": [own if row.inbound else person]},
        "message": row.text,
    }
    if row.attachment_url:
        body["attachments"] = {"data": [{"image_data": {"url": row.attachment_url}}]}
    return body


def _thread_json(
    st: SandboxState, account_id: str, username: str, rows: list[SandboxMessage], fields: set[str], detail: bool
) -> dict[str, Any]:
    names = _names(rows)
    participant = rows[0].participant_id
    body: dict[str, Any] = {
        "id": conversation_id(account_id, participant),
        "updated_time": iso(rows[0].created, graph=True),
    }
    if "participants" in fields:
        body["participants"] = {
            "data": [
                {"username": username, "id": account_id},
                {"username": names.get(participant, ""), "id": participant},
            ]
        }
    if "messages" in fields:
        data = [
            _message_json(st, r, username, names)
            if detail
            else {"id": r.id, "created_time": iso(r.created, graph=True)}
            for r in rows[:DETAIL_LIMIT]
        ]
        body["messages"] = {"data": data, "paging": {"cursors": {"after": "QVFI"}}}
    return body


def _wants_detail(request: Request) -> bool:
    raw = request.query_params.get("fields", "")
    return "messages{" in raw.replace(" ", "") and "message" in raw.split("messages{", 1)[1]


async def conversations(request: Request, st: SandboxState) -> Response:
    token = authenticate(request, st, "instagram", SCOPE)
    if isinstance(token, Response):
        return token
    account = _account(st, token, path_parts(request)[0])
    if account is None:
        return graph_error(100, "Unsupported get request.", 33)
    platform = request.query_params.get("platform", "instagram")
    if platform != "instagram":
        return graph_error(100, "(#100) Param platform must be one of {MESSENGER, INSTAGRAM}")
    threads: dict[str, list[SandboxMessage]] = {}
    wanted_user = request.query_params.get("user_id")
    for row in messages_of(st, account, wanted_user):
        threads.setdefault(row.participant_id, []).append(row)
    limit = max(1, min(int(request.query_params.get("limit", "25") or 25), 100))
    fields, detail = fields_of(request, "id,updated_time"), _wants_detail(request)
    username = st.personas[token.persona_id].username
    data = [_thread_json(st, account, username, rows, fields, detail) for rows in list(threads.values())[:limit]]
    return JSONResponse({"data": data, "paging": {"cursors": {"before": "QVFI", "after": "QVFJ"}}})


async def node(request: Request, st: SandboxState) -> Response:
    """A conversation (its messages) or one message, only for the token's own account."""
    token = authenticate(request, st, "instagram", SCOPE)
    if isinstance(token, Response):
        return token
    own = st.personas[token.persona_id].external_id
    username = st.personas[token.persona_id].username
    value = path_parts(request)[0]
    pair = parse_conversation_id(value)
    if pair is not None:
        rows = messages_of(st, own, pair[1]) if pair[0] == own else []
        if not rows:
            return graph_error(100, "Unsupported get request.", 33)
        return JSONResponse(
            _thread_json(st, own, username, rows, fields_of(request, "messages"), _wants_detail(request))
        )
    for participant_rows in _threads(messages_of(st, own)).values():
        for index, row in enumerate(participant_rows):
            if row.id == value:
                if index >= DETAIL_LIMIT:  # older than the 20 most recent: Meta refuses the detail
                    return graph_error(100, "(#100) This message is too old to be fetched.", 2534001)
                return JSONResponse(_message_json(st, row, username, _names(participant_rows)))
    return graph_error(100, "Unsupported get request.", 33)


def _threads(rows: list[SandboxMessage]) -> dict[str, list[SandboxMessage]]:
    threads: dict[str, list[SandboxMessage]] = {}
    for row in rows:
        threads.setdefault(row.participant_id, []).append(row)
    return threads


async def _payload(request: Request) -> dict[str, Any]:
    """The Send API body: JSON, or form fields whose values are JSON (both are accepted by Meta)."""
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}
    values: dict[str, Any] = dict(await form(request))
    for name in ("recipient", "message"):
        try:
            values[name] = json.loads(values.get(name) or "{}")
        except ValueError:
            values[name] = {}
    return values


def _content(message: Any) -> tuple[str, str | None] | JSONResponse:
    """The message's text and image URL, or Meta's refusal."""
    if not isinstance(message, dict):
        return graph_error(100, "(#100) The parameter message is required")
    text = message.get("text")
    attachment = message.get("attachment")
    if isinstance(text, str) and text:
        if len(text.encode()) > MAX_TEXT_BYTES:
            return graph_error(100, "(#100) Length of param message[text] must be less than or equal to 1000")
        return text, None
    if isinstance(attachment, dict) and attachment.get("type") == "image":
        payload = attachment.get("payload")
        url = payload.get("url") if isinstance(payload, dict) else None
        if isinstance(url, str) and url.startswith(("https://", "http://")):
            return "", url
        return graph_error(100, "(#100) Invalid attachment: payload.url must be a public URL", 2018047)
    return graph_error(100, "(#100) The parameter message[text] or message[attachment] is required")


async def send(request: Request, st: SandboxState) -> Response:
    token = authenticate(request, st, "instagram", SCOPE)
    if isinstance(token, Response):
        return token
    account = _account(st, token, path_parts(request)[0])
    if account is None:
        return graph_error(100, "Unsupported post request.", 33)
    body = await _payload(request)
    recipient = body.get("recipient")
    recipient_id = str(recipient.get("id") or "") if isinstance(recipient, dict) else ""
    content = _content(body.get("message"))
    if isinstance(content, JSONResponse):
        return content
    inbound = [r for r in messages_of(st, account, recipient_id) if r.inbound] if recipient_id else []
    if not inbound:
        return graph_error(100, "No matching user found", 2018001)
    age = st.now() - inbound[0].created
    tag = str(body.get("tag") or "") if body.get("messaging_type") == "MESSAGE_TAG" else ""
    if age >= STANDARD_WINDOW and not (tag == "HUMAN_AGENT" and age < HUMAN_AGENT_WINDOW):
        code, message, subcode = OUTSIDE_WINDOW
        return graph_error(code, message, subcode)
    now = st.now()
    row = _store(
        st,
        SandboxMessage(
            id=MESSAGE_PREFIX + secrets.token_urlsafe(18),
            tenant=current_tenant(),
            account_id=account,
            participant_id=recipient_id,
            inbound=False,
            text=content[0],
            attachment_url=content[1],
            tag=tag,
            created=now,
            expires_at=now + KEEP,
        ),
    )
    st.webhooks.push("instagram", "instagram", _messaging_entry(row))  # the echo
    return JSONResponse({"recipient_id": recipient_id, "message_id": row.id})
