"""The sandbox's tables: what it must remember across requests, workers and restarts.

Times are the sandbox clock's epoch seconds (floats), not ``datetime``: the clock is injectable and
tests move it days ahead. Every row that can pile up has a time after which ``SandboxState.prune``
deletes it (``expires_at`` or ``purge_at``), so storage stays bounded. ``tenant`` is the
per-workspace tag the app puts on authorization URLs (see the package docstring); ``*`` is the
shared world (seeded content and what the control API adds).
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel

WORLD = "*"


class SandboxCode(SQLModel, table=True):
    __tablename__ = "sandbox_code"

    value: str = Field(primary_key=True, max_length=64)
    tenant: str = Field(default="", max_length=64)
    platform: str = Field(max_length=16)
    client_id: str = Field(max_length=128)
    redirect_uri: str = Field(max_length=512)
    persona_id: str = Field(max_length=32)
    scopes: str = Field(default="")  # space-separated
    page_ids: str = Field(default="")  # space-separated
    challenge: str | None = Field(default=None, max_length=256)
    challenge_method: str | None = Field(default=None, max_length=16)
    expires_at: float = Field(index=True)
    used: bool = False


class SandboxToken(SQLModel, table=True):
    __tablename__ = "sandbox_token"

    value: str = Field(primary_key=True, max_length=128)
    tenant: str = Field(default="", index=True, max_length=64)
    platform: str = Field(max_length=16)
    kind: str = Field(max_length=16)
    persona_id: str = Field(index=True, max_length=32)
    scopes: str = Field(default="")
    client_id: str = Field(max_length=128)
    issued_at: float
    expires_at: float | None = None
    page_ids: str = Field(default="")
    page_id: str | None = Field(default=None, max_length=32)
    parent: str | None = Field(default=None, index=True, max_length=128)  # Page token: its user token
    family: str = Field(default="", index=True, max_length=128)
    revoked: bool = False
    used: bool = False
    purge_at: float = Field(index=True)


class SandboxPost(SQLModel, table=True):
    __tablename__ = "sandbox_post"

    id: str = Field(primary_key=True, max_length=64)
    tenant: str = Field(index=True, max_length=64)
    platform: str = Field(max_length=16)
    owner_id: str = Field(index=True, max_length=64)
    caption: str = Field(default="")
    created: float
    media_url: str | None = None
    reactions: int = 0
    shares: int = 0
    views: int = 0
    media_kind: str = Field(default="", max_length=16)  # image / video / album ("" for text)
    media_count: int = 0


class SandboxComment(SQLModel, table=True):
    __tablename__ = "sandbox_comment"

    id: str = Field(primary_key=True, max_length=96)
    tenant: str = Field(max_length=64)
    post_id: str = Field(index=True, max_length=64)
    text: str = Field(default="")
    author: str = Field(max_length=128)
    created: float
    likes: int = 0
    parent_id: str | None = Field(default=None, max_length=96)  # a reply's parent comment
    author_id: str = Field(default="", max_length=64)


class SandboxModeration(SQLModel, table=True):
    """What a tenant's app did to one comment (seeded or added): hidden, deleted, liked by the
    account. One row per (tenant, comment); absent means untouched."""

    __tablename__ = "sandbox_moderation"

    key: str = Field(primary_key=True, max_length=170)  # tenant + "|" + comment id
    tenant: str = Field(max_length=64)
    comment_id: str = Field(index=True, max_length=96)
    hidden: bool = False
    deleted: bool = False
    liked: bool = False
    updated: float = 0.0


class SandboxContainer(SQLModel, table=True):
    """An Instagram media container (publishing.md §2.3). Its ``status_code`` is computed from the
    clock: IN_PROGRESS until ``ready_at``, then FINISHED (or ERROR when ``error_subcode`` is set),
    EXPIRED 24 h after ``created``, PUBLISHED once ``media_id`` is set. Published rows stay until
    ``expires_at`` (24 h after publishing) because the publishing quota counts them."""

    __tablename__ = "sandbox_container"

    id: str = Field(primary_key=True, max_length=32)
    tenant: str = Field(max_length=64)
    owner_id: str = Field(max_length=64)
    image_url: str  # the media URL (image_url or video_url)
    caption: str = Field(default="")
    expires_at: float = Field(index=True)
    media_type: str = Field(default="IMAGE", max_length=16)  # IMAGE, REELS, STORIES, VIDEO, CAROUSEL
    is_carousel_item: bool = False
    children: str = Field(default="")  # space-separated child container ids (CAROUSEL)
    created: float = 0.0
    ready_at: float = 0.0
    error_subcode: int | None = None
    media_id: str | None = Field(default=None, max_length=32)
    published_at: float | None = Field(default=None, index=True)


class SandboxMedia(SQLModel, table=True):
    """A Facebook Page's photo staged with ``published=false`` or a video being processed (§1.4, §1.5).

    A video's feed post is written when it is uploaded, dated ``ready_at``: the feed shows it once
    the clock gets there, as processing ends; ``failed`` videos get no post."""

    __tablename__ = "sandbox_media"

    id: str = Field(primary_key=True, max_length=32)
    tenant: str = Field(max_length=64)
    owner_id: str = Field(index=True, max_length=64)
    kind: str = Field(max_length=8)  # photo / video
    url: str
    caption: str = Field(default="")  # a video's description
    created: float
    ready_at: float
    post_id: str | None = Field(default=None, max_length=64)  # the feed post (attached photo, video)
    failed: bool = False
    expires_at: float = Field(index=True)


class SandboxFault(SQLModel, table=True):
    __tablename__ = "sandbox_fault"

    endpoint: str = Field(primary_key=True, max_length=64)
    kind: str = Field(max_length=32)
    times: int = 1
    status: int | None = None
    retry_after: int | None = None
    scope: str | None = Field(default=None, max_length=128)


class SandboxCounter(SQLModel, table=True):
    """Calls in one rate-limit window; ``bucket`` is platform, tenant, key and window start."""

    __tablename__ = "sandbox_counter"

    bucket: str = Field(primary_key=True, max_length=320)
    count: int = 0
    expires_at: float = Field(index=True)


class SandboxCsrf(SQLModel, table=True):
    """A consent form's single-use token (its SHA-256), bound to the consent page it was shown on."""

    __tablename__ = "sandbox_csrf"

    token_hash: str = Field(primary_key=True, max_length=64)
    binding: str = Field(max_length=64)
    expires_at: float = Field(index=True)


