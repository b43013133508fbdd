"""respx: each client fed the documented real response shapes (platforms.md), CONFLICT variants included,
pointed at the real hosts because credentials are configured."""

from __future__ import annotations

import httpx
import pytest
import respx

from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.integrations import ProviderSettings, get_provider
from socializioz.settings import PlatformCredentials, Settings

NOW = 1_780_000_000


class FixedClock:
    def now(self) -> float:
        return NOW


def provider(platform: str, **overrides):
    settings = Settings(**{platform: PlatformCredentials(client_id="real-id", client_secret="real-secret")})
    return get_provider(platform, settings, clock=FixedClock(), provider_settings=ProviderSettings(**overrides))


@respx.mock
async def test_facebook_real_hosts_and_long_lived_exchange():
    route = respx.get("https://graph.facebook.com/v21.0/oauth/access_token").mock(
        side_effect=[
            httpx.Response(200, json={"access_token": "EAAshort", "token_type": "bearer", "expires_in": 5_183_999}),
            httpx.Response(200, json={"access_token": "EAAlong", "token_type": "bearer", "expires_in": 5183944}),
        ]
    )
    p = provider("facebook")
    assert p.authorization_url(state="s", redirect_uri="https://app/cb").startswith(
        "https://www.facebook.com/v21.0/dialog/oauth?"
    )
    token = await p.exchange_code("C", redirect_uri="https://app/cb")
    assert token.access_token == "EAAlong" and token.expires_at == NOW + 5183944
    first, second = (call.request.url.params for call in route.calls)
    assert first["client_secret"] == "real-secret" and first["code"] == "C"
    assert second["grant_type"] == "fb_exchange_token" and second["fb_exchange_token"] == "EAAshort"


@respx.mock
@pytest.mark.parametrize(
    "status,code,kind",
    [
        (400, 4, ErrorKind.TEMPORARY),
        (403, 32, ErrorKind.TEMPORARY),
        (400, 80001, ErrorKind.TEMPORARY),
        (400, 190, ErrorKind.NEEDS_RECONNECT),
        (403, 200, ErrorKind.MISSING_PERMISSION),
    ],
)
async def test_facebook_graph_error_codes(status, code, kind):
    respx.get("https://graph.facebook.com/v21.0/1111/posts").mock(
        return_value=httpx.Response(
            status,
            json={"error": {"message": "m", "type": "OAuthException", "code": code, "fbtrace_id": "x"}},
            headers={
                "X-Business-Use-Case-Usage": '{"1111":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":3}]}'
            },
        )
    )
    with pytest.raises(ProviderError) as err:
        await provider("facebook").recent_posts("PAGE", "1111")
    assert err.value.kind is kind
    if kind is ErrorKind.TEMPORARY:
        assert err.value.code == "rate_limited" and err.value.retry_after == 180


@respx.mock
@pytest.mark.parametrize(
    "short",
    [
        {
            "data": [
                {"access_token": "IGshort", "user_id": "17841400000000000", "permissions": "instagram_business_basic"}
            ]
        },
        {"access_token": "IGshort", "user_id": 17841400000000000, "permissions": ["instagram_business_basic"]},
    ],
)
async def test_instagram_token_shapes_conflict(short):
    respx.post("https://api.instagram.com/oauth/access_token").mock(return_value=httpx.Response(200, json=short))
    respx.get("https://graph.instagram.com/access_token").mock(
        return_value=httpx.Response(200, json={"access_token": "IGlong", "token_type": "bearer", "expires_in": 5183944})
    )
    token = await provider("instagram").exchange_code("CODE#_", redirect_uri="https://app/cb")
    assert (token.access_token, token.external_id, token.scopes) == (
        "IGlong",
        "17841400000000000",
        ("instagram_business_basic",),
    )
    sent = respx.calls[0].request.content.decode()
    assert "code=CODE&" in sent + "&" and "client_secret=real-secret" in sent


@respx.mock
async def test_instagram_token_error_envelope():
    respx.post("https://api.instagram.com/oauth/access_token").mock(
        return_value=httpx.Response(
            400,
            json={
                "error_type": "OAuthException",
                "code": 400,
                "error_message": "Matching code was not found or was already used",
            },
        )
    )
    with pytest.raises(ProviderError) as err:
        await provider("instagram").exchange_code("C", redirect_uri="https://app/cb")
    assert (err.value.code, err.value.kind) == ("token_exchange_failed", ErrorKind.NEEDS_RECONNECT)


@respx.mock
@pytest.mark.parametrize("lifetimes", [(86400, 31536000), (7200, 15552000)])  # CONFLICT §3.2: old / new docs
async def test_tiktok_lifetimes_come_from_the_response(lifetimes):
    access, refresh = lifetimes
    route = respx.post("https://open.tiktokapis.com/v2/oauth/token/").mock(
        return_value=httpx.Response(
            200,
            json={
                "open_id": "-000abcd-1234",
                "scope": "user.info.basic,video.list",
                "access_token": "act.1",
                "expires_in": access,
                "refresh_token": "rft.1",
                "refresh_expires_in": refresh,
                "token_type": "Bearer",
            },
        )
    )
    token = await provider("tiktok").exchange_code("C", redirect_uri="https://app/cb")
    assert (token.expires_at, token.refresh_expires_at) == (NOW + access, NOW + refresh)
    body = route.calls[0].request.content.decode()
    assert "client_key=real-id" in body and "client_id" not in body


