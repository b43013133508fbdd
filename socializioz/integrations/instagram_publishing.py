"""Instagram's container flow, written once for both ways in (reference/publishing.md §2.2-2.5).

An account connected with Instagram Login publishes on graph.instagram.com (``InstagramProvider``);
one linked to a Facebook Page publishes the same way on graph.facebook.com with the Page's token
(``FacebookProvider``). Each passes its own authenticated Graph call; everything else is here:
the publishing quota first (refused with the time it frees), then containers (one per item, a
carousel parent over 2-10 children), each saved through ``checkpoint`` before the next step so a
retry resumes instead of creating another, status polling bounded as Meta advises (at most five
minutes), ``media_publish``, and the permalink read back (§2.2 step 4: never built from the id).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.domain.platforms import INSTAGRAM

from .base import Checkpoint, parse_time
from .classify import Stage
from .clock import Clock
from .models import AccountRef, MediaItem, PublishRequest, PublishResult

GraphCall = Callable[[str, str, Mapping[str, str]], Awaitable[dict[str, Any]]]
"""(method, path, parameters) → the JSON body; raises a classified ``ProviderError``."""
Save = Callable[[str, str], Awaitable[None]]
"""Saves one more handle (key, platform id) through the publisher's checkpoint."""
T = TypeVar("T")

CAROUSEL_MAX = 10  # §2.2: 2-10 children
MEDIA_FIELDS = "id,caption,media_type,timestamp,permalink,children"
# ERROR subcodes Meta documents as "retry" or "new container" (§2.7); others are the media's fault.
RETRYABLE_SUBCODES = frozenset({"2207001", "2207003", "2207032", "2207053"})
_SUBCODE = re.compile(r"\b(22070\d\d)\b")
_SCOPE_IN_MESSAGE = re.compile(r"\b(instagram_[a-z_]+|pages_[a-z_]+)\b")
FIND_SLACK = timedelta(seconds=30)  # the platform's clock against ours when matching a post's time


@dataclass(frozen=True)
class PollPolicy:
    """How long to wait between status checks: quick at first (images are usually ready at once),
    then once a minute, for at most five minutes in all (§2.2: Meta's advice)."""

    first_wait: float = 5.0
    max_wait: float = 60.0
    total: float = 300.0

    def waits(self) -> Iterator[float]:
        waited, wait = 0.0, self.first_wait
        while waited < self.total:
            step = min(wait, self.max_wait, self.total - waited)
            yield step
            waited += step
            wait *= 2


class PublishPolling:
    """Where a client's publish flows wait; tests replace ``sleep`` so they never wait real time."""

    poll_policy: PollPolicy = PollPolicy()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


async def poll(
    check: Callable[[], Awaitable[T | None]], sleep: Callable[[float], Awaitable[None]], policy: PollPolicy
) -> T | None:
    """``check()`` now, then after each wait of ``policy``, until it answers; None when time is up."""
    found = await check()
    if found is not None:
        return found
    for wait in policy.waits():
        await sleep(wait)
        found = await check()
        if found is not None:
            return found
    return None


def name_the_scope(error: ProviderError) -> ProviderError:
    """A refused permission names the scope Meta's message names, when it names one (an Instagram
    call on the Facebook Graph needs several: instagram_basic, pages_read_engagement...)."""
    named = _SCOPE_IN_MESSAGE.search(error.detail or "")
    if error.kind is ErrorKind.MISSING_PERMISSION and named and named.group(1) != error.missing_scope:
        return replace(error, missing_scope=named.group(1))
    return error


def saver(handles: dict[str, str], checkpoint: Checkpoint | None) -> Save:
    """Adds a handle and checkpoints them all (the publisher keeps the latest full set)."""

    async def save(key: str, value: str) -> None:
        handles[key] = value
        if checkpoint is not None:
            await checkpoint(dict(handles))

    return save


def processing_error(platform: str, detail: str, *, retryable: bool = True) -> ProviderError:
    """Media the platform is still processing, lost (expired) or failed to process."""
    if retryable:
        return ProviderError(ErrorKind.TEMPORARY, "media_processing", platform, detail=detail[:200])
    return ProviderError(ErrorKind.REJECTED_CONTENT, "media_rejected", platform, detail=detail[:200])


def refuse(platform: str, code: str, detail: str) -> ProviderError:
    """A post the platform would refuse, caught before any call (nothing created, nothing to undo)."""
    return ProviderError(ErrorKind.REJECTED_CONTENT, code, platform, detail=detail)


class GraphClient(Protocol):
    """What ``container_flow`` needs of a client: its authenticated Graph call and its waiting."""

    clock: Clock
    poll_policy: PollPolicy

    @property
    def name(self) -> str: ...

    async def sleep(self, seconds: float) -> None: ...

    @property
    def api_json(self) -> Callable[..., Awaitable[dict[str, Any]]]:
        """``Provider.api_json``: (stage, method, url, token, required_scope=, **httpx kwargs)."""


