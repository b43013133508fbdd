"""respx: FacebookProvider reading a Page-linked Instagram account on the real graph.facebook.com, fed the
documented response shapes (platforms.md §1.5 c, §2.4; Instagram Graph API IG User media and IG Media
comments references: ``data`` + ``paging.cursors``, ``timestamp`` as ``+0000``, comments default to
``id,text,timestamp``)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
import respx

from socializioz.domain.errors import ErrorKind, ProviderError
from tests.unit.test_integrations_real_shapes import provider

IG = "17841405822304914"
MEDIA_URL = f"https://graph.facebook.com/v21.0/{IG}/media"
COMMENTS_URL = "https://graph.facebook.com/v21.0/17895695668004550/comments"

MEDIA = {
    "data": [
        {
            "id": "17895695668004550",
            "caption": "Fresh bread!",
            "media_type": "IMAGE",
            "media_url": "https://scontent.cdninstagram.com/v/t51/1.jpg",
            "permalink": "https://www.instagram.com/p/Bx1/",
            "timestamp": "2026-05-01T09:00:00+0000",
            "like_count": 42,
            "comments_count": 7,
        },
        {
            "id": "17899305451014820",
            "caption": "Reel",
            "media_type": "VIDEO",
            "media_url": "https://scontent.cdninstagram.com/v/t50/2.mp4",
            "thumbnail_url": "https://scontent.cdninstagram.com/v/t51/2.jpg",
            "permalink": "https://www.instagram.com/reel/Cy2/",
            "timestamp": "2026-04-30T18:30:00+0000",
            "like_count": 3,
            "comments_count": 0,
        },
        {
            "id": "17886251728068013",
            "media_type": "CAROUSEL_ALBUM",  # no caption, likes hidden by the owner
            "media_url": "https://scontent.cdninstagram.com/v/t51/3.jpg",
            "permalink": "https://www.instagram.com/p/Cz3/",
            "timestamp": "2026-04-29T07:00:00+0000",
            "comments_count": 1,
        },
    ],
    "paging": {
        "cursors": {"before": "QVFIUkx1", "after": "QVFIUmR2"},
        "next": f"https://graph.facebook.com/v21.0/{IG}/media?after=QVFIUmR2",
    },
}
COMMENTS = {
    "data": [
        {
            "timestamp": "2017-08-31T18:10:30+0000",
            "text": "I love this!",
            "id": "17873440459141021",
            "username": "dana.bakes",
            "like_count": 2,
        },
        {"timestamp": "2017-08-31T19:16:02+0000", "text": "This is awesome!", "id": "17870913679156914"},
    ]
}


@respx.mock
async def test_linked_instagram_media_real_shape_and_request():
    route = respx.get(MEDIA_URL).mock(return_value=httpx.Response(200, json=MEDIA))
    posts = await provider("facebook").instagram_media("EAAPAGE", IG, limit=10)
    sent = route.calls[0].request
    assert sent.url.params["limit"] == "10"
    fields = set(sent.url.params["fields"].split(","))
    assert {
        "id",
        "caption",
        "media_type",
        "media_url",
        "permalink",
        "timestamp",
        "like_count",
        "comments_count",
    } <= fields
    assert "EAAPAGE" in (sent.headers.get("authorization", "") + str(sent.url))
    assert [p.external_id for p in posts] == ["17895695668004550", "17899305451014820", "17886251728068013"]
    first, video, album = posts
    assert first.caption == "Fresh bread!" and first.reactions == 42 and first.comments == 7 and first.shares == 0
    assert first.published_at == datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    assert first.media_url.endswith("1.jpg") and first.permalink == "https://www.instagram.com/p/Bx1/"
    assert video.media_url.endswith("2.jpg")  # the thumbnail, not the video file
    assert album.caption is None and album.reactions == 0 and album.comments == 1


@respx.mock
async def test_linked_instagram_comments_real_shape():
    route = respx.get(COMMENTS_URL).mock(return_value=httpx.Response(200, json=COMMENTS))
    comments = await provider("facebook").instagram_comments("EAAPAGE", "17895695668004550", limit=3)
    params = route.calls[0].request.url.params
    assert set(params["fields"].split(",")) == {"id", "text", "timestamp", "username", "like_count"}
    assert params["limit"] == "3"
    assert [(c.external_id, c.author, c.text, c.likes) for c in comments] == [
        ("17873440459141021", "dana.bakes", "I love this!", 2),
        ("17870913679156914", None, "This is awesome!", 0),
    ]
    assert comments[1].created_at == datetime(2017, 8, 31, 19, 16, 2, tzinfo=UTC)


@respx.mock
@pytest.mark.parametrize(
    "status,error,kind,scope",
    [
        (
            400,
            {"code": 190, "error_subcode": 463, "message": "Error validating access token: Session has expired"},
            ErrorKind.NEEDS_RECONNECT,
            None,
        ),
        (400, {"code": 190, "error_subcode": 460, "message": "Password changed"}, ErrorKind.NEEDS_RECONNECT, None),
        (
            403,
            {"code": 10, "message": "(#10) Application does not have permission for this action"},
            ErrorKind.MISSING_PERMISSION,
            "instagram_basic",
        ),
        (
            403,
            {"code": 200, "message": "(#200) Requires pages_read_engagement permission to manage the object"},
            ErrorKind.MISSING_PERMISSION,
            "pages_read_engagement",
        ),
        (400, {"code": 4, "message": "Application request limit reached"}, ErrorKind.TEMPORARY, None),
        (
            400,
            {"code": 80002, "message": "There have been too many calls to this Instagram account."},
            ErrorKind.TEMPORARY,
            None,
        ),
        (
            500,
            {"code": 2, "message": "An unexpected error has occurred. Please retry your request later."},
            ErrorKind.TEMPORARY,
            None,
        ),
    ],
)
async def test_linked_instagram_errors_are_classified(status, error, kind, scope):
    body = {"error": {"type": "OAuthException", "fbtrace_id": "AbC", **error}}
    respx.get(MEDIA_URL).mock(return_value=httpx.Response(status, json=body))
    respx.get(COMMENTS_URL).mock(return_value=httpx.Response(status, json=body))
    p = provider("facebook")
    for call in (p.instagram_media("EAAPAGE", IG), p.instagram_comments("EAAPAGE", "17895695668004550")):
        with pytest.raises(ProviderError) as err:
            await call
        assert err.value.kind is kind and err.value.platform == "facebook"
        assert err.value.missing_scope == scope
        assert "EAAPAGE" not in str(err.value)


@respx.mock
async def test_linked_instagram_html_body_is_temporary():
    respx.get(MEDIA_URL).mock(return_value=httpx.Response(502, text="<html>Bad Gateway</html>"))
    with pytest.raises(ProviderError) as err:
        await provider("facebook").instagram_media("EAAPAGE", IG)
    assert err.value.kind is ErrorKind.TEMPORARY
