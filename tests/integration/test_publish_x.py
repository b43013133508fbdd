"""X publishing against the sandbox (publishing.md §4): media upload v2 (one-shot images, chunked
video with processing), ``POST /2/tweets`` with media ids, weighted length, duplicates, rate-limit
headers, resuming with saved media ids, reconciliation after a lost answer."""

from __future__ import annotations

import pytest

from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.integrations.models import PublishRequest
from socializioz.integrations.sandbox import Fault
from socializioz.integrations.sandbox.x_publishing import MEDIA

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


async def x_account(make_provider, consent, sleep, **kw):
    return await connected(make_provider, consent, "x", "x-acme", sleep, **kw)


async def test_text_post_counts_a_url_as_23(make_provider, consent, fast_sleep):
    provider, account = await x_account(make_provider, consent, fast_sleep)
    text = "Menu " + "a" * 250 + " https://example.com/" + "m" * 200  # 256 + 1 + 23 weighted
    result = await provider.publish_post(account, PublishRequest(text))
    assert result.permalink == f"https://x.com/i/web/status/{result.external_id}"
    posts = await provider.recent_posts(account.access_token, account.external_id)
    assert posts[0].external_id == result.external_id and "https://t.co/" in posts[0].caption


async def test_images_are_uploaded_saved_then_posted(make_provider, consent, fast_sleep, state, media):
    provider, account = await x_account(make_provider, consent, fast_sleep)
    images = (media.add("a.png", PNG, "image/png"), media.add("b.jpg", JPEG, "image/jpeg"))
    saved = Saved()
    request = PublishRequest("Two pictures", images)
    result = await provider.publish_post(account, request, saved)
    assert set(saved.handles) == {"media_0", "media_0_at", "media_1", "media_1_at"} and saved.calls == 2
    assert len(sandbox_objects(state, account.external_id, MEDIA)) == 2
    found = await provider.find_published(account, request, an_hour_ago(state))
    assert found.external_id == result.external_id
    assert await provider.find_published(account, PublishRequest("Two pictures"), an_hour_ago(state)) is None


async def test_video_is_chunked_and_waits_for_processing(make_provider, consent, fast_sleep, state, media):
    provider, account = await x_account(make_provider, consent, fast_sleep)
    video = media.add("v.mp4", mp4(20, int(2.5 * MB)), "video/mp4")
    result = await provider.publish_post(account, PublishRequest("A clip", (video,)))
    row = sandbox_objects(state, account.external_id, MEDIA)[0]
    assert sorted(row.data["segments"].values()) == [MB // 2, MB, MB]
    assert sum(fast_sleep.waits) >= state.options.x_processing_seconds and result.external_id


@pytest.mark.parametrize(
    "body,fault,kind,code",
    [
        (mp4(200), None, ErrorKind.REJECTED_CONTENT, "media_rejected"),  # over 140 s
        (b"\0" * 300, None, ErrorKind.REJECTED_CONTENT, "media_rejected"),  # not a video at all
        (mp4(20), "media_rejected", ErrorKind.REJECTED_CONTENT, "media_rejected"),
        (mp4(20), "processing_failed", ErrorKind.TEMPORARY, "provider_unavailable"),
    ],
)
async def test_processing_failures(make_provider, consent, fast_sleep, state, media, body, fault, kind, code):
    provider, account = await x_account(make_provider, consent, fast_sleep)
    if fault:
        state.inject("x.processing", Fault(fault))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("clip", (media.add("v.mp4", body, "video/mp4"),)))
    assert (err.value.kind, err.value.code) == (kind, code)


async def test_saved_media_ids_are_posted_without_uploading_again(make_provider, consent, fast_sleep, state, media):
    provider, account = await x_account(make_provider, consent, fast_sleep)
    image = media.add("a.png", PNG, "image/png")
    saved = Saved()
    state.inject("x.publish", Fault("server_error", status=503))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("retry", (image,)), saved)
    assert err.value.code == "provider_unavailable" and "media_0" in saved.handles
    result = await provider.publish_post(account, PublishRequest("retry", (image,), handles=saved.handles))
    assert result.external_id and len(sandbox_objects(state, account.external_id, MEDIA)) == 1


