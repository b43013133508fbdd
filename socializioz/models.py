"""Database tables (SQLModel). Tokens live only in ``Credential``, encrypted."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """Timestamps stored in UTC and always read back timezone-aware.

    SQLite drops the offset, so without this a value written aware comes back naive and
    comparing it with ``utcnow()`` raises; PostgreSQL keeps it. Both now behave the same.
    Naive values are taken to be UTC already.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _ts(**kwargs) -> Field:  # type: ignore[valid-type]
    """A timezone-aware timestamp column."""
    return Field(sa_type=UTCDateTime(), **kwargs)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True, unique=True)
    name: str
    password_hash: str
    active_workspace_id: int | None = Field(default=None, foreign_key="workspace.id")
    language: str = "en"
    tour_done: bool = False
    onboarding_step: int = 0  # the set-up wizard's step to resume at (1-3); 0 when finished or skipped
    created_at: datetime = _ts(default_factory=utcnow)


class UserSession(SQLModel, table=True):
    """A server-side sign-in session; the browser holds only ``id_hash``'s preimage in an HttpOnly cookie.
    (Not SQLModel's ``Session``, the database session every service takes.)"""

    __tablename__ = "session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(index=True, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = _ts(default_factory=utcnow)
    expires_at: datetime = _ts()


class SignInTicket(SQLModel, table=True):
    """A one-time, short-lived proof that a password check passed, traded for the session cookie."""

    id: int | None = Field(default=None, primary_key=True)
    ticket_hash: str = Field(index=True, unique=True)
    user_id: int = Field(foreign_key="user.id")
    expires_at: datetime = _ts()


