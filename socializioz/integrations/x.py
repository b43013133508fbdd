"""X OAuth 2.0 with PKCE and API v2 (platforms.md §4): Basic auth for a confidential client,
``offline.access`` for a refresh token, and single-use rotating refresh tokens."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.domain.platforms import Platform

from .base import Checkpoint, Provider, as_int, parse_time
from .classify import ErrorBody, ErrorTable, Stage
from .code_grant import CodeGrantProvider
from .insight_windows import followers_now
from .models import (
    AccountRef,
    CommentInfo,
    Identity,
    MediaItem,
    MetricPoint,
    PostInfo,
    PostMetrics,
    PublishRequest,
    PublishResult,
)
from .publish_steps import check_caption, download, parts, poll_until, refused, unanswered, upload_each

WWW, API = "x.com", "api.x.com"
TWEET_FIELDS = "created_at,public_metrics,author_id,conversation_id"
MEDIA_API = "/2/media/upload"
APPEND_BYTES = 1024 * 1024  # larger segments were observed to get 413 (§4.3)
PROCESSING_BUDGET_SECONDS = 10 * 60.0
MEDIA_REUSE_SECONDS = 20 * 3600  # media ids expire ~24 h after upload (§4.3): older ones are re-uploaded
_URL = re.compile(r"https?://\S+")
# What a refused post's detail says (§4.6) → the catalogue code that explains it.
PUBLISH_MESSAGES = (("duplicate", "duplicate_content"), ("too long", "caption_too_long"), ("media", "media_rejected"))


class XProvider(CodeGrantProvider):
    platform = Platform.X
    uses_pkce = True
    error_table = ErrorTable(  # platforms.md §4.6: problem-details types; a bare 403 is a missing scope
        rate_limit=frozenset({"rate-limit-exceeded", "usage-capped"}),
        forbidden_is_permission=True,
    )

    @classmethod
    def flow_error_code(cls, stage: Stage, kind: ErrorKind, err: ErrorBody | None, unparseable: bool) -> str | None:
        """Spec X table: every token-exchange failure has an X code. Publishing: the refusal's
        own explanation, read from its detail."""
        if stage is Stage.PUBLISH and kind is ErrorKind.REJECTED_CONTENT and err:
            message = err.message.lower()
            return next((code for words, code in PUBLISH_MESSAGES if words in message), None)
        if stage is not Stage.TOKEN_EXCHANGE:
            return None
        if err and err.code == "invalid_client":
            return "invalid_client"
        return "token_parse_failed" if unparseable else "x_token_error"

    def _token_auth_method(self) -> str:
        return "client_secret_basic" if self.settings.x_client_type == "confidential" else "none"

    def authorize_endpoint(self) -> str:
        return self.url(WWW, "/i/oauth2/authorize")

    def token_endpoint(self) -> str:
        return self.url(API, "/2/oauth2/token")

    async def fetch_identity(self, access_token: str) -> Identity:
        body = await self.api_json(
            Stage.IDENTITY,
            "GET",
            self.url(API, "/2/users/me"),
            access_token,
            params={"user.fields": "profile_image_url,public_metrics,verified"},
            required_scope="users.read",
        )
        user = body.get("data") or {}
        return Identity(
            external_id=str(user["id"]),
            name=user.get("name", ""),
            username=user.get("username"),
            avatar_url=user.get("profile_image_url"),
            followers=as_int((user.get("public_metrics") or {}).get("followers_count")),
            account_type="USER",
        )

    async def recent_posts(self, access_token: str, account_id: str, limit: int = 10) -> list[PostInfo]:
        body = await self.api_json(
            Stage.READ,
            "GET",
            self.url(API, f"/2/users/{account_id}/tweets"),
            access_token,
            params={"tweet.fields": TWEET_FIELDS, "max_results": str(max(5, min(limit, 100)))},
            required_scope="tweet.read",
        )
        return [_post(t) for t in body.get("data", [])][:limit]

    async def comments(self, access_token: str, post_id: str, limit: int = 25) -> list[CommentInfo]:
        """Replies are the posts of the conversation (recent search, §4.5)."""
        body = await self.api_json(
            Stage.READ,
            "GET",
            self.url(API, "/2/tweets/search/recent"),
            access_token,
            params={
                "query": f"conversation_id:{post_id}",
                "tweet.fields": TWEET_FIELDS,
                "max_results": str(max(10, min(limit, 100))),
            },
            required_scope="tweet.read",
        )
        return [
            CommentInfo(
                external_id=str(t["id"]),
                text=t.get("text", ""),
                created_at=parse_time(t.get("created_at")),
                author=t.get("author_id"),
                likes=as_int((t.get("public_metrics") or {}).get("like_count")) or 0,
            )
            for t in body.get("data", [])
        ][:limit]

    # -- publishing (publishing.md §4) ------------------------------------------------------------

    async def publish_post(
        self, account: AccountRef, request: PublishRequest, checkpoint: Checkpoint | None = None
    ) -> PublishResult:
        """Media first (one-shot for images, chunked with processing for video and GIF), each id
        saved as it is ready and reused on a retry, then ``POST /2/tweets``."""
        check_caption(self, request.text)
        _check_media_mix(self, request)
        ids = await upload_each(
            self, request, checkpoint, lambda item: self._upload(account, item), max_age=MEDIA_REUSE_SECONDS
        )
        payload: dict[str, Any] = {"text": request.text} | ({"media": {"media_ids": ids}} if ids else {})
        body = await self.api_json(
            Stage.PUBLISH,
            "POST",
            self.url(API, "/2/tweets"),
            account.access_token,
            json=payload,
            required_scope=self.info.connection("oauth").publish_scope,
        )
        post_id = str((body.get("data") or {}).get("id") or "")
        if not post_id:
            raise unanswered(self, "data.id")
        return PublishResult(external_id=post_id, permalink=permalink(post_id))

    async def find_published(
        self, account: AccountRef, request: PublishRequest, since: datetime
    ) -> PublishResult | None:
        """The account's post with the same text (URLs compared after t.co wrapping) and as many
        media, created since ``since`` (§4.7)."""
        body = await self.api_json(
            Stage.READ,
            "GET",
            self.url(API, f"/2/users/{account.external_id}/tweets"),
            account.access_token,
            params={"tweet.fields": "created_at,attachments", "max_results": "20"},
            required_scope="tweet.read",
        )
        earliest = since - timedelta(seconds=1)
        for tweet in body.get("data") or []:
            created = parse_time(tweet.get("created_at"))
            media = len((tweet.get("attachments") or {}).get("media_keys") or [])
            if (
                _comparable(tweet.get("text", "")) == _comparable(request.text)
                and media == len(request.media)
                and created is not None
                and created >= earliest
            ):
                return PublishResult(external_id=str(tweet["id"]), permalink=permalink(str(tweet["id"])))
        return None

    async def _media_call(self, method: str, path: str, account: AccountRef, **kwargs: Any) -> dict[str, Any]:
        body = await self.api_json(
            Stage.PUBLISH,
            method,
            self.url(API, MEDIA_API + path),
            account.access_token,
            required_scope="media.write",
            **kwargs,
        )
        data = body.get("data")
        return data if isinstance(data, dict) else {}

    async def _upload(self, account: AccountRef, item: MediaItem) -> str:
        """One media item to a media id that is ready to attach."""
        content = await download(self, item)
        category = _category(item)
        if category == "tweet_image":
            data = await self._media_call(
                "POST",
                "",
                account,
                json={
                    "media": base64.b64encode(content).decode(),
                    "media_category": category,
                    "media_type": item.mime_type,
                },
            )
        else:
            data = await self._chunked(account, item, content, category)
        media_id = str(data.get("id") or "")
        if not media_id:
            raise unanswered(self, "media id")
        if data.get("processing_info"):
            await self._processed(account, media_id, data["processing_info"])
        return media_id

    async def _chunked(self, account: AccountRef, item: MediaItem, content: bytes, category: str) -> dict[str, Any]:
        """initialize → append 1 MB segments → finalize (a JSON body is required, §4.3)."""
        init = await self._media_call(
            "POST",
            "/initialize",
            account,
            json={"media_type": item.mime_type, "total_bytes": len(content), "media_category": category},
        )
        media_id = str(init.get("id") or "")
        if not media_id:
            raise unanswered(self, "media id")
        for index, (start, end) in enumerate(parts(len(content), APPEND_BYTES)):
            await self._media_call(
                "POST",
                f"/{media_id}/append",
                account,
                data={"segment_index": str(index)},
                files={"media": ("blob", content[start:end], "application/octet-stream")},
            )
        return await self._media_call("POST", f"/{media_id}/finalize", account, json={})

    async def _processed(self, account: AccountRef, media_id: str, first: Mapping[str, Any]) -> None:
        """STATUS until ``succeeded``, waiting ``check_after_secs`` each time; ``failed`` rejects the media."""
        pending: Mapping[str, Any] | None = first

        async def check() -> tuple[bool | None, float]:
            nonlocal pending
            if pending is None:
                data = await self._media_call("GET", "", account, params={"command": "STATUS", "media_id": media_id})
                pending = data.get("processing_info") or {"state": "succeeded"}
            info, pending = pending, None
            if info.get("state") == "succeeded":
                return True, 0.0
            if info.get("state") == "failed":
                error = info.get("error") or {}
                internal = error.get("name") == "InternalError"  # X's side failed: upload again later
                raise ProviderError(
                    ErrorKind.TEMPORARY if internal else ErrorKind.REJECTED_CONTENT,
                    "provider_unavailable" if internal else "media_rejected",
                    self.name,
                    provider_code=str(error.get("name") or "failed"),
                    detail=f"media processing failed: {error.get('message', '')}"[:200],
                )
            return None, float(info.get("check_after_secs") or 5)

        await poll_until(self, check, budget_seconds=PROCESSING_BUDGET_SECONDS, what="X media")

    # -- analytics (reference/analytics.md §4: public_metrics, any age, any token) ---------------

    async def account_insights(self, account: AccountRef, since: date, until: date) -> list[MetricPoint]:
        """Followers now, dated ``until`` (X has no daily account series; the sync's snapshots draw one)."""
        body = await self.api_json(
            Stage.READ,
            "GET",
            self.url(API, "/2/users/me"),
            account.access_token,
            params={"user.fields": "public_metrics"},
            required_scope="users.read",
        )
        return followers_now(((body.get("data") or {}).get("public_metrics") or {}).get("followers_count"), until)

    async def post_metrics(self, account: AccountRef, limit: int = 25) -> list[PostMetrics]:
        """The timeline's ``public_metrics`` (the ≤30-day non-public ones are not needed for these)."""
        body = await self.api_json(
            Stage.READ,
            "GET",
            self.url(API, f"/2/users/{account.external_id}/tweets"),
            account.access_token,
            params={"tweet.fields": "created_at,public_metrics", "max_results": str(max(5, min(limit, 100)))},
            required_scope="tweet.read",
        )
        return [_tweet_metrics(t) for t in body.get("data", [])[:limit] if t.get("id")]


def permalink(post_id: str) -> str:
    """A post's public link; ``/i/web/`` needs no username (§4.1)."""
    return f"https://x.com/i/web/status/{post_id}"


def _comparable(text: str) -> str:
    """Text with every URL blanked: X returns them t.co-wrapped."""
    return _URL.sub("<url>", text).strip()


def _category(item: MediaItem) -> str:
    if item.kind == "video":
        return "tweet_video"
    return "tweet_gif" if item.mime_type == "image/gif" else "tweet_image"


def _check_media_mix(provider: Provider, request: PublishRequest) -> None:
    """Up to 4 images, or 1 GIF, or 1 video (§4.4); text or media, never neither."""
    categories = [_category(m) for m in request.media]
    if len(categories) > 4 or (len(categories) > 1 and set(categories) != {"tweet_image"}):
        raise refused(provider, "media_rejected", "X posts hold up to 4 images, or 1 GIF, or 1 video")
    if not request.text.strip() and not categories:
        raise refused(provider, "content_rejected", "an X post needs text or media")


def _post(t: Mapping[str, Any]) -> PostInfo:
    m = t.get("public_metrics") or {}
    return PostInfo(
        external_id=str(t["id"]),
        caption=t.get("text"),
        published_at=parse_time(t.get("created_at")),
        reactions=as_int(m.get("like_count")) or 0,
        comments=as_int(m.get("reply_count")) or 0,
        shares=(as_int(m.get("retweet_count")) or 0) + (as_int(m.get("quote_count")) or 0),
    )


def _tweet_metrics(tweet: Mapping[str, Any]) -> PostMetrics:
    """CONFLICT §4.1: ``retweet_count`` in live responses, ``repost_count`` in the 2026 OpenAPI."""
    m = tweet.get("public_metrics") or {}

    def count(*names: str) -> int:
        return next((v for v in (as_int(m.get(n)) for n in names) if v is not None), 0)

    return PostMetrics(
        external_id=str(tweet["id"]),
        published_at=parse_time(tweet.get("created_at")),
        caption=tweet.get("text") or "",
        permalink=f"https://x.com/i/web/status/{tweet['id']}",
        likes=count("like_count"),
        comments=count("reply_count"),
        shares=count("retweet_count", "repost_count") + count("quote_count"),
        views=count("impression_count"),
        saves=count("bookmark_count"),
    )
