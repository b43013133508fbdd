"""TikTok publishing against the sandbox (publishing.md §3): creator info, Direct Post by chunked
upload or pull, the inbox, status polling, failures, resuming a saved publish_id, reconciliation."""

from __future__ import annotations

import pytest

from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.integrations.models import MediaItem, PublishOptions, PublishRequest
from socializioz.integrations.sandbox import Fault
from socializioz.integrations.sandbox.tiktok_publishing import KIND

from .conftest import PUBLIC
from .publish_fixtures import (  # noqa: F401
    JPEG,
    MB,
    PNG,
    Saved,
    an_hour_ago,
    connected,
    fast_sleep,
    media,
    mp4,
    sandbox_objects,
    transport,
)

PUBLIC_POST = {"privacy_level": "PUBLIC_TO_EVERYONE"}


async def tiktok(make_provider, consent, sleep, persona="tt-acme", **kw):
    return await connected(make_provider, consent, "tiktok", persona, sleep, **kw)


async def test_options_come_from_the_creator_info_query(make_provider, consent, fast_sleep):
    provider, account = await tiktok(make_provider, consent, fast_sleep)
    options = await provider.publish_options(account)
    assert options.privacy_levels == ("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY")
    assert (options.stitch_disabled, options.comment_disabled, options.max_video_seconds) == (True, False, 600)
    provider, account = await tiktok(make_provider, consent, fast_sleep, persona="tt-maya")
    options = await provider.publish_options(account)
    assert options.privacy_levels[0] == "FOLLOWER_OF_CREATOR" and options.max_video_seconds == 180


async def test_cannot_post_now_is_an_answer_not_an_error(make_provider, consent, fast_sleep, state, media):
    state.options.tiktok_daily_post_cap = 1
    provider, account = await tiktok(make_provider, consent, fast_sleep)
    await provider.publish_post(
        account, PublishRequest("one", (media.add("a.mp4", mp4(10), "video/mp4"),), PUBLIC_POST)
    )
    options = await provider.publish_options(account)
    assert not options.can_post and options.reason == "rate_limited"
    with pytest.raises(ProviderError) as err:  # and a post is not even tried
        await provider.publish_post(
            account, PublishRequest("two", (media.add("b.mp4", mp4(10), "video/mp4"),), PUBLIC_POST)
        )
    assert err.value.kind is ErrorKind.TEMPORARY and err.value.provider_code == "spam_risk_too_many_posts"


async def test_direct_post_uploads_chunks_then_polls_until_complete(make_provider, consent, fast_sleep, state, media):
    provider, account = await tiktok(make_provider, consent, fast_sleep)
    provider.upload_chunk_bytes = 5 * MB
    video = media.add("big.mp4", mp4(30, 11 * MB), "video/mp4")
    saved = Saved()
    result = await provider.publish_post(
        account, PublishRequest("Fresh sourdough #bakery", (video,), PUBLIC_POST), saved
    )
    assert result.status == "published" and result.permalink.endswith(f"/video/{result.external_id}")
    assert saved.handles["publish_id"].startswith("v_pub_file~") and saved.handles["video_size"] == str(11 * MB)
    task = sandbox_objects(state, account.external_id, KIND)[0]
    assert (task.data["chunks"], task.data["chunk_size"], task.data["received"]) == (2, 5 * MB, 11 * MB)
    assert sum(fast_sleep.waits) >= state.options.tiktok_processing_seconds  # it waited for processing
    posts = await provider.recent_posts(account.access_token, account.external_id)
    assert posts[0].external_id == result.external_id and posts[0].caption == "Fresh sourdough #bakery"


async def test_pull_from_a_verified_url(make_provider, consent, fast_sleep, state, media):
    provider, account = await tiktok(make_provider, consent, fast_sleep, tiktok_pull_url_prefixes=(PUBLIC + "/",))
    result = await provider.publish_post(
        account, PublishRequest("pulled", (media.add("p.mp4", mp4(12), "video/mp4"),), {"privacy_level": "SELF_ONLY"})
    )
    task = sandbox_objects(state, account.external_id, KIND)[0]
    assert task.data["source"] == "PULL_FROM_URL" and task.data["duration"] == 12
    assert result.external_id.startswith("v_pub_url~") and result.permalink is None  # SELF_ONLY: no public id


