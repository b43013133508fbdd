"""TikTok Login Kit v2 (platforms.md §3): ``client_key`` instead of ``client_id``, comma scopes,
rotating refresh tokens whose lifetimes come from each response (the CONFLICT of §3.2)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from socializioz.domain.errors import ErrorKind
from socializioz.domain.platforms import Platform

from .base import Provider, as_int, parse_time
from .classify import ErrorBody, ErrorTable, Stage, missing_field
from .insight_windows import followers_now
from .models import AccountRef, CommentInfo, Identity, MetricPoint, PostInfo, PostMetrics, PublishResult, TokenSet

WWW, API = "www.tiktok.com", "open.tiktokapis.com"
USER_FIELDS = "open_id,union_id,avatar_url,display_name,username,follower_count,following_count,likes_count,video_count"
VIDEO_FIELDS = "id,title,cover_image_url,share_url,create_time,like_count,comment_count,share_count,view_count"


class TikTokProvider(Provider):
    platform = Platform.TIKTOK
    scope_separator = ","
    error_table = ErrorTable(  # platforms.md §3.6, publishing.md §3.1
        rate_limit=frozenset({"rate_limit_exceeded"}),
        temporary=frozenset({"internal_error"}),
        permission=frozenset({"scope_not_authorized", "scope_permission_missed"}),
        reconnect=frozenset({"access_token_invalid"}),
    )

    @classmethod
    def flow_error_code(cls, stage: Stage, kind: ErrorKind, err: ErrorBody | None, unparseable: bool) -> str | None:
        """Spec TikTok table: an unparseable token answer has its own code; TikTok's own codes pass through."""
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

    def _credentials(self) -> dict[str, str]:
        return {"client_key": self.client_id, "client_secret": self._client_secret}

    def _checked(self, stage: Stage, body: Mapping[str, Any], previous: TokenSet | None = None) -> TokenSet:
        if not body.get("access_token") or not (body.get("open_id") or (previous and previous.external_id)):
            raise missing_field(self.name, stage, "missing_token_fields", "access_token/open_id")
        return self.token_set(body, previous=previous)

    async def exchange_code(self, code: str, *, redirect_uri: str, code_verifier: str | None = None) -> TokenSet:
        extra = {"code_verifier": code_verifier} if code_verifier and self.uses_pkce else {}
        body = await self.token_request(
            Stage.TOKEN_EXCHANGE,
            self.url(API, "/v2/oauth/token/"),
            grant_type="authorization_code",
            params_auth=True,
            code=code,
            redirect_uri=redirect_uri,
            **self._credentials(),
            **extra,
        )
        return self._checked(Stage.TOKEN_EXCHANGE, body)

    async def refresh(self, token: TokenSet) -> TokenSet:
        """Always store the returned refresh token: the previous one stops working (§3.2)."""
        if not token.refresh_token:
            return await super().refresh(token)
        body = await self.token_request(
            Stage.REFRESH,
            self.url(API, "/v2/oauth/token/"),
            grant_type="refresh_token",
            params_auth=True,
            refresh_token=token.refresh_token,
            **self._credentials(),
        )
        return self._checked(Stage.REFRESH, body, previous=token)

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

    async def publish(
        self, access_token: str, account_id: str, text: str, media_url: str | None = None
    ) -> PublishResult:
        """Direct post pulled from a URL, private until the app is audited (§3.5, TT-10)."""
        self.require_media(media_url)
        body = await self.api_json(
            Stage.PUBLISH,
            "POST",
            self.url(API, "/v2/post/publish/video/init/"),
            access_token,
            json={
                "post_info": {"title": text, "privacy_level": "SELF_ONLY"},
                "source_info": {"source": "PULL_FROM_URL", "video_url": media_url},
            },
            required_scope=self.info.connection("oauth").publish_scope,
        )
        return PublishResult(external_id=str((body.get("data") or {})["publish_id"]))

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