async def test_media_ids_near_their_expiry_are_uploaded_again(make_provider, consent, fast_sleep, state, media):
    state.options.x_access_expires_in = 7 * 86400  # the token outlives the wait
    provider, account = await x_account(make_provider, consent, fast_sleep)
    image = media.add("a.png", PNG, "image/png")
    saved = Saved()
    state.inject("x.publish", Fault("server_error", status=503))
    with pytest.raises(ProviderError):
        await provider.publish_post(account, PublishRequest("later", (image,)), saved)
    state.clock.advance(21 * 3600)
    result = await provider.publish_post(account, PublishRequest("later", (image,), handles=saved.handles), saved)
    assert result.external_id and len(sandbox_objects(state, account.external_id, MEDIA)) == 2


async def test_unknown_media_id_is_rejected_media(make_provider, consent, fast_sleep, state, media):
    provider, account = await x_account(make_provider, consent, fast_sleep)
    handles = {"media_0": "123", "media_0_at": str(int(state.now()))}
    request = PublishRequest("x", (media.add("a.png", PNG, "image/png"),), handles=handles)
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, request)
    assert (err.value.kind, err.value.code) == (ErrorKind.REJECTED_CONTENT, "media_rejected")


async def test_too_many_or_mixed_media_are_refused_before_upload(make_provider, consent, fast_sleep, state, media):
    provider, account = await x_account(make_provider, consent, fast_sleep)
    png = media.add("a.png", PNG, "image/png")
    for items in ((png,) * 5, (png, media.add("v.mp4", mp4(5), "video/mp4"))):
        with pytest.raises(ProviderError) as err:
            await provider.publish_post(account, PublishRequest("x", items))
        assert err.value.code == "media_rejected"
    assert sandbox_objects(state, account.external_id, MEDIA) == []


async def test_duplicate_and_too_long(raw, make_provider, consent, fast_sleep):
    provider, account = await x_account(make_provider, consent, fast_sleep)
    await provider.publish_post(account, PublishRequest("same text"))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("same text"))
    assert (err.value.kind, err.value.code, err.value.status) == (ErrorKind.REJECTED_CONTENT, "duplicate_content", 403)
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("字" * 141))  # 282 weighted
    assert err.value.code == "caption_too_long"
    answer = await raw.post(
        "/api.x.com/2/tweets", headers={"Authorization": f"Bearer {account.access_token}"}, json={"text": "字" * 141}
    )
    assert answer.status_code == 400 and answer.json()["detail"] == "Your Tweet text is too long."


async def test_rate_limit_headers_give_the_retry_time(make_provider, consent, fast_sleep, state):
    state.options.x_tweet_rate_limit = 1
    provider, account = await x_account(make_provider, consent, fast_sleep)
    await provider.publish_post(account, PublishRequest("first"))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("second"))
    assert (err.value.kind, err.value.code, err.value.status) == (ErrorKind.TEMPORARY, "rate_limited", 429)
    assert 0 < err.value.retry_after <= 15 * 60


async def test_injected_429_with_reset(make_provider, consent, fast_sleep, state):
    provider, account = await x_account(make_provider, consent, fast_sleep)
    state.inject("x.publish", Fault("rate_limit", retry_after=120))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("limited"))
    assert err.value.code == "rate_limited" and 110 <= err.value.retry_after <= 120


async def test_timeout_after_create_then_find_published(make_provider, consent, fast_sleep, state, media):
    state.options.timeout_fault_seconds = 1.5
    provider, account = await x_account(make_provider, consent, fast_sleep)
    request = PublishRequest("lost answer https://example.com/menu", (media.add("a.png", PNG, "image/png"),))
    state.inject("x.publish", Fault("timeout_after_create"))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, request)
    assert err.value.kind is ErrorKind.TEMPORARY
    found = await provider.find_published(account, request, an_hour_ago(state))
    posts = await provider.recent_posts(account.access_token, account.external_id)
    assert found is not None and found.external_id == posts[0].external_id


