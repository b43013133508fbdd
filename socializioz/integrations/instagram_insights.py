"""Instagram insights, read once for both ways an account is connected (reference/analytics.md §2):
Instagram Login on graph.instagram.com (``InstagramProvider``) and a Page-linked account on
graph.facebook.com (``FacebookProvider``). The metric names are the same on both hosts; only the
host, the token and the scope names differ, so each client passes its own ``Read`` and scopes.

Only names valid in 2026 are asked for: ``views`` (not the deprecated ``impressions``, ``plays``,
``video_views``), ``reach``, ``total_interactions``; media ``saved`` (``saves`` is the account's).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from socializioz.domain.analytics import Metric
from socializioz.domain.errors import ProviderError

from .base import as_int, parse_time
from .insight_windows import ONE_DAY, bucket_day, days, epoch, followers_now, windows
from .models import MetricPoint, PostMetrics

Read = Callable[[str, dict[str, str], str], Awaitable[dict[str, Any]]]
"""A GET on the client's own Graph host: (path, query, scope a refusal names) → JSON body."""

ACCOUNT_WINDOW_DAYS = 30  # since–until per request (analytics.md §2.2, UNVERIFIED: older docs)
HISTORY_DAYS = 90  # account insights are kept 90 days (§2.2)
# ``reach`` is the one daily series; the others are ``total_value`` (one number per window), so a
# daily chart asks for them one day at a time.
SERIES_METRICS = {"reach": Metric.REACH}
TOTAL_METRICS = {"views": Metric.VIEWS, "total_interactions": Metric.ENGAGEMENT}
MEDIA_METRICS = "views,reach,likes,comments,saved,shares,total_interactions"
MEDIA_FIELDS = (
    "id,caption,media_type,media_product_type,media_url,thumbnail_url,permalink,timestamp,like_count,comments_count"
)
_TOO_FEW_VIEWERS = "not enough viewers"  # (#10) on media too new or too small to show insights (§2.3)


@dataclass(frozen=True)
class InstagramScopes:
    """The scope names of one connection method: profile/media reads, and insights."""

    basic: str
    insights: str


INSTAGRAM_LOGIN_SCOPES = InstagramScopes("instagram_business_basic", "instagram_business_manage_insights")
PAGE_LINKED_SCOPES = InstagramScopes("instagram_basic", "instagram_manage_insights")


async def account_insights(
    read: Read, ig_id: str, since: date, until: date, scopes: InstagramScopes
) -> list[MetricPoint]:
    """Daily reach (a series per ≤30-day window), daily views and interactions (one call per day),
    and today's followers dated ``until``. Days Instagram has no data for are left out, not zero."""
    points: list[MetricPoint] = []
    for start, end in windows(since, until, ACCOUNT_WINDOW_DAYS):
        body = await read(f"/{ig_id}/insights", _query(SERIES_METRICS, "time_series", start, end), scopes.insights)
        points += [p for p in series_points(body, SERIES_METRICS) if start <= p.day <= end]
    for day in days(since, until):
        body = await read(f"/{ig_id}/insights", _query(TOTAL_METRICS, "total_value", day, day), scopes.insights)
        points += total_value_points(body, TOTAL_METRICS, day)
    profile = await read(f"/{ig_id}", {"fields": "followers_count"}, scopes.basic)
    return points + followers_now(profile.get("followers_count"), until)


async def post_metrics(read: Read, ig_id: str, limit: int, scopes: InstagramScopes) -> list[PostMetrics]:
    """The latest media with their lifetime insights; media Instagram will not report on yet keep
    their public counters (likes, comments)."""
    body = await read(f"/{ig_id}/media", {"fields": MEDIA_FIELDS, "limit": str(limit)}, scopes.basic)
    out = []
    for media in body.get("data", [])[:limit]:
        if not media.get("id") or media.get("media_product_type") == "STORY":
            continue  # stories report for 24 h only, through their own webhook (§2.3)
        values = await _media_values(read, str(media["id"]), scopes)
        out.append(_post(media, values))
    return out


async def _media_values(read: Read, media_id: str, scopes: InstagramScopes) -> dict[str, int]:
    try:
        body = await read(f"/{media_id}/insights", {"metric": MEDIA_METRICS}, scopes.insights)
    except ProviderError as error:
        if _TOO_FEW_VIEWERS in error.detail.lower():
            return {}
        raise
    return lifetime_values(body)


def _post(media: Mapping[str, Any], values: Mapping[str, int]) -> PostMetrics:
    thumbnail = media.get("thumbnail_url") if media.get("media_type") == "VIDEO" else media.get("media_url")
    return PostMetrics(
        external_id=str(media["id"]),
        published_at=parse_time(media.get("timestamp")),
        caption=media.get("caption") or "",
        permalink=media.get("permalink") or "",
        thumbnail_url=thumbnail or media.get("thumbnail_url") or "",
        likes=values.get("likes", as_int(media.get("like_count")) or 0),
        comments=values.get("comments", as_int(media.get("comments_count")) or 0),
        shares=values.get("shares", 0),
        views=values.get("views", 0),
        saves=values.get("saved", 0),
    )


def _query(metrics: Mapping[str, Metric], metric_type: str, start: date, end: date) -> dict[str, str]:
    return {
        "metric": ",".join(metrics),
        "period": "day",
        "metric_type": metric_type,
        "since": str(epoch(start)),
        "until": str(epoch(end + ONE_DAY)),
    }


def series_points(body: Mapping[str, Any], names: Mapping[str, Metric]) -> list[MetricPoint]:
    """``values[]`` of each known metric, one point per day its ``end_time`` closes (Graph shape,
    also Facebook Page insights)."""
    points = []
    for row in body.get("data", []):
        metric = names.get(str(row.get("name")))
        for item in row.get("values", []) if metric else ():
            day, value = bucket_day(item.get("end_time")), as_int(item.get("value"))
            if metric and day is not None and value is not None:
                points.append(MetricPoint(day, metric.value, value))
    return points


def total_value_points(body: Mapping[str, Any], names: Mapping[str, Metric], day: date) -> list[MetricPoint]:
    """``total_value.value`` of each known metric, for the one-day window ``day``."""
    points = []
    for row in body.get("data", []):
        metric = names.get(str(row.get("name")))
        value = as_int((row.get("total_value") or {}).get("value"))
        if metric and value is not None:
            points.append(MetricPoint(day, metric.value, value))
    return points


def lifetime_values(body: Mapping[str, Any]) -> dict[str, int]:
    """Media (or post) insights: ``total_value.value`` if present, else the first ``values[]``
    entry (brightbean's rule, §2.2); object values (by-type breakdowns) are summed."""
    out = {}
    for row in body.get("data", []):
        total = row.get("total_value")
        first: Mapping[str, Any] = next(iter(row.get("values") or []), {})
        raw = total.get("value") if isinstance(total, dict) else first.get("value")
        value = sum(as_int(v) or 0 for v in raw.values()) if isinstance(raw, dict) else as_int(raw)
        if row.get("name") and value is not None:
            out[str(row["name"])] = value
    return out
