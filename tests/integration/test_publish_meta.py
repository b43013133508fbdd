"""Publishing to Facebook Pages and Instagram (both paths) against the sandbox (publishing.md §1, §2).

Every flow, every error kind, resuming from saved handles, reconciliation after a timeout that
followed the post's creation, and the Instagram quota. The sandbox fetches media through an
injected fetcher (``served``) and its clock moves only when the client's injected sleep waits.
"""

from __future__ import annotations

import struct
from datetime import UTC, datetime

import pytest

from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.domain.platforms import INSTAGRAM_BUSINESS_LOGIN, REQUIRED_META_SCOPES
from socializioz.integrations.models import AccountRef, MediaItem, PublishRequest
from socializioz.integrations.sandbox import Fault
from socializioz.integrations.sandbox.fetch import FetchedMedia

from .conftest import new_flow

PAGE, LINKED_IG = "1111", "17841400000000001"
CDN = "http://app.test/media/"


def jpeg(width: int = 1080, height: int = 1080, pad: int = 64) -> bytes:
    """A JPEG header a downloader can size: SOI, an APP0 segment, then a baseline start-of-frame."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x00" * 9
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\x00" * pad


MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def image(name: str = "a.jpg") -> MediaItem:
    return MediaItem(url=CDN + name, kind="image", mime_type="image/jpeg")


def video(name: str = "clip.mp4") -> MediaItem:
    return MediaItem(url=CDN + name, kind="video", mime_type="video/mp4")


class Served:
    """The app's media store as the sandbox's downloader sees it: URL → (status, type, bytes)."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[int, str, bytes]] = {
            CDN + "a.jpg": (200, "image/jpeg", jpeg()),
            CDN + "b.jpg": (200, "image/jpeg", jpeg(1080, 1350)),
            CDN + "c.jpg": (200, "image/jpeg", jpeg(1200, 628)),
            CDN + "clip.mp4": (200, "video/mp4", MP4),
            CDN + "pic.png": (200, "image/png", PNG),
            CDN + "tall.jpg": (200, "image/jpeg", jpeg(1080, 1920)),
            CDN + "page.html": (200, "text/html", b"<html>not a picture</html>"),
        }
        self.fetched: list[str] = []

    def __call__(self, url: str, limit: int) -> FetchedMedia:
        self.fetched.append(url)
        status, content_type, body = self.files.get(url, (404, "text/plain", b"not found"))
        return FetchedMedia(status, content_type, body[: limit + 1])


@pytest.fixture
def served(state):
    server = Served()
    state.fetch_media = server
    return server


class Waits:
    """The client's sleep: records each wait and moves the sandbox clock instead of waiting."""

    def __init__(self, clock) -> None:
        self.clock, self.waited = clock, []

    async def __call__(self, seconds: float) -> None:
        self.waited.append(seconds)
        self.clock.advance(seconds)


class Saved:
    """The publisher's checkpoint: every set of handles the client saved, in order."""

    def __init__(self) -> None:
        self.calls: list[dict[str, str]] = []

    async def __call__(self, handles) -> None:
        self.calls.append(dict(handles))

    @property
    def last(self) -> dict[str, str]:
        return self.calls[-1] if self.calls else {}


CLIENT_TIMEOUT = 3.0  # room for a busy machine; timeout faults outlast it
LOST = CLIENT_TIMEOUT + 1


async def _connect(make_provider, consent, platform, clock, **choice):
    provider = make_provider(platform, request_timeout_seconds=CLIENT_TIMEOUT)
    provider.sleep = Waits(clock)
    flow = new_flow(platform)
    url = provider.authorization_url(
        state=flow["state"], redirect_uri=flow["redirect_uri"], code_verifier=flow["code_verifier"]
    )
    callback = provider.parse_callback(await consent.submit(url, **choice))
    token = await provider.exchange_code(
        callback.code, redirect_uri=flow["redirect_uri"], code_verifier=flow["code_verifier"]
    )
    return provider, token


async def facebook(make_provider, consent, clock, scopes=None):
    """The Facebook client and the Page token of Acme Bakery (the Page with Instagram linked)."""
    provider, token = await _connect(
        make_provider, consent, "facebook", clock, persona="fb-alice", pages=[PAGE], scopes=scopes
    )
    page = {p.external_id: p for p in await provider.list_pages(token.access_token)}[PAGE]
    return provider, page.access_token


