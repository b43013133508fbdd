"""Pen-test finding 1: a raw websocket that chooses its own tab token must never read or write
another workspace's live account list."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.conftest import AppServer
from tests.e2e.ws_client import RawSocket, SocketRefused


def _workspace_with_account(make_user, name: str) -> tuple[int, str, str]:
    """A user with a workspace holding one account named ``name``; (workspace id, email, session cookie)."""
    from sqlmodel import select

    from socializioz.db import session_scope
    from socializioz.models import SocialAccount, User
    from socializioz.services import auth

    user = make_user(plan="professional")
    with session_scope() as db:
        row = db.exec(select(User).where(User.email == user.email)).one()
        db.add(SocialAccount(workspace_id=row.active_workspace_id, platform="x", external_id=f"ext-{name}",
                             name=name, username=name.lower().replace(" ", "_"), granted_scopes=""))
        workspace_id = row.active_workspace_id
        ticket = auth.issue_sign_in_ticket(db, row)
    return workspace_id, user.email, ticket


def session_cookie(app_server: AppServer, ticket: str) -> str:
    answer = httpx.post(app_server.url("/auth/session"), json={"ticket": ticket}, headers={"Origin": app_server.base_url})
    assert answer.status_code == 204, answer.text
    return answer.cookies["sz_session"]


@pytest.mark.parametrize("guess", ["ws{id}", "ws-{id}", "workspace{id}"])
def test_anonymous_socket_with_a_guessed_shared_token_reads_nothing(app_server: AppServer, make_user, guess: str) -> None:
    workspace_id, _email, ticket = _workspace_with_account(make_user, "Secret Victim Account")
    victim = session_cookie(app_server, ticket)
    # The victim opens Connections once, so the workspace's live feed exists.
    with RawSocket(app_server.base_url, cookie=victim) as tab:
        tab.hydrate("/connections")
        assert tab.wait_for(lambda f: "Secret Victim Account" in str(f), timeout=15), "the victim sees her account"
    try:
        with RawSocket(app_server.base_url, token=guess.format(id=workspace_id)) as attacker:
            attacker.hydrate("/connections")
            attacker.wait_hydrated()
            attacker.collect(1)
            assert "Secret Victim Account" not in attacker.text()
    except SocketRefused:
        pass  # refusing a token the frontend never generates is the fix
