"""The sandbox's defences: only the app's callback, single-use CSRF on consent, bounded storage,
state shared through the database (workers, restarts), and tenants kept apart."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
from sqlmodel import select
from starlette.applications import Starlette
from starlette.routing import Mount

from socializioz import db as database
from socializioz.integrations import SANDBOX_CREDENTIALS
from socializioz.integrations.sandbox import build_sandbox_app
from socializioz.integrations.sandbox.consent import SPECS
from socializioz.integrations.sandbox.store import SandboxCode, SandboxCounter, SandboxCsrf, SandboxToken
from socializioz.integrations.sandbox.tenant import tenant_tag

from .conftest import BASE, PUBLIC, csrf_of

CALLBACK = PUBLIC + "/oauth/callback/"
VERIFIER = "v" * 50
CONSENT = {
    "facebook": (
        "/www.facebook.com/v21.0/dialog/oauth",
        {"client_id": "sandbox-facebook-client", "scope": "pages_show_list"},
    ),
    "instagram": (
        "/www.instagram.com/oauth/authorize",
        {"client_id": "sandbox-instagram-client", "scope": "instagram_business_basic"},
    ),
    "tiktok": (
        "/www.tiktok.com/v2/auth/authorize/",
        {"client_key": "sandbox-tiktok-client", "scope": "user.info.basic"},
    ),
    "x": (
        "/x.com/i/oauth2/authorize",
        {
            "client_id": "sandbox-x-client",
            "scope": "tweet.read tweet.write users.read",
            "code_challenge": base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest())
            .rstrip(b"=")
            .decode(),
            "code_challenge_method": "S256",
        },
    ),
    "linkedin": (
        "/www.linkedin.com/oauth/v2/authorization",
        {"client_id": "sandbox-linkedin-client", "scope": "openid profile"},
    ),
}


def consent_url(platform: str, redirect: str | None = None, tenant: str | None = None) -> str:
    path, params = CONSENT[platform]
    params = {**params, "response_type": "code", "state": "s1", "redirect_uri": redirect or CALLBACK + platform}
    if tenant:
        params["sandbox_tenant"] = tenant
    return f"{path}?{urlencode(params)}"


def client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=Starlette(routes=[Mount("/sandbox", app=app)])), base_url=BASE
    )


async def approve(raw: httpx.AsyncClient, url: str, persona: str) -> dict[str, str]:
    page = await raw.get(url)
    answer = await raw.post(url, data={"action": "approve", "persona": persona, "csrf": csrf_of(page.text)})
    assert answer.status_code == 303, answer.text
    return dict(parse_qsl(urlsplit(answer.headers["location"]).query))


async def x_token(raw: httpx.AsyncClient, tenant: str | None = None, persona: str = "x-acme") -> str:
    code = (await approve(raw, consent_url("x", tenant=tenant), persona))["code"]
    r = await raw.post(
        "/api.x.com/2/oauth2/token",
        auth=SANDBOX_CREDENTIALS["x"],
        data={
            "code": code,
            "grant_type": "authorization_code",
            "redirect_uri": CALLBACK + "x",
            "code_verifier": VERIFIER,
        },
    )
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def rows(model) -> list:
    with database.session_scope() as db:
        return list(db.exec(select(model)).all())


@pytest.mark.parametrize("platform", list(CONSENT))
@pytest.mark.parametrize(
    "redirect",
    [
        "https://evil.test/oauth/callback/{p}",
        PUBLIC + "/oauth/callback/{p}/../../x",
        PUBLIC + "/oauth/callback/{p}?next=https://evil.test",
        "http://app.test.evil/oauth/callback/{p}",
    ],
)
async def test_only_the_apps_own_callback_is_accepted(raw, platform, redirect):
    url = consent_url(platform, redirect.format(p=platform))
    page = await raw.get(url)
    assert page.status_code == 400 and "id='sandbox-error'" in page.text
    assert SPECS[platform].redirect_mismatch.split(":")[0].replace("'", "&#x27;") in page.text
    post = await raw.post(url, data={"action": "approve", "persona": "x-acme"})
    assert post.status_code == 400 and "location" not in post.headers  # never a redirect elsewhere
    assert (await raw.get(consent_url(platform))).status_code == 200  # the registered one works


async def test_consent_post_needs_this_pages_unused_csrf_token(raw):
    url = consent_url("facebook")
    form = {"action": "approve", "persona": "fb-alice", "scope": "pages_show_list"}
    assert (await raw.post(url, data=form)).status_code == 400  # none
    assert (await raw.post(url, data={**form, "csrf": "forged"})).status_code == 400
    foreign = csrf_of((await raw.get(consent_url("facebook", tenant="t" * 20))).text)  # another consent page
    assert (await raw.post(url, data={**form, "csrf": foreign})).status_code == 400
    token = csrf_of((await raw.get(url)).text)
    assert (await raw.post(url, data={**form, "csrf": token})).status_code == 303
    assert (await raw.post(url, data={**form, "csrf": token})).status_code == 400  # reused
    cancel = await raw.post(url, data={"action": "cancel"})
    assert cancel.status_code == 400  # denial needs it too


async def test_expired_codes_tokens_counters_and_csrf_are_deleted(raw, state, clock):
    await raw.get(consent_url("x"))  # a CSRF token nobody used
    code = (await approve(raw, consent_url("x"), "x-acme"))["code"]
    token = await x_token(raw)
    await raw.get("/api.x.com/2/users/me", headers={"Authorization": f"Bearer {token}"})  # a rate-limit counter
    assert rows(SandboxCode) and rows(SandboxToken) and rows(SandboxCounter) and rows(SandboxCsrf)
    assert state.prune() == {
        "codes": 0,
        "tokens": 0,
        "counters": 0,
        "csrf": 0,
        "containers": 0,
        "media": 0,
        "uploads": 0,
        "messages": 0,
    }
    clock.advance(2 * 3600)  # codes and CSRF tokens are long dead, counters' windows closed
    pruned = state.prune()
    assert pruned["codes"] == 2 and pruned["csrf"] == 1 and pruned["counters"] >= 1
    assert state.redeem_code(code, "x") == (None, "unknown")
    assert state.token(token, "x") is not None  # an expired token still answers "expired" for a while
    clock.advance(400 * 86400)  # past every token's life (refresh tokens too) and the grace period
    assert state.prune()["tokens"] >= 1 and rows(SandboxToken) == []
    assert state.token(token, "x") is None


async def test_two_workers_over_one_database_share_codes_and_tokens(clock, schema):
    worker_a, worker_b = (build_sandbox_app(clock=clock, public_base_url=PUBLIC) for _ in range(2))
    async with client(worker_a) as a, client(worker_b) as b:
        code = (await approve(a, consent_url("x"), "x-acme"))["code"]
        r = await b.post(
            "/api.x.com/2/oauth2/token",
            auth=SANDBOX_CREDENTIALS["x"],
            data={
                "code": code,
                "grant_type": "authorization_code",
                "redirect_uri": CALLBACK + "x",
                "code_verifier": VERIFIER,
            },
        )
        assert r.status_code == 200
        again = await a.post(
            "/api.x.com/2/oauth2/token",
            auth=SANDBOX_CREDENTIALS["x"],
            data={
                "code": code,
                "grant_type": "authorization_code",
                "redirect_uri": CALLBACK + "x",
                "code_verifier": VERIFIER,
            },
        )
        assert again.status_code == 400  # single use across workers
        page = await a.get(consent_url("linkedin"))  # a CSRF token from one worker works on the other
        answer = await b.post(
            consent_url("linkedin"), data={"action": "approve", "persona": "li-jane", "csrf": csrf_of(page.text)}
        )
        assert answer.status_code == 303


async def test_state_survives_a_restart(clock, schema):
    async with client(build_sandbox_app(clock=clock, public_base_url=PUBLIC)) as before:
        token = await x_token(before)
        created = await before.post(
            "/api.x.com/2/tweets", json={"text": "before the restart"}, headers={"Authorization": f"Bearer {token}"}
        )
        assert created.status_code == 201
    async with client(build_sandbox_app(clock=clock, public_base_url=PUBLIC)) as after:
        auth = {"Authorization": f"Bearer {token}"}
        assert (await after.get("/api.x.com/2/users/me", headers=auth)).status_code == 200
        tweets = await after.get("/api.x.com/2/users/1445880548472328192/tweets", headers=auth)
        assert "before the restart" in [t["text"] for t in tweets.json()["data"]]


async def test_tenants_do_not_see_each_others_activity(raw, state):
    alice, bob = tenant_tag(1), tenant_tag(2)
    assert alice != bob and len(alice) == 32
    token_a, token_b = await x_token(raw, alice), await x_token(raw, bob)
    auth_a, auth_b = ({"Authorization": f"Bearer {t}"} for t in (token_a, token_b))
    assert (await raw.post("/api.x.com/2/tweets", json={"text": "only for A"}, headers=auth_a)).status_code == 201
    timeline = "/api.x.com/2/users/1445880548472328192/tweets"
    assert "only for A" in [t["text"] for t in (await raw.get(timeline, headers=auth_a)).json()["data"]]
    seen_by_b = [t["text"] for t in (await raw.get(timeline, headers=auth_b)).json()["data"]]
    assert "only for A" not in seen_by_b and "Open until 6 pm today." in seen_by_b  # the shared seed stays
    # B may post the same text: A's post is not B's duplicate.
    assert (await raw.post("/api.x.com/2/tweets", json={"text": "only for A"}, headers=auth_b)).status_code == 201
    assert state.revoke(persona_id="x-acme", tenant=alice) == 1
    assert (await raw.get("/api.x.com/2/users/me", headers=auth_a)).status_code == 401
    assert (await raw.get("/api.x.com/2/users/me", headers=auth_b)).status_code == 200


async def test_a_malformed_tenant_tag_is_refused(raw):
    page = await raw.get(consent_url("x", tenant="../other tenant"))
    assert page.status_code == 400 and "sandbox_tenant" in page.text