async def instagram(make_provider, consent, clock, scopes=None):
    provider, token = await _connect(make_provider, consent, "instagram", clock, persona="ig-studio", scopes=scopes)
    me = await provider.fetch_identity(token.access_token)
    return provider, AccountRef("instagram", me.external_id, token.access_token)


@pytest.fixture(params=["instagram_login", "page_linked"])
async def ig(request, make_provider, consent, clock, served):
    """Both ways to an Instagram account: (client, account) — Instagram Login, or a Page's token."""
    if request.param == "instagram_login":
        return await instagram(make_provider, consent, clock)
    provider, page_token = await facebook(make_provider, consent, clock)
    return provider, AccountRef("instagram", LINKED_IG, page_token)


async def feed(provider, account):
    if account.platform == "facebook":
        return await provider.recent_posts(account.access_token, account.external_id)
    if provider.name == "facebook":
        return await provider.linked_posts(account.access_token, account.external_id)
    return await provider.recent_posts(account.access_token, account.external_id)


def page(token: str) -> AccountRef:
    return AccountRef("facebook", PAGE, token)


# -- Facebook Pages ----------------------------------------------------------------------------------


async def test_facebook_text_post_is_on_the_page_feed_with_its_link(make_provider, consent, clock, served):
    provider, token = await facebook(make_provider, consent, clock)
    result = await provider.publish_post(page(token), PublishRequest("Fresh bread at 7"))
    assert result.external_id.startswith(f"{PAGE}_") and result.status == "published"
    assert result.permalink and result.external_id.split("_")[1] in result.permalink
    posts = await provider.recent_posts(token, PAGE)
    assert (posts[0].external_id, posts[0].caption, posts[0].media_url) == (
        result.external_id,
        "Fresh bread at 7",
        None,
    )
    assert served.fetched == []  # nothing to download for a text post


async def test_facebook_link_post(make_provider, consent, clock, served):
    provider, token = await facebook(make_provider, consent, clock)
    request = PublishRequest("Our menu", options={"link": "https://example.com/menu"})
    result = await provider.publish_post(page(token), request)
    assert (await provider.recent_posts(token, PAGE))[0].external_id == result.external_id


async def test_facebook_one_photo_is_fetched_and_posted(make_provider, consent, clock, served):
    provider, token = await facebook(make_provider, consent, clock)
    result = await provider.publish_post(page(token), PublishRequest("Croissants", (image(),)))
    assert served.fetched == [CDN + "a.jpg"]
    post = (await provider.recent_posts(token, PAGE))[0]
    assert (post.external_id, post.media_url) == (result.external_id, CDN + "a.jpg")
    since = datetime.fromtimestamp(clock.now() - 60, UTC)
    found = await provider.find_published(page(token), PublishRequest("Croissants", (image(),)), since)
    assert found is not None and found.external_id == result.external_id


async def test_facebook_several_photos_are_staged_then_posted_as_one(make_provider, consent, clock, served, state):
    provider, token = await facebook(make_provider, consent, clock)
    saved = Saved()
    request = PublishRequest("Three loaves", (image("a.jpg"), image("b.jpg"), image("c.jpg")))
    result = await provider.publish_post(page(token), request, saved)
    assert [sorted(c) for c in saved.calls] == [["photo_0"], ["photo_0", "photo_1"], ["photo_0", "photo_1", "photo_2"]]
    assert all(state.media(pid).post_id == result.external_id for pid in saved.last.values())
    since = datetime.fromtimestamp(clock.now() - 60, UTC)
    assert (await provider.find_published(page(token), request, since)).external_id == result.external_id
    two = PublishRequest("Three loaves", request.media[:2])
    assert await provider.find_published(page(token), two, since) is None  # same text, other media count


async def test_facebook_album_resumes_from_staged_photos(make_provider, consent, clock, served, state):
    provider, token = await facebook(make_provider, consent, clock)
    saved = Saved()

    async def checkpoint(handles):
        await saved(handles)
        if len(handles) == 2:  # both photos staged: the feed post that follows fails
            state.inject("facebook.publish", Fault("server_error"))

    request = PublishRequest("Two cakes", (image("a.jpg"), image("b.jpg")))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(page(token), request, checkpoint)
    assert (err.value.kind, err.value.code) == (ErrorKind.TEMPORARY, "provider_unavailable")
    staged = saved.last
    assert sorted(staged) == ["photo_0", "photo_1"] and all(state.media(p).post_id is None for p in staged.values())
    served.fetched.clear()
    result = await provider.publish_post(
        page(token), PublishRequest(request.text, request.media, handles=staged), saved
    )
    assert served.fetched == [] and saved.last == staged  # nothing staged twice
    assert all(state.media(pid).post_id == result.external_id for pid in staged.values())


