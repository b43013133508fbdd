"""One typed record per platform: the spec's tables (plans, availability, capabilities) and the
platform's facts (scopes per connection method, media rules, refresh facts, error group).

UI, services and the provider clients read these; no other module restates them. Adding a
platform starts here (docs/adding-a-platform.md).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import timedelta

from .error_groups import ErrorGroup
from .plans import Plan
from .platform_specs import (
    AccountRules,
    ConnectionMethod,
    ConnectionSpec,
    MediaRequirement,
    MediaRules,
    RefreshFacts,
)


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
    error_group: ErrorGroup | None = None  # the spec's error table for this platform
    connections: tuple[ConnectionSpec, ...] = ()  # the first is the one its own consent screen grants
    media: MediaRules | None = None
    refresh: RefreshFacts = field(default_factory=RefreshFacts)
    accounts: AccountRules = field(default_factory=AccountRules)

    @property
    def is_meta(self) -> bool:
        return self.platform in META_PLATFORMS

    @property
    def connectable(self) -> bool:
        return self.availability is Availability.AVAILABLE

    @property
    def consent_scopes(self) -> tuple[str, ...]:
        """What the platform's own consent screen asks for."""
        return self.connections[0].consent_scopes if self.connections else ()

    def connection(self, method: str | ConnectionMethod) -> ConnectionSpec:
        """The spec of one connection method; an unknown or legacy method gets the platform's own."""
        for spec in self.connections:
            if spec.method.value == str(getattr(method, "value", method)):
                return spec
        return self.connections[0]

    def has_connection(self, method: str | ConnectionMethod) -> bool:
        return any(spec.method.value == str(getattr(method, "value", method)) for spec in self.connections)

    def supports(self, capability: Capability) -> bool:
        """What the UI and services ask; a client raises ``Unsupported`` for anything else."""
        return capability in self.capabilities

    def available_on(self, plan: Plan) -> bool:
        return plan.rank >= self.minimum_plan.rank


META_PLATFORMS = (Platform.FACEBOOK, Platform.INSTAGRAM)
META_PLATFORM_NAMES = frozenset(p.value for p in META_PLATFORMS)

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
# Scopes whose absence shows the amber engagement-permission banner in the details panel (spec).
ENGAGEMENT_SCOPES = ("read_insights", "pages_read_engagement")
# Scopes whose refusal fails a Facebook connection (others are reported, not required).
FACEBOOK_CONNECT_REQUIRED_SCOPES = ("pages_show_list", "pages_read_engagement", "pages_manage_posts")

FACEBOOK_LOGIN = ConnectionSpec(
    ConnectionMethod.FACEBOOK_PAGE,
    "Facebook Login for Pages",
    "facebook",
    # read_insights: Page insights; instagram_manage_insights: a Page-linked Instagram's (analytics.md §1.1, §2.2).
    consent_scopes=(*REQUIRED_META_SCOPES, "pages_manage_engagement", "read_insights", "instagram_manage_insights"),
    debug_scopes=REQUIRED_META_SCOPES,
    engagement_scopes=ENGAGEMENT_SCOPES,
    publish_scope="pages_manage_posts",
)
# Instagram Business Login grants its own scopes: its equivalents of the Meta seven (platforms.md §2).
INSTAGRAM_BUSINESS_LOGIN = ConnectionSpec(
    ConnectionMethod.INSTAGRAM_LOGIN,
    "Instagram Business Login",
    "instagram",
    consent_scopes=(
        "instagram_business_basic",
        "instagram_business_content_publish",
        "instagram_business_manage_comments",
        "instagram_business_manage_insights",  # account and media insights (analytics.md §2.2)
    ),
    debug_scopes=(
        "instagram_business_basic",
        "instagram_business_content_publish",
        "instagram_business_manage_comments",
        "instagram_business_manage_insights",
    ),
    engagement_scopes=("instagram_business_basic", "instagram_business_manage_comments"),
    publish_scope="instagram_business_content_publish",
)
# An Instagram account linked to a Facebook Page: granted inside Facebook's consent, read on its Graph.
INSTAGRAM_VIA_PAGE = ConnectionSpec(
    ConnectionMethod.FACEBOOK_PAGE,
    "Instagram via a Facebook Page",
    "facebook",
    debug_scopes=REQUIRED_META_SCOPES,
    engagement_scopes=ENGAGEMENT_SCOPES,
    publish_scope="instagram_content_publish",
)
TIKTOK_LOGIN = ConnectionSpec(
    ConnectionMethod.OAUTH,
    "TikTok Login Kit",
    "tiktok",
    consent_scopes=("user.info.basic", "user.info.profile", "user.info.stats", "video.list", "video.publish"),
    publish_scope="video.publish",
)
X_OAUTH2 = ConnectionSpec(
    ConnectionMethod.OAUTH,
    "X OAuth 2.0 (PKCE)",
    "x",
    consent_scopes=("tweet.read", "tweet.write", "users.read", "offline.access"),
    publish_scope="tweet.write",
)
LINKEDIN_OAUTH2 = ConnectionSpec(
    ConnectionMethod.OAUTH,
    "LinkedIn 3-legged OAuth",
    "linkedin",
    # r_member_*Analytics: the member's post statistics and follower counts (analytics.md §5.2).
    consent_scopes=(
        "openid",
        "profile",
        "email",
        "w_member_social",
        "r_member_postAnalytics",
        "r_member_profileAnalytics",
    ),
    publish_scope="w_member_social",
)

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

