"""The websocket handshake gate (pen-test findings 1 and 8).

Reflex keys a tab's server state by the token the client sends in the handshake. The frontend
always makes a version-4 UUID (``generateUUID`` in Reflex's ``state.js``); anything else — short,
guessable or crafted names — is refused before it reaches the state manager. A well-formed token
that was last loaded under another (or an ended) session is wiped before it hydrates.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from socketio.exceptions import ConnectionRefusedError as Refused

from socializioz.services.auth import SESSION_COOKIE

# The variant nibble is 8-f: generateUUID computes it as `(r & 0x7) | 0x8`, wider than RFC 4122.
TAB_TOKEN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89a-f][0-9a-f]{3}-[0-9a-f]{12}")

TabCheck = Callable[[str, str], Awaitable[None]]


def tab_token(environ: dict) -> str | None:
    """The handshake's tab token when it has the frontend's format, else ``None``."""
    tokens = parse_qs(environ.get("QUERY_STRING", "")).get("token", [])
    if len(tokens) != 1 or not TAB_TOKEN.fullmatch(tokens[0]):
        return None
    return tokens[0]


def session_cookie(environ: dict) -> str:
    cookie = SimpleCookie()
    try:
        cookie.load(environ.get("HTTP_COOKIE", ""))
    except CookieError:
        return ""
    morsel = cookie.get(SESSION_COOKIE)
    return morsel.value if morsel else ""


def install(app: Any, check_tab: TabCheck) -> None:
    """Wrap the app's ``EventNamespace.on_connect``: refuse malformed tab tokens, and let
    ``check_tab(token, session_cookie)`` clean a re-used token before the boot event runs."""
    namespace = app.event_namespace
    if namespace is None or getattr(namespace, "_socializioz_guarded", False):
        return
    original = namespace.on_connect

    async def on_connect(sid: str, environ: dict, auth: Any = None):
        token = tab_token(environ)
        if token is None:
            raise Refused("invalid tab token")
        await check_tab(token, session_cookie(environ))
        return await original(sid, environ, auth)

    namespace.on_connect = on_connect
    namespace._socializioz_guarded = True
