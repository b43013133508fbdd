"""Refuse cross-origin state-changing requests (pen-test finding 3, OA-16).

Browsers send ``Origin`` on every POST and ``Sec-Fetch-Site`` on every request; a page on another
origin — even a same-site one (another port, a sibling subdomain), which ``SameSite`` cookies do
not stop — is refused. A request carrying neither header is not from a browser, so it cannot
carry a victim's cookie and is let through.
"""

from __future__ import annotations

from starlette.requests import Request

from socializioz.settings import get_settings

_BROWSER_OK_SITES = frozenset({"same-origin", "none"})  # "none": typed URL / bookmark


def is_same_origin(request: Request) -> bool:
    site = request.headers.get("sec-fetch-site")
    if site is not None and site.lower() not in _BROWSER_OK_SITES:
        return False
    origin = request.headers.get("origin")
    return origin is None or origin.lower().rstrip("/") in get_settings().allowed_origins
