"""Facebook Login + Graph API (platforms.md §1): Pages, their tokens and linked Instagram accounts.

Meta has no refresh token: the code exchange is followed at once by ``fb_exchange_token`` for a
long-lived user token, and "refresh" re-runs that exchange (§1.3).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from socializioz.domain.analytics import Metric
from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.domain.platforms import FACEBOOK_LOGIN, INSTAGRAM_VIA_PAGE, Platform

from . import instagram_insights
from .base import Checkpoint, Provider, as_int, parse_time
from .classify import ErrorBody, ErrorTable, Stage, missing_field, permission_error
from .insight_windows import ONE_DAY, epoch, windows
from .instagram_comments import InstagramComments
from .instagram_publishing import (
    FIND_SLACK,
    ContainerFlow,
    PublishPolling,
    Save,
    container_flow,
    name_the_scope,
    poll,
    processing_error,
    refuse,
    saver,
)
from .models import (
    AccountRef,
    CommentInfo,
    Identity,
    LinkedInstagram,
    ManagedComment,
    MetricPoint,
    PageInfo,
    Permissions,
    PostInfo,
    PostMetrics,
    PublishRequest,
    PublishResult,
    TokenSet,
)

WWW, GRAPH, GRAPH_VIDEO = "www.facebook.com", "graph.facebook.com", "graph-video.facebook.com"
PAGE_PUBLISH_SCOPE = FACEBOOK_LOGIN.publish_scope  # pages_manage_posts
PAGE_MAX_PHOTOS = 10  # §1.4: enforced by peers' code; no official number (UNVERIFIED)
PAGE_FIELDS = "id,name,access_token,category,tasks,followers_count,picture.type(large),instagram_business_account"
IG_FIELDS = "id,username,name,profile_picture_url,followers_count"
IG_MEDIA_FIELDS = "id,caption,media_type,media_url,thumbnail_url,permalink,timestamp,like_count,comments_count"
IG_COMMENT_FIELDS = "id,text,timestamp,username,like_count"
PAGE_COMMENT_FIELDS = "id,message,created_time,from,parent{id},like_count,is_hidden,can_hide,user_likes"
PAGE_MODERATE_SCOPE = "pages_manage_engagement"  # reply, hide, delete, like as the Page (§1.1)
LINKED_IG_COMMENT_SCOPE = "instagram_manage_comments"  # a Page-linked Instagram's comments (§2.1)
POST_FIELDS = (
    "id,message,created_time,permalink_url,full_picture,shares,"
    "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)"
)


# Meta's Graph error codes (platforms.md §1.6, publishing.md §1.9, §2.7), shared by Instagram's Graph.
META_ERRORS = ErrorTable(
    # 9/2207042: Instagram's 24 h publishing limit; 80002: Instagram's business-use-case limit.
    rate_limit=frozenset({"4", "9", "17", "32", "613", "80001", "80002", "341"}),
    # unknown / service / app-level hiccups; Instagram's -1, -2 (server, download timeout, expired
    # container: "retry" or "new container") and 9007 ("not ready yet, poll again").
    temporary=frozenset({"1", "2", "101", "-1", "-2", "9007"}),
    # policy block, duplicate, media refused (324 photo; 352, 9004, 36000-36003 Instagram media),
    # caption too long (36004), account restricted (25).
    content=frozenset({"368", "506", "324", "352", "9004", "36000", "36001", "36003", "36004", "25"}),
    permission=frozenset({"10", *(str(code) for code in range(200, 300))}),
    reconnect=frozenset({"190", "102", "OAuthException"}),  # OAuthException: Instagram's token envelope
    reconnect_subcodes=frozenset({"36007", "36008", "36009"}),  # code expired / redirect mismatch / reused
)
# Publishing failures the catalogue explains in words (§1.9, §2.7), by Graph code or subcode.
PUBLISH_CODES = {
    "506": "duplicate_content",
    "36004": "caption_too_long",
    "2207010": "caption_too_long",
    "2207042": "publish_limit_reached",
    "2207020": "media_processing",  # container expired: a new one is made on retry
    "9007": "media_processing",
    "25": "account_not_eligible",
    "2207050": "account_not_eligible",
    "368": "account_not_eligible",
    **dict.fromkeys(("324", "352", "9004", "36000", "36001", "36003"), "media_rejected"),
}
_TOO_LONG = re.compile(r"too long|at most \d+ characters", re.IGNORECASE)


class MetaErrors:
    """The Meta table of the spec names permission failures itself; publishing failures get the
    catalogue's own codes (duplicate, media, caption, quota, eligibility)."""

    error_table = META_ERRORS

    @classmethod
    def permission_error_code(cls, missing_scope: str | None) -> str:
        return "missing_pages_manage_posts" if missing_scope == "pages_manage_posts" else "missing_permission"

    @classmethod
    def flow_error_code(cls, stage: Stage, kind: ErrorKind, err: ErrorBody | None, unparseable: bool) -> str | None:
        if stage is not Stage.PUBLISH or err is None or kind is ErrorKind.MISSING_PERMISSION:
            return None
        named = PUBLISH_CODES.get(err.subcode or "") or PUBLISH_CODES.get(err.code or "")
        if named is None and err.code == "100" and _TOO_LONG.search(err.message):
            named = "caption_too_long"
        return named


