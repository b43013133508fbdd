"""Each platform client against the sandbox: full code flow, refresh (or its absence), reads, publish."""

from __future__ import annotations

import pytest

from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.integrations.models import AccountRef, MediaItem, PublishRequest
from socializioz.integrations.sandbox.fetch import FetchedMedia

from .conftest import PUBLIC, new_flow
from .publish_fixtures import mp4
from .test_publish_meta import jpeg

JPEG = jpeg()


def clock_sleep(clock):
    """Publish polls wait on the sandbox clock."""

    async def sleep(seconds: float) -> None:
        clock.advance(seconds)

    return sleep


async def connect(make_provider, consent, platform, **choice):
    provider = make_provider(platform)
    flow = new_flow(platform)
    url = provider.authorization_url(
        state=flow["state"], redirect_uri=flow["redirect_uri"], code_verifier=flow["code_verifier"]
    )
    params = await consent.submit(url, **choice)
    callback = provider.parse_callback(params)
    assert callback.state == flow["state"]
    token = await provider.exchange_code(
        callback.code, redirect_uri=flow["redirect_uri"], code_verifier=flow["code_verifier"]
    )
    return provider, token


async def test_facebook_flow_pages_linked_instagram_posts_comments_publish(make_provider, consent, clock):
    provider, token = await connect(make_provider, consent, "facebook", persona="fb-alice", pages=["1111", "2222"])
    assert token.expires_at == int(clock.now()) + 5183944  # long-lived, from the response
    assert token.refresh_token is None
    await provider.verify_connection(token)
    me = await provider.fetch_identity(token.access_token)
    assert me.name == "Alice Baker"
    pages = await provider.list_pages(token.access_token)
    by_id = {p.external_id: p for p in pages}
    assert by_id["1111"].instagram.username == "acme_bakery" and by_id["1111"].instagram.followers == 1234
    assert by_id["2222"].instagram is None
    assert by_id["1111"].followers == 2400  # the Page's own followers_count
    assert "CREATE_CONTENT" in by_id["1111"].tasks and by_id["1111"].access_token
    assert await provider.linked_instagram_id(token.access_token, "2222") is None
    debug = await provider.debug_token(token.access_token)
    assert debug["is_valid"] and "pages_manage_posts" in debug["scopes"]
    page_token = by_id["1111"].access_token
    posts = await provider.recent_posts(page_token, "1111")
    assert len(posts) == 3 and posts[0].media_url.startswith("data:image/svg+xml") and posts[0].reactions > 0
    assert posts[0].comments == len(await provider.comments(page_token, posts[0].external_id))
    published = await provider.publish_post(
        AccountRef("facebook", "1111", page_token), PublishRequest("Hello from the sandbox")
    )
    assert (await provider.recent_posts(page_token, "1111"))[0].external_id == published.external_id
    refreshed = await provider.refresh(token)
    assert refreshed.access_token != token.access_token and refreshed.expires_at


async def test_facebook_declined_permission_and_no_pages(make_provider, consent):
    provider, token = await connect(
        make_provider,
        consent,
        "facebook",
        persona="fb-alice",
        pages=["1111"],
        scopes=["pages_show_list", "pages_manage_posts"],
    )
    with pytest.raises(ProviderError) as err:
        await provider.verify_connection(token)
    assert (err.value.code, err.value.missing_scope, err.value.kind) == (
        "missing_permission",
        "pages_read_engagement",
        ErrorKind.MISSING_PERMISSION,
    )
    provider, token = await connect(
        make_provider,
        consent,
        "facebook",
        persona="fb-alice",
        pages=["1111"],
        scopes=["pages_show_list", "pages_read_engagement"],
    )
    with pytest.raises(ProviderError) as err:
        await provider.verify_connection(token)
    assert err.value.code == "missing_pages_manage_posts"
    provider, token = await connect(make_provider, consent, "facebook", persona="fb-bob")
    with pytest.raises(ProviderError) as err:
        await provider.verify_connection(token)
    assert err.value.code == "no_pages_found"


