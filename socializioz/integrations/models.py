"""Plain results of provider calls: what services store and show, free of any HTTP detail."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from socializioz.domain.connect_readiness import can_publish


def _utc(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, tz=UTC)


@dataclass(frozen=True)
class TokenSet:
    """One grant. Times are int epoch seconds (Authlib's expiry checks need ints)."""

    access_token: str = field(repr=False)
    token_type: str = "bearer"
    refresh_token: str | None = field(default=None, repr=False)
    issued_at: int | None = None
    expires_at: int | None = None  # None: the platform gave no lifetime (e.g. a Page token)
    refresh_expires_at: int | None = None
    scopes: tuple[str, ...] = ()
    external_id: str | None = None  # open_id (TikTok), user_id (Instagram), when the token says

    @property
    def expires_at_datetime(self) -> datetime | None:
        return _utc(self.expires_at)

    @property
    def refresh_expires_at_datetime(self) -> datetime | None:
        return _utc(self.refresh_expires_at)

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    def as_stored(self) -> dict[str, Any]:
        """The JSON-ready dict kept (encrypted) in ``Credential``."""
        return {**dataclasses.asdict(self), "scopes": list(self.scopes)}

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any]) -> TokenSet:
        """Back from a stored dict; keys that are not fields (e.g. ``page_access_token``) are ignored."""
        values = {k: v for k, v in stored.items() if k in _FIELDS}
        values["scopes"] = tuple(values.get("scopes") or ())
        return cls(**values)


_FIELDS = frozenset(f.name for f in dataclasses.fields(TokenSet))


@dataclass(frozen=True)
class CallbackResult:
    """What the platform sent to our redirect URI, once denials have been turned into errors."""

    code: str = field(repr=False)
    state: str | None
    granted_scopes: tuple[str, ...] = ()
    denied_scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Identity:
    external_id: str
    name: str
    username: str | None = None
    avatar_url: str | None = None
    followers: int | None = None
    account_type: str | None = None  # BUSINESS / MEDIA_CREATOR / PERSONAL (Instagram), PAGE, ...


@dataclass(frozen=True)
class LinkedInstagram:
    external_id: str
    username: str | None = None
    name: str | None = None
    avatar_url: str | None = None
    followers: int | None = None


@dataclass(frozen=True)
class PageInfo:
    external_id: str
    name: str
    access_token: str | None = field(default=None, repr=False)
    category: str | None = None
    tasks: tuple[str, ...] = ()
    avatar_url: str | None = None
    instagram: LinkedInstagram | None = None
    followers: int | None = None

    @property
    def can_publish(self) -> bool:
        """The login's role on the Page publishes (Admin or Editor: domain/connect_readiness.py)."""
        return can_publish(self.tasks)


@dataclass(frozen=True)
class PostInfo:
    external_id: str
    caption: str | None
    published_at: datetime | None
    media_url: str | None = None
    permalink: str | None = None
    reactions: int = 0
    comments: int = 0
    shares: int = 0


@dataclass(frozen=True)
class CommentInfo:
    external_id: str
    text: str
    created_at: datetime | None
    author: str | None = None
    likes: int = 0


@dataclass(frozen=True)
class ManagedComment:
    """A comment as comment management sees it (reference/engagement.md §1.2, §2.2): its thread
    (``parent_id`` of a reply), its moderation state, and whether the account itself wrote it."""

    external_id: str
    post_external_id: str
    text: str
    created_at: datetime | None
    author_id: str = ""
    author_name: str = ""
    parent_id: str | None = None
    like_count: int = 0
    hidden: bool = False
    by_account: bool = False
    liked: bool = False  # the account (a Facebook Page) likes it


@dataclass(frozen=True)
class MessageInfo:
    """One direct message as the platform lists it (reference/engagement.md §3.2)."""

    external_id: str
    inbound: bool  # from the person (False: sent by the account)
    text: str
    sent_at: datetime | None
    attachments: tuple[tuple[str, str], ...] = ()  # (type, url)


@dataclass(frozen=True)
class ConversationInfo:
    """A direct-message thread with one person, with its most recent messages (newest first)."""

    external_id: str
    participant_id: str
    participant_name: str = ""
    updated_at: datetime | None = None
    messages: tuple[MessageInfo, ...] = ()


@dataclass(frozen=True)
class SentMessage:
    """What the Send API answered: the platform's message id, kept so the echo is not a duplicate."""

    message_id: str
    recipient_id: str


@dataclass(frozen=True)
class AccountRef:
    """An account as a client acts on it: whose platform it is, its id there, and the token that
    acts for it (a Facebook Page's Page token; a Page-linked Instagram account's Page token too,
    read and written on the Facebook Graph by the Facebook client)."""

    platform: str
    external_id: str
    access_token: str = field(repr=False)


@dataclass(frozen=True)
class MediaItem:
    """One uploaded file as a platform sees it: a public, unguessable URL it can fetch (clients
    that must upload bytes GET it themselves) and the facts validation needs."""

    url: str
    kind: str  # "image" / "video"
    mime_type: str
    size_bytes: int = 0
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None


@dataclass(frozen=True)
class PublishRequest:
    """What one target sends: the text, its media in order, and the platform's own choices
    (``options``, e.g. TikTok's ``privacy_level``). The same request re-sent is how reconciliation
    finds a post an interrupted attempt may already have created."""

    text: str
    media: tuple[MediaItem, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    # Intermediate ids an earlier attempt saved (container id, publish_id, media ids): a client
    # resumes from them instead of creating the same thing again (publishing.md §0, crash recovery).
    handles: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PublishResult:
    """``status``: "published" (live, ``permalink`` set where the platform gives one) or "inbox"
    (TikTok upload-to-inbox: the creator finishes it in the app)."""

    external_id: str
    permalink: str | None = None
    status: str = "published"


@dataclass(frozen=True)
class PublishOptions:
    """What the composer must offer before posting to this account (TikTok's creator-info query:
    privacy levels, and interactions the creator turned off); empty for platforms without any."""

    privacy_levels: tuple[str, ...] = ()
    comment_disabled: bool = False
    duet_disabled: bool = False
    stitch_disabled: bool = False
    max_video_seconds: int | None = None
    can_post: bool = True  # False: the creator cannot post now (e.g. TikTok spam_risk_too_many_posts)
    reason: str = ""  # with can_post False: the catalogue code that explains why (domain.errors)


@dataclass(frozen=True)
class MetricPoint:
    """One account-level metric on one UTC day, under the app's normalised name
    (``domain.analytics``), whatever the platform calls it."""

    day: date
    metric: str
    value: int


@dataclass(frozen=True)
class PostMetrics:
    """A post's counters as the platform reports them now (0 where it offers none)."""

    external_id: str
    published_at: datetime | None = None
    caption: str = ""
    permalink: str = ""
    thumbnail_url: str = ""
    likes: int = 0
    comments: int = 0
    shares: int = 0
    views: int = 0
    saves: int = 0


@dataclass(frozen=True)
class Permissions:
    granted: tuple[str, ...]
    declined: tuple[str, ...] = ()
