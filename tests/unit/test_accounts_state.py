"""The accounts state handlers enforce the workspace and the role themselves: a member calling the
token-debug event directly gets nothing, and no handler reads or changes another workspace."""

from __future__ import annotations

import pytest
import reflex as rx

import socializioz.pages  # noqa: F401  (the app's import order: pages before states)
from socializioz.models import SocialAccount
from socializioz.state import accounts as accounts_state
from socializioz.state.accounts import AccountsState
from socializioz.state.session import SessionState
from tests.unit.accounts_fixtures import outsider, team_a, team_b  # noqa: F401


async def _states(monkeypatch, user, workspace_id):
    monkeypatch.setattr(SessionState, "_current_user", lambda self, db: user)
    root = rx.State(_reflex_internal_init=True)
    session = await root.get_state(SessionState)
    session.workspace_id = workspace_id
    return await root.get_state(AccountsState)


async def _run(handler):
    """Run an event handler (plain or generator) and collect what it returned or yielded."""
    result = handler()
    if hasattr(result, "__aiter__"):
        return [item async for item in result]
    return [await result] if hasattr(result, "__await__") else [result]


async def test_member_calling_the_debug_event_gets_nothing(team_a, monkeypatch):
    called = []
    monkeypatch.setattr(accounts_state, "token_debug", _spy(called))
    state = await _states(monkeypatch, team_a.member, team_a.workspace_id)
    await _run(lambda: AccountsState.open_details.fn(state, team_a.facebook.id))
    assert state.details_id == team_a.facebook.id
    await _run(lambda: AccountsState.load_debug.fn(state))
    assert state.debug == {} and state.debug_open is False
    assert called == [team_a.member.id]  # the service was asked and refused


def _spy(called):
    from socializioz.services.token_debug import token_debug

    async def spy(user_id, workspace_id, account_id, **kw):
        called.append(user_id)
        return await token_debug(user_id, workspace_id, account_id, **kw)

    return spy


@pytest.mark.parametrize("role", ("owner", "admin", "member"))
async def test_details_of_another_workspace_are_not_found(team_a, team_b, monkeypatch, role):
    state = await _states(monkeypatch, team_a.by_role(role), team_a.workspace_id)
    events = await _run(lambda: AccountsState.open_details.fn(state, team_b.facebook.id))
    assert state.details_id == 0 and state.account == accounts_state.NO_ACCOUNT and state.posts == []
    assert events and events[0] is not None  # a "not found" toast


@pytest.mark.parametrize("role", ("owner", "admin", "member"))
async def test_disconnect_event_never_crosses_workspaces(db, team_a, team_b, monkeypatch, role):
    state = await _states(monkeypatch, team_a.by_role(role), team_a.workspace_id)
    state.confirm_id = team_b.facebook.id
    await _run(lambda: AccountsState.confirm_disconnect.fn(state))
    db.expire_all()
    assert db.get(SocialAccount, team_b.facebook.id).disconnected_at is None


async def test_member_disconnect_event_changes_nothing(db, team_a, monkeypatch):
    state = await _states(monkeypatch, team_a.member, team_a.workspace_id)
    state.confirm_id = team_a.facebook.id
    await _run(lambda: AccountsState.confirm_disconnect.fn(state))
    db.expire_all()
    assert db.get(SocialAccount, team_a.facebook.id).disconnected_at is None


async def test_signed_out_caller_gets_nothing(team_a, monkeypatch):
    state = await _states(monkeypatch, None, team_a.workspace_id)
    await _run(lambda: AccountsState.open_details.fn(state, team_a.facebook.id))
    assert state.details_id == 0
    state.details_id = team_a.facebook.id  # even with a forged panel id
    await _run(lambda: AccountsState.load_debug.fn(state))
    await _run(lambda: AccountsState.refresh_content.fn(state))
    assert state.debug == {} and state.posts == []


async def test_member_is_checked_from_the_cookie_not_the_cached_tab(team_a, team_b, monkeypatch):
    """Finding 8: a tab whose session ended gets ``None``, whatever ``signed_in`` it still caches;
    a cached workspace the user is not a member of falls back to the user's own."""
    state = await _states(monkeypatch, None, team_a.workspace_id)
    session = await state.get_state(SessionState)
    session.signed_in, session.role = True, "owner"
    assert await session.member() is None
    state = await _states(monkeypatch, team_a.member, team_b.workspace_id)
    session = await state.get_state(SessionState)
    member = await session.member()
    assert member is not None and member.workspace_id != team_b.workspace_id