async def test_instagram_flow_and_24h_refresh_rule(make_provider, consent, clock, state):
    provider, token = await connect(make_provider, consent, "instagram", persona="ig-studio")
    assert token.external_id == "17841400000000101"
    assert token.expires_at == int(clock.now()) + 5183944
    assert "instagram_business_basic" in token.scopes
    me = await provider.fetch_identity(token.access_token)
    assert (me.account_type, me.username, me.followers) == ("BUSINESS", "acme_studio", 1234)
    posts = await provider.recent_posts(token.access_token, me.external_id)
    assert posts and posts[0].comments == len(await provider.comments(token.access_token, posts[0].external_id))
    state.fetch_media = lambda url, limit: FetchedMedia(200, "image/jpeg", JPEG)  # Instagram downloads the image
    image = MediaItem(url="http://app.test/media/one.jpg", kind="image", mime_type="image/jpeg")
    account = AccountRef("instagram", me.external_id, token.access_token)
    published = await provider.publish_post(account, PublishRequest("New post", (image,)))
    assert (await provider.recent_posts(token.access_token, me.external_id))[0].external_id == published.external_id
    with pytest.raises(ProviderError) as err:
        await provider.refresh(token)
    assert err.value.code == "refresh_too_early" and err.value.kind is ErrorKind.TEMPORARY
    clock.advance(24 * 3600)
    refreshed = await provider.refresh(token)
    assert refreshed.expires_at == int(clock.now()) + 5183944 and refreshed.access_token != token.access_token


async def test_instagram_wrapped_token_shape(make_provider, consent, state):
    state.options.instagram_token_shape = "wrapped"
    _, token = await connect(make_provider, consent, "instagram", persona="ig-maya")
    assert token.external_id == "17841400000000102"


async def test_instagram_personal_account_is_refused(make_provider, consent):
    provider, token = await connect(make_provider, consent, "instagram", persona="ig-sam")
    with pytest.raises(ProviderError) as err:
        await provider.fetch_identity(token.access_token)
    assert err.value.code == "instagram_personal_account"


async def test_tiktok_flow_rotating_refresh(make_provider, consent, clock, state):
    provider, token = await connect(make_provider, consent, "tiktok", persona="tt-acme")
    assert token.external_id == "-000acme-0001" and token.refresh_token.startswith("rft.")
    assert token.expires_at == int(clock.now()) + 7200
    assert token.refresh_expires_at == int(clock.now()) + 15552000
    me = await provider.fetch_identity(token.access_token)
    assert (me.name, me.followers) == ("Acme Bakery", 120)
    posts = await provider.recent_posts(token.access_token, me.external_id)
    assert posts and posts[0].shares >= 0 and posts[0].permalink
    state.fetch_media = lambda url, limit: FetchedMedia(200, "video/mp4", mp4(10))
    pulling = make_provider("tiktok", tiktok_pull_url_prefixes=(PUBLIC + "/",))
    pulling.sleep = clock_sleep(clock)
    video = MediaItem(f"{PUBLIC}/media/v.mp4", "video", "video/mp4")
    account = AccountRef("tiktok", me.external_id, token.access_token)
    request = PublishRequest("clip", (video,), {"privacy_level": "SELF_ONLY"})
    assert (await pulling.publish_post(account, request)).external_id
    new = await provider.refresh(token)
    assert new.refresh_token != token.refresh_token
    with pytest.raises(ProviderError) as err:  # the old refresh token stopped working
        await provider.refresh(token)
    assert err.value.kind is ErrorKind.NEEDS_RECONNECT
    assert (await provider.refresh(new)).access_token


async def test_tiktok_legacy_profile_keeps_refresh_token(make_provider, consent, state, clock):
    state.options.tiktok_profile = "legacy"
    provider, token = await connect(make_provider, consent, "tiktok", persona="tt-maya")
    assert token.expires_at == int(clock.now()) + 86400
    assert (await provider.refresh(token)).refresh_token == token.refresh_token


