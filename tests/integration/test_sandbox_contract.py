"""The sandbox against reference/platforms.md, in raw HTTP (httpx only, not our clients)."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from socializioz.integrations import SANDBOX_CREDENTIALS

from .conftest import csrf_of

REDIRECT = "http://app.test/oauth/callback/"


def creds(platform):
    return SANDBOX_CREDENTIALS[platform]


async def approve(raw, path, params, persona, scopes=None, pages=(), action="approve"):
    url = f"{path}?{urlencode(params)}"
    page = await raw.get(url)
    assert page.status_code == 200 and "Sandbox — not the real" in page.text
    assert 'id="sandbox-banner"' in page.text and "id='sandbox-approve'" in page.text
    requested = params.get("scope", "").replace(",", " ").split()
    data = {
        "action": action,
        "persona": persona,
        "page": list(pages),
        "csrf": csrf_of(page.text),
        "scope": requested if scopes is None else scopes,
    }
    answer = await raw.post(url, data=data)
    assert answer.status_code == 303
    location = answer.headers["location"]
    return location, dict(parse_qsl(urlsplit(location).query, keep_blank_values=True))


async def test_facebook_dialog_token_and_graph(raw):
    cid, secret = creds("facebook")
    scope = "pages_show_list,pages_read_engagement,pages_manage_posts"  # comma-separated (§1.1)
    _, q = await approve(
        raw,
        "/www.facebook.com/v25.0/dialog/oauth",
        {
            "client_id": cid,
            "redirect_uri": REDIRECT + "facebook",
            "state": "s1",
            "scope": scope,
            "response_type": "code",
            "return_scopes": "true",
        },
        "fb-alice",
        scopes=["pages_show_list", "pages_manage_posts"],
        pages=["1111"],
    )
    assert q["state"] == "s1" and q["denied_scopes"] == "pages_read_engagement"
    token_url = "/graph.facebook.com/v25.0/oauth/access_token"
    base = {"client_id": cid, "client_secret": secret, "redirect_uri": REDIRECT + "facebook"}
    r = await raw.get(token_url, params={**base, "code": q["code"]})  # GET, secret as a parameter (§1.2)
    assert r.status_code == 200 and set(r.json()) == {"access_token", "token_type", "expires_in"}
    assert r.json()["expires_in"] == 3600
    again = await raw.get(token_url, params={**base, "code": q["code"]})
    err = again.json()["error"]
    assert again.status_code == 400 and (err["code"], err["error_subcode"]) == (100, 36009)
    assert err["type"] == "OAuthException" and "fbtrace_id" in err
    assert again.headers["www-authenticate"].startswith('OAuth "Facebook Platform" "invalid_code"')
    long = await raw.get(
        "/graph.facebook.com/oauth/access_token",
        params={  # unversioned path accepted
            "grant_type": "fb_exchange_token",
            "client_id": cid,
            "client_secret": secret,
            "fb_exchange_token": r.json()["access_token"],
        },
    )
    assert long.json()["expires_in"] == 5183944
    user = long.json()["access_token"]
    perms = (await raw.get("/graph.facebook.com/v25.0/me/permissions", params={"access_token": user})).json()["data"]
    assert {"permission": "pages_read_engagement", "status": "declined"} in perms
    accounts = await raw.get(
        "/graph.facebook.com/v25.0/me/accounts",
        params={"fields": "id,name,access_token,tasks,instagram_business_account"},
        headers={"Authorization": f"Bearer {user}"},
    )  # Bearer accepted too
    page = accounts.json()["data"][0]
    assert page["instagram_business_account"] == {"id": "17841400000000001"} and "CREATE_CONTENT" in page["tasks"]
    assert "x-app-usage" in accounts.headers
    posts = await raw.get("/graph.facebook.com/v25.0/1111/posts", params={"access_token": page["access_token"]})
    assert posts.json()["error"]["code"] == 200  # pages_read_engagement was declined → (#200)
    bad = await raw.get(token_url, params={**base, "client_secret": "nope", "code": "x"})
    assert bad.json()["error"]["code"] == 1
    debug = await raw.get(
        "/graph.facebook.com/v25.0/debug_token", params={"input_token": user, "access_token": f"{cid}|{secret}"}
    )
    data = debug.json()["data"]
    assert data["is_valid"] and data["type"] == "USER" and "issued_at" in data


async def test_facebook_denial_parameters(raw):
    cid, _ = creds("facebook")
    _location, q = await approve(
        raw,
        "/www.facebook.com/v21.0/dialog/oauth",
        {"client_id": cid, "redirect_uri": REDIRECT + "facebook", "state": "s", "scope": "a,b"},
        "fb-alice",
        action="cancel",
    )
    assert (q["error"], q["error_reason"], q["error_description"], q["state"]) == (
        "access_denied",
        "user_denied",
        "Permissions error",
        "s",
    )


async def test_instagram_login_token_and_graph(raw, state, clock):
    cid, secret = creds("instagram")
    location, q = await approve(
        raw,
        "/www.instagram.com/oauth/authorize",
        {
            "client_id": cid,
            "redirect_uri": REDIRECT + "instagram",
            "response_type": "code",
            "scope": "instagram_business_basic instagram_business_manage_comments",
        },  # spaces ok
        "ig-studio",
    )
    assert location.endswith("#_")
    code = q["code"].removesuffix("#_")
    form = {
        "client_id": cid,
        "client_secret": secret,
        "grant_type": "authorization_code",
        "redirect_uri": REDIRECT + "instagram",
        "code": code,
    }
    r = await raw.post("/api.instagram.com/oauth/access_token", data=form)
    assert set(r.json()) == {"access_token", "user_id", "permissions"}
    again = await raw.post("/api.instagram.com/oauth/access_token", data=form)
    assert again.status_code == 400 and again.json() == {
        "error_type": "OAuthException",
        "code": 400,
        "error_message": "Matching code was not found or was already used",
    }
    long = await raw.get(
        "/graph.instagram.com/access_token",
        params={"grant_type": "ig_exchange_token", "client_secret": secret, "access_token": r.json()["access_token"]},
    )
    assert long.json()["token_type"] == "bearer" and long.json()["expires_in"] == 5183944
    refresh = {"grant_type": "ig_refresh_token", "access_token": long.json()["access_token"]}
    assert (await raw.get("/graph.instagram.com/refresh_access_token", params=refresh)).status_code == 400
    clock.advance(24 * 3600)
    assert (await raw.get("/graph.instagram.com/refresh_access_token", params=refresh)).json()["expires_in"] == 5183944
    me = await raw.get(
        "/graph.instagram.com/v21.0/me",
        params={"fields": "user_id,username,account_type,followers_count", "access_token": long.json()["access_token"]},
    )
    assert me.json()["account_type"] == "BUSINESS" and "x-business-use-case-usage" in me.headers
    clock.advance(61 * 86400)
    expired = await raw.get("/graph.instagram.com/v21.0/me", params={"access_token": long.json()["access_token"]})
    assert (expired.json()["error"]["code"], expired.json()["error"]["error_subcode"]) == (190, 463)


async def test_instagram_denial(raw):
    _, q = await approve(
        raw,
        "/www.instagram.com/oauth/authorize",
        {"client_id": creds("instagram")[0], "redirect_uri": REDIRECT + "instagram", "scope": "a"},
        "ig-studio",
        action="cancel",
    )
    assert (q["error"], q["error_reason"], q["error_description"]) == (
        "access_denied",
        "user_denied",
        "The user denied your request",
    )


async def test_tiktok_client_key_token_and_envelope(raw):
    key, secret = creds("tiktok")
    bad = await raw.get(
        "/www.tiktok.com/v2/auth/authorize/",
        params={"client_id": key, "scope": "user.info.basic", "redirect_uri": REDIRECT + "tiktok"},
    )
    assert bad.status_code == 400  # client_key, not client_id (§3.1)
    _, q = await approve(
        raw,
        "/www.tiktok.com/v2/auth/authorize/",
        {
            "client_key": key,
            "scope": "user.info.basic,video.list",
            "response_type": "code",
            "redirect_uri": REDIRECT + "tiktok",
            "state": "t",
        },
        "tt-acme",
    )
    assert q["scopes"] == "user.info.basic,video.list"
    form = {
        "client_key": key,
        "client_secret": secret,
        "code": q["code"],
        "grant_type": "authorization_code",
        "redirect_uri": REDIRECT + "tiktok",
    }
    r = await raw.post("/open.tiktokapis.com/v2/oauth/token/", data=form)
    body = r.json()
    assert set(body) == {
        "open_id",
        "scope",
        "access_token",
        "expires_in",
        "refresh_token",
        "refresh_expires_in",
        "token_type",
    }
    assert body["access_token"].startswith("act.") and body["refresh_token"].startswith("rft.")
    again = await raw.post("/open.tiktokapis.com/v2/oauth/token/", data=form)
    assert again.json()["error"] == "invalid_grant" and "log_id" in again.json()
    info = await raw.get(
        "/open.tiktokapis.com/v2/user/info/",
        params={"fields": "open_id,display_name"},
        headers={"Authorization": f"Bearer {body['access_token']}"},
    )
    assert info.json()["error"]["code"] == "ok" and info.json()["data"]["user"]["open_id"] == body["open_id"]
    stats = await raw.get(
        "/open.tiktokapis.com/v2/user/info/",
        params={"fields": "follower_count"},
        headers={"Authorization": f"Bearer {body['access_token']}"},
    )
    assert stats.status_code == 401 and stats.json()["error"]["code"] == "scope_not_authorized"
    refresh = {
        "client_key": key,
        "client_secret": secret,
        "grant_type": "refresh_token",
        "refresh_token": body["refresh_token"],
    }
    rotated = (await raw.post("/open.tiktokapis.com/v2/oauth/token/", data=refresh)).json()
    assert rotated["refresh_token"] != body["refresh_token"]
    assert (await raw.post("/open.tiktokapis.com/v2/oauth/token/", data=refresh)).json()["error"] == "invalid_grant"


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


async def test_x_basic_auth_pkce_and_rotation(raw):
    cid, secret = creds("x")
    verifier = "v" * 50
    params = {
        "response_type": "code",
        "client_id": cid,
        "redirect_uri": REDIRECT + "x",
        "state": "x1",
        "scope": "tweet.read users.read offline.access",
        "code_challenge": s256(verifier),
        "code_challenge_method": "s256",
    }  # lowercase accepted (§4.1)
    no_pkce = await raw.get(
        "/x.com/i/oauth2/authorize", params={k: v for k, v in params.items() if "challenge" not in k}
    )
    assert no_pkce.status_code == 400
    _, q = await approve(raw, "/x.com/i/oauth2/authorize", params, "x-acme")
    form = {
        "code": q["code"],
        "grant_type": "authorization_code",
        "redirect_uri": REDIRECT + "x",
        "code_verifier": verifier,
    }
    unauth = await raw.post("/api.x.com/2/oauth2/token", data=form)
    assert unauth.status_code == 401
    r = await raw.post("/api.x.com/2/oauth2/token", data=form, auth=(cid, secret))
    body = r.json()
    assert (
        body["token_type"] == "bearer"
        and body["expires_in"] == 7200
        and body["scope"].split() == params["scope"].split()
    )
    me = await raw.get("/api.x.com/2/users/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert set(me.json()["data"]) == {"id", "name", "username"}
    assert {"x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"} <= set(me.headers)
    refresh = {"grant_type": "refresh_token", "refresh_token": body["refresh_token"]}
    assert (await raw.post("/api.x.com/2/oauth2/token", data=refresh, auth=(cid, secret))).status_code == 200
    spent = await raw.post("/api.x.com/2/oauth2/token", data=refresh, auth=(cid, secret))
    assert spent.status_code == 400 and spent.json()["error"] == "invalid_request"
    unauthorized = await raw.get("/api.x.com/2/users/me", headers={"Authorization": "Bearer nope"})
    assert unauthorized.json() == {
        "title": "Unauthorized",
        "type": "about:blank",
        "status": 401,
        "detail": "Unauthorized",
    }


async def test_x_denial(raw):
    _, q = await approve(
        raw,
        "/x.com/i/oauth2/authorize",
        {
            "client_id": creds("x")[0],
            "redirect_uri": REDIRECT + "x",
            "state": "s",
            "scope": "users.read",
            "code_challenge": "abc",
            "code_challenge_method": "plain",
        },
        "x-acme",
        action="cancel",
    )
    assert q == {"error": "access_denied", "state": "s"}


@pytest.mark.parametrize(
    "action,error", [("cancel", "user_cancelled_authorize"), ("cancel_login", "user_cancelled_login")]
)
async def test_linkedin_denials(raw, action, error):
    _, q = await approve(
        raw,
        "/www.linkedin.com/oauth/v2/authorization",
        {
            "client_id": creds("linkedin")[0],
            "redirect_uri": REDIRECT + "linkedin",
            "state": "l",
            "response_type": "code",
            "scope": "openid profile",
        },
        "li-jane",
        action=action,
    )
    assert q["error"] == error and q["state"] == "l" and q["error_description"]


async def test_linkedin_secret_in_body_userinfo_and_posts(raw):
    cid, secret = creds("linkedin")
    _, q = await approve(
        raw,
        "/www.linkedin.com/oauth/v2/authorization",
        {
            "client_id": cid,
            "redirect_uri": REDIRECT + "linkedin",
            "response_type": "code",
            "scope": "openid profile email w_member_social",
        },
        "li-jane",
    )
    form = {"grant_type": "authorization_code", "code": q["code"], "redirect_uri": REDIRECT + "linkedin"}
    basic = await raw.post(
        "/www.linkedin.com/oauth/v2/accessToken", data={**form, "client_id": cid}, auth=(cid, secret)
    )
    assert basic.status_code == 400 and '"client_secret" is missing' in basic.json()["error_description"]
    r = await raw.post(
        "/www.linkedin.com/oauth/v2/accessToken", data={**form, "client_id": cid, "client_secret": secret}
    )
    body = r.json()
    assert body["expires_in"] == 5184000 and "refresh_token" not in body and "id_token" in body
    assert body["scope"] == "email,openid,profile,w_member_social"  # comma-separated in the response (§5.2)
    reused = await raw.post(
        "/www.linkedin.com/oauth/v2/accessToken", data={**form, "client_id": cid, "client_secret": secret}
    )
    assert reused.status_code == 401 and "authorization code not found" in reused.json()["error_description"]
    auth = {"Authorization": f"Bearer {body['access_token']}"}
    info = (await raw.get("/api.linkedin.com/v2/userinfo", headers=auth)).json()
    assert info["sub"] == "782bbtaQ" and info["locale"] == {"country": "US", "language": "en"}
    post = {
        "author": "urn:li:person:782bbtaQ",
        "commentary": "Hi",
        "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "MAIN_FEED"},
        "lifecycleState": "PUBLISHED",
    }
    created = await raw.post(
        "/api.linkedin.com/rest/posts",
        json=post,
        headers={**auth, "LinkedIn-Version": "202601", "X-Restli-Protocol-Version": "2.0.0"},
    )
    assert (
        created.status_code == 201
        and created.content == b""
        and created.headers["x-restli-id"].startswith("urn:li:share:")
    )
    bad = await raw.get("/api.linkedin.com/v2/userinfo", headers={"Authorization": "Bearer nope"})
    assert bad.json() == {
        "status": 401,
        "serviceErrorCode": 65600,
        "code": "INVALID_ACCESS_TOKEN",
        "message": "Invalid access token",
    }


async def test_control_api_is_404_unless_enabled(clock):
    import httpx

    from socializioz.integrations.sandbox import build_sandbox_app

    app = build_sandbox_app(clock=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s") as client:
        assert (await client.post("/_control/reset")).status_code == 404


async def test_control_api_faults_clock_content(raw, state, clock):
    before = clock.now()
    assert (await raw.post("/_control/clock/advance", json={"seconds": 3600})).json()["now"] >= before + 3600
    r = await raw.post("/_control/faults", json={"endpoint": "x.users_me", "fault": "server_error", "status": 503})
    assert r.status_code == 200 and "x.users_me" in state.fault_endpoints()
    assert (await raw.get("/api.x.com/2/users/me")).status_code == 503
    assert (await raw.get("/api.x.com/2/users/me")).status_code == 401  # one-shot fault, then real behaviour
    post = (
        await raw.post("/_control/posts", json={"platform": "x", "owner_id": "1445880548472328192", "caption": "added"})
    ).json()["id"]
    await raw.post("/_control/comments", json={"post_id": post, "text": "nice"})
    assert state.post(post).comment_list[0].text == "nice"
    assert (await raw.post("/_control/faults", json={"endpoint": "x.token", "fault": "nope"})).status_code == 400
    await raw.post("/_control/reset")
    assert state.post(post) is None
