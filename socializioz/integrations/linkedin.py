"""LinkedIn 3-legged OAuth 2.0, OIDC userinfo and the Posts API (platforms.md §5).

The secret travels in the form body (LinkedIn rejects Basic); a refresh token exists only for
partner apps, so refresh works only when the grant carried one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from socializioz.domain.analytics import Metric
from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.domain.platforms import Platform

from .base import Checkpoint, Provider, as_int, parse_time
from .classify import ErrorBody, ErrorTable, Stage, json_object, missing_field
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
from .publish_steps import check_caption, download, poll_until, refused, unanswered, upload_each

_DEAD_TOKEN = frozenset(
    {"INVALID_ACCESS_TOKEN", "REVOKED_ACCESS_TOKEN", "EXPIRED_ACCESS_TOKEN", "65600", "65601", "65602"}
)

WWW, API = "www.linkedin.com", "api.linkedin.com"
ASSET_POLL_SECONDS = 3.0
PROCESSING_BUDGET_SECONDS = 10 * 60.0
_RESERVED = re.compile(r"[\\|{}@\[\]()<>#*_~]")
_ESCAPED = re.compile(r"\\([\\|{}@\[\]()<>#*_~])")
_DUPLICATE_OF = re.compile(r"urn:li:(?:share|ugcPost):\d+")
# What a refused post says (§5.8) → the catalogue code that explains it.
PUBLISH_CODES = {"FIELD_LENGTH_TOO_LONG": "caption_too_long", "MEDIA_ASSET_PROCESSING_FAILED": "media_rejected"}


class LinkedInProvider(CodeGrantProvider):
    platform = Platform.LINKEDIN
    denial_codes = frozenset({"user_cancelled_login", "user_cancelled_authorize", "access_denied"})
    # platforms.md §5.6: a dead token shows as ``code`` or ``serviceErrorCode``; a bare 403 is a missing scope.
    error_table = ErrorTable(
        reconnect=_DEAD_TOKEN,
        reconnect_subcodes=_DEAD_TOKEN,
        forbidden_is_permission=True,
        temporary=frozenset({"MEDIA_ASSET_WAITING_UPLOAD"}),  # posted before processing ended
    )

    @classmethod
    def flow_error_code(cls, stage: Stage, kind: ErrorKind, err: ErrorBody | None, unparseable: bool) -> str | None:
        """Spec LinkedIn table: token-exchange failures, and a profile read that failed for a live
        token. Publishing: the refusal's own explanation (a duplicate names the existing post)."""
        if stage is Stage.PUBLISH and kind is ErrorKind.REJECTED_CONTENT and err:
            return "duplicate_content" if "duplicate" in err.message.lower() else PUBLISH_CODES.get(err.code or "")
        if stage is Stage.TOKEN_EXCHANGE:
            return "linkedin_token_error"
        if stage is Stage.IDENTITY and kind is not ErrorKind.NEEDS_RECONNECT:
            return "linkedin_profile_error"
        return None

    def authorize_endpoint(self) -> str:
        return self.url(WWW, "/oauth/v2/authorization")

    def token_endpoint(self) -> str:
        return self.url(WWW, "/oauth/v2/accessToken")

    def _rest_headers(self) -> dict[str, str]:
        return {"LinkedIn-Version": self.settings.linkedin_version, "X-Restli-Protocol-Version": "2.0.0"}

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
                    caption=unescape_little(p.get("commentary") or ""),
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

    # -- publishing (publishing.md §5) ------------------------------------------------------------

    async def publish_post(
        self, account: AccountRef, request: PublishRequest, checkpoint: Checkpoint | None = None
    ) -> PublishResult:
        """Images (initializeUpload → PUT) or a video (initializeUpload → PUT 4 MB parts →
        finalizeUpload with the ETags), each URN saved once uploaded and reused on a retry; then
        ``POST /rest/posts`` once every asset is AVAILABLE. A 422 duplicate names the post that
        already exists: that is the result (§5.8)."""
        commentary = escape_little(request.text)
        check_caption(self, request.text, counted=len(commentary))  # the limit counts the escaped text
        kind = _media_kind(self, request)
        urns = await upload_each(self, request, checkpoint, lambda item: self._upload(account, item))
        for urn in urns:
            await self._available(account, urn)
        payload = self._post_body(account, commentary, kind, urns)
        try:
            response = await self.api(
                Stage.PUBLISH,
                "POST",
                self.url(API, "/rest/posts"),
                account.access_token,
                json=payload,
                headers=self._rest_headers(),
                required_scope=self.info.connection("oauth").publish_scope,
            )
        except ProviderError as err:
            existing = _DUPLICATE_OF.search(err.detail) if err.code == "duplicate_content" else None
            if existing is None:
                raise
            return PublishResult(external_id=existing[0], permalink=permalink(existing[0]))
        urn = response.headers.get("x-restli-id")
        if not urn:
            raise unanswered(self, "x-restli-id")
        return PublishResult(external_id=urn, permalink=permalink(urn))

    async def find_published(
        self, account: AccountRef, request: PublishRequest, since: datetime
    ) -> PublishResult | None:
        """The author's post with this commentary and as many media, published since ``since``."""
        body = await self.api_json(
            Stage.READ,
            "GET",
            self.url(API, "/rest/posts"),
            account.access_token,
            params={"q": "author", "author": _author(account), "count": "20"},
            headers=self._rest_headers(),
        )
        earliest = since.timestamp() * 1000 - 1000
        for post in body.get("elements", []):
            content = post.get("content") or {}
            media = len((content.get("multiImage") or {}).get("images") or []) or (1 if content.get("media") else 0)
            if (
                unescape_little(post.get("commentary") or "") == request.text
                and media == len(request.media)
                and (post.get("publishedAt") or 0) >= earliest
            ):
                return PublishResult(external_id=post["id"], permalink=permalink(post["id"]))
        return None

    def _post_body(self, account: AccountRef, commentary: str, kind: str, urns: list[str]) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "author": _author(account),
            "commentary": commentary,
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if len(urns) > 1:
            payload["content"] = {"multiImage": {"images": [{"id": urn} for urn in urns]}}
        elif urns:
            payload["content"] = {"media": {"id": urns[0]}}
        return payload

    async def _rest(self, method: str, path: str, account: AccountRef, **kwargs: Any) -> dict[str, Any]:
        """A versioned call's JSON object ({} for LinkedIn's empty 200/201 answers)."""
        response = await self.api(
            Stage.PUBLISH, method, self.url(API, path), account.access_token, headers=self._rest_headers(), **kwargs
        )
        return json_object(response) or {}

    async def _upload(self, account: AccountRef, item: MediaItem) -> str:
        """One image or video, uploaded; its URN. An answer without the fields the flow needs is
        the platform's failure, never a crash."""
        content = await download(self, item)
        try:
            return await self._upload_bytes(account, item, content)
        except (KeyError, TypeError, ValueError):
            raise unanswered(self, "upload instructions") from None

    async def _upload_bytes(self, account: AccountRef, item: MediaItem, content: bytes) -> str:
        owner = {"owner": _author(account)}
        if item.kind != "video":
            init = await self._rest(
                "POST",
                "/rest/images",
                account,
                params={"action": "initializeUpload"},
                json={"initializeUploadRequest": owner},
            )
            value = init["value"]
            await self.api(Stage.PUBLISH, "PUT", str(value["uploadUrl"]), account.access_token, content=content)
            return str(value["image"])
        request = owner | {"fileSizeBytes": len(content), "uploadCaptions": False, "uploadThumbnail": False}
        init = await self._rest(
            "POST",
            "/rest/videos",
            account,
            params={"action": "initializeUpload"},
            json={"initializeUploadRequest": request},
        )
        value = init["value"]
        etags = []
        for step in value.get("uploadInstructions") or []:
            part = content[int(step["firstByte"]) : int(step["lastByte"]) + 1]
            answer = await self.api(  # upload URLs are signed: no Authorization header (§5.5)
                Stage.PUBLISH,
                "PUT",
                str(step["uploadUrl"]),
                None,
                content=part,
                headers={"Content-Type": "application/octet-stream"},
            )
            etags.append(answer.headers.get("etag", "").strip('"'))
        finalize = {"video": value["video"], "uploadToken": value.get("uploadToken", ""), "uploadedPartIds": etags}
        await self._rest(
            "POST",
            "/rest/videos",
            account,
            params={"action": "finalizeUpload"},
            json={"finalizeUploadRequest": finalize},
        )
        return str(value["video"])

    async def _available(self, account: AccountRef, urn: str) -> None:
        """Wait until the asset is AVAILABLE; PROCESSING_FAILED rejects the media. Member apps may
        be refused the read (403): then a short wait is all that can be done (§5.4)."""
        collection = "/rest/images/" if urn.startswith("urn:li:image:") else "/rest/videos/"

        async def check() -> tuple[bool | None, float]:
            try:
                body = await self._rest("GET", collection + quote(urn, safe=""), account)
            except ProviderError as err:
                if err.status != 403:
                    raise
                await self.sleep(ASSET_POLL_SECONDS)
                return True, 0.0
            status = body.get("status")
            if status == "AVAILABLE":
                return True, 0.0
            if status == "PROCESSING_FAILED":
                raise ProviderError(
                    ErrorKind.REJECTED_CONTENT,
                    "media_rejected",
                    self.name,
                    provider_code="PROCESSING_FAILED",
                    detail=str(body.get("processingFailureReason") or "processing failed")[:200],
                )
            return None, ASSET_POLL_SECONDS

        await poll_until(self, check, budget_seconds=PROCESSING_BUDGET_SECONDS, what="LinkedIn media")

    # -- analytics (reference/analytics.md §5.2: the member APIs) ------------------------------
    # A member account (the only kind this app connects) shows its follower count and, for its own
    # posts of the last 60 days, impressions, members reached, reactions, comments and reshares.
    # It cannot show page views, clicks or follower demographics: those exist only for
    # organization pages (``rw_organization_admin``, §5.1), which are not connectable here.

    def insights_history_days(self, account: AccountRef) -> int:
        return MEMBER_HISTORY_DAYS

    async def account_insights(self, account: AccountRef, since: date, until: date) -> list[MetricPoint]:
        """Daily totals of the member's posts (one metric per call), and followers now dated ``until``."""
        date_range = f"(start:{_restli_day(since)},end:{_restli_day(until)})"
        per_day: dict[tuple[date, str], int] = {}
        for query_type, metric in MEMBER_DAILY.items():
            body = await self._member_analytics(account, f"q=me&queryType={query_type}&aggregation=DAILY", date_range)
            for element in body.get("elements", []):
                day = _element_day(element)
                if day is not None and since <= day <= until:
                    key = (day, metric.value)
                    per_day[key] = per_day.get(key, 0) + (as_int(element.get("value")) or 0)
        points = [MetricPoint(day, metric, value) for (day, metric), value in sorted(per_day.items())]
        body = await self.api_json(
            Stage.READ,
            "GET",
            self.url(API, "/rest/memberFollowersCount"),
            account.access_token,
            params={"q": "me"},
            headers=self._rest_headers(),
            required_scope="r_member_profileAnalytics",
        )
        first: Mapping[str, Any] = next(iter(body.get("elements") or []), {})
        return points + followers_now(first.get("memberFollowersCount"), until)

    async def post_metrics(self, account: AccountRef, limit: int = 25) -> list[PostMetrics]:
        """Recent posts with likes and comments (social actions), impressions and reshares (post analytics)."""
        out = []
        for post in await self.recent_posts(account.access_token, account.external_id, limit):
            kind = "ugc" if ":ugcPost:" in post.external_id else "share"
            entity = f"q=entity&entity=({kind}:{quote(post.external_id, safe='')})&aggregation=TOTAL"
            totals = {
                query_type: sum(
                    as_int(e.get("value")) or 0
                    for e in (await self._member_analytics(account, f"{entity}&queryType={query_type}")).get(
                        "elements", []
                    )
                )
                for query_type in ("IMPRESSION", "RESHARE")
            }
            out.append(
                PostMetrics(
                    external_id=post.external_id,
                    published_at=post.published_at,
                    caption=post.caption or "",
                    permalink=f"https://www.linkedin.com/feed/update/{post.external_id}/",
                    likes=post.reactions,
                    comments=post.comments,
                    shares=totals["RESHARE"],
                    views=totals["IMPRESSION"],
                )
            )
        return out

    async def _member_analytics(self, account: AccountRef, query: str, date_range: str = "") -> dict[str, Any]:
        """Rest.li wants the parentheses as written and the URN encoded once, so the query is built here."""
        suffix = f"&dateRange={date_range}" if date_range else ""
        return await self.api_json(
            Stage.READ,
            "GET",
            self.url(API, f"/rest/memberCreatorPostAnalytics?{query}{suffix}"),
            account.access_token,
            headers=self._rest_headers(),
            required_scope="r_member_postAnalytics",
        )


