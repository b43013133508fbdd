"""Security headers on every HTTP response: the app's pages (the static frontend that Reflex's
single-port server mounts inside the backend), its routes and the sandbox (pen-test finding 11).

Reflex's production build runs inline scripts and ``rx.call_script`` evaluates code, so scripts
need 'unsafe-inline' and 'unsafe-eval'; everything else is restricted to our origin. A header a
route sets itself (the callback's ``Referrer-Policy: no-referrer``) is kept.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from socializioz.integrations.config import get_provider_settings
from socializioz.settings import get_settings


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(public_base_url: str, sandbox_base_url: str) -> str:
    app = _origin(public_base_url)
    socket = ("wss://" if app.startswith("https://") else "ws://") + urlsplit(app).netloc
    forms = " ".join(dict.fromkeys(["'self'", _origin(sandbox_base_url)]))
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: https:",
            "font-src 'self' data:",
            f"connect-src 'self' {socket}",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            f"form-action {forms}",
            "object-src 'none'",
        ]
    )


def security_headers() -> list[tuple[bytes, bytes]]:
    csp = content_security_policy(get_settings().public_base_url, get_provider_settings().sandbox_url)
    return [
        (b"content-security-policy", csp.encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
    ]


class SecurityHeaders:
    """Pure ASGI (no buffering, websockets untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = security_headers()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in self.headers if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)
