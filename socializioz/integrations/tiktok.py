"""TikTok Login Kit v2 (platforms.md §3): ``client_key`` instead of ``client_id``, comma scopes,
rotating refresh tokens whose lifetimes come from each response (the CONFLICT of §3.2)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.domain.platforms import Platform
from socializioz.domain.text_length import utf16_length

from .base import Checkpoint, Provider, as_int, parse_time
from .classify import ErrorBody, ErrorTable, Stage, missing_field
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
    PublishOptions,
    PublishRequest,
    PublishResult,
    TokenSet,
)
from .publish_steps import check_caption, download, poll_until, refused, unanswered

WWW, API = "www.tiktok.com", "open.tiktokapis.com"
USER_FIELDS = "open_id,union_id,avatar_url,display_name,username,follower_count,following_count,likes_count,video_count"
VIDEO_FIELDS = "id,title,cover_image_url,share_url,create_time,like_count,comment_count,share_count,view_count"
PUBLISH_API = "/v2/post/publish"
MB = 1024 * 1024
MIN_CHUNK, MAX_CHUNK, MAX_CHUNKS = 5 * MB, 64 * MB, 1000  # §3.4
UPLOAD_TYPES = frozenset({"video/mp4", "video/quicktime", "video/webm"})
STATUS_POLL_SECONDS = 5.0  # status fetch allows 30 calls a minute per token (§3.11)
PROCESSING_BUDGET_SECONDS = 15 * 60.0  # then the publisher retries later and resumes the publish_id
PHOTO_TYPES = frozenset({"image/jpeg", "image/webp"})  # no PNG (§3.7)
MAX_PHOTOS, MAX_PHOTO_TITLE, MAX_DESCRIPTION = 35, 90, 4000
TERMINAL = frozenset({"PUBLISH_COMPLETE", "SEND_TO_USER_INBOX", "FAILED"})
_REJECTED, _TEMPORARY = ErrorKind.REJECTED_CONTENT, ErrorKind.TEMPORARY
# Status ``fail_reason`` (§3.8) → (kind, catalogue code). Temporary ones start a new task on retry.
FAIL_REASONS: dict[str, tuple[ErrorKind, str]] = {
    **{
        reason: (_REJECTED, "media_rejected")
        for reason in (
            "file_format_check_failed",
            "duration_check_failed",
            "frame_rate_check_failed",
            "picture_size_check_failed",
            "video_pull_failed",
            "photo_pull_failed",
        )
    },
    "internal": (_TEMPORARY, "provider_unavailable"),
    "publish_cancelled": (_TEMPORARY, "provider_unavailable"),
    "auth_removed": (ErrorKind.NEEDS_RECONNECT, "token_invalid"),
    "spam_risk_too_many_posts": (_TEMPORARY, "rate_limited"),
    "spam_risk_user_banned_from_posting": (_REJECTED, "account_not_eligible"),
    "spam_risk_text": (_REJECTED, "content_rejected"),
    "spam_risk": (_REJECTED, "content_rejected"),
}
# Publish-call error codes (§3.3, §3.6) → the catalogue code that explains them.
PUBLISH_CODES = {
    "spam_risk_user_banned_from_posting": "account_not_eligible",
    "reached_active_user_cap": "account_not_eligible",
    "unaudited_client_can_only_post_to_private_accounts": "account_not_eligible",
    "privacy_level_option_mismatch": "publish_option_required",
    "url_ownership_unverified": "media_rejected",
}


def chunk_plan(size: int, preferred: int) -> tuple[int, int]:
    """(chunk_size, total_chunk_count) by §3.4: one chunk under 5 MB; else 5-64 MB chunks,
    floor(size / chunk) of them (≤ 1000), the remainder riding on the last."""
    if size < MIN_CHUNK:
        return size, 1
    chunk = max(MIN_CHUNK, min(preferred, MAX_CHUNK, size), -(-size // MAX_CHUNKS))
    return chunk, size // chunk


def _photo_title(text: str) -> str:
    """The first line, cut to the title's 90 UTF-16 units."""
    title = text.strip().split("\n", 1)[0]
    while utf16_length(title) > MAX_PHOTO_TITLE:
        title = title[:-1]
    return title


