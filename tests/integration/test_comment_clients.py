"""Comment management through the clients against the sandbox (reference/engagement.md §1-2): a
Facebook Page, a Page-linked Instagram account on graph.facebook.com and an Instagram-Login account
on graph.instagram.com; each action shows in the sandbox's platform state, and a missing scope is
Meta's (#200) turned into MISSING_PERMISSION naming the scope."""

from __future__ import annotations

import pytest

from socializioz.domain.errors import ErrorKind, ProviderError, Unsupported
from socializioz.domain.platforms import REQUIRED_META_SCOPES
from socializioz.integrations import ProviderSettings
from socializioz.integrations.models import AccountRef
from socializioz.integrations.sandbox import meta_comments

from .conftest import BASE
from .test_client_flows import connect


@pytest.fixture
def provider_settings():
    """A shared 2-core box under load: a generous deadline, so a slow answer is not a timeout."""
    return ProviderSettings(sandbox_base_url=BASE, request_timeout_seconds=15.0)


PAGE, LINKED_IG = "1111", "17841400000000001"
FB_SCOPES = [*REQUIRED_META_SCOPES, "pages_manage_engagement", "instagram_manage_comments"]


async def _page_token(make_provider, consent, scopes=FB_SCOPES) -> tuple[object, str]:
    provider, token = await connect(make_provider, consent, "facebook", persona="fb-alice", pages=[PAGE], scopes=scopes)
    page = next(p for p in await provider.list_pages(token.access_token) if p.external_id == PAGE)
    return provider, page.access_token


def _platform_state(state, comment_id: str) -> dict:
    return meta_comments.inspect_comment(state, comment_id)


async def test_facebook_page_threads_reply_hide_like_delete(make_provider, consent, state):
    provider, token = await _page_token(make_provider, consent)
    account = AccountRef("facebook", PAGE, token)
    post = state.posts_of(PAGE)[0].id
    asked = meta_comments.audience_comment(state, {"post_id": post, "text": "Open on Monday?", "author": "Jane"})
    comments = await provider.list_comments(account, post)
    mine = next(c for c in comments if c.external_id == asked["id"])
    assert mine.text == "Open on Monday?" and mine.author_name == "Jane" and mine.parent_id is None
    assert not mine.by_account and not mine.hidden

    reply_id = await provider.reply_comment(account, asked["id"], "Yes, 9 to 5")
    threaded = {c.external_id: c for c in await provider.list_comments(account, post)}
    assert threaded[reply_id].parent_id == asked["id"] and threaded[reply_id].by_account
    assert _platform_state(state, asked["id"])["replies"][0]["text"] == "Yes, 9 to 5"

    await provider.hide_comment(account, asked["id"], True)
    await provider.like_comment(account, asked["id"], True)
    seen = {c.external_id: c for c in await provider.list_comments(account, post)}[asked["id"]]
    assert seen.hidden and seen.liked
    platform = _platform_state(state, asked["id"])
    assert platform["hidden"] and platform["liked"]
    await provider.hide_comment(account, asked["id"], False)
    assert not _platform_state(state, asked["id"])["hidden"]

    await provider.delete_comment(account, asked["id"])
    assert _platform_state(state, asked["id"])["deleted"]
    assert asked["id"] not in {c.external_id for c in await provider.list_comments(account, post)}
    with pytest.raises(ProviderError):  # gone: Graph's 100/33
        await provider.delete_comment(account, asked["id"])


async def test_facebook_reply_to_a_reply_is_refused_by_the_platform(make_provider, consent, state):
    provider, token = await _page_token(make_provider, consent)
    account = AccountRef("facebook", PAGE, token)
    post = state.posts_of(PAGE)[0].id
    top = meta_comments.audience_comment(state, {"post_id": post, "text": "Hi", "author": "Jane"})
    reply = await provider.reply_comment(account, top["id"], "Hello")
    with pytest.raises(ProviderError):
        await provider.reply_comment(account, reply, "Two levels only")


async def test_facebook_without_pages_manage_engagement_names_the_scope(make_provider, consent, state):
    scopes = [s for s in FB_SCOPES if s != "pages_manage_engagement"]
    provider, token = await _page_token(make_provider, consent, scopes)
    account = AccountRef("facebook", PAGE, token)
    post = state.posts_of(PAGE)[0].id
    top = meta_comments.audience_comment(state, {"post_id": post, "text": "Hi", "author": "Jane"})
    assert top["id"] in {c.external_id for c in await provider.list_comments(account, post)}  # reading still works
    for action in (
        provider.reply_comment(account, top["id"], "x"),
        provider.hide_comment(account, top["id"], True),
        provider.delete_comment(account, top["id"]),
        provider.like_comment(account, top["id"], True),
    ):
        with pytest.raises(ProviderError) as caught:
            await action
        assert caught.value.kind is ErrorKind.MISSING_PERMISSION
        assert caught.value.missing_scope == "pages_manage_engagement"
        assert caught.value.code == "missing_permission"
    assert not _platform_state(state, top["id"])["hidden"]


