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
    GIF,
    JPEG,
    MB,
    MOV,
    MP4,
    PNG,
    WEBP,
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
    # Where a person sees the account's own posts on the platform ("{username}" / "{external_id}").
    profile_url: str = ""

    def profile_link(self, external_id: str, username: str) -> str:
        """The account's page on the platform, or "" when the record needs a username it lacks."""
        if not self.profile_url or ("{username}" in self.profile_url and not username):
            return ""
        return self.profile_url.format(external_id=external_id, username=username)

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
    # read_insights: Page insights; instagram_manage_insights: a Page-linked Instagram's (analytics.md §1.1, §2.2);
    # instagram_manage_comments: moderating a Page-linked Instagram's comments (engagement.md §2.1).
    consent_scopes=(
        *REQUIRED_META_SCOPES,
        "pages_manage_engagement",
        "read_insights",
        "instagram_manage_insights",
        "instagram_manage_comments",
    ),
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
        "instagram_business_manage_messages",  # the direct-message inbox (engagement.md §3)
    ),
    debug_scopes=(
        "instagram_business_basic",
        "instagram_business_content_publish",
        "instagram_business_manage_comments",
        "instagram_business_manage_insights",
        "instagram_business_manage_messages",
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
    publish_alternatives=("video.upload",),  # upload to the creator's inbox (publishing.md, TikTok)
)
X_OAUTH2 = ConnectionSpec(
    ConnectionMethod.OAUTH,
    "X OAuth 2.0 (PKCE)",
    "x",
    # media.write: the v2 media upload a post with images or video needs (publishing.md §4.3).
    consent_scopes=("tweet.read", "tweet.write", "users.read", "offline.access", "media.write"),
    publish_scope="tweet.write",
    media_scope="media.write",
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
    publish_alternatives=("w_organization_social",),  # posting as an organisation Page
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
    # [BB-FB]: a peer's code; photo types and size, and the 10 photos, are not in Meta's 2026 docs (§1.7).
    media=MediaRules(
        MediaRequirement.NONE,
        63_206,
        unverified=("max_text", "image_types", "max_image_bytes", "max_images"),
        image_types=(JPEG, PNG, GIF),
        video_types=(MP4, MOV),
        max_image_bytes=10 * MB,
        max_images=10,
        max_videos=1,
        preview_chars=480,
    ),
    profile_url="https://www.facebook.com/{external_id}",
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
    # [IG-media][IG-pub] §2.6: JPEG only, ≤ 8 MB, 4:5…1.91:1; Reels MP4/MOV 3 s–15 min, ≤ 300 MB
    # (the 1 GB of Meta's Postman collection is the CONFLICT's other side); a carousel of 2–10 items.
    media=MediaRules(
        MediaRequirement.IMAGE_OR_VIDEO,
        2_200,
        image_types=(JPEG,),
        video_types=(MP4, MOV),
        max_image_bytes=8 * MB,
        max_video_bytes=300 * MB,
        max_images=10,
        max_videos=10,
        max_items=10,
        min_video_seconds=3,
        max_video_seconds=15 * 60,
        image_aspect=(4 / 5, 1.91),
        max_hashtags=30,
        max_mentions=20,
        preview_chars=125,
    ),
    refresh=RefreshFacts(min_token_age=timedelta(hours=24)),  # platforms.md §2.3
    accounts=AccountRules(refused_account_types=("PERSONAL",), refused_code="instagram_personal_account"),
    profile_url="https://www.instagram.com/{username}/",
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
    # Video title 2,200 UTF-16 runes [TT-direct]; photo posts [TT-photo] are pulled from a verified
    # domain only (ProviderSettings.tiktok_pull_url_prefixes), so compose keeps requiring a video.
    # §3.10: MP4/MOV (WebM too, which the store does not take), ≤ 4 GB, ≤ 10 min (the creator's own
    # maximum from creator info may be lower).
    media=MediaRules(
        MediaRequirement.VIDEO,
        2_200,
        text_counting="utf16",
        video_types=(MP4, MOV),
        max_video_bytes=4096 * MB,
        max_videos=1,
        max_video_seconds=600,
        preview_chars=100,
    ),
    profile_url="https://www.tiktok.com/@{username}",
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
    # [X-count]: URL 23, emoji 2. [X-mbp] §4.4: 4 photos (JPG/PNG/GIF/WEBP ≤ 5 MB) or 1 video
    # (MP4/MOV ≤ 512 MB, 0.5–140 s).
    media=MediaRules(
        MediaRequirement.NONE,
        280,
        text_counting="weighted",
        image_types=(JPEG, PNG, GIF, WEBP),
        video_types=(MP4, MOV),
        max_image_bytes=5 * MB,
        max_video_bytes=512 * MB,
        max_images=4,
        max_videos=1,
        min_video_seconds=0.5,
        max_video_seconds=140,
    ),
    profile_url="https://x.com/{username}",
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
    # [LI-notes]: commentary, little-text escaped. [LI-img] JPG/GIF/PNG < 36,152,320 pixels,
    # multiImage up to 20; [LI-vid] MP4, 3 s–30 min, 75 KB–500 MB.
    media=MediaRules(
        MediaRequirement.NONE,
        3_000,
        image_types=(JPEG, PNG, GIF),
        video_types=(MP4,),
        max_video_bytes=500 * MB,
        min_video_bytes=75 * 1024,
        max_images=20,
        max_videos=1,
        min_video_seconds=3,
        max_video_seconds=30 * 60,
        max_image_pixels=36_152_320,
        preview_chars=210,
    ),
    profile_url="https://www.linkedin.com/in/me/recent-activity/all/",  # the signed-in member's own activity
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
