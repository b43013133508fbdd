"""A cap on Reflex's ``/_upload`` before anything is read.

Reflex parses an upload's multipart body (spooling files to disk) before our handler runs and can
check who is asking, so without this an anonymous client could stream any amount to the server's
disk. The browser already refuses a single file over ``MAX_UPLOAD_BYTES`` (the drop zone's
``max_size``); here a request must declare its length (``Content-Length``, which the HTTP server
then enforces) and that length must fit one maximal file plus the multipart framing.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from socializioz.services.media_store import MAX_UPLOAD_BYTES

UPLOAD_SUFFIX = "/_upload"
FRAMING_BYTES = 1024 * 1024  # multipart boundaries, part headers and the handler's bound arguments
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + FRAMING_BYTES


class UploadLimit:
    """Pure ASGI: 411 without a length, 413 over the cap; every other request passes untouched."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_REQUEST_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"].rstrip("/").endswith(UPLOAD_SUFFIX):
            status = self._refusal(dict(scope["headers"]).get(b"content-length", b""))
            if status:
                await send({"type": "http.response.start", "status": status, "headers": [(b"content-length", b"0")]})
                await send({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, send)

    def _refusal(self, declared: bytes) -> int:
        if not declared.isdigit():
            return 411
        return 413 if int(declared) > self.max_bytes else 0