async def test_facebook_refused_album_deletes_its_staged_photos(make_provider, consent, clock, served, state):
    provider, token = await facebook(make_provider, consent, clock)
    await provider.publish_post(page(token), PublishRequest("Same words"))
    saved = Saved()
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(page(token), PublishRequest("Same words", (image(), image("b.jpg"))), saved)
    assert (err.value.kind, err.value.code) == (ErrorKind.REJECTED_CONTENT, "duplicate_content")
    assert len(saved.last) == 2 and all(state.media(pid) is None for pid in saved.last.values())


async def test_facebook_video_is_polled_until_its_post_exists(make_provider, consent, clock, served, state):
    provider, token = await facebook(make_provider, consent, clock)
    state.options.facebook_video_processing_seconds = 40
    saved = Saved()
    result = await provider.publish_post(page(token), PublishRequest("Behind the oven", (video(),)), saved)
    assert list(saved.last) == ["video_id"] and sum(provider.sleep.waited) >= 40
    posts = await provider.recent_posts(token, PAGE)
    assert posts[0].external_id == result.external_id and posts[0].caption == "Behind the oven"
    assert result.permalink == posts[0].permalink


async def test_facebook_video_resumes_its_saved_upload(make_provider, consent, clock, served, state):
    provider, token = await facebook(make_provider, consent, clock)
    state.options.facebook_video_processing_seconds = 600  # beyond the five-minute bound
    saved = Saved()
    request = PublishRequest("Slow video", (video(),))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(page(token), request, saved)
    assert (err.value.kind, err.value.code) == (ErrorKind.TEMPORARY, "media_processing")
    assert sum(provider.sleep.waited) == pytest.approx(300)
    with pytest.raises(ProviderError):  # the upload exists and is processing: undecided, not absent
        await provider.find_published(page(token), request, datetime.fromtimestamp(clock.now() - 400, UTC))
    served.fetched.clear()
    result = await provider.publish_post(page(token), PublishRequest(request.text, request.media, handles=saved.last))
    assert served.fetched == [] and (await provider.recent_posts(token, PAGE))[0].external_id == result.external_id


async def test_facebook_video_whose_answer_was_lost_is_undecided_until_processed(
    make_provider, consent, clock, served, state
):
    provider, token = await facebook(make_provider, consent, clock)
    state.options.timeout_fault_seconds = LOST
    state.options.facebook_video_processing_seconds = 120
    state.inject("facebook.videos", Fault("timeout_after_create"))
    since = datetime.fromtimestamp(clock.now(), UTC)
    request = PublishRequest("Lost answer", (video(),))
    with pytest.raises(ProviderError):
        await provider.publish_post(page(token), request)
    with pytest.raises(ProviderError) as err:  # uploaded and processing: neither found nor absent
        await provider.find_published(page(token), request, since)
    assert (err.value.kind, err.value.code) == (ErrorKind.TEMPORARY, "media_processing")
    clock.advance(121)
    found = await provider.find_published(page(token), request, since)
    assert found is not None and found.external_id == (await provider.recent_posts(token, PAGE))[0].external_id
    assert await provider.find_published(page(token), PublishRequest("Other", (video(),)), since) is None


async def test_facebook_video_processing_error_is_media_rejected(make_provider, consent, clock, served, raw):
    provider, token = await facebook(make_provider, consent, clock)
    answer = await raw.post(
        "/_control/faults", json={"endpoint": "facebook.container_state", "fault": "container_error"}
    )
    assert answer.status_code == 200
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(page(token), PublishRequest("Broken clip", (video(),)))
    assert (err.value.kind, err.value.code) == (ErrorKind.REJECTED_CONTENT, "media_rejected")


@pytest.mark.parametrize(
    "media,code",
    [
        ((image("page.html"),), "media_rejected"),  # not an image
        ((image("missing.jpg"),), "media_rejected"),  # the URL answers 404
        ((image(), video()), "media_rejected"),  # a video with photos: refused before any call
        (tuple(image() for _ in range(11)), "media_rejected"),  # more than ten photos
    ],
)
async def test_facebook_media_the_page_cannot_take(make_provider, consent, clock, served, media, code):
    provider, token = await facebook(make_provider, consent, clock)
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(page(token), PublishRequest("Look", media))
    assert (err.value.kind, err.value.code) == (ErrorKind.REJECTED_CONTENT, code)