async def test_linked_instagram_on_the_facebook_graph(make_provider, consent, state):
    provider, token = await _page_token(make_provider, consent)
    account = AccountRef("instagram", LINKED_IG, token)
    media = state.posts_of(LINKED_IG)[0].id
    top = meta_comments.audience_comment(state, {"post_id": media, "text": "Love it", "author": "lee.eats"})
    reply = await provider.reply_comment(account, top["id"], "Thank you!")
    comments = {c.external_id: c for c in await provider.list_comments(account, media)}
    assert comments[top["id"]].author_name == "lee.eats" and comments[reply].parent_id == top["id"]
    assert comments[reply].by_account
    await provider.hide_comment(account, top["id"], True)
    assert _platform_state(state, top["id"])["hidden"]
    with pytest.raises(Unsupported):
        await provider.like_comment(account, top["id"], True)
    with pytest.raises(ProviderError):  # one level on Instagram
        await provider.reply_comment(account, reply, "again")
    await provider.delete_comment(account, top["id"])
    assert _platform_state(state, top["id"])["deleted"]


async def test_linked_instagram_without_instagram_manage_comments(make_provider, consent, state):
    provider, token = await _page_token(
        make_provider, consent, [s for s in FB_SCOPES if s != "instagram_manage_comments"]
    )
    account = AccountRef("instagram", LINKED_IG, token)
    media = state.posts_of(LINKED_IG)[0].id
    top = meta_comments.audience_comment(state, {"post_id": media, "text": "Love it", "author": "lee.eats"})
    assert top["id"] in {c.external_id for c in await provider.list_comments(account, media)}
    with pytest.raises(ProviderError) as caught:
        await provider.hide_comment(account, top["id"], True)
    assert caught.value.kind is ErrorKind.MISSING_PERMISSION
    assert caught.value.missing_scope == "instagram_manage_comments"


async def test_instagram_login_account(make_provider, consent, state):
    provider, token = await connect(make_provider, consent, "instagram", persona="ig-studio")
    me = await provider.fetch_identity(token.access_token)
    account = AccountRef("instagram", me.external_id, token.access_token)
    media = state.add_post("instagram", me.external_id, "New mug", tenant="*").id
    top = meta_comments.audience_comment(state, {"post_id": media, "text": "Price?", "author": "kim"})
    reply = await provider.reply_comment(account, top["id"], "12 EUR")
    comments = {c.external_id: c for c in await provider.list_comments(account, media)}
    assert comments[reply].parent_id == top["id"] and comments[reply].by_account
    await provider.hide_comment(account, top["id"], True)
    assert (await provider.list_comments(account, media))[0].hidden
    await provider.delete_comment(account, top["id"])
    assert _platform_state(state, top["id"])["deleted"]
    with pytest.raises(Unsupported):
        await provider.like_comment(account, top["id"], True)


async def test_instagram_login_without_manage_comments(make_provider, consent, state):
    provider, token = await connect(
        make_provider, consent, "instagram", persona="ig-studio", scopes=["instagram_business_basic"]
    )
    me = await provider.fetch_identity(token.access_token)
    account = AccountRef("instagram", me.external_id, token.access_token)
    media = state.add_post("instagram", me.external_id, "New mug", tenant="*").id
    with pytest.raises(ProviderError) as caught:
        await provider.list_comments(account, media)
    assert caught.value.kind is ErrorKind.MISSING_PERMISSION
    assert caught.value.missing_scope == "instagram_business_manage_comments"


@pytest.mark.parametrize("platform", ["tiktok", "x", "linkedin"])
async def test_other_platforms_declare_comment_management_unsupported(make_provider, platform):
    provider = make_provider(platform)
    account = AccountRef(platform, "1", "token")
    for call in (
        provider.list_comments(account, "p"),
        provider.reply_comment(account, "c", "x"),
        provider.hide_comment(account, "c", True),
        provider.delete_comment(account, "c"),
    ):
        with pytest.raises(Unsupported):
            await call
