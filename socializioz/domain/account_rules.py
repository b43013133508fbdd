"""What the account details panel checks, per platform and connection method (spec: "Managing
connected accounts", "Meta token debug panel", "Publish capability"), and the one rule that
decides whether an account can publish.

The scopes themselves live in the platform records (``platforms``); this module only decides."""

from __future__ import annotations

from collections.abc import Iterable

from .platform_specs import ConnectionMethod, ConnectionSpec
from .platforms import INSTAGRAM, META_PLATFORM_NAMES, Capability, Platform, platform_info

INSTAGRAM_LOGIN = ConnectionMethod.INSTAGRAM_LOGIN.value
FACEBOOK_PAGE = ConnectionMethod.FACEBOOK_PAGE.value
# Instagram Business Login's own scopes: its equivalents of the Meta seven.
INSTAGRAM_LOGIN_SCOPES = INSTAGRAM.connection(INSTAGRAM_LOGIN).debug_scopes
INSTAGRAM_LOGIN_ENGAGEMENT_SCOPES = INSTAGRAM.connection(INSTAGRAM_LOGIN).engagement_scopes
IG_NOT_PUBLISHABLE_CODE = "IG_DIRECT_NOT_PUBLISHABLE"
NOT_PUBLISHABLE_PLATFORM_CODE = "capability_not_supported"
SCOPE_MISSING_CODE = "scope_not_granted"
# Platforms whose spec table names the missing publish scope itself: Meta's "Missing
# pages_manage_posts", and Instagram's one code for "cannot publish; reconnect".
_MISSING_PUBLISH_SCOPE_CODES = {
    Platform.FACEBOOK.value: "missing_pages_manage_posts",
    Platform.INSTAGRAM.value: IG_NOT_PUBLISHABLE_CODE,
}


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


def publish_block_code(platform: str, connection_method: str, granted: Iterable[str]) -> str:
    """Why an account cannot publish, as a catalogue code; "" when it can (spec: "Publish capability").

    From the platform's record and the scopes actually granted: the platform must offer
    publishing, the connection method must be one the record knows (an Instagram account
    connected the legacy way is ``IG_DIRECT_NOT_PUBLISHABLE``, fixed by reconnecting), and one
    of the connection's publish scopes must have been granted."""
    info = platform_info(platform)
    if not info.supports(Capability.PUBLISH) or not info.connections:
        return NOT_PUBLISHABLE_PLATFORM_CODE
    if len(info.connections) > 1 and not info.has_connection(connection_method):
        return IG_NOT_PUBLISHABLE_CODE
    if set(info.connection(connection_method).publish_scopes) & set(granted):
        return ""
    return _MISSING_PUBLISH_SCOPE_CODES.get(platform, SCOPE_MISSING_CODE)


def publish_capable(platform: str, connection_method: str, granted: Iterable[str]) -> bool:
    """``SocialAccount.publish_capable``: re-evaluated wherever granted scopes are recorded."""
    return publish_block_code(platform, connection_method, granted) == ""


def missing_media_scope(platform: str, connection_method: str, granted: Iterable[str]) -> str:
    """The scope a post with images or video still needs ("" when it has it, or needs none): an
    X account connected before ``media.write`` was asked for posts text only until it reconnects."""
    info = platform_info(platform)
    if not info.connections:
        return ""
    scope = info.connection(connection_method).media_scope
    return scope if scope and scope not in set(granted) else ""
