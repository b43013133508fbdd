"""Plain results of provider calls: what services store and show, free of any HTTP detail."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


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
        return "CREATE_CONTENT" in self.tasks or "MANAGE" in self.tasks


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
class PublishResult:
    external_id: str
    permalink: str | None = None


@dataclass(frozen=True)
class Permissions:
    granted: tuple[str, ...]
    declined: tuple[str, ...] = ()
