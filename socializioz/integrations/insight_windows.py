"""Dates of insights: platforms cap how many days one request may span (Facebook 90, Instagram 30,
reference/analytics.md §1.1, §2.2), so a longer range is cut into chunks; their day buckets are
turned back into the UTC days the app stores; a counter given only as "now" is dated once."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from socializioz.domain.analytics import Metric

from .base import as_int
from .models import MetricPoint

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


def followers_now(value: Any, until: date) -> list[MetricPoint]:
    """A follower count the platform gives only as "now", dated the last day of the window (the
    daily sync reads it once a day, so its snapshots draw the growth)."""
    followers = as_int(value)
    return [] if followers is None else [MetricPoint(until, Metric.FOLLOWERS.value, followers)]