async def test_tiktok_partial_scopes_then_missing_scope(make_provider, consent):
    provider, token = await connect(
        make_provider, consent, "tiktok", persona="tt-acme", scopes=["user.info.basic", "user.info.profile"]
    )
    assert "user.info.stats" not in token.scopes
    with pytest.raises(ProviderError) as err:
        await provider.fetch_identity(token.access_token)
    assert err.value.kind is ErrorKind.MISSING_PERMISSION and err.value.code == "scope_not_granted"


async def test_x_flow_single_use_rotation(make_provider, consent, clock):
    provider, token = await connect(make_provider, consent, "x", persona="x-jane")
    assert token.expires_at == int(clock.now()) + 7200 and token.refresh_token
    assert "offline.access" in token.scopes
    me = await provider.fetch_identity(token.access_token)
    assert (me.username, me.followers) == ("janedoe", 980)
    account = AccountRef("x", me.external_id, token.access_token)
    published = await provider.publish_post(account, PublishRequest("hello X"))
    posts = await provider.recent_posts(token.access_token, me.external_id)
    assert posts[0].external_id == published.external_id
    seeded = posts[1]
    assert len(await provider.comments(token.access_token, seeded.external_id)) == seeded.comments
    new = await provider.refresh(token)
    assert new.refresh_token != token.refresh_token
    with pytest.raises(ProviderError) as err:
        await provider.refresh(token)  # replay: spent, and the family is revoked
    assert err.value.kind is ErrorKind.NEEDS_RECONNECT and err.value.code == "token_invalid"
    with pytest.raises(ProviderError):
        await provider.fetch_identity(new.access_token)


async def test_x_without_offline_access_has_no_refresh(make_provider, consent):
    provider = make_provider("x")
    flow = new_flow("x")
    url = provider.authorization_url(
        state=flow["state"],
        redirect_uri=flow["redirect_uri"],
        code_verifier=flow["code_verifier"],
        scopes=("users.read", "tweet.read"),
    )
    code = provider.parse_callback(await consent.submit(url, persona="x-acme")).code
    token = await provider.exchange_code(code, redirect_uri=flow["redirect_uri"], code_verifier=flow["code_verifier"])
    assert token.refresh_token is None
    with pytest.raises(ProviderError) as err:
        await provider.refresh(token)
    assert err.value.code == "refresh_not_supported"


async def test_linkedin_flow_without_and_with_refresh(make_provider, consent, state, clock):
    provider, token = await connect(make_provider, consent, "linkedin", persona="li-jane")
    assert token.refresh_token is None and token.expires_at == int(clock.now()) + 5184000
    with pytest.raises(ProviderError) as err:
        await provider.refresh(token)
    assert err.value.code == "refresh_not_supported"
    me = await provider.fetch_identity(token.access_token)
    assert (me.external_id, me.name) == ("782bbtaQ", "Jane Doe")
    posts = await provider.recent_posts(token.access_token, me.external_id)
    assert posts and posts[0].comments == len(await provider.comments(token.access_token, posts[0].external_id))
    account = AccountRef("linkedin", me.external_id, token.access_token)
    urn = (await provider.publish_post(account, PublishRequest("Hello LinkedIn"))).external_id
    assert urn.startswith("urn:li:share:")
    state.options.linkedin_refresh_tokens = True
    provider, token = await connect(make_provider, consent, "linkedin", persona="li-omar")
    clock.advance(59 * 86400)
    refreshed = await provider.refresh(token)
    assert refreshed.refresh_token == token.refresh_token  # no rotation
    # TTL not reset (a reset would move it 59 days); LinkedIn answers in whole seconds, so ±1 s
    assert abs(refreshed.refresh_expires_at - token.refresh_expires_at) <= 1
    assert refreshed.expires_at == int(clock.now()) + 5184000
