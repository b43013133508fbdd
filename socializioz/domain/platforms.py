"""The spec's platform tables as data: which platforms exist, on which plans, and what they can do.

UI and tests read these; no other module restates them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .plans import Plan


class Platform(str, enum.Enum):
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    X = "x"
    LINKEDIN = "linkedin"
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"


class Availability(str, enum.Enum):
    AVAILABLE = "available"
    COMING_SOON = "coming_soon"


class Capability(str, enum.Enum):
    PUBLISH = "publish"
    POST_FEED = "post_feed"
    COMMENT_PREVIEWS = "comment_previews"
    ENGAGEMENT_STATS = "engagement_stats"
    REFRESH_CONTENT = "refresh_content"
    COMMENT_MANAGEMENT = "comment_management"
    DIRECT_MESSAGES = "direct_messages"
    ANALYTICS = "analytics"


@dataclass(frozen=True)
class PlatformInfo:
    platform: Platform
    display_name: str
    minimum_plan: Plan
    availability: Availability
    has_setup_sheet: bool
    brand_color: str
    capabilities: frozenset[Capability]

    @property
    def is_meta(self) -> bool:
        return self.platform in (Platform.FACEBOOK, Platform.INSTAGRAM)

    def available_on(self, plan: Plan) -> bool:
        return plan.rank >= self.minimum_plan.rank


_META_CAPABILITIES = frozenset(
    {
        Capability.PUBLISH,
        Capability.POST_FEED,
        Capability.COMMENT_PREVIEWS,
        Capability.ENGAGEMENT_STATS,
        Capability.REFRESH_CONTENT,
        Capability.COMMENT_MANAGEMENT,
        Capability.ANALYTICS,
    }
)
_BASIC_CAPABILITIES = frozenset({Capability.PUBLISH, Capability.ANALYTICS})

PLATFORMS: dict[Platform, PlatformInfo] = {
    info.platform: info
    for info in (
        PlatformInfo(Platform.FACEBOOK, "Facebook", Plan.FREE, Availability.AVAILABLE, True, "#1877F2", _META_CAPABILITIES),
        PlatformInfo(
            Platform.INSTAGRAM, "Instagram", Plan.FREE, Availability.AVAILABLE, True, "#E1306C",
            _META_CAPABILITIES | {Capability.DIRECT_MESSAGES},
        ),
        PlatformInfo(Platform.TIKTOK, "TikTok", Plan.PROFESSIONAL, Availability.AVAILABLE, False, "#111111", _BASIC_CAPABILITIES),
        PlatformInfo(Platform.X, "X (Twitter)", Plan.PROFESSIONAL, Availability.AVAILABLE, False, "#0F1419", _BASIC_CAPABILITIES),
        PlatformInfo(Platform.LINKEDIN, "LinkedIn", Plan.PROFESSIONAL, Availability.AVAILABLE, False, "#0A66C2", _BASIC_CAPABILITIES),
        PlatformInfo(Platform.TELEGRAM, "Telegram", Plan.PROFESSIONAL, Availability.COMING_SOON, False, "#229ED9", frozenset()),
        PlatformInfo(Platform.WHATSAPP, "WhatsApp", Plan.ENTERPRISE, Availability.COMING_SOON, False, "#25D366", frozenset()),
    )
}

CONNECTABLE_PLATFORMS = tuple(p for p, i in PLATFORMS.items() if i.availability is Availability.AVAILABLE)
META_PLATFORMS = (Platform.FACEBOOK, Platform.INSTAGRAM)

# The seven scopes the Meta Token Debug panel checks (spec: "Meta token debug panel").
REQUIRED_META_SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_read_user_content",
    "pages_manage_posts",
    "instagram_basic",
    "instagram_content_publish",
    "business_management",
)
# Scopes whose absence shows the amber engagement-permission banner in the details panel.
ENGAGEMENT_SCOPES = ("read_insights", "pages_read_engagement")
