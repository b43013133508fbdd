"""After a real connection, no token, code or session id reaches the page HTML,
the websocket frames (frontend state) or the server's log."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_connect_flow import start


def _secrets_of(email: str) -> list[str]:
    from sqlmodel import select

    from socializioz.db import session_scope
    from socializioz.models import SocialAccount, User
    from socializioz.security.credentials import load_tokens

    with session_scope() as db:
        user = db.exec(select(User).where(User.email == email)).one()
        accounts = db.exec(select(SocialAccount).where(SocialAccount.workspace_id == user.active_workspace_id)).all()
        tokens = [load_tokens(db, a.id) for a in accounts]
    return [v for t in tokens if t for k, v in t.items() if k.endswith("token") and v]


def test_tokens_codes_and_session_never_reach_the_browser(page: Page, viewport: str, signed_in) -> None:
    if viewport != "desktop":
        pytest.skip("the same frames at 390 px; one width proves it")
    frames: list[str] = []
    callbacks: list[str] = []
    page.context.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))))
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))))
    page.context.on("request", lambda r: callbacks.append(r.url) if "/oauth/callback/" in r.url else None)
    user = signed_in(plan="professional")
    consent = start(page, viewport, "x")
    consent.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))))
    consent.click("#sandbox-approve")
    expect(page.locator("[data-platform='x']")).to_be_visible(timeout=20_000)

    query = parse_qs(urlsplit(callbacks[0]).query)
    session_id = next(c["value"] for c in page.context.cookies() if c["name"] == "sz_session")
    # The state is not here: the browser must carry it to the platform and back; it is single use.
    secrets = {"access/refresh tokens": _secrets_of(user.email), "code": query["code"], "session": [session_id]}
    assert secrets["access/refresh tokens"], "the flow stored tokens"
    seen = {
        "page HTML": page.content() + "".join(p.content() for p in page.context.pages if not p.is_closed()),
        "websocket frames": "\n".join(frames),
        "server log": (ARTIFACTS / "e2e-server.log").read_text(errors="replace"),
    }
    assert frames, "the pages talked to the server over the websocket"
    for where, text in seen.items():
        for what, values in secrets.items():
            assert not any(v in text for v in values), f"{what} found in {where}"
    assert query["state"][0] not in seen["server log"]
