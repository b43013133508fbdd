"""Denials, reused codes, expired tokens and every injected fault, as the clients classify them."""

from __future__ import annotations

import pytest

from socializioz.domain.errors import ErrorKind, ProviderError, describe
from socializioz.integrations.models import AccountRef, PublishRequest

from .conftest import new_flow

PERSONA = {"facebook": "fb-alice", "instagram": "ig-studio", "tiktok": "tt-acme", "x": "x-acme", "linkedin": "li-jane"}
PLATFORMS = tuple(PERSONA)


async def authorized(make_provider, consent, platform, **kw):
    provider = make_provider(platform)
    flow = new_flow(platform)
    url = provider.authorization_url(
        state=flow["state"], redirect_uri=flow["redirect_uri"], code_verifier=flow["code_verifier"]
    )
    params = await consent.submit(url, persona=PERSONA[platform], pages=["1111"], **kw)
    return provider, flow, params


async def exchange(provider, flow, params):
    code = provider.parse_callback(params).code
    return await provider.exchange_code(code, redirect_uri=flow["redirect_uri"], code_verifier=flow["code_verifier"])


@pytest.mark.parametrize(
    "platform,action,code",
    [
        ("facebook", "cancel", "access_denied"),
        ("instagram", "cancel", "access_denied"),
        ("tiktok", "cancel", "access_denied"),
        ("x", "cancel", "access_denied"),
        ("linkedin", "cancel", "user_cancelled_authorize"),
        ("linkedin", "cancel_login", "user_cancelled_login"),
    ],
)
async def test_denial_is_the_spec_code(make_provider, consent, platform, action, code):
    provider, _, params = await authorized(make_provider, consent, platform, action=action)
    assert "code" not in params
    with pytest.raises(ProviderError) as err:
        provider.parse_callback(params)
    assert err.value.code == code
    assert describe(code, platform).cause


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_callback_without_code_is_no_code(make_provider, platform):
    with pytest.raises(ProviderError) as err:
        make_provider(platform).parse_callback({"state": "s"})
    assert err.value.code == "no_code"


REUSED = {
    "facebook": "token_exchange_failed",
    "instagram": "token_exchange_failed",
    "tiktok": "invalid_grant",
    "x": "x_token_error",
    "linkedin": "linkedin_token_error",
}


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_reused_code_is_refused(make_provider, consent, platform):
    provider, flow, params = await authorized(make_provider, consent, platform)
    await exchange(provider, flow, params)
    with pytest.raises(ProviderError) as err:
        await exchange(provider, flow, params)
    assert err.value.code == REUSED[platform]
    assert err.value.kind is ErrorKind.NEEDS_RECONNECT


async def test_x_code_expires_after_30_seconds_and_needs_the_verifier(make_provider, consent, clock):
    provider, flow, params = await authorized(make_provider, consent, "x")
    with pytest.raises(ProviderError) as err:
        await provider.exchange_code(
            provider.parse_callback(params).code, redirect_uri=flow["redirect_uri"], code_verifier="wrong-verifier-" * 4
        )
    assert err.value.code == "x_token_error"
    provider, flow, params = await authorized(make_provider, consent, "x")
    clock.advance(31)
    with pytest.raises(ProviderError) as err:
        await exchange(provider, flow, params)
    assert err.value.code == "x_token_error"


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_expired_token_needs_reconnect(make_provider, consent, clock, platform):
    provider, flow, params = await authorized(make_provider, consent, platform)
    token = await exchange(provider, flow, params)
    clock.advance(token.expires_at - clock.now() + 1)
    with pytest.raises(ProviderError) as err:
        await provider.fetch_identity(token.access_token)
    assert (err.value.kind, err.value.code) == (ErrorKind.NEEDS_RECONNECT, "token_invalid")
    if platform in ("facebook", "instagram"):
        assert err.value.provider_code == "190/463"


async def test_revoked_token_needs_reconnect(make_provider, consent, state):
    provider, flow, params = await authorized(make_provider, consent, "linkedin")
    token = await exchange(provider, flow, params)
    state.revoke(token.access_token)
    with pytest.raises(ProviderError) as err:
        await provider.fetch_identity(token.access_token)
    assert err.value.kind is ErrorKind.NEEDS_RECONNECT and err.value.provider_code == "REVOKED_ACCESS_TOKEN/65601"


