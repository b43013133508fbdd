"""Date windows for insights requests: platforms cap how many days one request may span (Facebook
90, Instagram 30, reference/analytics.md §1.1, §2.2), so a longer range is cut into chunks, and
their day buckets are turned back into the UTC days the app stores."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

ONE_DAY = timedelta(days=1)


def windows(since: date, until: date, max_days: int) -> list[tuple[date, date]]:
    """``since``..``until`` (inclusive) as consecutive inclusive windows of at most ``max_days``."""
    if max_days < 1:
        raise ValueError("max_days must be at least 1")
    out: list[tuple[date, date]] = []
    start = since
    while start <= until:
        end = min(until, start + timedelta(days=max_days - 1))
        out.append((start, end))
        start = end + ONE_DAY
    return out


def days(since: date, until: date) -> list[date]:
    return [since + timedelta(days=n) for n in range((until - since).days + 1)]


def epoch(day: date) -> int:
    """Midnight UTC of ``day`` as Unix seconds (Graph's ``since``/``until``)."""
    return int(datetime.combine(day, time(), tzinfo=UTC).timestamp())


def bucket_day(end_time: Any) -> date | None:
    """The day a Graph ``end_time`` closes: the bucket ends at the next day's (Pacific) midnight,
    written in UTC (``2026-09-02T07:00:00+0000`` is the value of 1 September)."""
    if not isinstance(end_time, str) or len(end_time) < 10:
        return None
    try:
        return date.fromisoformat(end_time[:10]) - ONE_DAY
    except ValueError:
        return None