async def test_facebook_media_rejected_fault(make_provider, consent, clock, served, state):
    provider, token = await facebook(make_provider, consent, clock)
    state.inject("facebook.media_fetch", Fault("media_rejected"))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(page(token), PublishRequest("Look", (image(),)))
    assert (err.value.kind, err.value.code) == (ErrorKind.REJECTED_CONTENT, "media_rejected")
    assert (await provider.publish_post(page(token), PublishRequest("Look", (image(),)))).external_id


async def test_facebook_duplicate_and_too_long_text(make_provider, consent, clock, served):
    provider, token = await facebook(make_provider, consent, clock)
    await provider.publish_post(page(token), PublishRequest("Open on Sunday"))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(page(token), PublishRequest("Open on Sunday"))
    assert (err.value.kind, err.value.code, err.value.provider_code) == (
        ErrorKind.REJECTED_CONTENT,
        "duplicate_content",
        "506",
    )
    before = len(await provider.recent_posts(token, PAGE, limit=50))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(page(token), PublishRequest("x" * 63_207))
    assert (err.value.kind, err.value.code) == (ErrorKind.REJECTED_CONTENT, "caption_too_long")
    assert len(await provider.recent_posts(token, PAGE, limit=50)) == before


async def test_facebook_sandbox_refuses_an_overlong_message_in_words_the_client_reads(
    make_provider, consent, clock, raw
):
    _, token = await facebook(make_provider, consent, clock)
    answer = await raw.post(
        f"/graph.facebook.com/v21.0/{PAGE}/feed",
        data={"message": "x" * 63_207},
        headers={"Authorization": f"Bearer {token}"},
    )
    from socializioz.integrations.classify import Stage, classify_response

    error = classify_response(answer, "facebook", Stage.PUBLISH, now=clock.now())
    assert (answer.status_code, error.kind, error.code) == (400, ErrorKind.REJECTED_CONTENT, "caption_too_long")


async def test_facebook_missing_pages_manage_posts_names_the_scope(make_provider, consent, clock, served):
    scopes = [s for s in REQUIRED_META_SCOPES if s != "pages_manage_posts"]
    provider, token = await facebook(make_provider, consent, clock, scopes=scopes)
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(page(token), PublishRequest("Hello"))
    assert (err.value.kind, err.value.code, err.value.missing_scope) == (
        ErrorKind.MISSING_PERMISSION,
        "missing_pages_manage_posts",
        "pages_manage_posts",
    )


@pytest.mark.parametrize(
    "fault,code,retry_after",
    [
        (Fault("rate_limit", status=429, retry_after=90), "rate_limited", 90),  # Retry-After
        (Fault("rate_limit"), "rate_limited", 600),  # X-App-Usage at 100 %, no reset given
        (Fault("server_error", status=503), "provider_unavailable", None),
    ],
)
async def test_facebook_temporary_failures_carry_their_wait(
    make_provider, consent, clock, served, state, fault, code, retry_after
):
    provider, token = await facebook(make_provider, consent, clock)
    state.inject("facebook.publish", fault)
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(page(token), PublishRequest("Busy day"))
    assert (err.value.kind, err.value.code, err.value.retry_after) == (ErrorKind.TEMPORARY, code, retry_after)


async def test_facebook_timeout_after_create_is_found_by_reconciliation(make_provider, consent, clock, served, state):
    provider, token = await facebook(make_provider, consent, clock)
    since = datetime.fromtimestamp(clock.now(), UTC)
    state.options.timeout_fault_seconds = LOST
    state.inject("facebook.publish", Fault("timeout_after_create"))
    request = PublishRequest("Did it post?", (image(),))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(page(token), request)
    assert err.value.kind is ErrorKind.TEMPORARY
    found = await provider.find_published(page(token), request, since)
    assert found is not None and found.external_id == (await provider.recent_posts(token, PAGE))[0].external_id
    assert await provider.find_published(page(token), PublishRequest("Did it post?"), since) is None  # no media
    assert await provider.find_published(page(token), PublishRequest("Other words", (image(),)), since) is None


# -- Instagram (both paths) ---------------------------------------------------------------------------