class SandboxMeta(SQLModel, table=True):
    """Small facts every worker must agree on (the seed epoch that dates the seeded posts)."""

    __tablename__ = "sandbox_meta"

    key: str = Field(primary_key=True, max_length=32)
    value: str = Field(max_length=64)


class SandboxUpload(SQLModel, table=True):
    """A publishing object in flight (a TikTok publish task, an X media upload, a LinkedIn image or
    video): its facts as JSON, timed by the sandbox clock, so every worker computes the same
    processing state. ``settled`` flips once, when a finished post joins the feed."""

    __tablename__ = "sandbox_upload"

    id: str = Field(primary_key=True, max_length=96)
    tenant: str = Field(default="", max_length=64)
    platform: str = Field(max_length=16)
    kind: str = Field(max_length=16)
    owner_id: str = Field(index=True, max_length=64)
    data: str = Field(default="{}")  # JSON
    created: float
    settled: bool = False
    expires_at: float = Field(index=True)


class SandboxMessage(SQLModel, table=True):
    """One Instagram direct message (reference/engagement.md §3): from a person to the account
    (``inbound``) or sent by the account through the Send API. A conversation is the pair
    (account, participant); the window rules read the participant's last inbound ``created``."""

    __tablename__ = "sandbox_message"

    id: str = Field(primary_key=True, max_length=96)  # the message id (``mid``)
    tenant: str = Field(max_length=64)
    account_id: str = Field(index=True, max_length=64)  # the Instagram professional account
    participant_id: str = Field(max_length=64)  # the person's IGSID
    participant_name: str = Field(default="", max_length=128)
    inbound: bool = True
    text: str = Field(default="")
    attachment_url: str | None = None
    tag: str = Field(default="", max_length=32)  # HUMAN_AGENT when sent with that tag
    created: float
    expires_at: float = Field(index=True)


TABLES = (
    SandboxCode,
    SandboxToken,
    SandboxPost,
    SandboxComment,
    SandboxModeration,
    SandboxContainer,
    SandboxMedia,
    SandboxFault,
    SandboxCounter,
    SandboxCsrf,
    SandboxMeta,
    SandboxUpload,
    SandboxMessage,
)