class SignInAttempt(SQLModel, table=True):
    """Failed sign-ins per email and client IP, for rate limiting across processes."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True)
    client_ip: str = Field(default="", index=True)
    at: datetime = _ts(default_factory=utcnow, index=True)


class Workspace(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    plan: str = "free"
    timezone: str = "UTC"  # IANA name; compose and the posts calendar show and take times in it
    created_at: datetime = _ts(default_factory=utcnow)
    members_may_moderate: bool = False  # comments: owners and admins moderate; members too when set


class Membership(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("workspace_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    role: str = "member"  # owner / admin / member


class SocialAccount(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "platform", "external_id"),
        # Pages of a workspace's accounts in the order lists show them (analytics' per-account table).
        sa.Index("ix_socialaccount_ws_platform_name", "workspace_id", "platform", "name", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    platform: str
    external_id: str
    name: str
    username: str = ""
    avatar_url: str = ""
    followers: int = 0
    status: str = "active"
    connected_at: datetime = _ts(default_factory=utcnow)
    token_expires_at: datetime | None = _ts(default=None)
    granted_scopes: str = ""  # space-separated
    publish_capable: bool = True
    connection_method: str = ""  # e.g. "instagram_login", "facebook_page"
    parent_account_id: int | None = Field(default=None, foreign_key="socialaccount.id")
    last_error: str | None = None
    refresh_failures: int = 0
    refresh_paused: bool = False
    next_refresh_at: datetime | None = _ts(default=None)
    disconnected_at: datetime | None = _ts(default=None)


class Credential(SQLModel, table=True):
    """Encrypted tokens of one account (AES-GCM, key id for rotation, bound to the account row)."""

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="socialaccount.id", index=True, unique=True)
    key_id: str
    ciphertext: bytes
    updated_at: datetime = _ts(default_factory=utcnow)


class OAuthFlow(SQLModel, table=True):
    """One OAuth attempt: single use, 10-minute life, bound to user, workspace, platform and intent."""

    id: int | None = Field(default=None, primary_key=True)
    state_hash: str = Field(index=True, unique=True)
    user_id: int = Field(foreign_key="user.id")
    workspace_id: int = Field(foreign_key="workspace.id")
    platform: str
    intent: str = "connect"  # connect / reconnect / onboarding
    reconnect_account_id: int | None = Field(default=None, foreign_key="socialaccount.id")
    code_verifier_enc: bytes = b""
    return_path: str = "/connections"
    client_token: str = ""
    created_at: datetime = _ts(default_factory=utcnow)
    expires_at: datetime = _ts()
    consumed_at: datetime | None = _ts(default=None)
    result: str | None = None  # JSON summary shown on the result page


class Post(SQLModel, table=True):
    """What a person composed: one text, its media, one time, several accounts (``PostTarget``).

    ``status`` is the post as a whole (draft / scheduled / published / failed / partly_failed),
    derived from its targets by the publisher; each target carries its own outcome.
    ``media_ids`` is a JSON list of ``MediaAsset.id`` in order; ``options`` a JSON object of
    per-platform choices (e.g. ``{"tiktok": {"privacy_level": "SELF_ONLY"}}``).
    """

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    author_id: int = Field(foreign_key="user.id")
    campaign_id: int | None = Field(default=None, foreign_key="campaign.id", index=True)
    text: str = ""
    media_url: str = ""  # legacy single URL (quick compose before uploads); new posts use media_ids
    media_ids: str = "[]"
    options: str = "{}"
    status: str = "draft"  # draft / scheduled / published / failed / partly_failed
    failure_reason: str | None = None
    blocked_reason: str | None = None
    scheduled_at: datetime | None = _ts(default=None, index=True)
    published_at: datetime | None = _ts(default=None)
    created_at: datetime = _ts(default_factory=utcnow)


class PostTarget(SQLModel, table=True):
    """One post on one account, and everything the publisher knows about sending it.

    ``status``: scheduled / publishing / published / failed / blocked / needs_review / draft
    (``domain.publishing.TargetStatus``). A worker claims a due target by setting ``lease_holder``
    and ``lease_until`` in one conditional UPDATE; ``attempt_started_at`` is written and committed
    *before* the platform is called, so a target found "publishing" with an expired lease is an
    ambiguous outcome that must be reconciled against the platform, never blindly retried.
    ``failure_code`` is a catalogue code (the reason in words comes from the i18n catalogue).
    """

    __table_args__ = (
        sa.UniqueConstraint("post_id", "account_id"),
        sa.Index("ix_posttarget_due", "status", "due_at"),
        # The analytics page's published counts: a range per account (migration c6a0000rollup).
        sa.Index("ix_posttarget_account_published", "account_id", "published_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="post.id", index=True)
    account_id: int = Field(foreign_key="socialaccount.id", index=True)
    status: str = "scheduled"
    due_at: datetime | None = _ts(default=None)  # when it should next be tried (the schedule, then backoff)
    attempts: int = 0
    lease_holder: str | None = None
    lease_until: datetime | None = _ts(default=None)
    attempt_started_at: datetime | None = _ts(default=None)
    external_id: str | None = None
    permalink: str | None = None
    failure_code: str | None = None
    failure_detail: str | None = None  # the platform's own words, shown under the catalogue text
    handles: str = "{}"  # JSON: the platform's intermediate ids (container, publish_id, media_id), saved per step
    published_at: datetime | None = _ts(default=None)
    updated_at: datetime = _ts(default_factory=utcnow)


class MediaAsset(SQLModel, table=True):
    """A file uploaded in the composer, kept by the media store (``services.media_store``).

    ``token`` is the unguessable part of the URL platforms fetch it from; ``storage_key`` is the
    store's own name for the bytes (a path under the data dir in the embedded default).
    """

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    uploaded_by: int = Field(foreign_key="user.id")
    token: str = Field(index=True, unique=True, max_length=64)
    storage_key: str = Field(max_length=255)
    filename: str = Field(default="", max_length=255)
    mime_type: str = Field(max_length=100)
    kind: str = Field(max_length=8)  # image / video
    size_bytes: int = 0
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    created_at: datetime = _ts(default_factory=utcnow)


class Campaign(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    name: str
    created_at: datetime = _ts(default_factory=utcnow)


class CampaignAccount(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("campaign_id", "account_id"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    account_id: int = Field(foreign_key="socialaccount.id", index=True)


class ConnectionEvent(SQLModel, table=True):
    """The audit trail of one account: connects, refreshes, errors, disconnects."""

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    account_id: int | None = Field(default=None, foreign_key="socialaccount.id", index=True)
    kind: str
    detail: str = ""
    at: datetime = _ts(default_factory=utcnow)


class JobLease(SQLModel, table=True):
    """A named lease so that only one process runs a scheduled job at a time."""

    name: str = Field(primary_key=True)
    holder: str
    expires_at: datetime = _ts()


class SyncedPost(SQLModel, table=True):
    """A recent post of an account as last read from the platform, for the details panel.

    A cache, replaced on every content sync; ``comment_preview`` is a JSON list of
    ``{"author", "text"}`` (the first few comments).
    """

    __table_args__ = (sa.UniqueConstraint("account_id", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    account_id: int = Field(foreign_key="socialaccount.id", index=True)
    external_id: str
    caption: str = ""
    media_url: str = ""
    permalink: str = ""
    published_at: datetime | None = _ts(default=None)
    reactions: int = 0
    comments: int = 0
    shares: int = 0
    comment_preview: str = "[]"
    synced_at: datetime = _ts(default_factory=utcnow)


class SignUpAttempt(SQLModel, table=True):
    """Sign-ups per client IP, for throttling account creation across processes."""

    id: int | None = Field(default=None, primary_key=True)
    client_ip: str = Field(default="", index=True)
    at: datetime = _ts(default_factory=utcnow, index=True)


class AssistantQuestion(SQLModel, table=True):
    """Questions each user asked the support assistant, for its hourly budget across processes."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    at: datetime = _ts(default_factory=utcnow, index=True)


