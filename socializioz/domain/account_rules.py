"""What the account details panel checks, per platform and connection method (spec: "Managing
connected accounts", "Meta token debug panel", "Publish capability").

The scopes themselves live in the platform records (``platforms``); this module only decides."""

from __future__ import annotations

from .platform_specs import ConnectionMethod, ConnectionSpec
from .platforms import INSTAGRAM, META_PLATFORM_NAMES, Platform, platform_info

INSTAGRAM_LOGIN = ConnectionMethod.INSTAGRAM_LOGIN.value
FACEBOOK_PAGE = ConnectionMethod.FACEBOOK_PAGE.value
# Instagram Business Login's own scopes: its equivalents of the Meta seven.
INSTAGRAM_LOGIN_SCOPES = INSTAGRAM.connection(INSTAGRAM_LOGIN).debug_scopes
INSTAGRAM_LOGIN_ENGAGEMENT_SCOPES = INSTAGRAM.connection(INSTAGRAM_LOGIN).engagement_scopes
IG_NOT_PUBLISHABLE_CODE = "IG_DIRECT_NOT_PUBLISHABLE"


def has_content_details(platform: str) -> bool:
    """Recent posts, engagement and comments exist for Facebook and Instagram; others show a placeholder."""
    return platform in META_PLATFORM_NAMES


def _meta_connection(connection_method: str) -> ConnectionSpec:
    """Instagram Business Login has its own scopes; every other Meta connection is Facebook Login's."""
    platform = Platform.INSTAGRAM if connection_method == INSTAGRAM_LOGIN else Platform.FACEBOOK
    return platform_info(platform).connection(connection_method)


def required_scopes(connection_method: str) -> tuple[str, ...]:
    """The scopes the token debug panel shows as badges."""
    return _meta_connection(connection_method).debug_scopes


def missing_engagement_scopes(platform: str, connection_method: str, granted: set[str]) -> list[str]:
    """Engagement permissions not granted: the amber banner at the top of the details panel."""
    if not has_content_details(platform):
        return []
    return [scope for scope in _meta_connection(connection_method).engagement_scopes if scope not in granted]


def publish_guidance_code(platform: str, publish_capable: bool) -> str:
    """The error-catalogue code explaining why an Instagram account cannot publish ("" otherwise)."""
    return IG_NOT_PUBLISHABLE_CODE if platform == Platform.INSTAGRAM.value and not publish_capable else ""
