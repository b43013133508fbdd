"""What the account details panel checks, per platform and connection method (spec: "Managing
connected accounts", "Meta token debug panel", "Publish capability")."""

from __future__ import annotations

from .platforms import ENGAGEMENT_SCOPES, META_PLATFORMS, REQUIRED_META_SCOPES, Platform

INSTAGRAM_LOGIN = "instagram_login"
# Instagram Business Login grants its own scopes; these are its equivalents of the Meta seven.
INSTAGRAM_LOGIN_SCOPES = ("instagram_business_basic", "instagram_business_content_publish",
                          "instagram_business_manage_comments")
INSTAGRAM_LOGIN_ENGAGEMENT_SCOPES = ("instagram_business_basic", "instagram_business_manage_comments")
IG_NOT_PUBLISHABLE_CODE = "IG_DIRECT_NOT_PUBLISHABLE"


def has_content_details(platform: str) -> bool:
    """Recent posts, engagement and comments exist for Facebook and Instagram; others show a placeholder."""
    return platform in {p.value for p in META_PLATFORMS}


def required_scopes(connection_method: str) -> tuple[str, ...]:
    """The scopes the token debug panel shows as badges."""
    return INSTAGRAM_LOGIN_SCOPES if connection_method == INSTAGRAM_LOGIN else REQUIRED_META_SCOPES


def missing_engagement_scopes(platform: str, connection_method: str, granted: set[str]) -> list[str]:
    """Engagement permissions not granted: the amber banner at the top of the details panel."""
    if not has_content_details(platform):
        return []
    wanted = INSTAGRAM_LOGIN_ENGAGEMENT_SCOPES if connection_method == INSTAGRAM_LOGIN else ENGAGEMENT_SCOPES
    return [scope for scope in wanted if scope not in granted]


def publish_guidance_code(platform: str, publish_capable: bool) -> str:
    """The error-catalogue code explaining why an Instagram account cannot publish ("" otherwise)."""
    return IG_NOT_PUBLISHABLE_CODE if platform == Platform.INSTAGRAM.value and not publish_capable else ""
