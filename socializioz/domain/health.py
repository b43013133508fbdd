"""When an account needs reconnecting (spec: "Reconnecting an expired account")."""

from __future__ import annotations

from datetime import datetime

# Statuses that mean the account must be re-authorised.
NEEDS_RECONNECT_STATUSES = frozenset({"expired", "invalid", "revoked", "disconnected", "error", "needs_reconnect"})
HEALTHY_STATUS = "active"


def needs_reconnect(
    *, status: str, token_expires_at: datetime | None, last_platform_error: str | None, now: datetime
) -> bool:
    """True on any of the spec's three conditions: expired token, flagged status, platform error."""
    token_expired = token_expires_at is not None and token_expires_at <= now
    return token_expired or status in NEEDS_RECONNECT_STATUSES or bool(last_platform_error)