async def test_instagram_image_is_published_and_listed(ig, clock, served):
    provider, account = ig
    saved = Saved()
    result = await provider.publish_post(account, PublishRequest("Morning light #bakery", (image(),)), saved)
    assert list(saved.last) == ["container_id"] and provider.sleep.waited == []  # images are ready at once
    assert result.permalink and result.permalink.startswith("https://www.instagram.com/p/")
    posts = await feed(provider, account)
    assert (posts[0].external_id, posts[0].caption, posts[0].media_url) == (
        result.external_id,
        "Morning light #bakery",
        CDN + "a.jpg",
    )


async def test_instagram_reel_waits_for_the_container(ig, clock, served, state):
    provider, account = ig
    state.options.instagram_video_processing_seconds = 45
    result = await provider.publish_post(account, PublishRequest("Kneading", (video(),)))
    assert 45 <= sum(provider.sleep.waited) <= 45 + 60 and provider.sleep.waited[0] == 5
    assert (await feed(provider, account))[0].external_id == result.external_id


async def test_instagram_carousel_of_image_and_video(ig, clock, served, state):
    provider, account = ig
    saved = Saved()
    request = PublishRequest("Two ways", (image(), video()))
    result = await provider.publish_post(account, request, saved)
    assert sorted(saved.last) == ["child_0", "child_1", "container_id"]
    since = datetime.fromtimestamp(clock.now() - 120, UTC)
    assert (await provider.find_published(account, request, since)).external_id == result.external_id
    assert await provider.find_published(account, PublishRequest("Two ways", (image(),)), since) is None


async def test_instagram_resumes_a_saved_container_instead_of_making_another(ig, clock, served, state):
    provider, account = ig
    platform = "instagram" if provider.name == "instagram" else "facebook"
    publish_key = "instagram.publish" if platform == "instagram" else "facebook.ig_publish"
    state.inject(publish_key, Fault("server_error"))
    saved = Saved()
    request = PublishRequest("Resume me", (image(),))
    with pytest.raises(ProviderError):
        await provider.publish_post(account, request, saved)
    container = saved.last["container_id"]
    served.fetched.clear()
    retry = PublishRequest(request.text, request.media, handles=saved.last)
    result = await provider.publish_post(account, retry, saved)
    assert served.fetched == [] and saved.last["container_id"] == container
    from socializioz.integrations.sandbox.state import use_tenant

    use_tenant(state.token(account.access_token).tenant)
    assert state.container(container).media_id == result.external_id


async def test_instagram_retry_of_a_published_container_finds_the_post(ig, clock, served, state):
    provider, account = ig
    saved = Saved()
    request = PublishRequest("Once only", (image(),))
    first = await provider.publish_post(account, request, saved)
    again = await provider.publish_post(account, PublishRequest(request.text, request.media, handles=saved.last))
    assert again.external_id == first.external_id
    assert [p.caption for p in await feed(provider, account)].count("Once only") == 1


async def test_instagram_timeout_after_publish_is_found_by_reconciliation(ig, clock, served, state):
    provider, account = ig
    key = "instagram.publish" if provider.name == "instagram" else "facebook.ig_publish"
    since = datetime.fromtimestamp(clock.now(), UTC)
    state.options.timeout_fault_seconds = LOST
    state.inject(key, Fault("timeout_after_create"))
    request = PublishRequest("Ambiguous", (image(),))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, request)
    assert err.value.kind is ErrorKind.TEMPORARY
    found = await provider.find_published(account, request, since)
    assert found is not None and found.external_id == (await feed(provider, account))[0].external_id
    assert await provider.find_published(account, PublishRequest("Ambiguous", (image(), image())), since) is None


async def test_instagram_container_error_is_rejected_media_or_a_retry(ig, clock, served, state):
    provider, account = ig
    key = f"{'instagram' if provider.name == 'instagram' else 'facebook'}.container_state"
    state.inject(key, Fault("container_error"))  # 2207026: unsupported video format
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("Bad clip", (video(),)))
    assert (err.value.kind, err.value.code) == (ErrorKind.REJECTED_CONTENT, "media_rejected")
    assert "2207026" in err.value.detail
    state.inject(key, Fault("container_error", status=2207001))  # Instagram server error: retry
    saved = Saved()
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("Try again", (image(),)), saved)
    assert (err.value.kind, err.value.code) == (ErrorKind.TEMPORARY, "media_processing")
    retry = PublishRequest("Try again", (image(),), handles=saved.last)
    result = await provider.publish_post(account, retry, saved)  # the ERROR container is replaced
    assert saved.last["container_id"] != retry.handles["container_id"] and result.external_id


