"""Where each platform lives: the real host, or the sandbox's copy of it under the same path.

DESIGN principle 2: only base URLs change between the sandbox and the real platforms.
"""

from __future__ import annotations

from socializioz.domain.platforms import CONNECTABLE_PLATFORMS, Platform

from .config import ProviderSettings

# The sandbox's own app credentials: fixed, public, and only accepted by the sandbox.
SANDBOX_CREDENTIALS: dict[str, tuple[str, str]] = {
    p.value: (f"sandbox-{p.value}-client", f"sandbox-{p.value}-secret") for p in CONNECTABLE_PLATFORMS
}


def host_base(host: str, settings: ProviderSettings, *, sandbox: bool) -> str:
    """``https://<host>`` for real, ``<sandbox_url>/<host>`` for the sandbox."""
    if host in settings.host_overrides:
        return settings.host_overrides[host].rstrip("/")
    if sandbox:
        return f"{settings.sandbox_url}/{host}"
    return f"https://{host}"


def redirect_uri(platform: Platform | str, public_base_url: str) -> str:
    """The one callback URL to register with each platform (fixed per platform)."""
    value = platform.value if isinstance(platform, Platform) else platform
    return f"{public_base_url.rstrip('/')}/oauth/callback/{value}"
