"""The inbox's minute check: a thread left open while Instagram's 24-hour reply window closes
disables its composer without a reload (the window closes by the clock alone)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from socializioz.integrations.meta_webhooks import MessageEvent
from socializioz.models import Conversation
from socializioz.services.engagement_store import apply_message
from socializioz.state.inbox import InboxState
from tests.unit.accounts_fixtures import team_a  # noqa: F401
from tests.unit.test_accounts_state import _run
from tests.unit.test_inbox_state_security import _state


async def test_the_open_thread_follows_the_window_closing(db, team_a, monkeypatch) -> None:
    written = datetime.now(UTC) - timedelta(hours=23, minutes=59, seconds=30)
    event = MessageEvent(team_a.instagram.external_id, "igsid-9", "mid-window", True, "Still open?", (), written)
    apply_message(db, team_a.instagram, event, written)
    db.commit()
    conversation = db.exec(select(Conversation).where(Conversation.account_id == team_a.instagram.id)).one()
    state = await _state(monkeypatch, team_a.owner, team_a.workspace_id)
    state.selected = str(conversation.id)
    await _run(lambda: InboxState.reload.fn(state))
    assert state.mode == "standard"
    before = state.window_text

    conversation.last_inbound_at = written - timedelta(minutes=1)  # as a minute passing would
    db.add(conversation)
    db.commit()
    await _run(lambda: InboxState.check_window.fn(state))
    assert state.mode == "human_agent" and state.window_text != before
    assert not state.composer_enabled  # the reply box and Send follow the mode


async def test_no_open_thread_reads_nothing(db, team_a, monkeypatch) -> None:
    state = await _state(monkeypatch, team_a.owner, team_a.workspace_id)
    reads = []
    monkeypatch.setattr(InboxState, "_refresh", lambda self, member: reads.append(member))
    await _run(lambda: InboxState.check_window.fn(state))
    assert reads == []
