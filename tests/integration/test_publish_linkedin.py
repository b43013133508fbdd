"""LinkedIn publishing against the sandbox (publishing.md §5): versioned headers, little-text
commentary, images and videos (parts with ETags) uploaded and processed, the 422 duplicate naming
the existing post, resuming with saved URNs, reconciliation after a lost answer."""

from __future__ import annotations

import pytest

from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.integrations.models import PublishRequest
from socializioz.integrations.sandbox import Fault
from socializioz.integrations.sandbox.linkedin_publishing import IMAGE, VIDEO

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

REST = {"LinkedIn-Version": "202601", "X-Restli-Protocol-Version": "2.0.0"}


async def member(make_provider, consent, sleep):
    return await connected(make_provider, consent, "linkedin", "li-jane", sleep)


async def test_text_post_escapes_little_text(make_provider, consent, fast_sleep):
    provider, account = await member(make_provider, consent, fast_sleep)
    text = "Fresh bread #sourdough at 8am (limited) @acme *today* a\\b"
    result = await provider.publish_post(account, PublishRequest(text))
    assert result.external_id.startswith("urn:li:share:")
    assert result.permalink == f"https://www.linkedin.com/feed/update/{result.external_id}/"
    posts = await provider.recent_posts(account.access_token, account.external_id)
    assert posts[0].external_id == result.external_id and posts[0].caption == text


async def test_sandbox_truncates_at_an_unescaped_reserved_character(raw, make_provider, consent, fast_sleep):
    provider, account = await member(make_provider, consent, fast_sleep)
    headers = REST | {"Authorization": f"Bearer {account.access_token}"}
    body = {
        "author": "urn:li:person:782bbtaQ",
        "commentary": "Open at 8 (limited)",
        "visibility": "PUBLIC",
        "lifecycleState": "PUBLISHED",
    }
    answer = await raw.post("/api.linkedin.com/rest/posts", headers=headers, json=body)
    assert answer.status_code == 201  # success, silently cut (§5.3)
    posts = await provider.recent_posts(account.access_token, account.external_id)
    assert posts[0].caption == "Open at 8 "
    missing_version = await raw.post(
        "/api.linkedin.com/rest/posts", headers={"Authorization": headers["Authorization"]}, json=body
    )
    assert missing_version.status_code == 426 and missing_version.json()["code"] == "NONEXISTENT_VERSION"


async def test_single_and_multi_image_posts(make_provider, consent, fast_sleep, state, media):
    provider, account = await member(make_provider, consent, fast_sleep)
    saved = Saved()
    one = PublishRequest("One picture", (media.add("a.png", PNG, "image/png"),))
    result = await provider.publish_post(account, one, saved)
    assert saved.handles["media_0"].startswith("urn:li:image:") and result.external_id
    three = PublishRequest("Three", tuple(media.add(f"{i}.jpg", JPEG, "image/jpeg") for i in range(3)))
    result = await provider.publish_post(account, three)
    found = await provider.find_published(account, three, an_hour_ago(state))
    assert found.external_id == result.external_id
    assert await provider.find_published(account, PublishRequest("Three"), an_hour_ago(state)) is None
    assert (
        len(sandbox_objects(state, "urn:li:person:782bbtaQ", IMAGE)) == 4
        and sum(fast_sleep.waits) >= state.options.linkedin_processing_seconds
    )


async def test_video_parts_with_etags_then_processing(make_provider, consent, fast_sleep, state, media):
    provider, account = await member(make_provider, consent, fast_sleep)
    request = PublishRequest("A clip", (media.add("v.mp4", mp4(20, 9 * MB), "video/mp4"),))
    result = await provider.publish_post(account, request)
    video = sandbox_objects(state, "urn:li:person:782bbtaQ", VIDEO)[0]
    assert len(video.data["etags"]) == 3 and video.data["uploaded_at"] is not None
    assert (await provider.find_published(account, request, an_hour_ago(state))).external_id == result.external_id


@pytest.mark.parametrize(
    "name,body,mime,fault",
    [
        ("short.mp4", mp4(1, 100_000), "video/mp4", None),  # under 3 s
        ("fake.mp4", b"\0" * 100_000, "video/mp4", None),  # not an MP4
        ("a.png", PNG, "image/png", "media_rejected"),
        ("b.png", b"BM" + b"\0" * 64, "image/png", None),  # a BMP is no JPG/GIF/PNG
    ],
)
async def test_processing_failed_rejects_the_media(
    make_provider, consent, fast_sleep, state, media, name, body, mime, fault
):
    provider, account = await member(make_provider, consent, fast_sleep)
    if fault:
        state.inject("linkedin.processing", Fault(fault))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("clip", (media.add(name, body, mime),)))
    assert (err.value.kind, err.value.code, err.value.provider_code) == (
        ErrorKind.REJECTED_CONTENT,
        "media_rejected",
        "PROCESSING_FAILED",
    )