async def test_instagram_expired_container_is_replaced_on_retry(ig, clock, served, state):
    provider, account = ig
    key = f"{'instagram' if provider.name == 'instagram' else 'facebook'}.container_state"
    state.inject(key, Fault("container_expired"))
    saved = Saved()
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("Late", (image(),)), saved)
    assert (err.value.kind, err.value.code) == (ErrorKind.TEMPORARY, "media_processing")
    assert "EXPIRED" in err.value.detail
    result = await provider.publish_post(account, PublishRequest("Late", (image(),), handles=saved.last), saved)
    assert (await feed(provider, account))[0].external_id == result.external_id


async def test_instagram_container_still_processing_after_five_minutes(ig, clock, served, state):
    provider, account = ig
    state.options.instagram_video_processing_seconds = 900
    saved = Saved()
    request = PublishRequest("Long reel", (video(),))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, request, saved)
    assert (err.value.kind, err.value.code) == (ErrorKind.TEMPORARY, "media_processing")
    assert sum(provider.sleep.waited) == pytest.approx(300) and max(provider.sleep.waited) == 60
    clock.advance(900)
    served.fetched.clear()
    result = await provider.publish_post(account, PublishRequest(request.text, request.media, handles=saved.last))
    assert served.fetched == [] and (await feed(provider, account))[0].external_id == result.external_id


async def test_instagram_quota_refuses_with_the_time_it_frees(ig, clock, served, state):
    provider, account = ig
    state.options.instagram_quota_total = 2
    await provider.publish_post(account, PublishRequest("One", (image(),)))
    clock.advance(3600)
    await provider.publish_post(account, PublishRequest("Two", (image(),)))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("Three", (image(),)))
    assert (err.value.kind, err.value.code) == (ErrorKind.TEMPORARY, "publish_limit_reached")
    assert err.value.retry_after == pytest.approx(23 * 3600, abs=5)  # when "One" leaves the 24 h window
    clock.advance(err.value.retry_after + 1)
    assert (await provider.publish_post(account, PublishRequest("Three", (image(),)))).external_id


async def test_instagram_quota_filled_between_check_and_publish(ig, clock, served, state, monkeypatch):
    provider, account = ig
    state.options.instagram_quota_total = 1
    from socializioz.integrations.instagram_publishing import ContainerFlow

    async def no_check(self):  # another app used the last slot after our check
        return None

    await provider.publish_post(account, PublishRequest("First", (image(),)))
    monkeypatch.setattr(ContainerFlow, "check_quota", no_check)
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("Second", (image(),)))
    assert (err.value.kind, err.value.code, err.value.provider_code) == (
        ErrorKind.TEMPORARY,
        "publish_limit_reached",
        "9/2207042",
    )
    assert err.value.retry_after == pytest.approx(24 * 3600, abs=5)


@pytest.mark.parametrize(
    "media,code",
    [
        ((image("pic.png"),), "media_rejected"),  # JPEG only
        ((image("tall.jpg"),), "media_rejected"),  # 9:16 is outside 4:5 … 1.91:1
        ((image("missing.jpg"),), "media_rejected"),  # cannot be fetched
        ((), "media_rejected"),  # Instagram needs media (refused before any call)
        (tuple(image() for _ in range(11)), "media_rejected"),  # a carousel holds ten
    ],
)
async def test_instagram_media_it_refuses(ig, clock, served, media, code):
    provider, account = ig
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("Look", media))
    assert (err.value.kind, err.value.code) == (ErrorKind.REJECTED_CONTENT, code)


async def test_instagram_image_too_large(ig, clock, served, state):
    provider, account = ig
    state.options.instagram_image_max_bytes = 50
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("Big", (image(),)))
    assert (err.value.kind, err.value.code, err.value.provider_code) == (
        ErrorKind.REJECTED_CONTENT,
        "media_rejected",
        "36000/2207004",
    )


