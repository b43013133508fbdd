"""The OAuth callback under attack: concurrent replays, foreign states, and fuzzed query strings."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import uvicorn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from socializioz import db as database
from socializioz.domain.plans import Plan
from socializioz.integrations.config import get_provider_settings
from socializioz.integrations.sandbox import build_sandbox_app
from socializioz.models import OAuthFlow, SocialAccount
from socializioz.services import auth, connect, workspaces
from socializioz.settings import get_settings
from socializioz.web.oauth_routes import oauth_routes

from .conftest import csrf_of


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_app(monkeypatch, schema):
    """The callback route and the sandbox served over real HTTP, as the browser and the server see them."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("SOCIALIZIOZ_PUBLIC_BASE_URL", base)
    monkeypatch.setenv("SOCIALIZIOZ_PROVIDERS_SANDBOX_BASE_URL", base + "/sandbox")
    get_settings.cache_clear()
    get_provider_settings.cache_clear()
    app = Starlette(routes=[*oauth_routes(), Mount("/sandbox", app=build_sandbox_app())])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield base
    server.should_exit = True
    thread.join(timeout=10)
    get_provider_settings.cache_clear()


def _signed_in_owner(plan: Plan = Plan.PROFESSIONAL):
    with database.session_scope() as db:
        user = auth.sign_up(db, f"owner-{time.monotonic_ns()}@example.test", "Owner", "a-long-password")
        workspaces.change_plan(db, user, user.active_workspace_id, plan)
        cookie = auth.redeem_sign_in_ticket(db, auth.issue_sign_in_ticket(db, user))
        return user.id, user.active_workspace_id, cookie


def _approved_callback(base: str, user_id: int, workspace_id: int) -> str:
    with database.session_scope() as db:
        started = connect.start_flow(db, user_id=user_id, workspace_id=workspace_id, platform="x")
    csrf = csrf_of(httpx.get(started.authorize_url).text)
    consent = httpx.post(started.authorize_url, data={"action": "approve", "persona": "x-acme", "csrf": csrf})
    assert consent.status_code == 303
    return consent.headers["location"]


def _count(model) -> int:
    with database.session_scope() as db:
        return db.exec(select(func.count()).select_from(model)).one()


async def test_callback_replayed_20_times_at_once_adds_one_account(live_app):
    user_id, workspace_id, cookie = _signed_in_owner()
    callback = _approved_callback(live_app, user_id, workspace_id)
    async with httpx.AsyncClient(cookies={auth.SESSION_COOKIE: cookie}) as client:
        responses = await asyncio.gather(*(client.get(callback) for _ in range(20)))
    assert all(r.status_code == 303 for r in responses), [r.status_code for r in responses]
    results = [parse_qs(urlsplit(r.headers["location"]).query) for r in responses]
    assert sum("flow" in q for q in results) == 1
    assert all(q.get("error") == ["invalid_state"] for q in results if "flow" not in q)
    assert _count(SocialAccount) == 1


def test_a_state_of_another_user_is_refused(live_app):
    owner_id, workspace_id, _owner_cookie = _signed_in_owner()
    _other_id, _other_ws, other_cookie = _signed_in_owner()
    callback = _approved_callback(live_app, owner_id, workspace_id)
    response = httpx.get(callback, cookies={auth.SESSION_COOKIE: other_cookie})
    assert parse_qs(urlsplit(response.headers["location"]).query)["error"] == ["invalid_state"]
    assert _count(SocialAccount) == 0


QUERY_KEYS = st.sampled_from(
    ["state", "code", "error", "error_reason", "error_description", "granted_scopes", "scopes", "denied_scopes"]
)
QUERY = st.dictionaries(QUERY_KEYS | st.text(max_size=8), st.text(max_size=40), max_size=6)
PLATFORMS = st.sampled_from(["facebook", "instagram", "tiktok", "x", "linkedin", "telegram", "whatsapp", "nope", "X"])


def test_fuzzed_callbacks_never_fail_and_never_write(schema):
    _user_id, _ws, cookie = _signed_in_owner()
    client = TestClient(Starlette(routes=oauth_routes()), follow_redirects=False)
    before = (_count(SocialAccount), _count(OAuthFlow))

    @settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(platform=PLATFORMS, query=QUERY, signed_in=st.booleans())
    def probe(platform: str, query: dict[str, str], signed_in: bool) -> None:
        client.cookies.clear()
        if signed_in:
            client.cookies.set(auth.SESSION_COOKIE, cookie)
        response = client.get(f"/oauth/callback/{platform}", params=query)
        assert response.status_code < 500

    probe()
    assert (_count(SocialAccount), _count(OAuthFlow)) == before