@respx.mock
@pytest.mark.parametrize("status", [200, 400])  # UNVERIFIED status of TikTok OAuth errors
async def test_tiktok_error_code_passes_through(status):
    respx.post("https://open.tiktokapis.com/v2/oauth/token/").mock(
        return_value=httpx.Response(
            status,
            json={"error": "invalid_grant", "error_description": "Authorization code is expired.", "log_id": "1"},
        )
    )
    with pytest.raises(ProviderError) as err:
        await provider("tiktok").exchange_code("C", redirect_uri="https://app/cb")
    assert err.value.code == "invalid_grant"


@respx.mock
async def test_tiktok_missing_fields():
    respx.post("https://open.tiktokapis.com/v2/oauth/token/").mock(
        return_value=httpx.Response(200, json={"access_token": "act.1", "expires_in": 7200})
    )
    with pytest.raises(ProviderError) as err:
        await provider("tiktok").exchange_code("C", redirect_uri="https://app/cb")
    assert err.value.code == "missing_token_fields"


@respx.mock
async def test_x_basic_auth_and_spec_codes():
    route = respx.post("https://api.x.com/2/oauth2/token").mock(
        side_effect=[
            httpx.Response(
                200,
                json={
                    "token_type": "bearer",
                    "expires_in": 7200,
                    "access_token": "A",
                    "scope": "tweet.read users.read offline.access",
                    "refresh_token": "R",
                },
            ),
            httpx.Response(200, json={"token_type": "bearer"}),
            httpx.Response(401, json={"error": "invalid_client", "error_description": "Client authentication failed"}),
            httpx.Response(200, text="<html>oops</html>"),
        ]
    )
    p = provider("x")
    token = await p.exchange_code("C", redirect_uri="https://app/cb", code_verifier="v" * 43)
    assert token.refresh_token == "R" and token.scopes[-1] == "offline.access"
    assert route.calls[0].request.headers["authorization"].startswith("Basic ")
    for expected in ("no_access_token", "invalid_client", "token_parse_failed"):
        with pytest.raises(ProviderError) as err:
            await p.exchange_code("C", redirect_uri="https://app/cb", code_verifier="v" * 43)
        assert err.value.code == expected


@respx.mock
async def test_x_public_client_sends_client_id():
    route = respx.post("https://api.x.com/2/oauth2/token").mock(
        return_value=httpx.Response(200, json={"token_type": "bearer", "expires_in": 7200, "access_token": "A"})
    )
    await provider("x", x_client_type="public").exchange_code(
        "C", redirect_uri="https://app/cb", code_verifier="v" * 43
    )
    assert "authorization" not in route.calls[0].request.headers
    assert "client_id=real-id" in route.calls[0].request.content.decode()


@respx.mock
async def test_x_429_with_reset_header():
    respx.get("https://api.x.com/2/users/me").mock(
        return_value=httpx.Response(
            429,
            json={"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429},
            headers={"x-rate-limit-reset": str(NOW + 120)},
        )
    )
    with pytest.raises(ProviderError) as err:
        await provider("x").fetch_identity("A")
    assert (err.value.code, err.value.retry_after) == ("rate_limited", 120)


@respx.mock
async def test_linkedin_secret_in_body_scope_commas_and_profile_codes():
    route = respx.post("https://www.linkedin.com/oauth/v2/accessToken").mock(
        return_value=httpx.Response(
            200, json={"access_token": "AQV", "expires_in": 5184000, "scope": "email,openid,profile,w_member_social"}
        )
    )
    token = await provider("linkedin").exchange_code("C", redirect_uri="https://app/cb")
    assert token.scopes == ("email", "openid", "profile", "w_member_social") and token.refresh_token is None
    assert "client_secret=real-secret" in route.calls[0].request.content.decode()
    assert "authorization" not in route.calls[0].request.headers
    userinfo = respx.get("https://api.linkedin.com/v2/userinfo")
    userinfo.mock(return_value=httpx.Response(200, json={"sub": "782bbtaQ", "name": "Jane", "locale": "en_US"}))
    assert (await provider("linkedin").fetch_identity("AQV")).external_id == "782bbtaQ"  # locale as a string
    userinfo.mock(return_value=httpx.Response(200, json={"name": "Jane"}))
    with pytest.raises(ProviderError) as err:
        await provider("linkedin").fetch_identity("AQV")
    assert err.value.code == "invalid_profile"
    userinfo.mock(return_value=httpx.Response(503, text="Service Unavailable"))
    with pytest.raises(ProviderError) as err:
        await provider("linkedin").fetch_identity("AQV")
    assert (err.value.code, err.value.kind) == ("linkedin_profile_error", ErrorKind.TEMPORARY)


@respx.mock
async def test_network_error_is_temporary():
    respx.post("https://www.linkedin.com/oauth/v2/accessToken").mock(side_effect=httpx.ConnectError("down"))
    with pytest.raises(ProviderError) as err:
        await provider("linkedin").exchange_code("C", redirect_uri="https://app/cb")
    assert (err.value.kind, err.value.code) == (ErrorKind.TEMPORARY, "linkedin_token_error")
