"""The time zones a workspace may use: IANA names the server's tz database knows, so compose and the
posts calendar can always convert with ``zoneinfo``."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import available_timezones

DEFAULT = "UTC"
MAX_LENGTH = 64  # the longest IANA name is about 30 characters


@cache
def names() -> tuple[str, ...]:
    """Every IANA name, sorted (read once: the tz database does not change while the app runs)."""
    return tuple(sorted(available_timezones()))


def is_known(name: object) -> bool:
    return isinstance(name, str) and 0 < len(name) <= MAX_LENGTH and name in names()


def as_utc(moment: datetime) -> datetime:
    """``moment`` with its zone; a naive value (SQLite hands back naive timestamps) is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
