"""Route constants, so pages and states never hard-code paths."""

HOME = "/"
SIGN_IN = "/sign-in"
SIGN_UP = "/sign-up"
CONNECTIONS = "/connections"
WORKSPACES = "/workspaces"
BILLING = "/billing"
OAUTH_RESULT = "/oauth/result"
SUPPORT = "/support"
ONBOARDING = "/onboarding"
MOBILE_CONNECTIONS = "/m/connections"
COMPOSE = "/compose"
INVITE_PREFIX = "/invite/"
INVITE = INVITE_PREFIX + "[invite_token]"

# Places a sign-in may send the user back to; anything else falls back to CONNECTIONS.
SAFE_RETURN_PREFIXES = (CONNECTIONS, WORKSPACES, BILLING, SUPPORT, ONBOARDING, MOBILE_CONNECTIONS, COMPOSE, INVITE_PREFIX.rstrip("/"))


def safe_return_path(candidate: str | None) -> str:
    """Only same-site paths we know; never a scheme, host or protocol-relative URL."""
    if not candidate or not candidate.startswith("/") or candidate.startswith("//") or "\\" in candidate:
        return CONNECTIONS
    path = candidate.split("?", 1)[0].split("#", 1)[0]
    if any(path == p or path.startswith(p + "/") for p in SAFE_RETURN_PREFIXES):
        return candidate
    return CONNECTIONS