async def test_instagram_caption_too_long_client_and_sandbox(ig, clock, served, raw):
    provider, account = ig
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("x" * 2201, (image(),)))
    assert (err.value.kind, err.value.code) == (ErrorKind.REJECTED_CONTENT, "caption_too_long")
    host = "graph.instagram.com" if provider.name == "instagram" else "graph.facebook.com"
    answer = await raw.post(
        f"/{host}/v21.0/{account.external_id}/media",
        data={"image_url": CDN + "a.jpg", "caption": "x" * 2201},
        headers={"Authorization": f"Bearer {account.access_token}"},
    )
    from socializioz.integrations.classify import Stage, classify_response

    error = classify_response(answer, provider.name, Stage.PUBLISH, now=clock.now())
    assert (error.kind, error.code, error.provider_code) == (
        ErrorKind.REJECTED_CONTENT,
        "caption_too_long",
        "36004/2207010",
    )


async def test_instagram_login_without_the_publish_scope(make_provider, consent, clock, served):
    scopes = [s for s in INSTAGRAM_BUSINESS_LOGIN.consent_scopes if s != "instagram_business_content_publish"]
    provider, account = await instagram(make_provider, consent, clock, scopes=scopes)
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("Hi", (image(),)))
    assert (err.value.kind, err.value.code, err.value.missing_scope) == (
        ErrorKind.MISSING_PERMISSION,
        "missing_permission",
        "instagram_business_content_publish",
    )


@pytest.mark.parametrize(
    "refused,code",
    [
        ("instagram_content_publish", "missing_permission"),
        ("pages_read_engagement", "missing_permission"),  # named from Meta's message
    ],
)
async def test_page_linked_instagram_without_a_publishing_scope(make_provider, consent, clock, served, refused, code):
    scopes = [s for s in REQUIRED_META_SCOPES if s != refused]
    provider, token = await facebook(make_provider, consent, clock, scopes=scopes)
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(AccountRef("instagram", LINKED_IG, token), PublishRequest("Hi", (image(),)))
    assert (err.value.kind, err.value.code, err.value.missing_scope) == (ErrorKind.MISSING_PERMISSION, code, refused)


async def test_instagram_rate_limit_and_outage(ig, clock, served, state):
    provider, account = ig
    key = "instagram.container" if provider.name == "instagram" else "facebook.ig_container"
    state.inject(key, Fault("rate_limit", status=429, retry_after=120))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("Busy", (image(),)))
    assert (err.value.kind, err.value.code, err.value.retry_after) == (ErrorKind.TEMPORARY, "rate_limited", 120)
    state.inject(key, Fault("server_error"))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("Busy", (image(),)))
    assert (err.value.kind, err.value.code) == (ErrorKind.TEMPORARY, "provider_unavailable")


# -- the sandbox's publishing contract ----------------------------------------------------------------


async def test_control_api_arms_publishing_faults_only_where_they_play(raw):
    wrong = await raw.post("/_control/faults", json={"endpoint": "instagram.publish", "fault": "container_expired"})
    assert wrong.status_code == 400 and "container_state" in wrong.json()["error"]
    right = await raw.post("/_control/faults", json={"endpoint": "instagram.media_fetch", "fault": "media_rejected"})
    assert right.status_code == 200


async def test_container_states_follow_the_clock_and_expire_after_a_day(
    make_provider, consent, clock, served, raw, state
):
    _, account = await instagram(make_provider, consent, clock)
    state.options.instagram_video_processing_seconds = 30
    auth = {"Authorization": f"Bearer {account.access_token}"}
    base = f"/graph.instagram.com/v21.0/{account.external_id}"
    created = await raw.post(f"{base}/media", data={"video_url": CDN + "clip.mp4", "media_type": "REELS"}, headers=auth)
    container = created.json()["id"]

    async def status():
        return (await raw.get(f"/graph.instagram.com/v21.0/{container}?fields=status_code", headers=auth)).json()

    assert (await status())["status_code"] == "IN_PROGRESS"
    early = await raw.post(f"{base}/media_publish", data={"creation_id": container}, headers=auth)
    assert early.json()["error"]["code"] == 9007 and early.json()["error"]["error_subcode"] == 2207027
    clock.advance(31)
    assert (await status())["status_code"] == "FINISHED"
    clock.advance(24 * 3600)
    assert (await status())["status_code"] == "EXPIRED"
    late = await raw.post(f"{base}/media_publish", data={"creation_id": container}, headers=auth)
    assert late.json()["error"]["error_subcode"] == 2207020
    limit = await raw.get(f"{base}/content_publishing_limit?fields=quota_usage,config", headers=auth)
    assert limit.json() == {"data": [{"quota_usage": 0, "config": {"quota_total": 100, "quota_duration": 86400}}]}


