"""Database tables (SQLModel). Tokens live only in ``Credential``, encrypted."""

from __future__ import annotations

from datetime import UTC, datetime

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
    created_at: datetime = _ts(default_factory=utcnow)


class Membership(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("workspace_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    role: str = "member"  # owner / admin / member


class SocialAccount(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("workspace_id", "platform", "external_id"),)

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
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    author_id: int = Field(foreign_key="user.id")
    text: str = ""
    media_url: str = ""
    status: str = "draft"  # draft / scheduled / published / failed
    failure_reason: str | None = None
    blocked_reason: str | None = None
    scheduled_at: datetime | None = _ts(default=None)
    published_at: datetime | None = _ts(default=None)
    created_at: datetime = _ts(default_factory=utcnow)


class PostTarget(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("post_id", "account_id"),)

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="post.id", index=True)
    account_id: int = Field(foreign_key="socialaccount.id", index=True)


class Campaign(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    name: str


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