async def test_duplicate_names_the_existing_post(make_provider, consent, fast_sleep, state):
    provider, account = await member(make_provider, consent, fast_sleep)
    first = await provider.publish_post(account, PublishRequest("Same words"))
    again = await provider.publish_post(account, PublishRequest("Same words"))
    assert again.external_id == first.external_id
    posts = await provider.recent_posts(account.access_token, account.external_id)
    assert [p.caption for p in posts].count("Same words") == 1
    state.clock.advance(state.options.linkedin_duplicate_window + 1)
    assert (await provider.publish_post(account, PublishRequest("Same words"))).external_id != first.external_id


async def test_commentary_limit_counts_the_escaped_text(make_provider, consent, fast_sleep):
    provider, account = await member(make_provider, consent, fast_sleep)
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("(" * 1600))  # 3,200 once escaped
    assert (err.value.kind, err.value.code) == (ErrorKind.REJECTED_CONTENT, "caption_too_long")
    assert await provider.publish_post(account, PublishRequest("(" * 1500))


async def test_saved_urns_are_reused(make_provider, consent, fast_sleep, state, media):
    provider, account = await member(make_provider, consent, fast_sleep)
    saved = Saved()
    state.inject("linkedin.posts", Fault("server_error", status=500))
    request = PublishRequest("retry", (media.add("a.png", PNG, "image/png"),))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, request, saved)
    assert err.value.kind is ErrorKind.TEMPORARY and "media_0" in saved.handles
    result = await provider.publish_post(account, PublishRequest("retry", request.media, handles=saved.handles))
    assert result.external_id and len(sandbox_objects(state, "urn:li:person:782bbtaQ", IMAGE)) == 1


async def test_timeout_after_create_then_find_published(make_provider, consent, fast_sleep, state):
    state.options.timeout_fault_seconds = 1.5
    provider, account = await member(make_provider, consent, fast_sleep)
    request = PublishRequest("Lost answer (again)")
    state.inject("linkedin.posts", Fault("timeout_after_create"))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, request)
    assert err.value.kind is ErrorKind.TEMPORARY
    found = await provider.find_published(account, request, an_hour_ago(state))
    assert found is not None and found.permalink.endswith(f"{found.external_id}/")


@pytest.mark.parametrize(
    "fault,code",
    [
        (Fault("rate_limit", retry_after=60), "rate_limited"),
        (Fault("server_error", status=503), "provider_unavailable"),
    ],
)
async def test_post_faults_are_temporary(make_provider, consent, fast_sleep, state, fault, code):
    provider, account = await member(make_provider, consent, fast_sleep)
    state.inject("linkedin.posts", fault)
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("hello"))
    assert (err.value.kind, err.value.code) == (ErrorKind.TEMPORARY, code)


async def test_mixed_media_is_refused(make_provider, consent, fast_sleep, media):
    provider, account = await member(make_provider, consent, fast_sleep)
    items = (media.add("a.png", PNG, "image/png"), media.add("v.mp4", mp4(5, 100_000), "video/mp4"))
    with pytest.raises(ProviderError) as err:
        await provider.publish_post(account, PublishRequest("mix", items))
    assert err.value.code == "media_rejected"


async def test_sandbox_checks_parts_and_etags(raw, make_provider, consent, fast_sleep):
    _, account = await member(make_provider, consent, fast_sleep)
    headers = REST | {"Authorization": f"Bearer {account.access_token}"}
    init = await raw.post(
        "/api.linkedin.com/rest/videos",
        params={"action": "initializeUpload"},
        headers=headers,
        json={"initializeUploadRequest": {"owner": "urn:li:person:782bbtaQ", "fileSizeBytes": 5 * MB}},
    )
    value = init.json()["value"]
    assert [(i["firstByte"], i["lastByte"]) for i in value["uploadInstructions"]] == [
        (0, 4 * MB - 1),
        (4 * MB, 5 * MB - 1),
    ]
    url = value["uploadInstructions"][1]["uploadUrl"].removeprefix("http://sandbox.test/sandbox")
    assert (await raw.put(url, content=b"\0" * 10)).status_code == 400  # not its byte range
    assert (await raw.put(url, content=b"\0" * MB)).headers["etag"]
    finalize = {"video": value["video"], "uploadToken": "", "uploadedPartIds": ["nope"]}
    answer = await raw.post(
        "/api.linkedin.com/rest/videos",
        params={"action": "finalizeUpload"},
        headers=headers,
        json={"finalizeUploadRequest": finalize},
    )
    assert answer.status_code == 400
    posted = await raw.post(
        "/api.linkedin.com/rest/posts",
        headers=headers,
        json={
            "author": "urn:li:person:782bbtaQ",
            "commentary": "early",
            "lifecycleState": "PUBLISHED",
            "content": {"media": {"id": value["video"]}},
        },
    )
    assert posted.status_code == 400 and posted.json()["code"] == "MEDIA_ASSET_WAITING_UPLOAD"
