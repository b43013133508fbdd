"""Error codes of the spec's reference reached through real paths: ``missing_credentials`` and
``server_misconfigured`` when an operator's settings cannot work (a client id without its secret, a
redirect URI no platform accepts), and TikTok's and LinkedIn's ``token_creation_failed`` versus
``social_account_creation_failed`` (the tokens could not be stored; the account could not be added
to the workspace), over real HTTP against the sandbox."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlmodel import func, select

from socializioz import db as database
from socializioz.models import Membership, OAuthFlow, SocialAccount
from socializioz.services import auth, connect, workspaces
from socializioz.settings import get_settings
from tests.integration.conftest import csrf_of
from tests.integration.test_callback_security import _signed_in_owner, live_app  # noqa: F401  (fixture)


def _configure(monkeypatch, platform: str, **values: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(f"SOCIALIZIOZ_{name.upper()}", value)
    get_settings.cache_clear()


def _flows() -> int:
    with database.session_scope() as db:
        return db.exec(select(func.count()).select_from(OAuthFlow)).one()


def _start(user_id: int, workspace_id: int, platform: str) -> str:
    with database.session_scope() as db:
        return connect.start_flow(db, user_id=user_id, workspace_id=workspace_id, platform=platform).authorize_url


@pytest.mark.parametrize("platform", ["facebook", "tiktok", "linkedin"])
def test_a_client_id_without_its_secret_is_missing_credentials(schema, monkeypatch, platform):
    user_id, workspace_id, _cookie = _signed_in_owner()
    _configure(monkeypatch, platform, **{f"{platform}__client_id": "app-123"})
    with pytest.raises(connect.FlowNotStarted) as refused:
        _start(user_id, workspace_id, platform)
    assert (refused.value.code, refused.value.platform) == ("missing_credentials", platform)
    assert _flows() == 0  # nothing half-started


@pytest.mark.parametrize("base_url", ["http://app.example.com", "app.example.com", "ftp://app.example.com", "https://"])
def test_a_redirect_no_platform_accepts_is_server_misconfigured(schema, monkeypatch, base_url):
    user_id, workspace_id, _cookie = _signed_in_owner()
    _configure(monkeypatch, "x", x__client_id="app-123", x__client_secret="s3cret", public_base_url=base_url)
    with pytest.raises(connect.FlowNotStarted) as refused:
        _start(user_id, workspace_id, "x")
    assert refused.value.code == "server_misconfigured"
    assert _flows() == 0


@pytest.mark.parametrize("base_url", ["https://app.example.com", "http://localhost:3000", "http://127.0.0.1:8000"])
def test_a_complete_configuration_starts(schema, monkeypatch, base_url):
    user_id, workspace_id, _cookie = _signed_in_owner()
    _configure(monkeypatch, "x", x__client_id="app-123", x__client_secret="s3cret", public_base_url=base_url)
    assert _start(user_id, workspace_id, "x").startswith("https://")
    connect.check_configuration("tiktok")  # no client id: the sandbox, nothing to check (no raise)


PERSONAS = {"tiktok": "tt-acme", "linkedin": "li-jane"}


def _approve(url: str, platform: str) -> str:
    scopes = parse_qs(urlsplit(url).query)["scope"][0].replace(",", " ").split()  # grant everything asked
    csrf = csrf_of(httpx.get(url).text)
    consent = httpx.post(url, data={"action": "approve", "persona": PERSONAS[platform], "scope": scopes, "csrf": csrf})
    assert consent.status_code == 303
    return consent.headers["location"]


def _finish(callback: str, cookie: str) -> dict:
    response = httpx.get(callback, cookies={auth.SESSION_COOKIE: cookie})
    assert response.status_code == 303
    return parse_qs(urlsplit(response.headers["location"]).query)


def _team_member(owner_id: int) -> tuple[int, int, str]:
    """A second user, member of the owner's workspace (and owner of their own)."""
    member_id, _own, cookie = _signed_in_owner()
    with database.session_scope() as db:
        workspace_id = workspaces.active_workspace(db, db.get(auth.User, owner_id)).id
        db.add(Membership(workspace_id=workspace_id, user_id=member_id, role="admin"))
    return member_id, workspace_id, cookie


def _accounts(workspace_id: int) -> int:
    with database.session_scope() as db:
        return db.exec(
            select(func.count()).select_from(SocialAccount).where(SocialAccount.workspace_id == workspace_id)
        ).one()


@pytest.mark.parametrize(
    ("platform", "code"), [("tiktok", "social_account_creation_failed"), ("linkedin", "token_creation_failed")]
)
def test_removed_from_the_workspace_during_consent_nothing_is_added(live_app, platform, code):
    owner_id, _ws, _owner_cookie = _signed_in_owner()
    member_id, workspace_id, cookie = _team_member(owner_id)
    callback = _approve(_start(member_id, workspace_id, platform), platform)
    with database.session_scope() as db:  # the owner removes them while they are on the platform
        membership = db.exec(
            select(Membership).where(Membership.workspace_id == workspace_id, Membership.user_id == member_id)
        ).one()
        db.delete(membership)
    query = _finish(callback, cookie)
    assert query["error"] == [code] and query["platform"] == [platform]
    outcome = connect.flow_outcome(member_id, int(query["flow"][0]))
    assert outcome is not None and outcome.code == code
    assert _accounts(workspace_id) == 0


@pytest.mark.parametrize("platform", ["tiktok", "linkedin"])
def test_tokens_that_cannot_be_stored_are_token_creation_failed(live_app, monkeypatch, platform):
    user_id, workspace_id, cookie = _signed_in_owner()
    callback = _approve(_start(user_id, workspace_id, platform), platform)
    monkeypatch.setenv("SOCIALIZIOZ_ENCRYPTION_KEYS", "k1:not-base64!")  # the operator broke the keys meanwhile
    get_settings.cache_clear()
    query = _finish(callback, cookie)
    assert query["error"] == ["token_creation_failed"]
    assert _accounts(workspace_id) == 0  # the whole save was rolled back