async def test_pull_from_an_unverified_url_is_refused(make_provider, consent, fast_sleep):
    provider, account = await tiktok(
        make_provider, consent, fast_sleep, tiktok_pull_url_prefixes=("https://cdn.example/",)
    )
    video = MediaItem("https://cdn.example/p.mp4", "video", "video/mp4")
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("x", (video,), PUBLIC_POST))
    assert (err.value.kind, err.value.code) == (ErrorKind.REJECTED_CONTENT, "media_rejected")


async def test_privacy_level_is_required_and_checked_before_anything_is_created(
    make_provider, consent, fast_sleep, state, media
):
    provider, account = await tiktok(make_provider, consent, fast_sleep)
    video = media.add("a.mp4", mp4(10), "video/mp4")
    for options in ({}, {"privacy_level": "FOLLOWER_OF_CREATOR"}):
        with pytest.raises(ProviderError) as err:
            await provider.publish_post(account, PublishRequest("no privacy", (video,), options))
        assert (err.value.kind, err.value.code) == (ErrorKind.REJECTED_CONTENT, "publish_option_required")
    assert sandbox_objects(state, account.external_id, KIND) == []


async def test_only_video_upload_scope_sends_to_the_inbox(make_provider, consent, fast_sleep, media):
    provider, account = await tiktok(
        make_provider, consent, fast_sleep, scopes=("user.info.basic", "video.list", "video.upload")
    )
    result = await provider.publish_post(account, PublishRequest("draft", (media.add("a.mp4", mp4(8), "video/mp4"),)))
    assert result.status == "inbox" and result.external_id.startswith("v_inbox_file~")
    assert await provider.publish_options(account) == PublishOptions()  # nothing to ask: the app finishes it


@pytest.mark.parametrize(
    "name,body,duration,reason",
    [
        ("not-video.mp4", b"GIF89a" + b"\0" * 100, None, "file_format_check_failed"),
        ("long.mp4", mp4(200), None, "duration_check_failed"),  # tt-maya may post 180 s
        ("short.mp4", mp4(1), None, "duration_check_failed"),
    ],
)
async def test_media_the_platform_refuses_fails_with_its_reason(
    make_provider, consent, fast_sleep, media, name, body, duration, reason
):
    provider, account = await tiktok(make_provider, consent, fast_sleep, persona="tt-maya")
    video = media.add(name, body, "video/mp4", duration)
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("clip", (video,), {"privacy_level": "SELF_ONLY"}))
    assert (err.value.kind, err.value.code, err.value.provider_code) == (
        ErrorKind.REJECTED_CONTENT,
        "media_rejected",
        reason,
    )


async def test_too_long_is_refused_before_init_when_the_duration_is_known(
    make_provider, consent, fast_sleep, state, media
):
    provider, account = await tiktok(make_provider, consent, fast_sleep, persona="tt-maya")
    video = media.add("long.mp4", mp4(200), "video/mp4", duration=200)
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("clip", (video,), {"privacy_level": "SELF_ONLY"}))
    assert err.value.code == "media_rejected" and sandbox_objects(state, account.external_id, KIND) == []


async def test_caption_is_counted_in_utf16(make_provider, consent, fast_sleep, media):
    provider, account = await tiktok(make_provider, consent, fast_sleep)
    video = media.add("a.mp4", mp4(10), "video/mp4")
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("😀" * 1101, (video,), PUBLIC_POST))  # 2,202 units
    assert err.value.code == "caption_too_long"
    assert (await provider.publish_post(account, PublishRequest("😀" * 1100, (video,), PUBLIC_POST))).external_id


