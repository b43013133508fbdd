"""``/_upload`` is capped before Reflex reads it: no length, 411; too long, 413; the rest passes."""

from __future__ import annotations

import asyncio

import httpx
from starlette.types import Receive, Scope, Send

from socializioz.web.upload_limit import MAX_REQUEST_BYTES, UploadLimit


async def _downstream(scope: Scope, receive: Receive, send: Send) -> None:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(len(body)).encode()})


def _post(
    path: str, *, content: bytes | None = None, headers: dict[str, str] | None = None, cap: int = 10
) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=UploadLimit(_downstream, max_bytes=cap))
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
            return await client.post(path, content=content, headers=headers)

    return asyncio.run(go())


def test_an_upload_within_the_cap_reaches_reflex() -> None:
    response = _post("/_upload", content=b"x" * 10)
    assert response.status_code == 200 and response.text == "10"


def test_an_upload_over_the_cap_is_refused_unread() -> None:
    assert _post("/_upload", content=b"x" * 11).status_code == 413
    assert _post("/_upload/", content=b"x" * 11).status_code == 413


def test_an_upload_without_a_length_is_refused() -> None:
    async def chunks():
        yield b"xx"

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=UploadLimit(_downstream, max_bytes=10))
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
            return await client.post("/_upload", content=chunks())

    assert asyncio.run(go()).status_code == 411


def test_other_routes_are_untouched() -> None:
    assert _post("/webhooks/meta", content=b"x" * 50).status_code == 200
    assert _post("/_event", content=b"x" * 50).status_code == 200


def test_the_cap_is_one_maximal_file_plus_framing() -> None:
    from socializioz.services.media_store import MAX_UPLOAD_BYTES

    assert MAX_UPLOAD_BYTES < MAX_REQUEST_BYTES <= MAX_UPLOAD_BYTES + 2 * 1024 * 1024
