"""X OAuth 2.0 with PKCE and API v2 (platforms.md §4): Basic auth for a confidential client,
``offline.access`` for a refresh token, and single-use rotating refresh tokens."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from socializioz.domain.errors import ErrorKind
from socializioz.domain.platforms import Platform

from .base import Provider, as_int, parse_time
from .classify import ErrorBody, ErrorTable, Stage
from .insight_windows import followers_now
from .models import AccountRef, CommentInfo, Identity, MetricPoint, PostInfo, PostMetrics, PublishResult, TokenSet

WWW, API = "x.com", "api.x.com"
TWEET_FIELDS = "created_at,public_metrics,author_id,conversation_id"


class XProvider(Provider):
    platform = Platform.X
    uses_pkce = True
    error_table = ErrorTable(  # platforms.md §4.6: problem-details types; a bare 403 is a missing scope
        rate_limit=frozenset({"rate-limit-exceeded", "usage-capped"}),
        forbidden_is_permission=True,
    )

    @classmethod
    def flow_error_code(cls, stage: Stage, kind: ErrorKind, err: ErrorBody | None, unparseable: bool) -> str | None:
        """Spec X table: every token-exchange failure has an X code."""
        if stage is not Stage.TOKEN_EXCHANGE:
            return None
        if err and err.code == "invalid_client":
            return "invalid_client"
        return "token_parse_failed" if unparseable else "x_token_error"

    def _token_auth_method(self) -> str:
        return "client_secret_basic" if self.settings.x_client_type == "confidential" else "none"

    def authorize_endpoint(self) -> str:
        return self.url(WWW, "/i/oauth2/authorize")

    async def exchange_code(self, code: str, *, redirect_uri: str, code_verifier: str | None = None) -> TokenSet:
        body = await self.token_request(
            Stage.TOKEN_EXCHANGE,
            self.url(API, "/2/oauth2/token"),
            grant_type="authorization_code",
            code=code,
            redirect_uri=redirect_uri,
            code_verifier=code_verifier,
        )
        return self.token_set_or_no_access_token(Stage.TOKEN_EXCHANGE, body)

    async def refresh(self, token: TokenSet) -> TokenSet:
        """Single use: the caller must store the new refresh token atomically (§4.3)."""
        if not token.refresh_token:
            return await super().refresh(token)
        body = await self.token_request(
            Stage.REFRESH,
            self.url(API, "/2/oauth2/token"),
            grant_type="refresh_token",
            refresh_token=token.refresh_token,
        )
        return self.token_set_or_no_access_token(Stage.REFRESH, body, previous=token)

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

    async def publish(
        self, access_token: str, account_id: str, text: str, media_url: str | None = None
    ) -> PublishResult:
        """Text only: media needs the separate upload API (``media.write``), not wired yet."""
        self.require_media(media_url)
        body = await self.api_json(
            Stage.PUBLISH,
            "POST",
            self.url(API, "/2/tweets"),
            access_token,
            json={"text": text},
            required_scope=self.info.connection("oauth").publish_scope,
        )
        return PublishResult(external_id=str(body["data"]["id"]))

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