async def test_processing_failure_is_temporary_and_the_retry_starts_a_new_task(
    make_provider, consent, fast_sleep, state, media
):
    provider, account = await tiktok(make_provider, consent, fast_sleep)
    state.inject("tiktok.processing", Fault("processing_failed"))
    request = PublishRequest("retry me", (media.add("a.mp4", mp4(10), "video/mp4"),), PUBLIC_POST)
    saved = Saved()
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, request, saved)
    assert (err.value.kind, err.value.provider_code) == (ErrorKind.TEMPORARY, "internal")
    retry = PublishRequest(request.text, request.media, request.options, saved.handles)
    result = await provider.publish_post(account, retry, saved)
    assert saved.handles["publish_id"] != retry.handles["publish_id"] and result.permalink
    assert len(sandbox_objects(state, account.external_id, KIND)) == 2


async def test_media_rejected_fault_fails_the_task(make_provider, consent, fast_sleep, state, media):
    provider, account = await tiktok(make_provider, consent, fast_sleep)
    state.inject("tiktok.processing", Fault("media_rejected"))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(
            account, PublishRequest("x", (media.add("a.mp4", mp4(10), "video/mp4"),), PUBLIC_POST)
        )
    assert (err.value.code, err.value.provider_code) == ("media_rejected", "file_format_check_failed")


async def test_a_saved_publish_id_is_resumed_not_initialised_again(make_provider, consent, fast_sleep, state, media):
    provider, account = await tiktok(make_provider, consent, fast_sleep)
    request = PublishRequest("crash", (media.add("a.mp4", mp4(10), "video/mp4"),), PUBLIC_POST)
    saved = Saved()

    async def crash(seconds):
        raise RuntimeError("worker died while polling")

    provider.sleep = crash
    with pytest.raises(RuntimeError):
        await provider.publish_post(account, request, saved)
    provider.sleep = fast_sleep
    resumed = PublishRequest(request.text, request.media, request.options, saved.handles)
    result = await provider.publish_post(account, resumed, saved)
    assert len(sandbox_objects(state, account.external_id, KIND)) == 1 and result.permalink
    found = await provider.find_published(account, resumed, since=an_hour_ago(state))
    assert found.external_id == result.external_id


async def test_timeout_after_create_then_find_published(make_provider, consent, fast_sleep, state, media):
    state.options.timeout_fault_seconds = 1.5
    provider, account = await tiktok(make_provider, consent, fast_sleep, tiktok_pull_url_prefixes=(PUBLIC + "/",))
    request = PublishRequest("lost answer", (media.add("a.mp4", mp4(10), "video/mp4"),), PUBLIC_POST)
    since = an_hour_ago(state)
    state.inject("tiktok.publish", Fault("timeout_after_create"))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, request)
    assert err.value.kind is ErrorKind.TEMPORARY
    assert await provider.find_published(account, request, since) is None  # still downloading
    state.clock.advance(60)
    found = await provider.find_published(account, request, since)
    assert found is not None and len(sandbox_objects(state, account.external_id, KIND)) == 1


async def test_an_upload_that_never_arrived_is_not_found(make_provider, consent, fast_sleep, state, media):
    state.options.timeout_fault_seconds = 1.5
    provider, account = await tiktok(make_provider, consent, fast_sleep)
    request = PublishRequest("never uploaded", (media.add("a.mp4", mp4(10), "video/mp4"),), PUBLIC_POST)
    since = an_hour_ago(state)
    state.inject("tiktok.publish", Fault("timeout_after_create"))
    with pytest.raises(ProviderError):
        await provider.publish_post(account, request)
    state.clock.advance(120)
    assert await provider.find_published(account, request, since) is None


