"""Every inbox event handler that takes a conversation id refuses another workspace's conversation
on the server: the handlers are enumerated from the state class, so a new one is covered (or fails
this test until it is listed)."""

from __future__ import annotations

import inspect
import io
from datetime import UTC, datetime

import pytest
import reflex as rx
from sqlmodel import select

import socializioz.pages  # noqa: F401  (the app's import order: pages before states)
from socializioz.integrations.meta_webhooks import MessageEvent
from socializioz.models import Conversation, DirectMessage, MediaAsset
from socializioz.services import inbox
from socializioz.services.engagement_store import apply_message
from socializioz.state.inbox import InboxState
from socializioz.state.session import SessionState
from tests.media_samples import image_bytes
from tests.unit.accounts_fixtures import team_a, team_b  # noqa: F401
from tests.unit.test_accounts_state import _run

# The handlers that take a conversation id, and the arguments after it.
ID_HANDLERS = {"open_conversation": (), "mark_unread": (), "mark_read": (), "assign": ("none",)}
NO_ID_HANDLERS = {
    "load",
    "reload",
    "reread",
    "back",
    "set_draft",
    "set_human_agent",
    "send",
    "check_window",
    # The picked image's id lives in the state; a forged one is checked against the workspace below.
    "attach",
    "attach_rejected",
    "remove_image",
}


def _conversation(db, team) -> int:
    apply_message(
        db,
        team.instagram,
        MessageEvent(
            team.instagram.external_id, "igsid-1", f"mid-{team.workspace_id}", True, "Hi", (), datetime.now(UTC)
        ),
        datetime.now(UTC),
    )
    db.commit()
    row = db.exec(select(Conversation).where(Conversation.account_id == team.instagram.id)).one()
    return int(row.id)


async def _state(monkeypatch, user, workspace_id) -> InboxState:
    monkeypatch.setattr(SessionState, "_current_user", lambda self, db: user)
    root = rx.State(_reflex_internal_init=True)
    session = await root.get_state(SessionState)
    session.workspace_id = workspace_id
    return await root.get_state(InboxState)


def test_every_event_handler_is_classified() -> None:
    # Reflex adds a ``set_<var>`` setter per field and ``setvar``; those take no id.
    generated = {"setvar", *(f"set_{name}" for name in InboxState.base_vars)}
    handlers = {name for name in InboxState.event_handlers if name not in generated} | {"set_draft", "set_human_agent"}
    assert handlers <= set(ID_HANDLERS) | NO_ID_HANDLERS, (
        f"classify the new handlers: {handlers - set(ID_HANDLERS) - NO_ID_HANDLERS}"
    )


@pytest.mark.parametrize("handler", sorted(ID_HANDLERS))
@pytest.mark.parametrize("role", ("owner", "admin", "member"))
async def test_a_foreign_conversation_id_is_refused(db, team_a, team_b, monkeypatch, handler, role) -> None:
    foreign = _conversation(db, team_b)
    before = db.exec(select(Conversation).where(Conversation.id == foreign)).one().model_dump()
    state = await _state(monkeypatch, team_a.by_role(role), team_a.workspace_id)
    fn = getattr(InboxState, handler).fn
    assert list(inspect.signature(fn).parameters)[1] == "conversation_id"
    events = await _run(lambda: fn(state, str(foreign), *ID_HANDLERS[handler]))
    db.expire_all()
    after = db.exec(select(Conversation).where(Conversation.id == foreign)).one().model_dump()
    assert after == before  # nothing read-marked, unread-marked or assigned
    assert state.selected == "" and state.messages == []
    assert events and events[-1] is not None  # a "not found" toast


async def test_send_to_a_foreign_conversation_sends_nothing(db, team_a, team_b, monkeypatch) -> None:
    foreign = _conversation(db, team_b)
    sent = []

    async def never(*args, **kwargs):
        sent.append(args)

    monkeypatch.setattr(inbox, "get_provider", lambda platform: type("P", (), {"send_message": never})())
    state = await _state(monkeypatch, team_a.owner, team_a.workspace_id)
    state.selected, state.draft = str(foreign), "Hello from elsewhere"
    await _run(lambda: InboxState.send.fn(state))
    assert sent == []
    assert db.exec(select(DirectMessage).where(DirectMessage.inbound == False)).all() == []  # noqa: E712


def _foreign_image(db, team) -> int:
    picked = inbox.save_message_image(db, team.owner, team.workspace_id, "x.png", io.BytesIO(image_bytes("PNG")))
    db.commit()
    return picked.id


async def test_a_forged_image_of_another_workspace_is_neither_sent_nor_deleted(db, team_a, team_b, monkeypatch) -> None:
    mine, foreign_image = _conversation(db, team_a), _foreign_image(db, team_b)
    sent = []

    async def never(*args, **kwargs):
        sent.append(args)

    monkeypatch.setattr(inbox, "get_provider", lambda platform: type("P", (), {"send_message": never})())
    state = await _state(monkeypatch, team_a.owner, team_a.workspace_id)
    state.selected, state.draft, state.image_id = str(mine), "", foreign_image  # as a forged setter would
    await _run(lambda: InboxState.send.fn(state))
    assert sent == []
    await _run(lambda: InboxState.remove_image.fn(state))
    db.expire_all()
    assert db.get(MediaAsset, foreign_image) is not None  # still there for its own workspace
    assert state.image_id == 0


async def test_a_member_sees_only_their_workspace_conversations(db, team_a, team_b, monkeypatch) -> None:
    mine, foreign = _conversation(db, team_a), _conversation(db, team_b)
    state = await _state(monkeypatch, team_a.member, team_a.workspace_id)
    state.router  # noqa: B018  (router exists on a bare state)
    await _run(lambda: InboxState.reload.fn(state))
    ids = {c["id"] for c in state.conversations}
    assert str(mine) in ids and str(foreign) not in ids