def _author(account: AccountRef) -> str:
    """A member (its OpenID ``sub``) or an organization URN."""
    if account.external_id.startswith("urn:li:"):
        return account.external_id
    return f"urn:li:person:{account.external_id}"


def permalink(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{urn}/"


def escape_little(text: str) -> str:
    """ "Little text" (§5.3): every reserved character backslash-escaped, the backslash itself too."""
    return _RESERVED.sub(r"\\\g<0>", text)


def unescape_little(text: str) -> str:
    return _ESCAPED.sub(r"\g<1>", text)


def _media_kind(provider: Provider, request: PublishRequest) -> str:
    """ "image" (1 to 20), "video" (exactly one) or "" (text only); a mix is refused."""
    kinds = {m.kind for m in request.media}
    if not kinds:
        return ""
    if kinds == {"image"} and len(request.media) <= 20:
        return "image"
    if kinds == {"video"} and len(request.media) == 1:
        return "video"
    raise refused(provider, "media_rejected", "LinkedIn posts hold 1 to 20 images or one video")


MEMBER_HISTORY_DAYS = 60  # member post statistics (analytics.md §5.2, UNVERIFIED)
# One metric per call; reactions, comments and reshares add up to the day's engagement.
MEMBER_DAILY = {
    "IMPRESSION": Metric.VIEWS,
    "MEMBERS_REACHED": Metric.REACH,
    "REACTION": Metric.ENGAGEMENT,
    "COMMENT": Metric.ENGAGEMENT,
    "RESHARE": Metric.ENGAGEMENT,
}


def _restli_day(day: date) -> str:
    return f"(day:{day.day},month:{day.month},year:{day.year})"


def _element_day(element: Mapping[str, Any]) -> date | None:
    start = (element.get("dateRange") or {}).get("start") or {}
    try:
        return date(int(start["year"]), int(start["month"]), int(start["day"]))
    except (KeyError, TypeError, ValueError):
        return None