@pytest.mark.parametrize(
    "fault,kind,code",
    [
        (Fault("server_error", status=503), ErrorKind.TEMPORARY, "provider_unavailable"),
        (Fault("rate_limit"), ErrorKind.TEMPORARY, "rate_limited"),
        (Fault("revoked_token"), ErrorKind.NEEDS_RECONNECT, "token_invalid"),
    ],
)
async def test_init_faults_are_classified(make_provider, consent, fast_sleep, state, media, fault, kind, code):
    provider, account = await tiktok(make_provider, consent, fast_sleep)
    state.inject("tiktok.publish", fault)
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(
            account, PublishRequest("x", (media.add("a.mp4", mp4(10), "video/mp4"),), PUBLIC_POST)
        )
    assert (err.value.kind, err.value.code) == (kind, code)


async def test_unaudited_client_may_post_only_privately_to_private_accounts(
    make_provider, consent, fast_sleep, state, media
):
    state.options.tiktok_audited = False
    video = media.add("a.mp4", mp4(10), "video/mp4")
    provider, account = await tiktok(make_provider, consent, fast_sleep)
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("x", (video,), PUBLIC_POST))
    assert (err.value.code, err.value.provider_code) == (
        "account_not_eligible",
        "unaudited_client_can_only_post_to_private_accounts",
    )
    provider, account = await tiktok(make_provider, consent, fast_sleep, persona="tt-maya")
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("x", (video,), {"privacy_level": "FOLLOWER_OF_CREATOR"}))
    assert err.value.code == "publish_option_required"
    assert await provider.publish_post(account, PublishRequest("x", (video,), {"privacy_level": "SELF_ONLY"}))


async def test_sandbox_enforces_the_chunk_rules(raw, make_provider, consent, fast_sleep):
    _, account = await tiktok(make_provider, consent, fast_sleep)
    headers = {"Authorization": f"Bearer {account.access_token}"}
    init = "/open.tiktokapis.com/v2/post/publish/video/init/"
    post_info = {"title": "t", "privacy_level": "SELF_ONLY"}
    bad = [
        {"video_size": 4 * MB, "chunk_size": 2 * MB, "total_chunk_count": 2},  # under 5 MB: one chunk
        {"video_size": 50 * MB, "chunk_size": 4 * MB, "total_chunk_count": 12},  # chunks under 5 MB
        {"video_size": 50_000_123, "chunk_size": 10_000_000, "total_chunk_count": 6},  # not floor()
    ]
    for source in bad:
        answer = await raw.post(
            init, headers=headers, json={"post_info": post_info, "source_info": {"source": "FILE_UPLOAD", **source}}
        )
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_param"
    good = {"source": "FILE_UPLOAD", "video_size": 50_000_123, "chunk_size": 10_000_000, "total_chunk_count": 5}
    answer = await raw.post(init, headers=headers, json={"post_info": post_info, "source_info": good})
    assert answer.json()["error"]["code"] == "ok"
    upload_url = answer.json()["data"]["upload_url"].removeprefix("http://sandbox.test/sandbox")
    out_of_order = await raw.put(
        upload_url,
        content=b"\0" * 10_000_000,
        headers={"Content-Type": "video/mp4", "Content-Range": "bytes 10000000-19999999/50000123"},
    )
    assert out_of_order.status_code == 416
    wrong_type = await raw.put(
        upload_url, content=b"\0" * 4, headers={"Content-Type": "image/png", "Content-Range": "bytes 0-3/50000123"}
    )
    assert wrong_type.status_code == 400
    first = await raw.put(
        upload_url,
        content=b"\0" * 10_000_000,
        headers={"Content-Type": "video/mp4", "Content-Range": "bytes 0-9999999/50000123"},
    )
    assert first.status_code == 206 and first.headers["content-range"] == "bytes 0-9999999/50000123"
    status = await raw.post(
        "/open.tiktokapis.com/v2/post/publish/status/fetch/",
        headers=headers,
        json={"publish_id": answer.json()["data"]["publish_id"]},
    )
    assert status.json()["data"]["status"] == "PROCESSING_UPLOAD"
    assert status.json()["data"]["uploaded_bytes"] == 10_000_000


WEBP = b"RIFF\0\0\0\0WEBPVP8 " + b"\0" * 64


