"""LinkedIn 3-legged OAuth 2.0, OIDC userinfo and the Posts API (platforms.md §5).

The secret travels in the form body (LinkedIn rejects Basic); a refresh token exists only for
partner apps, so refresh works only when the grant carried one.
"""

from __future__ import annotations

from urllib.parse import quote

from socializioz.domain.errors import ErrorKind
from socializioz.domain.platforms import Platform

from .base import Provider, as_int, parse_time
from .classify import ErrorBody, ErrorTable, Stage, missing_field
from .models import CommentInfo, Identity, PostInfo, PublishResult, TokenSet

_DEAD_TOKEN = frozenset(
    {"INVALID_ACCESS_TOKEN", "REVOKED_ACCESS_TOKEN", "EXPIRED_ACCESS_TOKEN", "65600", "65601", "65602"}
)

WWW, API = "www.linkedin.com", "api.linkedin.com"


class LinkedInProvider(Provider):
    platform = Platform.LINKEDIN
    denial_codes = frozenset({"user_cancelled_login", "user_cancelled_authorize", "access_denied"})
    # platforms.md §5.6: a dead token shows as ``code`` or ``serviceErrorCode``; a bare 403 is a missing scope.
    error_table = ErrorTable(reconnect=_DEAD_TOKEN, reconnect_subcodes=_DEAD_TOKEN, forbidden_is_permission=True)

    @classmethod
    def flow_error_code(cls, stage: Stage, kind: ErrorKind, err: ErrorBody | None, unparseable: bool) -> str | None:
        """Spec LinkedIn table: token-exchange failures, and a profile read that failed for a live token."""
        if stage is Stage.TOKEN_EXCHANGE:
            return "linkedin_token_error"
        if stage is Stage.IDENTITY and kind is not ErrorKind.NEEDS_RECONNECT:
            return "linkedin_profile_error"
        return None

    def authorize_endpoint(self) -> str:
        return self.url(WWW, "/oauth/v2/authorization")

    def _rest_headers(self) -> dict[str, str]:
        return {"LinkedIn-Version": self.settings.linkedin_version, "X-Restli-Protocol-Version": "2.0.0"}

    async def exchange_code(self, code: str, *, redirect_uri: str, code_verifier: str | None = None) -> TokenSet:
        body = await self.token_request(
            Stage.TOKEN_EXCHANGE,
            self.url(WWW, "/oauth/v2/accessToken"),
            grant_type="authorization_code",
            code=code,
            redirect_uri=redirect_uri,
        )
        return self.token_set_or_no_access_token(Stage.TOKEN_EXCHANGE, body)

    async def refresh(self, token: TokenSet) -> TokenSet:
        if not token.refresh_token:
            return await super().refresh(token)
        body = await self.token_request(
            Stage.REFRESH,
            self.url(WWW, "/oauth/v2/accessToken"),
            grant_type="refresh_token",
            refresh_token=token.refresh_token,
        )
        return self.token_set_or_no_access_token(Stage.REFRESH, body, previous=token)

    async def fetch_identity(self, access_token: str) -> Identity:
        info = await self.api_json(Stage.IDENTITY, "GET", self.url(API, "/v2/userinfo"), access_token)
        if not info.get("sub"):
            raise missing_field(self.name, Stage.IDENTITY, "invalid_profile", "sub")
        return Identity(
            external_id=str(info["sub"]),
            name=info.get("name") or "",
            # LinkedIn calls a member by name and gives no handle; the e-mail is not an @username.
            username=None,
            avatar_url=info.get("picture"),
            account_type="PERSON",
        )

    async def recent_posts(self, access_token: str, account_id: str, limit: int = 10) -> list[PostInfo]:
        author = f"urn:li:person:{account_id}"
        body = await self.api_json(
            Stage.READ,
            "GET",
            self.url(API, "/rest/posts"),
            access_token,
            params={"q": "author", "author": author, "count": str(limit)},
            headers=self._rest_headers(),
        )
        posts = []
        for p in body.get("elements", []):
            stats = await self.api_json(
                Stage.READ,
                "GET",
                self.url(API, f"/rest/socialActions/{quote(p['id'], safe='')}"),
                access_token,
                headers=self._rest_headers(),
            )
            posts.append(
                PostInfo(
                    external_id=p["id"],
                    caption=p.get("commentary"),
                    published_at=parse_time((p.get("publishedAt") or 0) / 1000),
                    reactions=as_int((stats.get("likesSummary") or {}).get("totalLikes")) or 0,
                    comments=as_int((stats.get("commentsSummary") or {}).get("aggregatedTotalComments")) or 0,
                )
            )
        return posts

    async def comments(self, access_token: str, post_id: str, limit: int = 25) -> list[CommentInfo]:
        body = await self.api_json(
            Stage.READ,
            "GET",
            self.url(API, f"/rest/socialActions/{quote(post_id, safe='')}/comments"),
            access_token,
            params={"count": str(limit)},
            headers=self._rest_headers(),
        )
        return [
            CommentInfo(
                external_id=str(c.get("id") or c.get("$URN", "")),
                text=(c.get("message") or {}).get("text", ""),
                created_at=parse_time(((c.get("created") or {}).get("time") or 0) / 1000),
                author=c.get("actor"),
            )
            for c in body.get("elements", [])
        ]

    async def publish(
        self, access_token: str, account_id: str, text: str, media_url: str | None = None
    ) -> PublishResult:
        """Text post as the member; the new URN comes back in ``x-restli-id`` (201, empty body)."""
        payload = {
            "author": f"urn:li:person:{account_id}",
            "commentary": text,
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        response = await self.api(
            Stage.PUBLISH,
            "POST",
            self.url(API, "/rest/posts"),
            access_token,
            json=payload,
            headers=self._rest_headers(),
            required_scope=self.info.connection("oauth").publish_scope,
        )
        urn = response.headers.get("x-restli-id")
        if not urn:
            raise missing_field(self.name, Stage.PUBLISH, "content_rejected", "x-restli-id")
        return PublishResult(external_id=urn)
