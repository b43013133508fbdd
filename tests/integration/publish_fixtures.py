"""Shared pieces of the TikTok, X and LinkedIn publishing tests: media served at the app's public
URL (to the clients' downloads and the sandbox's pulls alike), tiny but real MP4 files, a sleep
that moves the sandbox clock, and connected accounts."""

from __future__ import annotations

import struct
from datetime import UTC, datetime

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from socializioz.integrations.models import AccountRef, MediaItem
from socializioz.integrations.sandbox import uploads
from socializioz.integrations.sandbox.fetch import FetchedMedia
from socializioz.integrations.sandbox.state import use_tenant

from .conftest import PUBLIC, new_flow

MB = 1024 * 1024
MEDIA_PREFIX = f"{PUBLIC}/media/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 64


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload) + 8) + kind + payload


def mp4(seconds: float, size: int = 4096) -> bytes:
    """An MP4 whose ``mvhd`` says ``seconds``, padded with ``mdat`` to ``size`` bytes."""
    head = _box(b"ftyp", b"isom\0\0\2\0isomiso2mp41") + _box(
        b"moov", _box(b"mvhd", b"\0\0\0\0" + struct.pack(">IIII", 0, 0, 1000, int(seconds * 1000)) + b"\0" * 80)
    )
    return head + _box(b"mdat", b"\0" * max(size - len(head) - 8, 0))


class Media:
    """Files the app's media links serve, by name."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, str]] = {}

    def add(self, name: str, body: bytes, mime: str, duration: float | None = None) -> MediaItem:
        self.files[name] = (body, mime)
        kind = "video" if mime.startswith("video/") else "image"
        return MediaItem(MEDIA_PREFIX + name, kind, mime, len(body), duration_seconds=duration)

    async def serve(self, request: Request) -> Response:
        found = self.files.get(request.path_params["name"])
        return Response(found[0], media_type=found[1]) if found else Response(status_code=404)

    def fetch(self, url: str, limit: int) -> FetchedMedia:
        found = self.files.get(url.removeprefix(MEDIA_PREFIX)) if url.startswith(MEDIA_PREFIX) else None
        return FetchedMedia(200, found[1], found[0][: limit + 1]) if found else FetchedMedia(404)


@pytest.fixture
def media(state) -> Media:
    files = Media()
    state.fetch_media = files.fetch
    return files


@pytest.fixture
def transport(sandbox, media):
    """The sandbox, plus the app's media links the clients download from."""
    app = Starlette(routes=[Mount("/sandbox", app=sandbox), Route("/media/{name}", media.serve)])
    return httpx.ASGITransport(app=app)


@pytest.fixture
def fast_sleep(clock):
    """Polls wait on the sandbox clock instead of the wall clock."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.advance(seconds)

    sleep.waits = waits  # type: ignore[attr-defined]
    return sleep


class Saved:
    """A checkpoint that keeps what the client saved, as the publisher's ``PostTarget.handles``."""

    def __init__(self) -> None:
        self.handles: dict[str, str] = {}
        self.calls = 0

    async def __call__(self, handles) -> None:
        self.calls += 1
        self.handles = {**self.handles, **handles}


async def connected(make_provider, consent, platform: str, persona: str, sleep, scopes=None, **settings):
    """A client, its account and the token's scopes after a real consent flow."""
    provider = make_provider(platform, **settings)
    provider.sleep = sleep
    flow = new_flow(platform)
    url = provider.authorization_url(
        state=flow["state"], redirect_uri=flow["redirect_uri"], code_verifier=flow["code_verifier"], scopes=scopes
    )
    code = provider.parse_callback(await consent.submit(url, persona=persona)).code
    token = await provider.exchange_code(code, redirect_uri=flow["redirect_uri"], code_verifier=flow["code_verifier"])
    external_id = token.external_id or (await provider.fetch_identity(token.access_token)).external_id
    return provider, AccountRef(platform, external_id, token.access_token)


def sandbox_objects(state, owner: str, kind: str) -> list[uploads.Upload]:
    """The sandbox's publishing objects of one owner (the default tenant: these tests pass no tag)."""
    use_tenant("")
    return uploads.of_owner(state, owner, kind, 0)


def an_hour_ago(state) -> datetime:
    return datetime.fromtimestamp(state.now() - 3600, UTC)
