"""Pen-test finding 9: an event that names no handler made Reflex log the whole event, the session
cookie and a password included. Sent here over a raw websocket, then the server log is scanned."""

from __future__ import annotations

import secrets
import time

from tests.e2e.conftest import ARTIFACTS, AppServer
from tests.e2e.test_security_live_state import _workspace_with_account, session_cookie
from tests.e2e.ws_client import ROOT_STATE, RawSocket


def test_an_event_with_no_handler_logs_neither_cookie_nor_password(app_server: AppServer, make_user) -> None:
    _workspace_id, _email, ticket = _workspace_with_account(make_user, "Log Canary Account")
    cookie = session_cookie(app_server, ticket)
    password = "canary-password-" + secrets.token_hex(8)
    log = ARTIFACTS / "e2e-server.log"
    before = log.stat().st_size
    with RawSocket(app_server.base_url, cookie=cookie) as sock:
        sock.hydrate("/sign-in")
        sock.wait_hydrated()
        for name in (
            f"{ROOT_STATE}.no_such_state.no_such_handler",
            "not-even-a-name",
            f"{ROOT_STATE}.hydrate_and_load.x",
        ):
            sock.emit(name, {"form": {"email": "a@b.test", "password": password}, "ticket": password})
        sock.collect(2)
    time.sleep(1)  # the server's log lines reach the file
    written = log.read_text(errors="replace")[before:]
    assert written.strip(), "the server logged something about the bad events (otherwise this proves nothing)"
    assert password not in written
    assert cookie not in written