class Invitation(SQLModel, table=True):
    """An invitation to a workspace that the invitee accepts; only the token's hash is stored."""

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    email: str = Field(index=True)
    role: str = "member"
    token_hash: str = Field(index=True, unique=True)
    invited_by: int = Field(foreign_key="user.id")
    created_at: datetime = _ts(default_factory=utcnow)
    expires_at: datetime = _ts()
    # pending until one of: accepted, declined, revoked (then ``closed_at`` is set)
    status: str = "pending"
    closed_at: datetime | None = _ts(default=None, nullable=True)


class LiveTab(SQLModel, table=True):
    """An open page of a workspace that gets live pushes (one row per Reflex tab token).

    Written on page load after the session cookie was checked; the pusher re-checks the tab's
    cookie before every push and drops rows whose socket is gone or whose session ended.
    """

    client_token: str = Field(primary_key=True, max_length=64)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    session_hash: str = Field(max_length=64)
    last_seen: datetime = _ts(default_factory=utcnow, index=True)


class AccountMetricDay(SQLModel, table=True):
    """One account-level metric for one day (UTC date), as the platform reported it.

    ``metric`` is the app's normalised name (``domain.analytics.Metric``: followers, reach,
    views, engagement, ...), not the platform's; written once per day however many processes sync.
    """

    __table_args__ = (
        sa.UniqueConstraint("account_id", "day", "metric"),
        sa.Index("ix_accountmetricday_ws_day", "workspace_id", "day"),
        # The analytics page's aggregates read only these columns: index-only range scans.
        sa.Index("ix_accountmetricday_ws_day_cover", "workspace_id", "day", "metric", "account_id", "value"),
        # A page of the per-account table: index-only range scans per account.
        sa.Index("ix_accountmetricday_account_cover", "account_id", "day", "metric", "value"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    account_id: int = Field(foreign_key="socialaccount.id")
    day: date
    metric: str = Field(max_length=32)
    value: int = 0
    synced_at: datetime = _ts(default_factory=utcnow)


class PostCounters(SQLModel):
    """A post as one analytics sync read it: which post, where it links, and its counters."""

    account_id: int = Field(foreign_key="socialaccount.id")
    external_id: str = Field(max_length=128)
    post_target_id: int | None = Field(default=None, foreign_key="posttarget.id")  # published by us
    published_at: datetime | None = _ts(default=None)
    caption: str = ""
    permalink: str = ""
    thumbnail_url: str = ""
    likes: int = 0
    comments: int = 0
    shares: int = 0
    views: int = 0
    saves: int = 0
    synced_at: datetime = _ts(default_factory=utcnow)


class PostMetricSnapshot(PostCounters, table=True):
    """A post's counters as read at one sync (likes, comments, shares, views, saves); the latest
    per post is what pages show, earlier ones draw its curve."""

    __table_args__ = (
        sa.Index("ix_postmetric_account_post", "account_id", "external_id", "synced_at"),
        sa.Index("ix_postmetric_synced_at", "synced_at"),  # the retention prune (migration c5a0000anback)
        sa.Index("ix_postmetric_ws_published", "workspace_id", "published_at"),  # a period's top posts
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)


class PostMetricLatest(PostCounters, table=True):
    """A post's latest counters, one row per post, upserted with each snapshot: the analytics page
    ranks a period's top posts by walking one of these indexes from the best down to the first
    ``TOP_POSTS`` in the period, so its cost does not grow with the workspace's posts
    (benchmarks/analytics/page_build.py). ``engagement`` is likes + comments + shares + saves."""

    __table_args__ = (
        sa.UniqueConstraint("account_id", "external_id"),
        sa.Index("ix_postlatest_ws_engagement", "workspace_id", "engagement"),
        sa.Index("ix_postlatest_ws_likes", "workspace_id", "likes"),
        sa.Index("ix_postlatest_ws_comments", "workspace_id", "comments"),
        sa.Index("ix_postlatest_ws_shares", "workspace_id", "shares"),
        sa.Index("ix_postlatest_ws_views", "workspace_id", "views"),
        sa.Index("ix_postlatest_ws_published", "workspace_id", "published_at"),
        sa.Index("ix_postlatest_account_published", "account_id", "published_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    engagement: int = 0


class PublishedCount(SQLModel, table=True):
    """How many targets were published per workspace, platform and quarter of an hour (UTC; every
    time zone's midnight falls on one), counted by the publisher in the transaction that marks a
    target published. The analytics page's "posts published" figures read these few rows instead of
    the period's targets."""

    __table_args__ = (sa.UniqueConstraint("workspace_id", "slot", "platform"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    platform: str = Field(max_length=32)
    slot: datetime = _ts()  # the start of the quarter hour
    posts: int = 0


class AnalyticsState(SQLModel, table=True):
    """Per account: when analytics last synced, and why not when it could not (a catalogue code
    such as ``analytics_missing_scope`` with the scope), so pages explain an empty chart."""

    account_id: int = Field(foreign_key="socialaccount.id", primary_key=True)
    last_synced_at: datetime | None = _ts(default=None)
    backfilled_until: date | None = None
    problem_code: str | None = None
    problem_scope: str | None = None
    # The first and last day the account has rows for: whether a range has any of them is then a
    # comparison, not a probe of its days (the page lists the accounts without data).
    data_from: date | None = None
    data_until: date | None = None


class WorkspaceMetricDay(SQLModel, table=True):
    """The daily rollup of ``AccountMetricDay``: one metric's sum over a workspace's connected
    accounts of one platform on one day, and how many accounts reported it. Written by the
    analytics sync in the transaction that writes the accounts' days (``services.analytics_rollup``),
    so the analytics page reads O(days) rows whatever the number of accounts."""

    __table_args__ = (sa.UniqueConstraint("workspace_id", "day", "platform", "metric"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    platform: str = Field(max_length=32)
    day: date
    metric: str = Field(max_length=32)
    value: int = 0
    accounts: int = 0  # how many accounts reported this metric that day


class WebhookDelivery(SQLModel, table=True):
    """One POST from a platform's webhooks, kept as received (after its signature checked) so it is
    processed off the request and exactly once; the same bytes delivered again are one row."""

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=16)  # "meta"
    body_sha256: str = Field(max_length=64, unique=True, index=True)
    body: str
    received_at: datetime = _ts(default_factory=utcnow)
    claimed_by: str | None = Field(default=None, max_length=32)  # the drainer holding it
    claimed_until: datetime | None = _ts(default=None)
    processed_at: datetime | None = _ts(default=None, index=True)
    attempts: int = 0
    error: str | None = None


class EngagementComment(SQLModel, table=True):
    """A comment on one of an account's posts, from a webhook or a poll; one row per platform id."""

    __table_args__ = (
        sa.UniqueConstraint("account_id", "external_id"),
        sa.Index("ix_engagementcomment_ws_created", "workspace_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    account_id: int = Field(foreign_key="socialaccount.id", index=True)
    external_id: str = Field(max_length=128)
    post_external_id: str = Field(default="", max_length=128)
    parent_external_id: str | None = Field(default=None, max_length=128)  # a reply's parent comment
    author_external_id: str = Field(default="", max_length=128)
    author_name: str = ""
    text: str = ""
    created_at: datetime = _ts(default_factory=utcnow)
    hidden: bool = False
    deleted: bool = False
    like_count: int = 0
    by_account: bool = False  # written by the account itself (our replies)
    liked: bool = False  # the account likes it (Facebook Pages)
    updated_at: datetime = _ts(default_factory=utcnow)


class Conversation(SQLModel, table=True):
    """A direct-message thread between an account and one person (Instagram: their IGSID)."""

    __table_args__ = (sa.UniqueConstraint("account_id", "participant_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    account_id: int = Field(foreign_key="socialaccount.id", index=True)
    participant_id: str = Field(max_length=128)
    participant_name: str = ""
    external_id: str | None = Field(default=None, max_length=256)  # the platform's conversation id, once known
    last_message_at: datetime | None = _ts(default=None)
    last_inbound_at: datetime | None = _ts(default=None)  # opens the platform's reply window
    unread: int = 0
    assigned_to: int | None = Field(default=None, foreign_key="user.id")


class DirectMessage(SQLModel, table=True):
    """One message of a conversation; one row per platform message id (``mid``)."""

    __table_args__ = (sa.UniqueConstraint("conversation_id", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    external_id: str = Field(max_length=512)
    inbound: bool = True  # from the person (False: sent by the account)
    text: str = ""
    attachments: str = "[]"  # JSON list of {"type", "url"}
    sent_at: datetime = _ts(default_factory=utcnow)


class NotifyRequest(SQLModel, table=True):
    """A person asked to hear when a coming-soon platform launches (one row per user and platform)."""

    __table_args__ = (sa.UniqueConstraint("user_id", "platform"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    platform: str = Field(max_length=32)
    created_at: datetime = _ts(default_factory=utcnow)
    # When the person dismissed the in-app launch notice or used its Connect action (None: not yet).
    notified_at: datetime | None = _ts(default=None)