def _one_video(provider: Provider, request: PublishRequest) -> MediaItem:
    if len(request.media) != 1 or request.media[0].kind != "video":
        raise refused(provider, "media_rejected", "a TikTok post is one video")
    return request.media[0]


class TikTokProvider(CodeGrantProvider):
    credentials_in_body = True  # §3.2: client_key and client_secret in the form, no Basic auth
    platform = Platform.TIKTOK
    scope_separator = ","
    upload_chunk_bytes: ClassVar[int] = 10 * MB  # FILE_UPLOAD's preferred chunk (5-64 MB)
    error_table = ErrorTable(  # platforms.md §3.6, publishing.md §3.1 and §6
        rate_limit=frozenset({"rate_limit_exceeded", "spam_risk_too_many_posts", "spam_risk_too_many_pending_share"}),
        temporary=frozenset({"internal_error"}),
        content=frozenset(PUBLISH_CODES),
        permission=frozenset({"scope_not_authorized", "scope_permission_missed"}),
        reconnect=frozenset({"access_token_invalid"}),
    )

    @classmethod
    def flow_error_code(cls, stage: Stage, kind: ErrorKind, err: ErrorBody | None, unparseable: bool) -> str | None:
        """Spec TikTok table: an unparseable token answer has its own code; TikTok's own codes pass
        through. Publishing: the refusal's own explanation."""
        if stage is Stage.PUBLISH and kind is ErrorKind.REJECTED_CONTENT and err and err.code:
            return PUBLISH_CODES.get(err.code)
        if stage is not Stage.TOKEN_EXCHANGE:
            return None
        if unparseable:
            return "invalid_token_response"
        return err.code if err and err.oauth else "token_exchange_failed"

    @property
    def uses_pkce(self) -> bool:  # type: ignore[override]
        return self.settings.tiktok_use_pkce

    def authorize_endpoint(self) -> str:
        return self.url(WWW, "/v2/auth/authorize/")

    def authorization_url(
        self, *, state: str, redirect_uri: str, code_verifier: str | None = None, scopes: tuple[str, ...] | None = None
    ) -> str:
        """Authlib always writes ``client_id``; TikTok reads ``client_key``."""
        url = super().authorization_url(
            state=state, redirect_uri=redirect_uri, code_verifier=code_verifier, scopes=scopes
        )
        parts = urlsplit(url)
        query = [("client_key" if k == "client_id" else k, v) for k, v in parse_qsl(parts.query)]
        return urlunsplit(parts._replace(query=urlencode(query)))

    def _other_callback_error(self, error: str) -> str:
        return error  # TikTok's own codes are passed through (spec)

    def token_endpoint(self) -> str:
        return self.url(API, "/v2/oauth/token/")

    def token_params(self) -> dict[str, str]:
        """TikTok names the client ``client_key`` and wants both in the body (§3.2)."""
        return {"client_key": self.client_id, "client_secret": self._client_secret}

    def checked_token(self, stage: Stage, body: Mapping[str, Any], previous: TokenSet | None = None) -> TokenSet:
        if not body.get("access_token") or not (body.get("open_id") or (previous and previous.external_id)):
            raise missing_field(self.name, stage, "missing_token_fields", "access_token/open_id")
        return self.token_set(body, previous=previous)

    async def fetch_identity(self, access_token: str) -> Identity:
        body = await self.api_json(
            Stage.IDENTITY,
            "GET",
            self.url(API, "/v2/user/info/"),
            access_token,
            params={"fields": USER_FIELDS},
            required_scope="user.info.basic",
        )
        user = (body.get("data") or {}).get("user") or {}
        if not user.get("open_id"):
            raise missing_field(self.name, Stage.IDENTITY, "missing_token_fields", "open_id")
        return Identity(
            external_id=str(user["open_id"]),
            name=user.get("display_name", ""),
            username=user.get("username"),
            avatar_url=user.get("avatar_url"),
            followers=as_int(user.get("follower_count")),
            account_type="CREATOR",
        )

    async def check_token(self, access_token: str, expires_at: datetime | None) -> datetime | None:
        """Only ``open_id``: the one field every grant has (the profile fields need more scopes)."""
        await self.api_json(
            Stage.IDENTITY,
            "GET",
            self.url(API, "/v2/user/info/"),
            access_token,
            params={"fields": "open_id"},
            required_scope="user.info.basic",
        )
        return expires_at

    async def recent_posts(self, access_token: str, account_id: str, limit: int = 10) -> list[PostInfo]:
        body = await self.api_json(
            Stage.READ,
            "POST",
            self.url(API, "/v2/video/list/"),
            access_token,
            params={"fields": VIDEO_FIELDS},
            json={"max_count": min(limit, 20)},
            required_scope="video.list",
        )
        return [
            PostInfo(
                external_id=str(v["id"]),
                caption=v.get("title"),
                published_at=parse_time(v.get("create_time")),
                media_url=v.get("cover_image_url"),
                permalink=v.get("share_url"),
                reactions=as_int(v.get("like_count")) or 0,
                comments=as_int(v.get("comment_count")) or 0,
                shares=as_int(v.get("share_count")) or 0,
            )
            for v in (body.get("data") or {}).get("videos", [])
        ]

    async def comments(self, access_token: str, post_id: str, limit: int = 25) -> list[CommentInfo]:
        """TikTok's public APIs give counts only; comment text is not available (§3.5)."""
        return []

    # -- publishing (publishing.md §3) ------------------------------------------------------------

    async def publish_options(self, account: AccountRef) -> PublishOptions:
        """The creator-info query; "cannot post now" arrives with HTTP 200 and becomes ``can_post``.
        A token with ``video.upload`` only sends to the creator's inbox: nothing to ask, the
        creator picks privacy and interactions in the app."""
        try:
            data = await self._creator_info(account)
        except ProviderError as err:
            if err.status == 200:
                return PublishOptions(can_post=False, reason=err.code)
            raise
        if data is None:
            return PublishOptions()
        return PublishOptions(
            privacy_levels=tuple(str(v) for v in data.get("privacy_level_options") or ()),
            comment_disabled=bool(data.get("comment_disabled")),
            duet_disabled=bool(data.get("duet_disabled")),
            stitch_disabled=bool(data.get("stitch_disabled")),
            max_video_seconds=as_int(data.get("max_video_post_duration_sec")),
        )

    async def publish_post(
        self, account: AccountRef, request: PublishRequest, checkpoint: Checkpoint | None = None
    ) -> PublishResult:
        """Direct Post (``video.publish``) or, for a token that only has ``video.upload``, the
        creator's inbox: init, upload the chunks (or let TikTok pull the URL), then status fetch.
        A saved ``publish_id`` is resumed, never initialised twice."""
        saved = dict(request.handles)
        if saved.get("publish_id"):
            resumed = await self._resume(account, saved)
            if resumed is not None:
                return resumed
        creator = None if request.options.get("post_mode") == "inbox" else await self._creator_info(account)
        if request.media and all(m.kind == "image" for m in request.media):
            publish_id = await self._init_photos(account, request, creator)
            if checkpoint:
                await checkpoint({"publish_id": publish_id})
            return await self._finish(account, publish_id)
        check_caption(self, request.text)
        video = _one_video(self, request)
        post_info = None if creator is None else self._video_post_info(request, video, creator)
        pull = video.url.startswith(self.settings.tiktok_pull_url_prefixes or ("\0",))
        content = b"" if pull else await download(self, video)
        source = self._source_info(video, content, pull)
        inbox = post_info is None
        data = await self._publish_call(
            account,
            "/inbox/video/init/" if inbox else "/video/init/",
            {"source_info": source} | ({} if inbox else {"post_info": post_info}),
            "video.upload" if inbox else "video.publish",
        )
        if not data.get("publish_id"):
            raise unanswered(self, "publish_id")
        publish_id = str(data["publish_id"])
        # The upload URL carries its own credential and is not kept: an upload cut short starts over.
        if checkpoint:
            await checkpoint({"publish_id": publish_id} | ({} if pull else {"video_size": str(len(content))}))
        if not pull:
            await self._upload(str(data.get("upload_url", "")), content, video.mime_type)
        return await self._finish(account, publish_id)

    async def find_published(
        self, account: AccountRef, request: PublishRequest, since: datetime
    ) -> PublishResult | None:
        """By the saved publish_id's status; without one, among the creator's videos (public only)."""
        publish_id = request.handles.get("publish_id")
        if publish_id:
            data = await self._status(account, publish_id)
            done = data.get("status") in ("PUBLISH_COMPLETE", "SEND_TO_USER_INBOX")
            return await self._outcome(account, publish_id, data) if done else None
        earliest = since - timedelta(seconds=1)  # create_time is whole seconds
        for post in await self.recent_posts(account.access_token, account.external_id, 20):
            if post.caption == request.text and post.published_at and post.published_at >= earliest:
                return PublishResult(external_id=post.external_id, permalink=post.permalink)
        return None

    async def _publish_call(
        self, account: AccountRef, path: str, payload: Mapping[str, Any], scope: str | None
    ) -> dict[str, Any]:
        body = await self.api_json(
            Stage.PUBLISH,
            "POST",
            self.url(API, PUBLISH_API + path),
            account.access_token,
            json=payload,
            headers={"Content-Type": "application/json; charset=UTF-8"},
            required_scope=scope,
        )
        data = body.get("data")
        return data if isinstance(data, dict) else {}

    async def _creator_info(self, account: AccountRef) -> dict[str, Any] | None:
        """Creator info for a Direct Post, or None when the token may only send to the inbox."""
        try:
            return await self._publish_call(account, "/creator_info/query/", {}, "video.publish")
        except ProviderError as err:
            if err.kind is ErrorKind.MISSING_PERMISSION:
                return None
            raise

    def _post_info(
        self, request: PublishRequest, creator: Mapping[str, Any], toggles: tuple[str, ...]
    ) -> dict[str, Any]:
        """§3.3 and the sharing guidelines (§3.9): the person picks the privacy among the creator's
        options, and an interaction the creator turned off is never switched on."""
        privacy = request.options.get("privacy_level")
        if privacy not in (creator.get("privacy_level_options") or ()):
            raise refused(self, "publish_option_required", f"privacy_level {privacy!r} is not one of the creator's")
        info: dict[str, Any] = {"privacy_level": privacy}
        for toggle in toggles:
            info[f"disable_{toggle}"] = bool(creator.get(f"{toggle}_disabled")) or bool(
                request.options.get(f"disable_{toggle}")
            )
        for flag in ("brand_content_toggle", "brand_organic_toggle"):
            info[flag] = bool(request.options.get(flag))
        return info

    def _video_post_info(self, request: PublishRequest, video: MediaItem, creator: Mapping[str, Any]) -> dict[str, Any]:
        """A video longer than the creator may post is refused before anything is created."""
        info = self._post_info(request, creator, ("comment", "duet", "stitch"))
        longest = as_int(creator.get("max_video_post_duration_sec"))
        if longest and video.duration_seconds and video.duration_seconds > longest:
            raise refused(
                self, "media_rejected", f"video is {video.duration_seconds:.0f}s, the creator's limit {longest}s"
            )
        return info | {"title": request.text, "is_aigc": bool(request.options.get("is_aigc"))}

    async def _init_photos(
        self, account: AccountRef, request: PublishRequest, creator: Mapping[str, Any] | None
    ) -> str:
        """A photo post (§3.7): TikTok pulls 1-35 JPEG/WebP images, from a verified domain only;
        the text is the description, its first line (90 units at most) the title."""
        images = request.media
        if len(images) > MAX_PHOTOS or any(m.mime_type not in PHOTO_TYPES for m in images):
            raise refused(self, "media_rejected", "TikTok photo posts hold 1 to 35 JPEG or WebP images")
        if not all(m.url.startswith(self.settings.tiktok_pull_url_prefixes or ("\0",)) for m in images):
            raise refused(self, "media_rejected", "TikTok pulls photos only from a verified domain")
        if utf16_length(request.text) > MAX_DESCRIPTION:
            raise refused(self, "caption_too_long", f"a photo post's description may have {MAX_DESCRIPTION} characters")
        text = {"title": _photo_title(request.text), "description": request.text}
        post_info = text if creator is None else self._post_info(request, creator, ("comment",)) | text
        data = await self._publish_call(
            account,
            "/content/init/",
            {
                "media_type": "PHOTO",
                "post_mode": "MEDIA_UPLOAD" if creator is None else "DIRECT_POST",
                "post_info": post_info | {"auto_add_music": True},
                "source_info": {
                    "source": "PULL_FROM_URL",
                    "photo_cover_index": 0,
                    "photo_images": [m.url for m in images],
                },
            },
            "video.upload" if creator is None else "video.publish",
        )
        if not data.get("publish_id"):
            raise unanswered(self, "publish_id")
        return str(data["publish_id"])

    def _source_info(self, video: MediaItem, content: bytes, pull: bool) -> dict[str, Any]:
        if pull:
            return {"source": "PULL_FROM_URL", "video_url": video.url}
        chunk, count = chunk_plan(len(content), self.upload_chunk_bytes)
        return {"source": "FILE_UPLOAD", "video_size": len(content), "chunk_size": chunk, "total_chunk_count": count}

    async def _upload(self, upload_url: str, content: bytes, mime_type: str) -> None:
        """PUT the chunks in order (§3.4): 206 for each, 201 after the last."""
        chunk, count = chunk_plan(len(content), self.upload_chunk_bytes)
        ctype = mime_type if mime_type in UPLOAD_TYPES else "video/mp4"
        for index in range(count):
            first = index * chunk
            last = len(content) if index == count - 1 else first + chunk
            await self.api(
                Stage.PUBLISH,
                "PUT",
                upload_url,
                None,
                content=content[first:last],
                headers={"Content-Type": ctype, "Content-Range": f"bytes {first}-{last - 1}/{len(content)}"},
            )

    async def _status(self, account: AccountRef, publish_id: str) -> dict[str, Any]:
        return await self._publish_call(account, "/status/fetch/", {"publish_id": publish_id}, None)

    async def _finish(self, account: AccountRef, publish_id: str) -> PublishResult:
        async def check() -> tuple[dict[str, Any] | None, float]:
            data = await self._status(account, publish_id)
            return (data, 0.0) if data.get("status") in TERMINAL else (None, STATUS_POLL_SECONDS)

        data = await poll_until(self, check, budget_seconds=PROCESSING_BUDGET_SECONDS, what="TikTok video")
        return await self._outcome(account, publish_id, data)

    async def _outcome(self, account: AccountRef, publish_id: str, data: Mapping[str, Any]) -> PublishResult:
        status = data.get("status")
        if status == "FAILED":
            reason = str(data.get("fail_reason") or "internal")
            kind, code = FAIL_REASONS.get(reason, (ErrorKind.REJECTED_CONTENT, "content_rejected"))
            raise ProviderError(
                kind, code, self.name, provider_code=reason, detail=f"TikTok processing failed: {reason}"
            )
        if status == "SEND_TO_USER_INBOX":
            return PublishResult(external_id=publish_id, status="inbox")
        public = data.get("publicaly_available_post_id") or []  # sic (§3.8); SELF_ONLY posts get none
        if not public:
            return PublishResult(external_id=publish_id)
        post_id = str(public[0])
        return PublishResult(external_id=post_id, permalink=await self._share_url(account, post_id))

    async def _share_url(self, account: AccountRef, post_id: str) -> str | None:
        """The public video's link, from the creator's video list (needs ``video.list``)."""
        try:
            posts = await self.recent_posts(account.access_token, account.external_id, 20)
        except ProviderError:
            return None
        return next((p.permalink for p in posts if p.external_id == post_id), None)

    async def _resume(self, account: AccountRef, saved: Mapping[str, str]) -> PublishResult | None:
        """Carry on with a saved publish_id; None when it cannot finish and a new one is needed
        (a retryable failure, or an upload cut short whose URL is gone)."""
        publish_id = saved["publish_id"]
        data = await self._status(account, publish_id)
        if (
            data.get("status") == "FAILED"
            and FAIL_REASONS.get(str(data.get("fail_reason")), (None,))[0] is ErrorKind.TEMPORARY
        ):
            return None
        uploaded, size = as_int(data.get("uploaded_bytes")) or 0, as_int(saved.get("video_size")) or 0
        if data.get("status") == "PROCESSING_UPLOAD" and uploaded < size:
            return None  # an upload cut short: the chunks cannot be trusted, start a new task
        return await self._finish(account, publish_id)

    # -- analytics (reference/analytics.md §3: lifetime counters only, no dates, no reach) -------

    async def account_insights(self, account: AccountRef, since: date, until: date) -> list[MetricPoint]:
        """Followers now (``user.info.stats``), dated ``until``: TikTok keeps no daily history, so
        growth is what the daily sync's snapshots draw."""
        body = await self.api_json(
            Stage.READ,
            "GET",
            self.url(API, "/v2/user/info/"),
            account.access_token,
            params={"fields": "open_id,follower_count"},
            required_scope="user.info.stats",
        )
        return followers_now(((body.get("data") or {}).get("user") or {}).get("follower_count"), until)

    async def post_metrics(self, account: AccountRef, limit: int = 25) -> list[PostMetrics]:
        """The newest public videos with their counters (``video.list``, ≤20 per page, cursor paging)."""
        videos: list[dict[str, Any]] = []
        cursor: int | None = None
        while len(videos) < limit:
            page: dict[str, Any] = {"max_count": min(limit - len(videos), VIDEO_PAGE)}
            if cursor is not None:
                page["cursor"] = cursor
            body = await self.api_json(
                Stage.READ,
                "POST",
                self.url(API, "/v2/video/list/"),
                account.access_token,
                params={"fields": VIDEO_FIELDS},
                json=page,
                required_scope="video.list",
            )
            data = body.get("data") or {}
            videos += data.get("videos") or []
            cursor = as_int(data.get("cursor"))
            if not data.get("has_more") or cursor is None or not data.get("videos"):
                break
        return [_video_metrics(v) for v in videos[:limit] if v.get("id")]


VIDEO_PAGE = 20  # max_count per video/list call (analytics.md §3.2)


def _video_metrics(video: Mapping[str, Any]) -> PostMetrics:
    return PostMetrics(
        external_id=str(video["id"]),
        published_at=parse_time(video.get("create_time")),
        caption=video.get("title") or video.get("video_description") or "",
        permalink=video.get("share_url") or "",
        thumbnail_url=video.get("cover_image_url") or "",
        likes=as_int(video.get("like_count")) or 0,
        comments=as_int(video.get("comment_count")) or 0,
        shares=as_int(video.get("share_count")) or 0,
        views=as_int(video.get("view_count")) or 0,
    )
