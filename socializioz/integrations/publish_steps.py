"""Steps the multi-step publish flows share (TikTok, X, LinkedIn): checking the caption the
platform's way, fetching a post's media from the app's link, cutting it into parts, and waiting
for the platform's processing through the client's injectable ``sleep``, within a budget.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.domain.text_length import caption_length

from .classify import Stage
from .models import MediaItem, PublishRequest

if TYPE_CHECKING:
    from .base import Checkpoint, Provider

T = TypeVar("T")


def refused(provider: Provider, code: str, detail: str, kind: ErrorKind = ErrorKind.REJECTED_CONTENT) -> ProviderError:
    """A publish failure decided by the client itself (before or after the platform's answer)."""
    return ProviderError(kind, code, provider.name, detail=detail[:200])


def unanswered(provider: Provider, what: str) -> ProviderError:
    """A success that lacks what the flow needs: temporary (the publisher reconciles before any
    retry, since the platform may have acted), never a reason to reconnect."""
    return refused(provider, "provider_unavailable", f"response lacks {what}", ErrorKind.TEMPORARY)


def check_caption(provider: Provider, text: str, counted: int | None = None) -> None:
    """Refuse a caption over the record's limit, counted the platform's way (or ``counted``)."""
    rules = provider.info.media
    if rules is None:
        return
    length = caption_length(text, rules.text_counting) if counted is None else counted
    if length > rules.max_text:
        raise refused(provider, "caption_too_long", f"text is {length} long, the limit is {rules.max_text}")


async def download(provider: Provider, item: MediaItem) -> bytes:
    """The media's bytes from its public link (no platform token is sent there)."""
    response = await provider.api(Stage.PUBLISH, "GET", item.url, None)
    return response.content


async def upload_each(
    provider: Provider,
    request: PublishRequest,
    checkpoint: Checkpoint | None,
    upload: Callable[[MediaItem], Awaitable[str]],
    max_age: float | None = None,
) -> list[str]:
    """Each media item's platform id, in order: those an earlier attempt saved (``media_<n>``,
    uploaded at ``media_<n>_at``) are reused unless older than ``max_age`` (X's ids expire);
    each new one is saved through ``checkpoint`` before the next upload."""
    saved = dict(request.handles)
    now = provider.now()
    for index, item in enumerate(request.media):
        key = f"media_{index}"
        stale = max_age is not None and now - int(saved.get(f"{key}_at") or 0) > max_age
        if key not in saved or stale:
            saved[key] = await upload(item)
            saved[f"{key}_at"] = str(now)
            if checkpoint:
                await checkpoint(dict(saved))
    return [saved[f"media_{i}"] for i in range(len(request.media))]


def parts(total: int, size: int) -> list[tuple[int, int]]:
    """``[start, end)`` byte ranges of ``size`` (the last one shorter)."""
    return [(start, min(start + size, total)) for start in range(0, total, size)]


async def poll_until(
    provider: Provider, check: Callable[[], Awaitable[tuple[T | None, float]]], *, budget_seconds: float, what: str
) -> T:
    """Call ``check`` until it gives a result; it also says how long to wait before asking again.
    Past the budget, a temporary ``processing_timeout``: the publisher retries later and the
    client resumes from the handles it saved."""
    waited = 0.0
    while True:
        result, wait = await check()
        if result is not None:
            return result
        if waited + wait > budget_seconds:
            raise refused(
                provider, "processing_timeout", f"{what} still processing after {waited:.0f}s", ErrorKind.TEMPORARY
            )
        await provider.sleep(wait)
        waited += wait