async def test_photo_post_is_pulled_with_title_and_description(make_provider, consent, fast_sleep, state, media):
    provider, account = await tiktok(make_provider, consent, fast_sleep, tiktok_pull_url_prefixes=(PUBLIC + "/",))
    photos = (media.add("1.jpg", JPEG, "image/jpeg"), media.add("2.webp", WEBP, "image/webp"))
    text = "Weekend bakes\nOur menu for Saturday #bread"
    saved = Saved()
    result = await provider.publish_post(account, PublishRequest(text, photos, PUBLIC_POST), saved)
    assert saved.handles["publish_id"].startswith("p_pub_url~") and result.permalink
    task = sandbox_objects(state, account.external_id, KIND)[0]
    assert (task.data["photos"], task.data["title"]) == (2, text)
    found = await provider.find_published(account, PublishRequest(text, photos), an_hour_ago(state))
    assert found.external_id == result.external_id


async def test_photo_posts_refuse_png_and_unverified_domains(make_provider, consent, fast_sleep, state, media):
    png = (media.add("a.png", PNG, "image/png"),)
    jpeg = (media.add("a.jpg", JPEG, "image/jpeg"),)
    verified = await tiktok(make_provider, consent, fast_sleep, tiktok_pull_url_prefixes=(PUBLIC + "/",))
    unverified = await tiktok(make_provider, consent, fast_sleep)
    for (provider, account), photos in ((verified, png), (unverified, jpeg)):
        with pytest.raises(ProviderError) as err:
            await provider.publish_post(account, PublishRequest("pics", photos, PUBLIC_POST))
        assert err.value.code == "media_rejected"
    assert sandbox_objects(state, verified[1].external_id, KIND) == []


async def test_a_photo_the_platform_cannot_pull_fails_the_task(make_provider, consent, fast_sleep, media):
    provider, account = await tiktok(make_provider, consent, fast_sleep, tiktok_pull_url_prefixes=(PUBLIC + "/",))
    missing = MediaItem(f"{PUBLIC}/media/gone.jpg", "image", "image/jpeg")
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("pics", (missing,), PUBLIC_POST))
    assert (err.value.code, err.value.provider_code) == ("media_rejected", "photo_pull_failed")


async def test_init_is_limited_to_six_a_minute_per_token(raw, make_provider, consent, fast_sleep, state):
    _, account = await tiktok(make_provider, consent, fast_sleep)
    headers = {"Authorization": f"Bearer {account.access_token}"}
    body = {
        "post_info": {"title": "t", "privacy_level": "SELF_ONLY"},
        "source_info": {"source": "FILE_UPLOAD", "video_size": 1000, "chunk_size": 1000, "total_chunk_count": 1},
    }
    codes = [
        (await raw.post("/open.tiktokapis.com/v2/post/publish/video/init/", headers=headers, json=body)).status_code
        for _ in range(7)
    ]
    assert codes == [200] * 6 + [429]
    state.clock.advance(60)  # the next minute's window
    answer = await raw.post("/open.tiktokapis.com/v2/post/publish/video/init/", headers=headers, json=body)
    assert answer.status_code == 200


async def test_an_upload_cut_short_starts_a_new_task(make_provider, consent, fast_sleep, state, media):
    provider, account = await tiktok(make_provider, consent, fast_sleep)
    request = PublishRequest("cut", (media.add("a.mp4", mp4(10), "video/mp4"),), PUBLIC_POST)
    saved = Saved()
    state.inject("tiktok.upload", Fault("server_error", status=503))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, request, saved)
    assert err.value.kind is ErrorKind.TEMPORARY and set(saved.handles) == {"publish_id", "video_size"}
    retry = PublishRequest(request.text, request.media, request.options, saved.handles)
    result = await provider.publish_post(account, retry, saved)
    assert result.permalink and saved.handles["publish_id"] != retry.handles["publish_id"]
    assert len(sandbox_objects(state, account.external_id, KIND)) == 2