TOKEN_ENDPOINT = {
    "facebook": "facebook.token",
    "instagram": "instagram.token",
    "tiktok": "tiktok.token",
    "x": "x.token",
    "linkedin": "linkedin.token",
}
# (fault, kind, code per platform for the code exchange)
EXCHANGE_FAULTS = [
    ("timeout", ErrorKind.TEMPORARY, {"x": "x_token_error", "linkedin": "linkedin_token_error"}),
    ("server_error", ErrorKind.TEMPORARY, {"x": "x_token_error", "linkedin": "linkedin_token_error"}),
    ("rate_limit", ErrorKind.TEMPORARY, {"x": "x_token_error", "linkedin": "linkedin_token_error"}),
    (
        "malformed_json",
        ErrorKind.TEMPORARY,
        {"x": "token_parse_failed", "tiktok": "invalid_token_response", "linkedin": "linkedin_token_error"},
    ),
    (
        "html_body",
        ErrorKind.TEMPORARY,
        {"x": "token_parse_failed", "tiktok": "invalid_token_response", "linkedin": "linkedin_token_error"},
    ),
    (
        "revoked_token",
        ErrorKind.NEEDS_RECONNECT,
        {"x": "x_token_error", "tiktok": "invalid_grant", "linkedin": "linkedin_token_error"},
    ),
]


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("fault,kind,codes", EXCHANGE_FAULTS)
async def test_code_exchange_faults(make_provider, consent, state, platform, fault, kind, codes):
    provider, flow, params = await authorized(make_provider, consent, platform)
    state.options.timeout_fault_seconds = 5
    from socializioz.integrations.sandbox import Fault

    state.inject(TOKEN_ENDPOINT[platform], Fault(fault, retry_after=7))
    with pytest.raises(ProviderError) as err:
        await exchange(provider, flow, params)
    assert err.value.kind is kind
    assert err.value.code == codes.get(platform, "token_exchange_failed")


IDENTITY_ENDPOINT = {
    "facebook": "facebook.me",
    "instagram": "instagram.me",
    "tiktok": "tiktok.user_info",
    "x": "x.users_me",
    "linkedin": "linkedin.userinfo",
}
API_FAULTS = [
    ("timeout", ErrorKind.TEMPORARY, "provider_unavailable"),
    ("server_error", ErrorKind.TEMPORARY, "provider_unavailable"),
    ("rate_limit", ErrorKind.TEMPORARY, "rate_limited"),
    ("malformed_json", ErrorKind.TEMPORARY, "provider_unavailable"),
    ("html_body", ErrorKind.TEMPORARY, "provider_unavailable"),
    ("revoked_token", ErrorKind.NEEDS_RECONNECT, "token_invalid"),
    ("declined_scope", ErrorKind.MISSING_PERMISSION, "scope_not_granted"),
]


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("fault,kind,code", API_FAULTS)
async def test_identity_faults(make_provider, consent, state, platform, fault, kind, code):
    from socializioz.integrations.sandbox import Fault

    provider, flow, params = await authorized(make_provider, consent, platform)
    token = await exchange(provider, flow, params)
    state.options.timeout_fault_seconds = 5
    state.inject(IDENTITY_ENDPOINT[platform], Fault(fault, retry_after=7, scope="users.read"))
    with pytest.raises(ProviderError) as err:
        await provider.fetch_identity(token.access_token)
    expected = code
    if platform in ("facebook", "instagram") and code == "scope_not_granted":
        expected = "missing_permission"
    if platform == "linkedin" and kind is not ErrorKind.NEEDS_RECONNECT:
        expected = "linkedin_profile_error"
    assert (err.value.kind, err.value.code) == (kind, expected)
    if fault == "rate_limit":
        assert err.value.retry_after is not None and err.value.retry_after >= 7 - 1


async def test_x_rate_limit_headers_then_429(make_provider, consent, state):
    provider, flow, params = await authorized(make_provider, consent, "x")
    token = await exchange(provider, flow, params)
    state.options.x_user_rate_limit = 2
    await provider.fetch_identity(token.access_token)
    await provider.fetch_identity(token.access_token)
    with pytest.raises(ProviderError) as err:
        await provider.fetch_identity(token.access_token)
    assert err.value.code == "rate_limited" and err.value.status == 429 and err.value.retry_after > 0


async def test_publish_rejections_are_content_errors(make_provider, consent):
    provider, flow, params = await authorized(make_provider, consent, "x")
    token = await exchange(provider, flow, params)
    me = await provider.fetch_identity(token.access_token)
    account = AccountRef("x", me.external_id, token.access_token)
    await provider.publish_post(account, PublishRequest("same text"))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("same text"))
    assert err.value.kind is ErrorKind.REJECTED_CONTENT and err.value.code == "duplicate_content"
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("x" * 300))
    assert err.value.kind is ErrorKind.REJECTED_CONTENT and err.value.code == "caption_too_long"


async def test_no_secret_reaches_the_logs(make_provider, consent, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    provider, flow, params = await authorized(make_provider, consent, "facebook")
    token = await exchange(provider, flow, params)
    await provider.refresh(token)
    text = caplog.text + "".join(str(r.args) for r in caplog.records)
    for secret in (token.access_token, params["code"], provider._client_secret):
        assert secret not in text
