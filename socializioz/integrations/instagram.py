"""Instagram API with Instagram Login (platforms.md §2): professional accounts without a Page.

The code arrives with a ``#_`` suffix, is exchanged for a 1-hour token, then at once for a 60-day
one (``ig_exchange_token``); refresh works only on tokens at least 24 hours old (§2.3).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.domain.platforms import INSTAGRAM_BUSINESS_LOGIN, Platform

from . import instagram_insights, instagram_messaging
from .base import Checkpoint, Provider, as_int, parse_time
from .classify import Stage, missing_field
from .facebook import MetaErrors
from .instagram_comments import InstagramComments
from .instagram_publishing import ContainerFlow, PublishPolling, container_flow
from .models import (
    AccountRef,
    CommentInfo,
    ConversationInfo,
    Identity,
    ManagedComment,
    MessageInfo,
    MetricPoint,
    PostInfo,
    PostMetrics,
    PublishRequest,
    PublishResult,
    SentMessage,
    TokenSet,
)

WWW, API, GRAPH = "www.instagram.com", "api.instagram.com", "graph.instagram.com"
ME_FIELDS = "user_id,username,name,account_type,profile_picture_url,followers_count,follows_count,media_count"
COMMENTS_SCOPE = "instagram_business_manage_comments"  # read and write (engagement.md §2.1)
MEDIA_FIELDS = "id,caption,media_type,media_url,permalink,timestamp,like_count,comments_count"


class InstagramProvider(MetaErrors, PublishPolling, Provider):
    platform = Platform.INSTAGRAM
    scope_separator = ","

    def authorize_endpoint(self) -> str:
        return self.url(WWW, "/oauth/authorize")

    def graph(self, path: str) -> str:
        return self.url(GRAPH, f"/{self.settings.instagram_api_version}{path}")

    def normalize_token_body(self, body: dict[str, Any]) -> dict[str, Any]:
        """CONFLICT §2.2: the documented ``{"data": [{...}]}`` wrapper or postiz's flat object."""
        data = body.get("data")
        if isinstance(data, list) and data and isinstance(data[0], dict):
            return dict(data[0])
        return body

    async def exchange_code(self, code: str, *, redirect_uri: str, code_verifier: str | None = None) -> TokenSet:
        code = code.split("#", 1)[0]
        short = await self.token_request(
            Stage.TOKEN_EXCHANGE,
            self.url(API, "/oauth/access_token"),
            grant_type="authorization_code",
            code=code,
            redirect_uri=redirect_uri,
        )
        if not short.get("access_token"):
            raise missing_field(self.name, Stage.TOKEN_EXCHANGE, "token_exchange_failed", "access_token")
        long = await self.token_request(
            Stage.TOKEN_EXCHANGE,
            self.url(GRAPH, "/access_token"),
            method="GET",
            grant_type="ig_exchange_token",
            params_auth=True,
            client_secret=self._client_secret,
            access_token=short["access_token"],
        )
        if not long.get("access_token"):
            raise missing_field(self.name, Stage.TOKEN_EXCHANGE, "token_exchange_failed", "access_token")
        return self.token_set({**short, **long, "permissions": short.get("permissions")})

    async def refresh(self, token: TokenSet) -> TokenSet:
        age = self.now() - (token.issued_at or self.now())
        if age < self.settings.instagram_min_refresh_age_seconds:
            raise ProviderError(
                ErrorKind.TEMPORARY,
                "refresh_too_early",
                self.name,
                detail=f"token is {age}s old; Instagram refreshes from "
                f"{self.settings.instagram_min_refresh_age_seconds}s",
            )
        body = await self.token_request(
            Stage.REFRESH,
            self.url(GRAPH, "/refresh_access_token"),
            method="GET",
            grant_type="ig_refresh_token",
            params_auth=True,
            access_token=token.access_token,
        )
        if not body.get("access_token"):
            raise missing_field(self.name, Stage.REFRESH, "token_invalid", "access_token")
        return self.token_set(body, previous=token)

    async def fetch_identity(self, access_token: str) -> Identity:
        """The professional account; a PERSONAL one is refused (spec: Business or Creator only)."""
        me = await self.api_json(Stage.IDENTITY, "GET", self.graph("/me"), access_token, params={"fields": ME_FIELDS})
        account_type = me.get("account_type")
        self.refuse_account_type(account_type)
        return Identity(
            external_id=str(me.get("user_id") or me["id"]),
            name=me.get("name") or me.get("username", ""),
            username=me.get("username"),
            avatar_url=me.get("profile_picture_url"),
            followers=as_int(me.get("followers_count")),
            account_type=account_type,
        )

    async def recent_posts(self, access_token: str, account_id: str, limit: int = 10) -> list[PostInfo]:
        body = await self.api_json(
            Stage.READ,
            "GET",
            self.graph(f"/{account_id}/media"),
            access_token,
            params={"fields": MEDIA_FIELDS, "limit": str(limit)},
        )
        return [
            PostInfo(
                external_id=str(m["id"]),
                caption=m.get("caption"),
                published_at=parse_time(m.get("timestamp")),
                media_url=m.get("media_url"),
                permalink=m.get("permalink"),
                reactions=as_int(m.get("like_count")) or 0,
                comments=as_int(m.get("comments_count")) or 0,
            )
            for m in body.get("data", [])
        ]

    async def comments(self, access_token: str, post_id: str, limit: int = 25) -> list[CommentInfo]:
        body = await self.api_json(
            Stage.READ,
            "GET",
            self.graph(f"/{post_id}/comments"),
            access_token,
            params={"fields": "id,text,timestamp,username,like_count", "limit": str(limit)},
            required_scope="instagram_business_manage_comments",
        )
        return [
            CommentInfo(
                external_id=str(c["id"]),
                text=c.get("text", ""),
                created_at=parse_time(c.get("timestamp")),
                author=c.get("username"),
                likes=as_int(c.get("like_count")) or 0,
            )
            for c in body.get("data", [])
        ]

    # -- comment management (engagement.md §2; shared with Page-linked accounts) -----------------

    def _comments(self) -> InstagramComments:
        return InstagramComments(self, self.graph, COMMENTS_SCOPE, COMMENTS_SCOPE)

    async def list_comments(self, account: AccountRef, post_id: str, limit: int = 50) -> list[ManagedComment]:
        return await self._comments().list(account, post_id, limit)

    async def reply_comment(self, account: AccountRef, comment_id: str, text: str) -> str:
        return await self._comments().reply(account, comment_id, text)

    async def hide_comment(self, account: AccountRef, comment_id: str, hidden: bool) -> None:
        await self._comments().hide(account, comment_id, hidden)

    async def delete_comment(self, account: AccountRef, comment_id: str) -> None:
        await self._comments().delete(account, comment_id)

    # -- publishing (publishing.md §2; the flow is shared with Page-linked accounts) ---------------

    async def publish_post(
        self, account: AccountRef, request: PublishRequest, checkpoint: Checkpoint | None = None
    ) -> PublishResult:
        """Quota, container(s), status polling, ``media_publish`` on graph.instagram.com."""
        return await self._containers(account).publish(request, checkpoint)

    async def find_published(
        self, account: AccountRef, request: PublishRequest, since: datetime
    ) -> PublishResult | None:
        return await self._containers(account, Stage.READ).find(request, since)

    def _containers(self, account: AccountRef, stage: Stage = Stage.PUBLISH) -> ContainerFlow:
        """The shared container flow over this host's Graph, with the account's Instagram token."""
        scope = INSTAGRAM_BUSINESS_LOGIN.publish_scope if stage is Stage.PUBLISH else "instagram_business_basic"
        return container_flow(self, account, graph=self.graph, scope=scope, stage=stage)

    # -- analytics (reference/analytics.md §2; parsing shared with the Page-linked path) ----------

    def insights_history_days(self, account: AccountRef) -> int:
        return instagram_insights.HISTORY_DAYS

    async def account_insights(self, account: AccountRef, since: date, until: date) -> list[MetricPoint]:
        return await instagram_insights.account_insights(
            self._reader(account), account.external_id, since, until, instagram_insights.INSTAGRAM_LOGIN_SCOPES
        )

    async def post_metrics(self, account: AccountRef, limit: int = 25) -> list[PostMetrics]:
        return await instagram_insights.post_metrics(
            self._reader(account), account.external_id, limit, instagram_insights.INSTAGRAM_LOGIN_SCOPES
        )

    def _reader(self, account: AccountRef) -> instagram_insights.Read:
        async def read(path: str, params: dict[str, str], scope: str) -> dict[str, Any]:
            return await self.api_json(
                Stage.READ, "GET", self.graph(path), account.access_token, params=params, required_scope=scope
            )

        return read

    # -- direct messages (reference/engagement.md §3; instagram_messaging.py) ----------------------

    async def _graph_call(self, stage: Stage, method: str, path: str, token: str, **kwargs: Any) -> dict[str, Any]:
        return await self.api_json(stage, method, self.graph(path), token, **kwargs)

    async def conversations(self, account: AccountRef, limit: int = 25) -> list[ConversationInfo]:
        return await instagram_messaging.conversations(self._graph_call, account, limit)

    async def conversation_messages(self, account: AccountRef, conversation_id: str) -> list[MessageInfo]:
        return await instagram_messaging.conversation_messages(self._graph_call, account, conversation_id)

    async def send_message(
        self,
        account: AccountRef,
        recipient_id: str,
        text: str = "",
        *,
        image_url: str | None = None,
        human_agent: bool = False,
    ) -> SentMessage:
        return await instagram_messaging.send_message(
            self._graph_call, account, recipient_id, text, image_url, human_agent
        )