async def test_sandbox_validates_carousels_and_attached_media(make_provider, consent, clock, served, raw):
    _, account = await instagram(make_provider, consent, clock)
    auth = {"Authorization": f"Bearer {account.access_token}"}
    base = f"/graph.instagram.com/v21.0/{account.external_id}"
    child = (
        await raw.post(f"{base}/media", data={"image_url": CDN + "a.jpg", "is_carousel_item": "true"}, headers=auth)
    ).json()["id"]
    one = await raw.post(f"{base}/media", data={"media_type": "CAROUSEL", "children": child}, headers=auth)
    assert one.status_code == 400 and one.json()["error"]["code"] == 100
    eleven = await raw.post(
        f"{base}/media", data={"media_type": "CAROUSEL", "children": ",".join([child] * 11)}, headers=auth
    )
    assert eleven.json()["error"]["error_subcode"] == 2207028
    alone = await raw.post(f"{base}/media_publish", data={"creation_id": child}, headers=auth)
    assert alone.status_code == 400  # a child is published through its carousel
    no_url = await raw.post(f"{base}/media", data={"media_type": "REELS"}, headers=auth)
    assert "video_url" in no_url.json()["error"]["message"]

    _, token = await facebook(make_provider, consent, clock)
    page_auth = {"Authorization": f"Bearer {token}"}
    feed_url = f"/graph.facebook.com/v21.0/{PAGE}/feed"
    bogus = await raw.post(
        feed_url, json={"message": "x", "attached_media": [{"media_fbid": "123"}]}, headers=page_auth
    )
    assert bogus.status_code == 400 and bogus.json()["error"]["code"] == 100
    photo = (
        await raw.post(
            f"/graph.facebook.com/v21.0/{PAGE}/photos",
            data={"url": CDN + "a.jpg", "published": "false"},
            headers=page_auth,
        )
    ).json()["id"]
    posted = await raw.post(
        feed_url, data={"message": "one", "attached_media[0]": f'{{"media_fbid":"{photo}"}}'}, headers=page_auth
    )
    assert posted.status_code == 200
    again = await raw.post(
        feed_url, json={"message": "two", "attached_media": [{"media_fbid": photo}]}, headers=page_auth
    )
    assert again.status_code == 400  # an attached photo cannot be attached twice
    gone = await raw.delete(f"/graph.facebook.com/v21.0/{photo}", headers=page_auth)
    assert gone.status_code == 400  # ... nor deleted as a staged one


async def test_sandbox_fetches_only_from_the_app_by_default(state):
    from socializioz.integrations.sandbox.fetch import http_fetch

    assert http_fetch("http://169.254.169.254/latest/meta-data", 1024).status == 0
    assert http_fetch("file:///etc/passwd", 1024).status == 0


async def test_instagram_saved_container_the_platform_forgot_is_replaced(ig, clock, served, state):
    provider, account = ig
    request = PublishRequest("Forgotten", (image(),), handles={"container_id": "17999999999999999"})
    saved = Saved()
    result = await provider.publish_post(account, request, saved)
    assert saved.last["container_id"] != "17999999999999999"
    assert (await feed(provider, account))[0].external_id == result.external_id


def test_meta_usage_headers_give_the_wait():
    import httpx

    from socializioz.integrations.classify import Stage, classify_response

    body = {"error": {"message": "(#80001) There have been too many calls to this Page", "code": 80001}}
    buc = {
        "X-Business-Use-Case-Usage": '{"1111": [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 5}]}'
    }
    error = classify_response(httpx.Response(400, json=body, headers=buc), "facebook", Stage.PUBLISH, now=0)
    assert (error.kind, error.code, error.retry_after) == (ErrorKind.TEMPORARY, "rate_limited", 300)
    app = {"X-App-Usage": '{"call_count": 100, "total_cputime": 20, "total_time": 30}'}
    body["error"]["code"] = 4
    error = classify_response(httpx.Response(400, json=body, headers=app), "facebook", Stage.PUBLISH, now=0)
    assert (error.code, error.retry_after) == ("rate_limited", 600)
    calm = {"X-App-Usage": '{"call_count": 40, "total_cputime": 20, "total_time": 30}'}
    error = classify_response(httpx.Response(400, json=body, headers=calm), "facebook", Stage.PUBLISH, now=0)
    assert error.retry_after is None