# Caption limits and text-only rules: reference/publishing.md §0 (sources in its §8).
FACEBOOK = PlatformInfo(
    Platform.FACEBOOK,
    "Facebook",
    Plan.FREE,
    Availability.AVAILABLE,
    True,
    "#1877F2",
    _META_CAPABILITIES,
    error_group=ErrorGroup.META,
    connections=(FACEBOOK_LOGIN,),
    media=MediaRules(MediaRequirement.NONE, 63_206, unverified=("max_text",)),  # [BB-FB]: a peer's code
)
INSTAGRAM = PlatformInfo(
    Platform.INSTAGRAM,
    "Instagram",
    Plan.FREE,
    Availability.AVAILABLE,
    True,
    "#E1306C",
    _META_CAPABILITIES | {Capability.DIRECT_MESSAGES},
    error_group=ErrorGroup.META,
    connections=(INSTAGRAM_BUSINESS_LOGIN, INSTAGRAM_VIA_PAGE),
    media=MediaRules(MediaRequirement.IMAGE_OR_VIDEO, 2_200),  # [IG-media]; also ≤30 hashtags, ≤20 @tags
    refresh=RefreshFacts(min_token_age=timedelta(hours=24)),  # platforms.md §2.3
    accounts=AccountRules(refused_account_types=("PERSONAL",), refused_code="instagram_personal_account"),
)
TIKTOK = PlatformInfo(
    Platform.TIKTOK,
    "TikTok",
    Plan.PROFESSIONAL,
    Availability.AVAILABLE,
    False,
    "#111111",
    _BASIC_CAPABILITIES,
    error_group=ErrorGroup.TIKTOK,
    connections=(TIKTOK_LOGIN,),
    # Video title 2,200 UTF-16 runes [TT-direct]; photo posts [TT-photo] are not wired, so a video is required.
    media=MediaRules(MediaRequirement.VIDEO, 2_200, text_counting="utf16"),
)
X = PlatformInfo(
    Platform.X,
    "X (Twitter)",
    Plan.PROFESSIONAL,
    Availability.AVAILABLE,
    False,
    "#0F1419",
    _BASIC_CAPABILITIES,
    error_group=ErrorGroup.X,
    connections=(X_OAUTH2,),
    media=MediaRules(MediaRequirement.NONE, 280, text_counting="weighted"),  # [X-count]: URL 23, emoji 2
)
LINKEDIN = PlatformInfo(
    Platform.LINKEDIN,
    "LinkedIn",
    Plan.PROFESSIONAL,
    Availability.AVAILABLE,
    False,
    "#0A66C2",
    _BASIC_CAPABILITIES,
    error_group=ErrorGroup.LINKEDIN,
    connections=(LINKEDIN_OAUTH2,),
    media=MediaRules(MediaRequirement.NONE, 3_000),  # [LI-notes]: commentary, little-text escaped
)

PLATFORMS: dict[Platform, PlatformInfo] = {
    info.platform: info
    for info in (
        FACEBOOK,
        INSTAGRAM,
        TIKTOK,
        X,
        LINKEDIN,
        PlatformInfo(
            Platform.TELEGRAM, "Telegram", Plan.PROFESSIONAL, Availability.COMING_SOON, False, "#229ED9", frozenset()
        ),
        PlatformInfo(
            Platform.WHATSAPP, "WhatsApp", Plan.ENTERPRISE, Availability.COMING_SOON, False, "#25D366", frozenset()
        ),
    )
}

CONNECTABLE_PLATFORMS = tuple(p for p, i in PLATFORMS.items() if i.connectable)


def platform_info(platform: Platform | str) -> PlatformInfo:
    """The record of a platform given as the enum or its stored name."""
    return PLATFORMS[Platform(platform)]


def is_meta(platform: Platform | str) -> bool:
    return str(getattr(platform, "value", platform)) in META_PLATFORM_NAMES


def error_group(platform: str | None) -> ErrorGroup | None:
    """The spec table a platform's errors belong to; None for no or an unknown platform."""
    try:
        return platform_info(platform or "").error_group
    except ValueError:
        return None
