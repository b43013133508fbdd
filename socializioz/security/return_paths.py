"""The return-path allow-list: where a sign-in or a finished OAuth flow may send the user back to
(docs/security.md: allow-listed return paths, never a scheme, host or protocol-relative URL)."""

from __future__ import annotations

from socializioz.routes import (
    ANALYTICS,
    BILLING,
    CAMPAIGNS,
    COMPOSE,
    CONNECTIONS,
    INVITE_PREFIX,
    MOBILE_CONNECTIONS,
    ONBOARDING,
    POSTS,
    SUPPORT,
    WORKSPACES,
)

# Places a sign-in may send the user back to; anything else falls back to CONNECTIONS.
SAFE_RETURN_PREFIXES = (
    CONNECTIONS,
    WORKSPACES,
    BILLING,
    SUPPORT,
    ONBOARDING,
    MOBILE_CONNECTIONS,
    COMPOSE,
    ANALYTICS,
    INVITE_PREFIX.rstrip("/"),
    POSTS,
    CAMPAIGNS,
)


def safe_return_path(candidate: str | None) -> str:
    """Only same-site paths we know; never a scheme, host or protocol-relative URL."""
    if not candidate or not candidate.startswith("/") or candidate.startswith("//") or "\\" in candidate:
        return CONNECTIONS
    path = candidate.split("?", 1)[0].split("#", 1)[0]
    if any(path == p or path.startswith(p + "/") for p in SAFE_RETURN_PREFIXES):
        return candidate
    return CONNECTIONS
