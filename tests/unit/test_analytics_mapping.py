"""Analytics without a network: platform metric names → the app's ``Metric``, windows and chunking,
Graph's day buckets, the sync's window, derived values and rate-limit backoff."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from socializioz.domain.analytics import Metric
from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.integrations import facebook, instagram_insights, linkedin, x
from socializioz.integrations.insight_windows import bucket_day, days, epoch, windows
from socializioz.integrations.models import MetricPoint, PostMetrics
from socializioz.integrations.sandbox import insights as sandbox_insights
from socializioz.services import analytics_sync

D = date(2026, 9, 1)

DEPRECATED = ("impressions", "page_impressions", "page_impressions_unique", "page_fans", "plays", "video_views")


def test_windows_cut_a_range_into_spans_the_platform_accepts():
    assert windows(D, D + timedelta(days=199), 90) == [
        (D, D + timedelta(days=89)),
        (D + timedelta(days=90), D + timedelta(days=179)),
        (D + timedelta(days=180), D + timedelta(days=199)),
    ]
    assert windows(D, D, 30) == [(D, D)]
    assert windows(D, D - timedelta(days=1), 30) == []
    with pytest.raises(ValueError):
        windows(D, D, 0)
    assert days(D, D + timedelta(days=2)) == [D, D + timedelta(days=1), D + timedelta(days=2)]
    assert epoch(D) == int(datetime(2026, 9, 1, tzinfo=UTC).timestamp())


def test_a_graph_end_time_closes_the_previous_day():
    assert bucket_day("2026-09-02T07:00:00+0000") == D
    assert bucket_day("2026-09-02T00:00:00Z") == D
    assert bucket_day(None) is None and bucket_day("soon") is None


def test_requested_names_are_valid_in_2026_and_known_to_the_sandbox():
    requested = {
        "facebook page": set(facebook.PAGE_METRICS),
        "facebook post": set(facebook.POST_METRICS.split(",")),
        "instagram account": set(instagram_insights.SERIES_METRICS) | set(instagram_insights.TOTAL_METRICS),
        "instagram media": set(instagram_insights.MEDIA_METRICS.split(",")),
    }
    valid = {
        "facebook page": sandbox_insights.FACEBOOK_PAGE_METRICS,
        "facebook post": sandbox_insights.FACEBOOK_POST_METRICS,
        "instagram account": sandbox_insights.INSTAGRAM_ACCOUNT_METRICS,
        "instagram media": sandbox_insights.INSTAGRAM_MEDIA_METRICS,
    }
    for level, names in requested.items():
        assert names <= valid[level], level
        assert not names & set(DEPRECATED) and not any("impressions" in n for n in names), level
    assert set(linkedin.MEMBER_DAILY) <= sandbox_insights.LINKEDIN_QUERY_TYPES


def test_page_metrics_map_to_the_app_names():
    body = {
        "data": [
            {"name": "page_media_view", "values": [{"value": 412, "end_time": "2026-09-02T07:00:00+0000"}]},
            {"name": "page_follows", "values": [{"value": 1520, "end_time": "2026-09-02T07:00:00+0000"}]},
            {"name": "page_unknown", "values": [{"value": 1, "end_time": "2026-09-02T07:00:00+0000"}]},
        ]
    }
    assert instagram_insights.series_points(body, facebook.PAGE_METRICS) == [
        MetricPoint(D, Metric.VIEWS.value, 412),
        MetricPoint(D, Metric.FOLLOWERS.value, 1520),
    ]


def test_instagram_total_value_and_lifetime_shapes():
    body = {"data": [{"name": "views", "total_value": {"value": 8123}}, {"name": "total_interactions"}]}
    assert instagram_insights.total_value_points(body, instagram_insights.TOTAL_METRICS, D) == [
        MetricPoint(D, Metric.VIEWS.value, 8123)
    ]  # an empty entry is no data, not zero
    media = {
        "data": [
            {"name": "views", "values": [{"value": 1530}]},
            {"name": "saved", "total_value": {"value": 12}},
            {"name": "post_reactions_by_type_total", "values": [{"value": {"like": 10, "love": 2}}]},
        ]
    }
    assert instagram_insights.lifetime_values(media) == {"views": 1530, "saved": 12, "post_reactions_by_type_total": 12}


def test_x_reads_both_spellings_of_reposts():
    tweet = {
        "id": "1",
        "public_metrics": {"repost_count": 3, "quote_count": 1, "like_count": 17, "impression_count": 940},
    }
    metrics = x._tweet_metrics(tweet)
    assert (metrics.shares, metrics.likes, metrics.views, metrics.comments) == (4, 17, 940, 0)


def test_linkedin_daily_elements_are_dated_by_their_range_start():
    assert linkedin._element_day({"dateRange": {"start": {"day": 1, "month": 9, "year": 2026}}}) == D
    assert linkedin._element_day({"value": 3}) is None
    assert linkedin._restli_day(D) == "(day:1,month:9,year:2026)"


def test_the_sync_window_backfills_once_then_rereads_the_revisable_days():
    until = D + timedelta(days=100)
    assert analytics_sync.sync_window(90, None, until) == (until - timedelta(days=89), until)
    assert analytics_sync.sync_window(90, until - timedelta(days=1), until) == (until - timedelta(days=3), until)
    assert analytics_sync.sync_window(90, until, until) == (until - timedelta(days=2), until)  # a manual refresh
    assert analytics_sync.sync_window(60, D, until) == (until - timedelta(days=59), until)  # a long gap
    assert analytics_sync.sync_window(0, None, until) == (until, until)  # lifetime counters only


def _post(external_id: str, day: date | None, views: int = 0, likes: int = 0) -> PostMetrics:
    published = datetime(day.year, day.month, day.day, 12, tzinfo=UTC) if day else None
    return PostMetrics(external_id, published_at=published, views=views, likes=likes)


def test_posts_per_day_only_where_the_list_covers_the_day():
    posts = [_post("a", D + timedelta(days=2)), _post("b", D + timedelta(days=2)), _post("c", D)]
    full = analytics_sync.posts_per_day(posts, D - timedelta(days=1), D + timedelta(days=2), complete=True)
    assert [(p.day, p.value) for p in full] == [
        (D - timedelta(days=1), 0),
        (D, 1),
        (D + timedelta(days=1), 0),
        (D + timedelta(days=2), 2),
    ]
    cut = analytics_sync.posts_per_day(posts, D - timedelta(days=1), D + timedelta(days=2), complete=False)
    assert [p.day for p in cut] == [D + timedelta(days=1), D + timedelta(days=2)]
    assert analytics_sync.posts_per_day([], D, D, complete=False) == []


def test_activity_from_snapshots_is_what_the_posts_gained():
    last_sync = datetime(2026, 9, 1, 0, 30, tzinfo=UTC)
    previous = {"a": SimpleNamespace(views=100, likes=5, comments=1, shares=0, saves=0, synced_at=last_sync)}
    posts = [_post("a", D - timedelta(days=3), views=160, likes=9), _post("new", D, views=40, likes=2)]
    points = analytics_sync.activity_from_snapshots([], posts, previous, D)
    assert points == [MetricPoint(D, "views", 60 + 40), MetricPoint(D, "engagement", (9 - 6) + 2)]
    daily = [MetricPoint(D, "views", 5)]
    assert analytics_sync.activity_from_snapshots(daily, posts, previous, D) == []  # the platform gave the day
    assert analytics_sync.activity_from_snapshots([], posts, {}, D) == []  # nothing to measure from yet


async def test_backoff_waits_out_rate_limits_and_passes_other_errors():
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    limited = ProviderError(ErrorKind.TEMPORARY, "rate_limited", "x", retry_after=None)
    answers: list[object] = [limited, limited, "ok"]

    async def call() -> object:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert await analytics_sync.with_backoff(call, sleep) == "ok" and waits == [5.0, 10.0]
    refused = ProviderError(ErrorKind.MISSING_PERMISSION, "scope_not_granted", "x", missing_scope="tweet.read")
    answers[:] = [refused]
    with pytest.raises(ProviderError) as caught:
        await analytics_sync.with_backoff(call, sleep)
    assert caught.value is refused and waits == [5.0, 10.0]
    answers[:] = [limited] * analytics_sync.MAX_ATTEMPTS
    with pytest.raises(ProviderError):
        await analytics_sync.with_backoff(call, sleep)
    assert len(waits) == 2 + analytics_sync.MAX_ATTEMPTS - 1
