"""respx: the TikTok, X and LinkedIn publish flows fed the documented real shapes on the real hosts
(publishing.md §3-§5), including answers the sandbox never gives: a success without its id, an
X duplicate, LinkedIn's duplicate naming the existing post, chunk plans by §3.4."""

from __future__ import annotations

import httpx
import pytest
import respx

from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.integrations import ProviderSettings, get_provider
from socializioz.integrations.linkedin import escape_little, unescape_little
from socializioz.integrations.models import AccountRef, MediaItem, PublishRequest
from socializioz.integrations.tiktok import chunk_plan
from socializioz.settings import PlatformCredentials, Settings

MB = 1024 * 1024
MEDIA = "https://app.example/media/abc"


def provider(platform: str):
    settings = Settings(**{platform: PlatformCredentials(client_id="real-id", client_secret="real-secret")})
    return get_provider(platform, settings, provider_settings=ProviderSettings())


@pytest.mark.parametrize(
    "size,preferred,plan",
    [
        (4 * MB, 10 * MB, (4 * MB, 1)),  # under 5 MB: one chunk
        (50_000_123, 10_000_000, (10_000_000, 5)),  # the reference's example: last = 10,000,123
        (7 * MB, 10 * MB, (7 * MB, 1)),
        (11 * MB, 5 * MB, (5 * MB, 2)),
        (300 * MB, 100 * MB, (64 * MB, 4)),  # chunks stop at 64 MB; the last carries 44 MB more
    ],
)
def test_tiktok_chunk_plan_follows_the_transfer_guide(size, preferred, plan):
    chunk, count = chunk_plan(size, preferred)
    assert (chunk, count) == plan
    assert size - chunk * (count - 1) <= 128 * MB and 1 <= count <= 1000


def test_little_text_round_trip():
    text = r"a\b (x) #tag @me *_~ |{}[]<>"
    assert escape_little(text) == r"a\\b \(x\) \#tag \@me \*\_\~ \|\{\}\[\]\<\>"
    assert unescape_little(escape_little(text)) == text


@respx.mock
async def test_x_success_without_an_id_is_temporary_not_reconnect():
    respx.post("https://api.x.com/2/tweets").mock(return_value=httpx.Response(201, json={"data": {}}))
    with pytest.raises(ProviderError) as err:
        await provider("x").publish_post(AccountRef("x", "1", "T"), PublishRequest("hello"))
    assert (err.value.kind, err.value.code) == (ErrorKind.TEMPORARY, "provider_unavailable")


@respx.mock
async def test_x_duplicate_403_is_duplicate_content():
    respx.post("https://api.x.com/2/tweets").mock(
        return_value=httpx.Response(
            403,
            json={
                "detail": "You are not allowed to create a Tweet with duplicate content.",
                "type": "about:blank",
                "title": "Forbidden",
                "status": 403,
            },
        )
    )
    with pytest.raises(ProviderError) as err:
        await provider("x").publish_post(AccountRef("x", "1", "T"), PublishRequest("hello"))
    assert (err.value.kind, err.value.code) == (ErrorKind.REJECTED_CONTENT, "duplicate_content")


@respx.mock
async def test_linkedin_duplicate_422_is_the_existing_post():
    route = respx.post("https://api.linkedin.com/rest/posts").mock(
        return_value=httpx.Response(
            422, json={"status": 422, "message": "Content is a duplicate of urn:li:share:7012345678901234567"}
        )
    )
    result = await provider("linkedin").publish_post(AccountRef("linkedin", "782bbtaQ", "T"), PublishRequest("(hi)"))
    assert result.external_id == "urn:li:share:7012345678901234567"
    assert result.permalink == "https://www.linkedin.com/feed/update/urn:li:share:7012345678901234567/"
    sent = route.calls[0].request
    assert sent.headers["LinkedIn-Version"] and sent.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert b'"commentary":"\\\\(hi\\\\)"' in sent.content.replace(b" ", b"")


@respx.mock
async def test_tiktok_creator_cannot_post_comes_with_http_200():
    respx.post("https://open.tiktokapis.com/v2/post/publish/creator_info/query/").mock(
        return_value=httpx.Response(
            200,
            json={"data": {}, "error": {"code": "spam_risk_user_banned_from_posting", "message": "", "log_id": "1"}},
        )
    )
    options = await provider("tiktok").publish_options(AccountRef("tiktok", "o", "act.T"))
    assert not options.can_post and options.reason == "account_not_eligible"


@respx.mock
async def test_tiktok_status_sic_field_and_self_only_without_public_id():
    respx.get(MEDIA).mock(return_value=httpx.Response(200, content=b"\0" * 1000))
    respx.post("https://open.tiktokapis.com/v2/post/publish/creator_info/query/").mock(
        return_value=httpx.Response(
            200,
            json={
                "data": {"privacy_level_options": ["SELF_ONLY"], "max_video_post_duration_sec": 600},
                "error": {"code": "ok"},
            },
        )
    )
    init = respx.post("https://open.tiktokapis.com/v2/post/publish/video/init/").mock(
        return_value=httpx.Response(
            200,
            json={
                "data": {
                    "publish_id": "v_pub_file~v2-1",
                    "upload_url": "https://open-upload.tiktokapis.com/video/?upload_id=1",
                },
                "error": {"code": "ok"},
            },
        )
    )
    put = respx.put("https://open-upload.tiktokapis.com/video/?upload_id=1").mock(return_value=httpx.Response(201))
    respx.post("https://open.tiktokapis.com/v2/post/publish/status/fetch/").mock(
        return_value=httpx.Response(
            200,
            json={"data": {"status": "PUBLISH_COMPLETE", "publicaly_available_post_id": []}, "error": {"code": "ok"}},
        )
    )
    video = MediaItem(MEDIA, "video", "video/mp4", 1000)
    request = PublishRequest("clip", (video,), {"privacy_level": "SELF_ONLY"})
    result = await provider("tiktok").publish_post(AccountRef("tiktok", "o", "act.T"), request)
    assert (result.external_id, result.permalink) == ("v_pub_file~v2-1", None)
    sent = init.calls[0].request
    assert b'"source":"FILE_UPLOAD"' in sent.content.replace(
        b" ", b""
    ) and b'"disable_stitch":false' in sent.content.replace(b" ", b"")
    assert put.calls[0].request.headers["Content-Range"] == "bytes 0-999/1000"
    assert "authorization" not in put.calls[0].request.headers