def container_flow(
    client: GraphClient, account: AccountRef, *, graph: Callable[[str], str], scope: str, stage: Stage
) -> ContainerFlow:
    """The flow for one account over ``client``'s Graph (``graph`` turns a path into its URL);
    ``scope`` is the permission a refusal names (publishing's, or the read scope for finding)."""

    async def call(method: str, path: str, params: Mapping[str, str]) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"params": dict(params)} if method == "GET" else {"data": dict(params)}
        try:
            body: dict[str, Any] = await client.api_json(
                stage, method, graph(path), account.access_token, required_scope=scope, **kwargs
            )
        except ProviderError as error:
            raise name_the_scope(error) from None
        return body

    return ContainerFlow(
        call,
        account.external_id,
        platform=client.name,
        clock=client.clock.now,
        sleep=client.sleep,
        policy=client.poll_policy,
    )


class ContainerFlow:
    """One Instagram account's publishing, over the Graph call of the client that owns the token."""

    def __init__(
        self,
        call: GraphCall,
        ig_id: str,
        *,
        platform: str,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
        policy: PollPolicy,
    ) -> None:
        self.call, self.ig_id, self.platform = call, ig_id, platform
        self.clock, self.sleep, self.policy = clock, sleep, policy

    # -- publishing ------------------------------------------------------------------------------

    async def publish(self, request: PublishRequest, checkpoint: Checkpoint | None) -> PublishResult:
        self.validate(request)
        await self.check_quota()
        handles = dict(request.handles)
        container = await self.ready_container(request, handles, saver(handles, checkpoint))
        if isinstance(container, PublishResult):
            return container
        media_id = await self.media_publish(container)
        return PublishResult(external_id=media_id, permalink=await self.permalink(media_id))

    def validate(self, request: PublishRequest) -> None:
        """The record's rules (media required, caption length) and a carousel's size, before any call."""
        rules = INSTAGRAM.media
        if not request.media:
            raise refuse(self.platform, "media_rejected", "Instagram posts need an image or a video")
        if rules is not None and len(request.text) > rules.max_text:
            raise refuse(self.platform, "caption_too_long", f"caption over {rules.max_text} characters")
        if len(request.media) > CAROUSEL_MAX:
            raise refuse(self.platform, "media_rejected", f"a carousel holds at most {CAROUSEL_MAX} items")

    async def ready_container(
        self, request: PublishRequest, handles: Mapping[str, str], save: Save
    ) -> str | PublishResult:
        """The container to publish, FINISHED: the saved one when it can still be published, else new
        ones (an ERROR or EXPIRED container can never be published, so replacing it cannot double-post)."""
        saved = handles.get("container_id")
        if saved:
            status = await self.saved_status(saved)
            if status == "PUBLISHED":
                return await self.already_published(request)
            if status in ("IN_PROGRESS", "FINISHED"):
                return await self.wait_finished(saved)
        if len(request.media) == 1:
            container = await self.create(request.media[0], caption=request.text)
        else:
            children = [await self.child(i, item, handles, save) for i, item in enumerate(request.media)]
            for child in children:
                await self.wait_finished(child)
            container = await self.create_carousel(children, request.text)
        await save("container_id", container)
        return await self.wait_finished(container)

    async def child(self, index: int, item: MediaItem, handles: Mapping[str, str], save: Save) -> str:
        key = f"child_{index}"
        saved = handles.get(key)
        if saved and await self.saved_status(saved) in ("IN_PROGRESS", "FINISHED"):
            return saved
        child = await self.create(item, carousel_item=True)
        await save(key, child)
        return child

    async def create(self, item: MediaItem, *, caption: str = "", carousel_item: bool = False) -> str:
        """``POST /{ig}/media`` for one item (§2.2): an image, a Reel, or a carousel child."""
        params: dict[str, str] = {}
        if item.kind == "video":
            params.update(video_url=item.url, media_type="VIDEO" if carousel_item else "REELS")
        else:
            params["image_url"] = item.url
        if carousel_item:
            params["is_carousel_item"] = "true"
        else:
            params["caption"] = caption
        body = await self.call("POST", f"/{self.ig_id}/media", params)
        return str(body["id"])

    async def create_carousel(self, children: list[str], caption: str) -> str:
        params = {"media_type": "CAROUSEL", "children": ",".join(children), "caption": caption}
        body = await self.call("POST", f"/{self.ig_id}/media", params)
        return str(body["id"])

    async def status(self, container: str) -> tuple[str, str]:
        body = await self.call("GET", f"/{container}", {"fields": "status_code,status"})
        return str(body.get("status_code") or ""), str(body.get("status") or "")

    async def saved_status(self, container: str) -> str:
        """A saved container's status; "" when the platform no longer knows it (refused as unknown):
        a container it cannot find can never be published, so making a new one cannot double-post."""
        try:
            return (await self.status(container))[0]
        except ProviderError as error:
            if error.kind is ErrorKind.REJECTED_CONTENT:
                return ""
            raise

    async def wait_finished(self, container: str) -> str:
        """Poll until FINISHED; ERROR and EXPIRED raise the documented errors (§2.3, §2.7)."""

        async def check() -> str | None:
            code, text = await self.status(container)
            if code == "ERROR":
                subcode = _SUBCODE.search(text)
                retryable = subcode is not None and subcode.group(1) in RETRYABLE_SUBCODES
                raise processing_error(self.platform, f"container {code}: {text}", retryable=retryable)
            if code in ("EXPIRED", "PUBLISHED"):
                raise processing_error(self.platform, f"container {code}: {text}")
            return container if code == "FINISHED" else None

        if await poll(check, self.sleep, self.policy) is None:
            raise processing_error(self.platform, f"container still IN_PROGRESS after {self.policy.total:.0f}s")
        return container

    async def media_publish(self, container: str) -> str:
        try:
            body = await self.call("POST", f"/{self.ig_id}/media_publish", {"creation_id": container})
        except ProviderError as error:
            if error.code == "publish_limit_reached":
                raise replace(error, retry_after=await self.quota_frees_in(None)) from None
            raise
        return str(body["id"])

    async def permalink(self, media_id: str) -> str | None:
        """The public URL (§2.2 step 4); the post is live whatever this read answers."""
        try:
            body = await self.call("GET", f"/{media_id}", {"fields": "permalink"})
        except ProviderError:
            return None
        link = body.get("permalink")
        return str(link) if link else None

    async def already_published(self, request: PublishRequest) -> PublishResult:
        """A saved container that an interrupted attempt published: find the post it made."""
        since = datetime.fromtimestamp(self.clock() - 24 * 3600, tz=UTC)
        found = await self.find(request, since)
        if found is None:
            raise processing_error(self.platform, "the saved container is published but its post is not listed yet")
        return found

    # -- the quota (§2.5) --------------------------------------------------------------------------

    async def check_quota(self) -> None:
        body = await self.call("GET", f"/{self.ig_id}/content_publishing_limit", {"fields": "quota_usage,config"})
        rows = body.get("data") or [{}]
        usage = int(rows[0].get("quota_usage") or 0)
        config = rows[0].get("config") or {}
        total = int(config.get("quota_total") or 0)
        if total and usage >= total:
            raise ProviderError(
                ErrorKind.TEMPORARY,
                "publish_limit_reached",
                self.platform,
                retry_after=await self.quota_frees_in(config),
                detail=f"{usage} of {total} API posts in the last 24 hours",
            )

    async def quota_frees_in(self, config: Mapping[str, Any] | None) -> float:
        """Seconds until the oldest post in the moving window leaves it: the earliest a slot frees
        (the window may also hold posts made in the app, so this is a lower bound, checked again)."""
        duration = float((config or {}).get("quota_duration") or 24 * 3600)
        limit = int((config or {}).get("quota_total") or 100)
        body = await self.call("GET", f"/{self.ig_id}/media", {"fields": "timestamp", "limit": str(min(limit, 100))})
        now = self.clock()
        stamps = [_epoch(m.get("timestamp")) for m in body.get("data", [])]
        in_window = [t for t in stamps if t is not None and t > now - duration]
        return max(min(in_window) + duration - now, 1.0) if in_window else duration

    # -- reconciliation (§6) -------------------------------------------------------------------

    async def find(self, request: PublishRequest, since: datetime) -> PublishResult | None:
        """The account's post with this exact caption and number of media, made at or after ``since``."""
        body = await self.call("GET", f"/{self.ig_id}/media", {"fields": MEDIA_FIELDS, "limit": "25"})
        floor = (since - FIND_SLACK).timestamp()
        for media in body.get("data", []):
            stamp = _epoch(media.get("timestamp"))
            if stamp is None or stamp < floor or (media.get("caption") or "") != request.text:
                continue
            if _media_count(media) == len(request.media):
                link = media.get("permalink")
                return PublishResult(external_id=str(media["id"]), permalink=str(link) if link else None)
        return None


def _media_count(media: Mapping[str, Any]) -> int:
    if media.get("media_type") == "CAROUSEL_ALBUM":
        return len((media.get("children") or {}).get("data") or [])
    return 1


def _epoch(value: Any) -> float | None:
    parsed = parse_time(value)
    return parsed.timestamp() if parsed else None