class FacebookProvider(MetaErrors, PublishPolling, Provider):
    platform = Platform.FACEBOOK
    scope_separator = ","

    def authorize_endpoint(self) -> str:
        return self.url(WWW, f"/{self.settings.graph_api_version}/dialog/oauth")

    def authorize_extra(self) -> dict[str, str]:
        return {"return_scopes": "true"}

    def graph(self, path: str) -> str:
        return self.url(GRAPH, f"/{self.settings.graph_api_version}{path}")

    async def _exchange(self, stage: Stage, grant_type: str, **params: str) -> dict[str, Any]:
        body = await self.token_request(
            stage,
            self.graph("/oauth/access_token"),
            method="GET",
            grant_type=grant_type,
            params_auth=True,
            client_id=self.client_id,
            client_secret=self._client_secret,
            **params,
        )
        if not body.get("access_token"):
            raise missing_field(self.name, stage, "token_exchange_failed", "access_token")
        return body

    async def exchange_code(self, code: str, *, redirect_uri: str, code_verifier: str | None = None) -> TokenSet:
        short = await self._exchange(Stage.TOKEN_EXCHANGE, "authorization_code", code=code, redirect_uri=redirect_uri)
        long = await self._exchange(Stage.TOKEN_EXCHANGE, "fb_exchange_token", fb_exchange_token=short["access_token"])
        return self.token_set(long)

    async def refresh(self, token: TokenSet) -> TokenSet:
        body = await self._exchange(Stage.REFRESH, "fb_exchange_token", fb_exchange_token=token.access_token)
        return self.token_set(body, previous=token)

    async def fetch_identity(self, access_token: str) -> Identity:
        me = await self.api_json(
            Stage.IDENTITY, "GET", self.graph("/me"), access_token, params={"fields": "id,name,picture"}
        )
        return Identity(
            external_id=str(me["id"]), name=me.get("name", ""), avatar_url=_picture(me), account_type="USER"
        )

    async def permissions(self, access_token: str) -> Permissions:
        body = await self.api_json(Stage.IDENTITY, "GET", self.graph("/me/permissions"), access_token)
        rows = body.get("data", [])
        return Permissions(
            granted=tuple(r["permission"] for r in rows if r.get("status") == "granted"),
            declined=tuple(r["permission"] for r in rows if r.get("status") != "granted"),
        )

    async def verify_connection(self, token: TokenSet) -> None:
        """Spec Meta errors: a refused required permission, then "No Pages found"."""
        granted = (await self.permissions(token.access_token)).granted
        missing = [s for s in self.settings.facebook_required_scopes if s not in granted]
        if "pages_manage_posts" in missing:
            raise permission_error(self.name, "pages_manage_posts", "missing_pages_manage_posts")
        if missing:
            raise permission_error(self.name, missing[0], "missing_permission")
        if not await self.list_pages(token.access_token):
            raise ProviderError(ErrorKind.MISSING_PERMISSION, "no_pages_found", self.name, detail="no Pages granted")

    async def debug_token(self, input_token: str) -> dict[str, Any]:
        """``/debug_token`` with the app token: scopes, expiry, validity (the admin debug panel)."""
        body = await self.api_json(
            Stage.READ,
            "GET",
            self.graph("/debug_token"),
            f"{self.client_id}|{self._client_secret}",
            params={"input_token": input_token},
        )
        data: dict[str, Any] = body.get("data", {})
        return data

    async def check_token(self, access_token: str, expires_at: datetime | None) -> datetime | None:
        """``debug_token`` rather than an identity call: Page tokens report their real expiry there."""
        data = await self.debug_token(access_token)
        if not data.get("is_valid"):
            raise ProviderError(
                ErrorKind.NEEDS_RECONNECT, "token_invalid", self.name, detail="debug_token: token is not valid"
            )
        expires = int(data.get("expires_at") or 0)
        return datetime.fromtimestamp(expires, tz=UTC) if expires else None

    async def list_pages(self, access_token: str) -> list[PageInfo]:
        body = await self.api_json(
            Stage.READ,
            "GET",
            self.graph("/me/accounts"),
            access_token,
            params={"fields": PAGE_FIELDS, "limit": "100"},
            required_scope="pages_show_list",
        )
        pages = []
        for row in body.get("data", []):
            ig_ref = row.get("instagram_business_account")
            page_token = row.get("access_token")
            instagram = await self.instagram_account(page_token or access_token, ig_ref["id"]) if ig_ref else None
            pages.append(
                PageInfo(
                    external_id=str(row["id"]),
                    name=row.get("name", ""),
                    access_token=page_token,
                    category=row.get("category"),
                    tasks=tuple(row.get("tasks", ())),
                    avatar_url=_picture(row),
                    followers=as_int(row.get("followers_count")),
                    instagram=instagram,
                )
            )
        return pages

    async def linked_instagram_id(self, access_token: str, page_id: str) -> str | None:
        """A Page's ``instagram_business_account`` (absent when none is linked, §1.5 b)."""
        body = await self.api_json(
            Stage.READ, "GET", self.graph(f"/{page_id}"), access_token, params={"fields": "instagram_business_account"}
        )
        ref = body.get("instagram_business_account")
        return str(ref["id"]) if ref else None

    async def instagram_account(self, access_token: str, ig_id: str) -> LinkedInstagram:
        row = await self.api_json(
            Stage.READ,
            "GET",
            self.graph(f"/{ig_id}"),
            access_token,
            params={"fields": IG_FIELDS},
            required_scope="instagram_basic",
        )
        return LinkedInstagram(
            external_id=str(row["id"]),
            username=row.get("username"),
            name=row.get("name"),
            avatar_url=row.get("profile_picture_url"),
            followers=as_int(row.get("followers_count")),
        )

    async def recent_posts(self, access_token: str, account_id: str, limit: int = 10) -> list[PostInfo]:
        body = await self.api_json(
            Stage.READ,
            "GET",
            self.graph(f"/{account_id}/posts"),
            access_token,
            params={"fields": POST_FIELDS, "limit": str(limit)},
            required_scope="pages_read_engagement",
        )
        return [
            PostInfo(
                external_id=str(p["id"]),
                caption=p.get("message"),
                published_at=parse_time(p.get("created_time")),
                media_url=p.get("full_picture"),
                permalink=p.get("permalink_url"),
                reactions=_summary(p.get("reactions")),
                comments=_summary(p.get("comments")),
                shares=as_int((p.get("shares") or {}).get("count")) or 0,
            )
            for p in body.get("data", [])
        ]

    async def comments(self, access_token: str, post_id: str, limit: int = 25) -> list[CommentInfo]:
        body = await self.api_json(
            Stage.READ,
            "GET",
            self.graph(f"/{post_id}/comments"),
            access_token,
            params={
                "fields": "id,message,created_time,from,like_count",
                "summary": "true",
                "filter": "stream",
                "limit": str(limit),
            },
            required_scope="pages_read_user_content",
        )
        return [
            CommentInfo(
                external_id=str(c.get("id", "")),
                text=c.get("message", ""),
                created_at=parse_time(c.get("created_time")),
                author=(c.get("from") or {}).get("name"),
                likes=as_int(c.get("like_count")) or 0,
            )
            for c in body.get("data", [])
        ]

    async def linked_posts(self, access_token: str, ig_id: str, limit: int = 10) -> list[PostInfo]:
        """A Page-linked Instagram account's recent media on graph.facebook.com, with the Page (or user) token
        (``/{ig-user-id}/media``, §1.5 c, §2.4 shapes)."""
        body = await self._ig_read(f"/{ig_id}/media", access_token, {"fields": IG_MEDIA_FIELDS, "limit": str(limit)})
        return [
            PostInfo(
                external_id=str(m["id"]),
                caption=m.get("caption"),
                published_at=parse_time(m.get("timestamp")),
                media_url=_ig_picture(m),
                permalink=m.get("permalink"),
                reactions=as_int(m.get("like_count")) or 0,
                comments=as_int(m.get("comments_count")) or 0,
            )
            for m in body.get("data", [])
            if m.get("id")
        ]

    async def linked_comments(self, access_token: str, media_id: str, limit: int = 25) -> list[CommentInfo]:
        """Comments of a Page-linked Instagram media (``/{ig-media-id}/comments`` on graph.facebook.com)."""
        body = await self._ig_read(
            f"/{media_id}/comments", access_token, {"fields": IG_COMMENT_FIELDS, "limit": str(limit)}
        )
        return [
            CommentInfo(
                external_id=str(c.get("id", "")),
                text=c.get("text", ""),
                created_at=parse_time(c.get("timestamp")),
                author=c.get("username"),
                likes=as_int(c.get("like_count")) or 0,
            )
            for c in body.get("data", [])
        ]

    instagram_media, instagram_comments = linked_posts, linked_comments  # the Graph's own names for them

    async def _ig_read(
        self, path: str, access_token: str, params: dict[str, str], scope: str = "instagram_basic"
    ) -> dict[str, Any]:
        """A Graph read needing ``scope``; a refused permission names the scope Meta named."""
        try:
            return await self.api_json(
                Stage.READ, "GET", self.graph(path), access_token, params=params, required_scope=scope
            )
        except ProviderError as error:
            raise name_the_scope(error) from None

    # -- comment management (engagement.md §1; a linked Instagram account: §2 on this Graph) -----

    def _ig_comments(self) -> InstagramComments:
        return InstagramComments(self, self.graph, "instagram_basic", LINKED_IG_COMMENT_SCOPE)

    async def list_comments(self, account: AccountRef, post_id: str, limit: int = 50) -> list[ManagedComment]:
        """Every comment of a Page post, replies flattened (``filter=stream``) with their parent."""
        if _is_instagram(account):
            return await self._ig_comments().list(account, post_id, limit)
        body = await self.api_json(
            Stage.READ,
            "GET",
            self.graph(f"/{post_id}/comments"),
            account.access_token,
            params={"fields": PAGE_COMMENT_FIELDS, "filter": "stream", "limit": str(limit)},
            required_scope="pages_read_engagement",
        )
        out = []
        for c in body.get("data", []):
            if not isinstance(c, dict) or not c.get("id"):
                continue  # no id: the token cannot moderate the Page (§1.1)
            author = c.get("from") or {}
            parent = (c.get("parent") or {}).get("id")
            out.append(
                ManagedComment(
                    external_id=str(c["id"]),
                    post_external_id=post_id,
                    text=str(c.get("message") or ""),
                    created_at=parse_time(c.get("created_time")),
                    author_id=str(author.get("id") or ""),
                    author_name=str(author.get("name") or ""),
                    parent_id=str(parent) if parent else None,
                    like_count=as_int(c.get("like_count")) or 0,
                    hidden=bool(c.get("is_hidden")),
                    by_account=str(author.get("id") or "") == account.external_id,
                    liked=bool(c.get("user_likes")),
                )
            )
        return out

    async def _moderate(self, account: AccountRef, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        return await self.api_json(
            Stage.READ, method, self.graph(path), account.access_token, required_scope=PAGE_MODERATE_SCOPE, **kwargs
        )

    async def reply_comment(self, account: AccountRef, comment_id: str, text: str) -> str:
        if _is_instagram(account):
            return await self._ig_comments().reply(account, comment_id, text)
        body = await self._moderate(account, "POST", f"/{comment_id}/comments", data={"message": text})
        return str(body.get("id") or "")

    async def hide_comment(self, account: AccountRef, comment_id: str, hidden: bool) -> None:
        if _is_instagram(account):
            return await self._ig_comments().hide(account, comment_id, hidden)
        await self._moderate(account, "POST", f"/{comment_id}", data={"is_hidden": str(hidden).lower()})
        return None

    async def delete_comment(self, account: AccountRef, comment_id: str) -> None:
        if _is_instagram(account):
            return await self._ig_comments().delete(account, comment_id)
        await self._moderate(account, "DELETE", f"/{comment_id}")
        return None

    async def like_comment(self, account: AccountRef, comment_id: str, liked: bool) -> None:
        """The Page likes a comment (Instagram has no like as the account)."""
        if _is_instagram(account):
            await super().like_comment(account, comment_id, liked)
        await self._moderate(account, "POST" if liked else "DELETE", f"/{comment_id}/likes")

    # -- publishing (publishing.md §1.2-1.5, §1.10; a linked Instagram account: §2) ---------------

    async def publish_post(
        self, account: AccountRef, request: PublishRequest, checkpoint: Checkpoint | None = None
    ) -> PublishResult:
        """A Page post (text or link, one photo, several photos as one post, or a video); for a
        Page-linked Instagram account, Instagram's container flow on this Graph."""
        if account.platform == Platform.INSTAGRAM.value:
            return await self._instagram(account).publish(request, checkpoint)
        handles = dict(request.handles)
        save = saver(handles, checkpoint)
        self._check_page_post(request)
        page, media = account.external_id, request.media
        if not media:
            params = {
                "message": request.text,
                **({"link": str(request.options["link"])} if request.options.get("link") else {}),
            }
            post_id = str((await self._page_call(account, "POST", f"/{page}/feed", params))["id"])
        elif media[0].kind == "video":
            post_id = await self._page_video(account, request, handles, save)
        elif len(media) == 1:
            params = {"url": media[0].url, "message": request.text, "published": "true"}
            body = await self._page_call(account, "POST", f"/{page}/photos", params)
            post_id = str(body.get("post_id") or body["id"])
        else:
            post_id = await self._page_album(account, request, handles, save)
        return PublishResult(external_id=post_id, permalink=await self._permalink(account, post_id))

    async def find_published(
        self, account: AccountRef, request: PublishRequest, since: datetime
    ) -> PublishResult | None:
        """The Page's feed since ``since`` (§1.10), matched on the message and the number of media;
        for a linked Instagram account, its media list (§6)."""
        if account.platform == Platform.INSTAGRAM.value:
            return await self._instagram(account, Stage.READ).find(request, since)
        if request.media and request.media[0].kind == "video":
            return await self._find_video(account, request, since)
        body = await self.api_json(
            Stage.READ,
            "GET",
            self.graph(f"/{account.external_id}/feed"),
            account.access_token,
            params={
                "fields": "id,message,created_time,permalink_url,attachments{media_type,subattachments}",
                "since": str(int(since.timestamp() - FIND_SLACK.total_seconds())),
                "limit": "25",
            },
            required_scope="pages_read_engagement",
        )
        floor = since - FIND_SLACK
        for post in body.get("data", []):
            created = parse_time(post.get("created_time"))
            if created is None or created < floor or (post.get("message") or "") != request.text:
                continue
            if _attachment_count(post) == len(request.media):
                return PublishResult(external_id=str(post["id"]), permalink=post.get("permalink_url"))
        return None

    async def _find_video(self, account: AccountRef, request: PublishRequest, since: datetime) -> PublishResult | None:
        """A video's post appears in the feed only once processed, so look among the Page's uploads:
        still processing is not "absent" (undecided: raise), a failed upload never made a post."""
        body = await self.api_json(
            Stage.READ,
            "GET",
            self.graph(f"/{account.external_id}/videos"),
            account.access_token,
            params={"fields": "id,description,created_time,status,post_id,permalink_url", "limit": "25"},
            required_scope="pages_read_engagement",
        )
        for video in body.get("data", []):
            created = parse_time(video.get("created_time"))
            if created is None or created < since - FIND_SLACK or (video.get("description") or "") != request.text:
                continue
            state = str((video.get("status") or {}).get("video_status") or "")
            if state == "error":
                continue
            if state == "ready" and video.get("post_id"):
                return PublishResult(external_id=str(video["post_id"]), permalink=video.get("permalink_url"))
            raise processing_error(self.name, f"video {video.get('id')} is still processing: not decided yet")
        return None

    def _check_page_post(self, request: PublishRequest) -> None:
        """What a Page post may hold (§1.4, §1.7), refused before anything is created."""
        rules, media = self.info.media, request.media
        if rules is not None and len(request.text) > rules.max_text:
            raise refuse(self.name, "caption_too_long", f"message over {rules.max_text} characters")
        if any(m.kind == "video" for m in media) and len(media) > 1:
            raise refuse(self.name, "media_rejected", "a Facebook post holds one video, or images only")
        if len(media) > PAGE_MAX_PHOTOS:
            raise refuse(self.name, "media_rejected", f"a Facebook post holds at most {PAGE_MAX_PHOTOS} photos")

    async def _page_call(
        self, account: AccountRef, method: str, path: str, params: Mapping[str, str], *, host: str = GRAPH
    ) -> dict[str, Any]:
        """A publishing call with the Page token; a refused permission names ``pages_manage_posts``."""
        url = self.url(host, f"/{self.settings.graph_api_version}{path}")
        kwargs: dict[str, Any] = {"params": dict(params)} if method in ("GET", "DELETE") else {"data": dict(params)}
        return await self.api_json(
            Stage.PUBLISH, method, url, account.access_token, required_scope=PAGE_PUBLISH_SCOPE, **kwargs
        )

    async def _page_album(
        self, account: AccountRef, request: PublishRequest, handles: Mapping[str, str], save: Save
    ) -> str:
        """Stage each photo unpublished (saved as it is made), then one feed post attaching them (§1.4).
        A refused post deletes the staged photos, which would otherwise linger unpublished."""
        page, staged = account.external_id, []
        try:
            for index, item in enumerate(request.media):
                photo = handles.get(f"photo_{index}")
                if not photo:
                    params = {"url": item.url, "published": "false"}
                    photo = str((await self._page_call(account, "POST", f"/{page}/photos", params))["id"])
                    await save(f"photo_{index}", photo)
                staged.append(photo)
            attached = json.dumps([{"media_fbid": photo} for photo in staged])
            body = await self._page_call(
                account, "POST", f"/{page}/feed", {"message": request.text, "attached_media": attached}
            )
        except ProviderError as error:
            if error.kind is ErrorKind.REJECTED_CONTENT:
                await self._delete_staged(account, staged)
            raise
        return str(body["id"])

    async def _delete_staged(self, account: AccountRef, photos: list[str]) -> None:
        for photo in photos:
            try:
                await self._page_call(account, "DELETE", f"/{photo}", {})
            except ProviderError:
                continue  # best effort: the post's own failure is what the caller must see

    async def _page_video(
        self, account: AccountRef, request: PublishRequest, handles: Mapping[str, str], save: Save
    ) -> str:
        """``/videos`` with ``file_url`` on graph-video (§1.5); the video id is saved before polling
        its status until the feed post exists (bounded like Instagram's containers)."""
        video = handles.get("video_id")
        if not video:
            params = {"file_url": request.media[0].url, "description": request.text, "published": "true"}
            body = await self._page_call(account, "POST", f"/{account.external_id}/videos", params, host=GRAPH_VIDEO)
            video = str(body["id"])
            await save("video_id", video)

        async def check() -> str | None:
            node = await self._page_call(account, "GET", f"/{video}", {"fields": "status,post_id,permalink_url"})
            state = str((node.get("status") or {}).get("video_status") or "")
            if state == "error":
                raise processing_error(self.name, f"video {video} failed processing", retryable=False)
            return str(node["post_id"]) if node.get("post_id") and state == "ready" else None

        post_id = await poll(check, self.sleep, self.poll_policy)
        if post_id is None:
            raise processing_error(self.name, f"video {video} still processing after {self.poll_policy.total:.0f}s")
        return post_id

    async def _permalink(self, account: AccountRef, post_id: str) -> str:
        """The post's ``permalink_url``; ``facebook.com/{page}_{post}`` redirects there when the read fails."""
        try:
            body = await self._page_call(account, "GET", f"/{post_id}", {"fields": "permalink_url"})
            return str(body.get("permalink_url") or f"https://www.facebook.com/{post_id}")
        except ProviderError:
            return f"https://www.facebook.com/{post_id}"

    def _instagram(self, account: AccountRef, stage: Stage = Stage.PUBLISH) -> ContainerFlow:
        """Instagram's container flow for a Page-linked account, on this Graph with the Page token."""
        scope = INSTAGRAM_VIA_PAGE.publish_scope if stage is Stage.PUBLISH else "instagram_basic"
        return container_flow(self, account, graph=self.graph, scope=scope, stage=stage)

    # -- analytics (reference/analytics.md §1; a Page-linked Instagram account: §2) ---------------

    def insights_history_days(self, account: AccountRef) -> int:
        return instagram_insights.HISTORY_DAYS if _is_instagram(account) else PAGE_HISTORY_DAYS

    async def account_insights(self, account: AccountRef, since: date, until: date) -> list[MetricPoint]:
        """Page insights in ≤90-day windows: views, unique viewers, post engagements and followers
        per day (the 2026 names; ``page_impressions*`` and ``page_fans`` are gone)."""
        if _is_instagram(account):
            return await instagram_insights.account_insights(
                self._linked_reader(account), account.external_id, since, until, instagram_insights.PAGE_LINKED_SCOPES
            )
        points: list[MetricPoint] = []
        for start, end in windows(since, until, PAGE_WINDOW_DAYS):
            body = await self._ig_read(
                f"/{account.external_id}/insights",
                account.access_token,
                {
                    "metric": ",".join(PAGE_METRICS),
                    "period": "day",
                    "since": str(epoch(start)),
                    "until": str(epoch(end + ONE_DAY)),
                },
                scope=INSIGHTS_SCOPE,
            )
            points += [p for p in instagram_insights.series_points(body, PAGE_METRICS) if start <= p.day <= end]
        return points

    async def post_metrics(self, account: AccountRef, limit: int = 25) -> list[PostMetrics]:
        """Recent Page posts with their public counts, and each post's views from its insights."""
        if _is_instagram(account):
            return await instagram_insights.post_metrics(
                self._linked_reader(account), account.external_id, limit, instagram_insights.PAGE_LINKED_SCOPES
            )
        out = []
        for post in await self.recent_posts(account.access_token, account.external_id, limit):
            body = await self._ig_read(
                f"/{post.external_id}/insights", account.access_token, {"metric": POST_METRICS}, scope=INSIGHTS_SCOPE
            )
            values = instagram_insights.lifetime_values(body)
            out.append(
                PostMetrics(
                    external_id=post.external_id,
                    published_at=post.published_at,
                    caption=post.caption or "",
                    permalink=post.permalink or "",
                    thumbnail_url=post.media_url or "",
                    likes=post.reactions,
                    comments=post.comments,
                    shares=post.shares,
                    views=values.get("post_media_view", 0),
                )
            )
        return out

    def _linked_reader(self, account: AccountRef) -> instagram_insights.Read:
        async def read(path: str, params: dict[str, str], scope: str) -> dict[str, Any]:
            return await self._ig_read(path, account.access_token, params, scope=scope)

        return read


def _attachment_count(post: Mapping[str, Any]) -> int:
    """Media in a feed post: an album's photos, one photo or video, none for text and links."""
    attachments = (post.get("attachments") or {}).get("data") or []
    if not attachments:
        return 0
    first = attachments[0]
    photos = (first.get("subattachments") or {}).get("data")
    if photos:
        return len(photos)
    return 1 if first.get("media_type") in ("photo", "video") else 0


def _ig_picture(media: Mapping[str, Any]) -> str | None:
    """An image for the panel: a video's thumbnail (its ``media_url`` is the video itself)."""
    thumbnail: str | None = media.get("thumbnail_url")
    if media.get("media_type") == "VIDEO" and thumbnail:
        return thumbnail
    return media.get("media_url") or thumbnail


def _summary(edge: Mapping[str, Any] | None) -> int:
    return as_int(((edge or {}).get("summary") or {}).get("total_count")) or 0


def _picture(node: Mapping[str, Any]) -> str | None:
    return ((node.get("picture") or {}).get("data") or {}).get("url")


INSIGHTS_SCOPE = "read_insights"
PAGE_WINDOW_DAYS = 90  # since–until span per request (analytics.md §1.1)
PAGE_HISTORY_DAYS = 365  # Meta keeps two years; the app keeps about a year (services/analytics_store)
PAGE_METRICS = {
    "page_media_view": Metric.VIEWS,
    "page_total_media_view_unique": Metric.REACH,
    "page_post_engagements": Metric.ENGAGEMENT,
    "page_follows": Metric.FOLLOWERS,
}
POST_METRICS = "post_media_view,post_total_media_view_unique"


def _is_instagram(account: AccountRef) -> bool:
    return account.platform == Platform.INSTAGRAM.value
