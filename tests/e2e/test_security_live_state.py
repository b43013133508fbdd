"""Pen-test finding 1: a raw websocket that chooses its own tab token must never read or write
another workspace's live account list."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.e2e.conftest import AppServer
from tests.e2e.ws_client import RawSocket, SocketRefused, handler_name


def _workspace_with_account(make_user, name: str) -> tuple[int, str, str]:
    """A user with a workspace holding one account named ``name``; (workspace id, email, session cookie)."""
    from sqlmodel import select

    from socializioz.db import session_scope
    from socializioz.models import SocialAccount, User
    from socializioz.services import auth

    user = make_user(plan="professional")
    with session_scope() as db:
        row = db.exec(select(User).where(User.email == user.email)).one()
        db.add(
            SocialAccount(
                workspace_id=row.active_workspace_id,
                platform="x",
                external_id=f"ext-{name}",
                name=name,
                username=name.lower().replace(" ", "_"),
                granted_scopes="",
            )
        )
        workspace_id = row.active_workspace_id
        ticket = auth.issue_sign_in_ticket(db, row)
    return workspace_id, user.email, ticket


def session_cookie(app_server: AppServer, ticket: str) -> str:
    answer = httpx.post(
        app_server.url("/auth/session"), json={"ticket": ticket}, headers={"Origin": app_server.base_url}
    )
    assert answer.status_code == 204, answer.text
    return answer.cookies["sz_session"]


@pytest.mark.parametrize("guess", ["ws{id}", "ws-{id}", "workspace{id}"])
def test_anonymous_socket_with_a_guessed_shared_token_reads_nothing(
    app_server: AppServer, make_user, guess: str
) -> None:
    workspace_id, _email, ticket = _workspace_with_account(make_user, "Secret Victim Account")
    victim = session_cookie(app_server, ticket)
    # The victim opens Connections once, so the workspace's live feed exists.
    with RawSocket(app_server.base_url, cookie=victim) as tab:
        tab.hydrate("/connections")
        assert tab.wait_for(lambda f: "Secret Victim Account" in str(f), timeout=15), "the victim sees her account"
    # Refusing a token the frontend never generates is the fix.
    with pytest.raises(SocketRefused):
        with RawSocket(app_server.base_url, token=guess.format(id=workspace_id)) as attacker:
            attacker.hydrate("/connections")
            attacker.wait_hydrated()
            attacker.collect(1)
            assert "Secret Victim Account" not in attacker.text()


def test_socket_refused_for_tokens_the_frontend_never_makes(app_server: AppServer) -> None:
    """Finding 1 (a): only a version-4 UUID reaches the state manager; no token at all is refused too."""
    for token in ("ws1", "00000000-0000-0000-0000-000000000000", "A" * 36, str(uuid.uuid4()).upper(), ""):
        with pytest.raises(SocketRefused):
            with RawSocket(app_server.base_url, token=token) as sock:
                sock.hydrate("/connections")
    with RawSocket(app_server.base_url) as ok:  # the frontend's own format still connects
        ok.hydrate("/connections")
        assert ok.wait_hydrated()


def _states():
    """The app's state classes, imported in the app's order (pages first)."""
    import socializioz.pages  # noqa: F401
    from socializioz.state.accounts import AccountsState
    from socializioz.state.connections import ConnectionsState

    return AccountsState, ConnectionsState


def _accounts_in(frames: list) -> list[list[dict]]:
    """Every account list the tab was sent (``ConnectionsState.accounts`` in the deltas)."""
    key = _states()[1].get_full_name()
    return [
        d[key]["accounts_rx_state_"]
        for f in frames
        if isinstance(f, dict)
        for d in [f.get("delta", {})]
        if "accounts_rx_state_" in d.get(key, {})
    ]


def test_a_load_is_not_pushed_to_other_tabs_but_a_disconnect_is(app_server: AppServer, make_user) -> None:
    """Finding 2: loads and reloads read for their own tab only; a real change reaches the other tab."""
    AccountsState, ConnectionsState = _states()
    _workspace_id, _email, ticket = _workspace_with_account(make_user, "Live Corner Shop")
    cookie = session_cookie(app_server, ticket)
    with (
        RawSocket(app_server.base_url, cookie=cookie) as first,
        RawSocket(app_server.base_url, cookie=cookie) as second,
    ):
        first.hydrate("/connections")
        second.hydrate("/connections")
        assert first.wait_hydrated() and second.wait_hydrated()
        assert first.wait_for(lambda f: "Live Corner Shop" in str(f), timeout=15)
        account_id = _accounts_in(first.collect(0.5))[-1][0]["id"]
        seen = len(second.collect(1))
        first.emit(handler_name(ConnectionsState, "reload"))
        with RawSocket(app_server.base_url, cookie=cookie) as third:  # a new page load in a third tab
            third.hydrate("/connections")
            assert third.wait_hydrated()
        first.collect(2)
        assert _accounts_in(second.collect(0)[seen:]) == [], "a load or reload was pushed to another tab"

        first.emit(
            handler_name(AccountsState, "ask_disconnect"), {"account_id": account_id, "name": "Live Corner Shop"}
        )
        first.emit(handler_name(AccountsState, "confirm_disconnect"))
        pushed = second.wait_for(lambda f: _accounts_in([f]) == [[]], timeout=15)
        assert pushed is not None, "the disconnect did not reach the other open tab"


def test_after_sign_out_the_same_tab_token_reads_nothing(app_server: AppServer, make_user) -> None:
    """Finding 8: handlers re-check the session cookie; a signed-out tab's cached data is wiped."""
    _accounts, ConnectionsState = _states()
    _workspace_id, _email, ticket = _workspace_with_account(make_user, "Signed Out Secret")
    cookie = session_cookie(app_server, ticket)
    with RawSocket(app_server.base_url, cookie=cookie) as tab:
        token = tab.token
        tab.hydrate("/connections")
        assert tab.wait_for(lambda f: "Signed Out Secret" in str(f), timeout=15)
        answer = httpx.post(
            app_server.url("/auth/sign-out"), cookies={"sz_session": cookie}, headers={"Origin": app_server.base_url}
        )
        assert answer.status_code == 204
        before = len(tab.raw)
        tab.emit(handler_name(ConnectionsState, "reload"))
        tab.emit(handler_name(ConnectionsState, "load"))
        tab.collect(2)
        assert "Signed Out Secret" not in "\n".join(tab.raw[before:])
    for stale_cookie in (None, cookie):  # the same token again, without and with the ended session
        with RawSocket(app_server.base_url, token=token, cookie=stale_cookie) as again:
            again.hydrate("/connections")
            again.wait_hydrated()
            again.emit(handler_name(ConnectionsState, "reload"))
            again.collect(1.5)
            assert "Signed Out Secret" not in again.text()


