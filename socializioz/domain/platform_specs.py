"""The shapes of a platform's record: how it connects, what a post may hold, how its token ages.

``platforms.PLATFORMS`` fills one ``PlatformInfo`` per platform from these; clients and services
read the record and never restate a scope, a media rule or a refresh fact (DESIGN principle 9).
Facts marked ``unverified`` come from one non-primary source (reference/publishing.md) and are
knobs to re-check, not contract.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta


class ConnectionMethod(str, enum.Enum):
    """How an account was connected (``SocialAccount.connection_method``)."""

    FACEBOOK_PAGE = "facebook_page"  # Facebook Login for Pages: a Page, or an Instagram account linked to it
    INSTAGRAM_LOGIN = "instagram_login"  # Instagram API with Instagram (Business) Login
    OAUTH = "oauth"  # the platform's one OAuth flow (TikTok, X, LinkedIn)


@dataclass(frozen=True)
class ConnectionSpec:
    """One way of connecting a platform's account, and the scopes that way grants.

    ``client`` is the platform whose client reads the account (a Page-linked Instagram account is
    read on the Facebook Graph); ``consent_scopes`` are asked for on the consent screen (empty:
    granted as part of another platform's consent); ``debug_scopes`` are the token debug panel's
    badges; ``engagement_scopes`` missing show the amber banner; ``publish_scope`` lets it post,
    and so does any of ``publish_alternatives`` (TikTok's ``video.upload`` sends to the creator's
    inbox instead of posting directly; LinkedIn's organisation scope posts as a Page).
    ``media_scope``: a post with images or video also needs it (X's ``media.write``); an account
    connected before it was asked for can post text only until it reconnects.
    """

    method: ConnectionMethod
    label: str
    client: str
    consent_scopes: tuple[str, ...] = ()
    debug_scopes: tuple[str, ...] = ()
    engagement_scopes: tuple[str, ...] = ()
    publish_scope: str = ""
    publish_alternatives: tuple[str, ...] = ()
    media_scope: str = ""

    @property
    def publish_scopes(self) -> tuple[str, ...]:
        """Every scope that lets this connection post; any one of them is enough."""
        return tuple(s for s in (self.publish_scope, *self.publish_alternatives) if s)


class MediaRequirement(str, enum.Enum):
    NONE = "none"  # text alone is a post
    IMAGE_OR_VIDEO = "image_or_video"
    VIDEO = "video"


MB = 1024 * 1024
# The file types the media store recognises from their bytes; platforms take subsets of these.
JPEG, PNG, GIF, WEBP = "image/jpeg", "image/png", "image/gif", "image/webp"
MP4, MOV = "video/mp4", "video/quicktime"


@dataclass(frozen=True)
class MediaRules:
    """What one post may hold (reference/publishing.md §0 and each platform's "media constraints").
    ``text_only`` is what compose checks and the client enforces; ``max_text`` is the caption limit
    in the platform's own counting. The file facts (types, sizes, counts, durations) are what the
    composer validates before a post is scheduled, so a post the platform would refuse is never
    queued; ``None`` means the platform states no such limit."""

    requires: MediaRequirement
    max_text: int
    text_counting: str = "characters"  # "weighted" (X: URL 23, emoji 2), "utf16" (TikTok)
    unverified: tuple[str, ...] = ()  # which of these facts no primary source confirmed
    image_types: tuple[str, ...] = ()  # MIME types of the images it takes; () = no images
    video_types: tuple[str, ...] = ()  # MIME types of the videos it takes; () = no videos
    max_image_bytes: int | None = None
    max_video_bytes: int | None = None
    min_video_bytes: int | None = None
    max_images: int = 0  # images in one post
    max_videos: int = 0  # videos in one post
    max_items: int | None = None  # images and videos together (a carousel); None: no mixing allowed
    min_video_seconds: float | None = None
    max_video_seconds: float | None = None
    image_aspect: tuple[float, float] | None = None  # (narrowest, widest) width ÷ height
    max_image_pixels: int | None = None
    max_hashtags: int | None = None
    max_mentions: int | None = None
    # Where the feed cuts a caption behind "… more" (observed in the apps, UNVERIFIED): the
    # composer's preview cuts at the same place. None: the whole text shows.
    preview_chars: int | None = None

    @property
    def text_only(self) -> bool:
        return self.requires is MediaRequirement.NONE

    @property
    def mixes_media(self) -> bool:
        """Images and videos may share one post (Instagram's carousel)."""
        return self.max_items is not None

    def takes(self, mime_type: str) -> bool:
        return mime_type in self.image_types or mime_type in self.video_types


@dataclass(frozen=True)
class RefreshFacts:
    """The platform's own token rules (reference/platforms.md); the refresh policy decides with them."""

    min_token_age: timedelta = timedelta(0)  # the platform refuses to refresh a younger token


@dataclass(frozen=True)
class AccountRules:
    """Which accounts the platform's identity call may return and we still connect."""

    refused_account_types: tuple[str, ...] = ()  # e.g. Instagram PERSONAL (spec: Business or Creator only)
    refused_code: str = ""  # the catalogue code shown when one is refused
