"""How the sandbox fetches media from the URL a publish call names, as the real platforms do.

Injectable (``SandboxState.fetch_media``) so tests serve bytes without a server. The default
fetches over HTTP from the app's own public base URL only (the media store's unguessable links):
the sandbox never becomes a way to make the server request arbitrary hosts. Reads stop one byte
past the limit, so an oversized file is recognised without being held in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx

FETCH_TIMEOUT_SECONDS = 20.0


@dataclass(frozen=True)
class FetchedMedia:
    """What a platform's downloader saw: ``status`` 0 when nothing answered (``timed_out`` says why)."""

    status: int
    content_type: str = ""
    body: bytes = b""  # at most the limit plus one byte
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


MediaFetcher = Callable[[str, int], FetchedMedia]


def _allowed_origin() -> str:
    from socializioz.settings import get_settings  # late: tests change settings between cases

    return get_settings().public_base_url.rstrip("/") + "/"


def http_fetch(url: str, limit: int) -> FetchedMedia:
    """GET ``url`` (the app's own origin only), reading at most ``limit + 1`` bytes."""
    if not url.startswith(_allowed_origin()):
        return FetchedMedia(status=0)
    try:
        with httpx.Client(timeout=FETCH_TIMEOUT_SECONDS) as client, client.stream("GET", url) as response:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > limit:
                    break
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            return FetchedMedia(response.status_code, content_type, bytes(body[: limit + 1]))
    except httpx.TimeoutException:
        return FetchedMedia(status=0, timed_out=True)
    except httpx.HTTPError:
        return FetchedMedia(status=0)
