"""When an account needs reconnecting (spec: "Reconnecting an expired account")."""

from __future__ import annotations

import enum
from datetime import datetime


class AccountStatus(enum.StrEnum):
    """``SocialAccount.status``: what the last connect, refresh or platform answer left."""

    ACTIVE = "active"
    EXPIRED = "expired"
    INVALID = "invalid"
    REVOKED = "revoked"
    DISCONNECTED = "disconnected"
    ERROR = "error"
    NEEDS_RECONNECT = "needs_reconnect"


class Health(enum.StrEnum):
    """What a card shows (and the Connections page filters on): green or amber."""

    HEALTHY = "healthy"
    NEEDS_RECONNECT = "needs_reconnect"


# Statuses that mean the account must be re-authorised (plain strings: they go into SQL too).
NEEDS_RECONNECT_STATUSES = frozenset(s.value for s in AccountStatus if s is not AccountStatus.ACTIVE)
HEALTHY_STATUS = AccountStatus.ACTIVE


def needs_reconnect(
    *, status: str, token_expires_at: datetime | None, last_platform_error: str | None, now: datetime
) -> bool:
    """True on any of the spec's three conditions: expired token, flagged status, platform error."""
    token_expired = token_expires_at is not None and token_expires_at <= now
    return token_expired or status in NEEDS_RECONNECT_STATUSES or bool(last_platform_error)
