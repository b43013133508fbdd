"""The launch notice's handlers on the Connections page check the caller on the server: the notice
shown is the signed-in user's own (in any workspace they open), closing it or using Connect it
records their own request only, a platform still coming soon cannot be marked, and a signed-out
tab is sent to sign in with nothing changed."""

from __future__ import annotations

import inspect

import pytest
import reflex as rx
from reflex.event import EventSpec

import socializioz.pages  # noqa: F401  (the app's import order: pages before states)
from socializioz.models import NotifyRequest, User
from socializioz.state.connections import ConnectionsState, LaunchNotice
from socializioz.state.session import SessionState
from tests.unit.accounts_fixtures import team_a, team_b  # noqa: F401

HANDLERS = ("dismiss_launch_notice", "connect_launched")


def _request(db, user: User, platform: str) -> int:
    """A request kept from when ``platform`` was coming soon (LinkedIn has launched since)."""
    row = NotifyRequest(user_id=user.id, platform=platform)
    db.add(row)
    db.commit()
    return row.id


def _notified(db, request_id: int):
    db.expire_all()
    return db.get(NotifyRequest, request_id).notified_at


async def _state(monkeypatch, user: User | None, workspace_id: int) -> ConnectionsState:
    user_id = user.id if user else None
    monkeypatch.setattr(SessionState, "_current_user", lambda self, db: db.get(User, user_id) if user_id else None)
    root = rx.State(_reflex_internal_init=True)
    session = await root.get_state(SessionState)
    session.workspace_id = workspace_id
    return await root.get_state(ConnectionsState)


def _names(result) -> list[str]:
    events = result if isinstance(result, list) else [result]
    return [e.handler.fn.__name__ for e in events if isinstance(e, EventSpec)]


def test_the_handlers_this_test_calls_are_the_notices_own():
    for name in HANDLERS:
        params = list(inspect.signature(ConnectionsState.event_handlers[name].fn).parameters)
        assert params == ["self", "platform"], name


@pytest.mark.parametrize("handler", HANDLERS)
async def test_a_user_cannot_spend_someone_elses_notice(db, team_a, team_b, monkeypatch, handler):
    theirs = _request(db, team_b.owner, "linkedin")
    mine = _request(db, team_a.owner, "x")
    state = await _state(monkeypatch, team_a.owner, team_a.workspace_id)
    await ConnectionsState.event_handlers[handler].fn(state, "linkedin")
    assert _notified(db, theirs) is None  # the platform named is Bo's, the request changed is only ever the caller's
    assert _notified(db, mine) is None
    assert state.launch_notices == [LaunchNotice("x", "X (Twitter)")]


@pytest.mark.parametrize("handler", HANDLERS)
async def test_a_platform_still_coming_soon_cannot_be_marked(db, team_a, monkeypatch, handler):
    waiting = _request(db, team_a.owner, "telegram")
    state = await _state(monkeypatch, team_a.owner, team_a.workspace_id)
    result = await ConnectionsState.event_handlers[handler].fn(state, "telegram")
    assert _notified(db, waiting) is None
    assert "choose_platform" not in _names(result)


@pytest.mark.parametrize("handler", HANDLERS)
async def test_a_signed_out_tab_changes_nothing(db, team_a, monkeypatch, handler):
    mine = _request(db, team_a.owner, "linkedin")
    state = await _state(monkeypatch, None, team_a.workspace_id)
    result = await ConnectionsState.event_handlers[handler].fn(state, "linkedin")
    assert _notified(db, mine) is None
    assert "choose_platform" not in _names(result)


async def test_closing_the_notice_delivers_it(db, team_a, monkeypatch):
    mine = _request(db, team_a.admin, "linkedin")
    other = _request(db, team_a.admin, "x")
    state = await _state(monkeypatch, team_a.admin, team_a.workspace_id)
    await ConnectionsState.dismiss_launch_notice.fn(state, "linkedin")
    assert _notified(db, mine) is not None
    assert _notified(db, other) is None
    assert state.launch_notices == [LaunchNotice("x", "X (Twitter)")]


async def test_connect_it_delivers_the_notice_then_opens_the_connect_flow(db, team_a, monkeypatch):
    mine = _request(db, team_a.owner, "linkedin")
    state = await _state(monkeypatch, team_a.owner, team_a.workspace_id)
    result = await ConnectionsState.connect_launched.fn(state, "linkedin")
    assert _notified(db, mine) is not None
    assert state.launch_notices == []
    assert _names(result) == ["choose_platform"]
    assert result.args[0][1].equals(rx.Var.create("linkedin"))  # the platform's own tile flow


async def test_the_notice_follows_the_person_into_each_of_their_workspaces(db, team_a, team_b, monkeypatch):
    _request(db, team_a.admin, "linkedin")
    _request(db, team_a.admin, "telegram")  # still coming soon: no notice
    own_workspace = team_a.admin.active_workspace_id
    assert own_workspace != team_a.workspace_id
    for workspace_id in (own_workspace, team_a.workspace_id):
        state = await _state(monkeypatch, team_a.admin, workspace_id)
        await ConnectionsState.load.fn(state)
        assert state.launch_notices == [LaunchNotice("linkedin", "LinkedIn")]
        assert state.notify_platforms == ["telegram"]
    colleague = await _state(monkeypatch, team_a.owner, team_a.workspace_id)  # same workspace, not their request
    await ConnectionsState.load.fn(colleague)
    assert colleague.launch_notices == []