async def test_media_needs_the_media_write_scope(make_provider, consent, fast_sleep, media):
    provider, account = await x_account(
        make_provider, consent, fast_sleep, scopes=("tweet.read", "tweet.write", "users.read")
    )
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("pic", (media.add("a.png", PNG, "image/png"),)))
    assert err.value.kind is ErrorKind.MISSING_PERMISSION and err.value.missing_scope == "media.write"


async def test_sandbox_refuses_oversized_segments_and_a_bare_finalize(raw, make_provider, consent, fast_sleep):
    _, account = await x_account(make_provider, consent, fast_sleep)
    headers = {"Authorization": f"Bearer {account.access_token}"}
    init = await raw.post(
        "/api.x.com/2/media/upload/initialize",
        headers=headers,
        json={"media_type": "video/mp4", "total_bytes": 3 * MB, "media_category": "tweet_video"},
    )
    media_id = init.json()["data"]["id"]
    big = await raw.post(
        f"/api.x.com/2/media/upload/{media_id}/append",
        headers=headers,
        data={"segment_index": "0"},
        files={"media": ("blob", b"\0" * (MB + 1))},
    )
    assert big.status_code == 413 and big.content == b""
    bare = await raw.post(f"/api.x.com/2/media/upload/{media_id}/finalize", headers=headers)
    assert bare.status_code == 400 and "JSON object" in bare.json()["detail"]
    short = await raw.post(f"/api.x.com/2/media/upload/{media_id}/finalize", headers=headers, json={})
    assert short.status_code == 400 and "mismatch" in short.json()["detail"]


async def test_control_api_arms_processing_faults_and_lists_media(raw, make_provider, consent, fast_sleep, media):
    wrong = await raw.post("/_control/faults", json={"endpoint": "x.publish", "fault": "media_rejected"})
    assert wrong.status_code == 400 and "processing" in wrong.json()["error"]
    armed = await raw.post("/_control/faults", json={"endpoint": "x.processing", "fault": "media_rejected"})
    assert armed.status_code == 200
    provider, account = await x_account(make_provider, consent, fast_sleep)
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("clip", (media.add("v.mp4", mp4(20), "video/mp4"),)))
    assert err.value.code == "media_rejected"
    listed = (await raw.get("/_control/publishing")).json()["objects"]
    assert [(o["platform"], o["kind"], o["state"]) for o in listed] == [("x", MEDIA, "failed")]


async def test_sandbox_takes_the_legacy_command_form_too(raw, make_provider, consent, fast_sleep, state):
    _, account = await x_account(make_provider, consent, fast_sleep)
    headers = {"Authorization": f"Bearer {account.access_token}"}
    video = mp4(20, 3000)
    init = await raw.post(
        "/api.x.com/2/media/upload",
        headers=headers,
        data={"command": "INIT", "media_type": "video/mp4", "total_bytes": "3000", "media_category": "tweet_video"},
    )
    media_id = init.json()["data"]["id"]
    append = await raw.post(
        "/api.x.com/2/media/upload",
        headers=headers,
        data={"command": "APPEND", "media_id": media_id, "segment_index": "0"},
        files={"media": ("blob", video)},
    )
    assert append.status_code == 200
    done = await raw.post(
        "/api.x.com/2/media/upload", headers=headers, data={"command": "FINALIZE", "media_id": media_id}
    )
    assert done.json()["data"]["processing_info"]["state"] == "pending"
    state.clock.advance(state.options.x_processing_seconds)
    status = await raw.get(
        "/api.x.com/2/media/upload", headers=headers, params={"command": "STATUS", "media_id": media_id}
    )
    assert status.json()["data"]["processing_info"]["state"] == "succeeded"