def test_other_workspace_member_reloading_with_a_uuid_token_gets_only_his_own(app_server: AppServer, make_user) -> None:
    """Finding 1 (b, c): a signed-in user of another workspace gets only his own accounts and no push."""
    AccountsState, _connections = _states()
    _victim_ws, _e, victim_ticket = _workspace_with_account(make_user, "Victim Shop")
    _other_ws, _e2, other_ticket = _workspace_with_account(make_user, "Intruder Shop")
    victim, intruder = session_cookie(app_server, victim_ticket), session_cookie(app_server, other_ticket)
    with RawSocket(app_server.base_url, cookie=victim) as tab, RawSocket(app_server.base_url, cookie=intruder) as spy:
        tab.hydrate("/connections")
        spy.hydrate("/connections")
        assert tab.wait_for(lambda f: "Victim Shop" in str(f), timeout=15)
        assert spy.wait_for(lambda f: "Intruder Shop" in str(f), timeout=15)
        account_id = _accounts_in(tab.collect(0.5))[-1][0]["id"]
        tab.emit(handler_name(AccountsState, "ask_disconnect"), {"account_id": account_id, "name": "Victim Shop"})
        tab.emit(handler_name(AccountsState, "confirm_disconnect"))
        spy.collect(3)
        assert "Victim Shop" not in spy.text()
