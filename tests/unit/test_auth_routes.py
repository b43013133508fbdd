"""The cookie endpoints through Starlette's TestClient."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from socializioz.db import session_scope
from socializioz.services import auth
from socializioz.settings import get_settings
from socializioz.web.auth_routes import auth_routes


@pytest.fixture
def client(schema) -> TestClient:
    return TestClient(Starlette(routes=auth_routes()))


@pytest.fixture
def ticket(schema) -> str:
    with session_scope() as db:
        user = auth.sign_up(db, "route@example.com", "Route", "long-enough-pw")
        return auth.issue_sign_in_ticket(db, user)


def _set_cookie(response) -> str:
    return response.headers["set-cookie"]


def test_ticket_sets_an_httponly_lax_session_cookie(client, ticket):
    response = client.post("/auth/session", json={"ticket": ticket})
    assert response.status_code == 204
    cookie = _set_cookie(response)
    assert cookie.startswith(f"{auth.SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert f"Max-Age={14 * 86400}" in cookie and "Secure" not in cookie
    token = response.cookies[auth.SESSION_COOKIE]
    with session_scope() as db:
        assert auth.user_for_session(db, token).email == "route@example.com"


def test_a_used_ticket_is_refused(client, ticket):
    assert client.post("/auth/session", json={"ticket": ticket}).status_code == 204
    again = client.post("/auth/session", json={"ticket": ticket})
    assert again.status_code == 400 and "set-cookie" not in again.headers


@pytest.mark.parametrize(
    "kwargs",
    [
        {"json": {"ticket": "made-up"}},
        {"json": {}},
        {"json": ["x"]},
        {"json": {"ticket": 5}},
        {"content": b"not json", "headers": {"content-type": "application/json"}},
    ],
)
def test_bad_requests_are_refused(client, ticket, kwargs):
    assert client.post("/auth/session", **kwargs).status_code == 400


def test_a_form_post_cannot_redeem_a_ticket(client, ticket):
    response = client.post("/auth/session", content=f'{{"ticket": "{ticket}"}}', headers={"content-type": "text/plain"})
    assert response.status_code == 400
    assert client.post("/auth/session", json={"ticket": ticket}).status_code == 204


def test_cookie_is_secure_behind_https(client, ticket, monkeypatch):
    monkeypatch.setenv("SOCIALIZIOZ_PUBLIC_BASE_URL", "https://social.example.com")
    get_settings.cache_clear()
    assert "Secure" in _set_cookie(client.post("/auth/session", json={"ticket": ticket}))


def test_sign_out_ends_the_session_and_clears_the_cookie(client, ticket):
    client.post("/auth/session", json={"ticket": ticket})
    token = client.cookies[auth.SESSION_COOKIE]
    response = client.post("/auth/sign-out")
    assert response.status_code == 204
    assert 'sz_session=""' in _set_cookie(response) and "Max-Age=0" in _set_cookie(response)
    with session_scope() as db:
        assert auth.user_for_session(db, token) is None


def test_sign_out_without_a_session_is_harmless(client):
    assert client.post("/auth/sign-out").status_code == 204


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "http://localhost:3001"},  # same site, another port
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "http://localhost:3000", "Sec-Fetch-Site": "same-site"},
    ],
)
def test_foreign_origins_are_refused_and_change_nothing(client, ticket, headers):
    """Finding 3: neither route acts for another origin, same-site ones included."""
    assert client.post("/auth/session", json={"ticket": ticket}, headers=headers).status_code == 403
    assert (
        client.post("/auth/session", json={"ticket": ticket}, headers={"Origin": "http://localhost:3000"}).status_code
        == 204
    )
    token = client.cookies[auth.SESSION_COOKIE]
    assert client.post("/auth/sign-out", headers=headers).status_code == 403
    with session_scope() as db:
        assert auth.user_for_session(db, token) is not None


@pytest.mark.parametrize("origin", ["http://localhost:3000", "http://127.0.0.1:3000"])
def test_both_loopback_spellings_of_the_public_url_are_same_origin(client, ticket, origin):
    response = client.post(
        "/auth/session", json={"ticket": ticket}, headers={"Origin": origin, "Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 204
    assert client.post("/auth/sign-out", headers={"Origin": origin}).status_code == 204
