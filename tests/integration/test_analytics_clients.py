"""Each client reads account and post metrics from the sandbox's insights endpoints, under the app's
metric names; a missing scope is refused naming it; deprecated metric names and over-long windows
are refused as the real APIs refuse them; post counters rise with age and then plateau."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from socializioz.domain.analytics import Metric
from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.integrations import ProviderSettings
from socializioz.integrations.models import AccountRef, MetricPoint, PublishRequest

from .conftest import BASE, new_flow
from .test_client_flows import connect

FB_SCOPES_WITHOUT_INSIGHTS = [
    "pages_show_list",
    "pages_read_engagement",
    "pages_read_user_content",
    "pages_manage_posts",
    "instagram_basic",
]


@pytest.fixture
def provider_settings():
    """The shared fixture's 1-second deadline, widened: these tests read a year of days from an
    in-process sandbox on a shared machine."""
    return ProviderSettings(sandbox_base_url=BASE, request_timeout_seconds=15)


def _today(clock) -> date:
    return datetime.fromtimestamp(clock.now(), UTC).date()


def _by(points, metric: Metric) -> dict[date, int]:
    return {p.day: p.value for p in points if p.metric == metric.value}


async def _page(make_provider, consent, **choice):
    provider, token = await connect(make_provider, consent, "facebook", persona="fb-alice", pages=["1111"], **choice)
    page = next(p for p in await provider.list_pages(token.access_token) if p.external_id == "1111")
    return provider, page


async def test_facebook_page_daily_metrics_and_post_views(make_provider, consent, clock):
    provider, page = await _page(make_provider, consent)
    ref = AccountRef("facebook", "1111", page.access_token)
    today = _today(clock)
    points = await provider.account_insights(ref, today - timedelta(days=14), today - timedelta(days=1))
    days = [today - timedelta(days=k) for k in range(14, 0, -1)]
    for metric in (Metric.VIEWS, Metric.REACH, Metric.ENGAGEMENT, Metric.FOLLOWERS):
        assert sorted(_by(points, metric)) == days, metric
    views, reach = _by(points, Metric.VIEWS), _by(points, Metric.REACH)
    assert all(0 < reach[d] < views[d] for d in days)
    followers = _by(points, Metric.FOLLOWERS)
    assert [followers[d] for d in days] == sorted(followers[d] for d in days)  # growing
    again = await provider.account_insights(ref, today - timedelta(days=14), today - timedelta(days=1))
    assert again == points  # deterministic per page and day

    posts = await provider.post_metrics(ref, limit=10)
    assert len(posts) == 3 and all(p.views > 0 and p.published_at for p in posts)
    assert posts[0].comments == len(await provider.comments(page.access_token, posts[0].external_id))


async def test_a_long_range_is_read_in_90_day_windows(make_provider, consent, clock):
    provider, page = await _page(make_provider, consent)
    today = _today(clock)
    since = today - timedelta(days=200)
    points = await provider.account_insights(
        AccountRef("facebook", "1111", page.access_token), since, today - timedelta(days=1)
    )
    assert len(_by(points, Metric.VIEWS)) == 200  # three requests; the sandbox refuses any span over 90 days


async def test_a_post_rises_then_plateaus(make_provider, consent, clock):
    provider, page = await _page(make_provider, consent)
    ref = AccountRef("facebook", "1111", page.access_token)
    published = await provider.publish_post(ref, PublishRequest(text="Analytics curve test"))
    readings = []
    for _ in range(5):
        clock.advance(86400)
        post = next(p for p in await provider.post_metrics(ref) if p.external_id == published.external_id)
        readings.append(post.views)
    gains = [b - a for a, b in itertools.pairwise(readings)]
    assert readings[0] > 0 and all(g >= 0 for g in gains) and gains[-1] < gains[0] / 3


async def test_page_insights_without_read_insights_name_the_scope(make_provider, consent, clock):
    provider, page = await _page(make_provider, consent, scopes=FB_SCOPES_WITHOUT_INSIGHTS)
    today = _today(clock)
    with pytest.raises(ProviderError) as caught:
        await provider.account_insights(
            AccountRef("facebook", "1111", page.access_token), today - timedelta(days=2), today
        )
    assert caught.value.kind is ErrorKind.MISSING_PERMISSION and caught.value.missing_scope == "read_insights"


async def test_deprecated_and_invalid_requests_are_refused_like_graph(make_provider, consent, raw, clock):
    _, page = await _page(make_provider, consent)
    auth = {"Authorization": f"Bearer {page.access_token}"}
    today = _today(clock)
    for metric in ("page_impressions", "page_fans", "page_media_view,page_impressions_unique"):
        answer = await raw.get("/graph.facebook.com/v21.0/1111/insights", params={"metric": metric}, headers=auth)
        assert answer.status_code == 400
        assert answer.json()["error"]["code"] == 100
        assert answer.json()["error"]["message"] == "(#100) The value must be a valid insights metric"
    too_long = {
        "metric": "page_media_view",
        "period": "day",
        "since": (today - timedelta(days=120)).isoformat(),
        "until": today.isoformat(),
    }
    answer = await raw.get("/graph.facebook.com/v21.0/1111/insights", params=too_long, headers=auth)
    assert answer.status_code == 400 and "90 days" in answer.json()["error"]["message"]


async def test_instagram_login_account_and_media_insights(make_provider, consent, raw, clock):
    provider, token = await connect(make_provider, consent, "instagram", persona="ig-studio")
    me = await provider.fetch_identity(token.access_token)
    ref = AccountRef("instagram", me.external_id, token.access_token)
    today = _today(clock)
    points = await provider.account_insights(ref, today - timedelta(days=40), today - timedelta(days=1))
    assert len(_by(points, Metric.REACH)) == 40  # a 30-day and a 10-day window
    assert len(_by(points, Metric.VIEWS)) == 40 and len(_by(points, Metric.ENGAGEMENT)) == 40
    assert _by(points, Metric.FOLLOWERS) == {today - timedelta(days=1): me.followers}
    posts = await provider.post_metrics(ref)
    assert len(posts) == 3 and all(p.views > 0 and p.likes > 0 and p.saves >= 0 for p in posts)
    # "impressions" is gone (2025-04-21): Graph's error 100 naming the valid values
    answer = await raw.get(
        f"/graph.instagram.com/v21.0/{me.external_id}/insights",
        params={"metric": "impressions", "period": "day", "metric_type": "total_value"},
        headers={"Authorization": f"Bearer {token.access_token}"},
    )
    assert answer.status_code == 400 and answer.json()["error"]["code"] == 100
    assert "metric[0] must be one of the following values" in answer.json()["error"]["message"]


async def test_instagram_login_without_insights_scope(make_provider, consent, clock):
    provider, token = await connect(
        make_provider, consent, "instagram", persona="ig-studio", scopes=["instagram_business_basic"]
    )
    me = await provider.fetch_identity(token.access_token)
    today = _today(clock)
    with pytest.raises(ProviderError) as caught:
        await provider.account_insights(
            AccountRef("instagram", me.external_id, token.access_token), today - timedelta(days=1), today
        )
    assert caught.value.kind is ErrorKind.MISSING_PERMISSION
    assert caught.value.missing_scope == "instagram_business_manage_insights"


async def test_page_linked_instagram_is_read_on_the_facebook_graph(make_provider, consent, clock):
    provider, page = await _page(make_provider, consent)
    ref = AccountRef("instagram", page.instagram.external_id, page.access_token)
    today = _today(clock)
    points = await provider.account_insights(ref, today - timedelta(days=5), today - timedelta(days=1))
    assert len(_by(points, Metric.REACH)) == 5 and len(_by(points, Metric.VIEWS)) == 5
    assert _by(points, Metric.FOLLOWERS)[today - timedelta(days=1)] == page.instagram.followers
    posts = await provider.post_metrics(ref)
    assert len(posts) == 2 and all(p.views > 0 for p in posts)
    assert provider.insights_history_days(ref) == 90


async def test_page_linked_instagram_without_instagram_manage_insights(make_provider, consent, clock):
    provider, page = await _page(make_provider, consent, scopes=[*FB_SCOPES_WITHOUT_INSIGHTS, "read_insights"])
    ref = AccountRef("instagram", page.instagram.external_id, page.access_token)
    with pytest.raises(ProviderError) as caught:
        await provider.post_metrics(ref)
    assert caught.value.missing_scope == "instagram_manage_insights"


async def test_tiktok_followers_and_video_counters(make_provider, consent, clock):
    provider, token = await connect(make_provider, consent, "tiktok", persona="tt-maya")
    me = await provider.fetch_identity(token.access_token)
    ref = AccountRef("tiktok", me.external_id, token.access_token)
    today = _today(clock)
    points = await provider.account_insights(ref, today - timedelta(days=3), today)
    assert [(p.day, p.metric) for p in points] == [(today, Metric.FOLLOWERS.value)]
    assert points[0].value == me.followers
    posts = await provider.post_metrics(ref)
    assert len(posts) == 1 and posts[0].views > 0 and posts[0].likes > 0


async def test_tiktok_without_stats_scope(make_provider, consent, clock):
    provider, token = await connect(
        make_provider, consent, "tiktok", persona="tt-maya", scopes=["user.info.basic", "video.list"]
    )
    with pytest.raises(ProviderError) as caught:
        await provider.account_insights(AccountRef("tiktok", "x", token.access_token), _today(clock), _today(clock))
    assert caught.value.kind is ErrorKind.MISSING_PERMISSION and caught.value.missing_scope == "user.info.stats"


async def test_x_followers_and_post_public_metrics(make_provider, consent, clock):
    provider, token = await connect(make_provider, consent, "x", persona="x-jane")
    me = await provider.fetch_identity(token.access_token)
    ref = AccountRef("x", me.external_id, token.access_token)
    today = _today(clock)
    assert await provider.account_insights(ref, today, today) == [MetricPoint(today, "followers", me.followers)]
    posts = await provider.post_metrics(ref)
    assert len(posts) == 1 and posts[0].views > 0 and posts[0].permalink.endswith(posts[0].external_id)


async def test_linkedin_member_daily_metrics_and_post_statistics(make_provider, consent, clock):
    provider, token = await connect(make_provider, consent, "linkedin", persona="li-jane")
    me = await provider.fetch_identity(token.access_token)
    ref = AccountRef("linkedin", me.external_id, token.access_token)
    today = _today(clock)
    points = await provider.account_insights(ref, today - timedelta(days=7), today - timedelta(days=1))
    views, engagement = _by(points, Metric.VIEWS), _by(points, Metric.ENGAGEMENT)
    assert len(views) == 7 and len(engagement) == 7 and len(_by(points, Metric.REACH)) == 7
    assert sum(views.values()) > 0 and _by(points, Metric.FOLLOWERS)[today - timedelta(days=1)] > 0
    posts = await provider.post_metrics(ref)
    assert len(posts) == 2 and all(p.views > 0 for p in posts)


async def test_linkedin_member_without_post_analytics_scope(make_provider, consent, clock):
    """LinkedIn grants all or nothing of what was asked: a consent that never asked for the scope."""
    provider = make_provider("linkedin")
    flow = new_flow("linkedin")
    url = provider.authorization_url(
        state=flow["state"], redirect_uri=flow["redirect_uri"], scopes=("openid", "profile", "w_member_social")
    )
    callback = provider.parse_callback(await consent.submit(url, persona="li-jane"))
    token = await provider.exchange_code(callback.code, redirect_uri=flow["redirect_uri"])
    me = await provider.fetch_identity(token.access_token)
    with pytest.raises(ProviderError) as caught:
        await provider.post_metrics(AccountRef("linkedin", me.external_id, token.access_token))
    assert caught.value.kind is ErrorKind.MISSING_PERMISSION and caught.value.missing_scope == "r_member_postAnalytics"


async def test_an_exhausted_call_budget_is_graphs_rate_limit(make_provider, consent, clock, monkeypatch):
    from socializioz.integrations.sandbox import insights as sandbox_insights

    provider, page = await _page(make_provider, consent)
    monkeypatch.setitem(sandbox_insights.HOURLY_BUDGET, "facebook", 1)
    ref, today = AccountRef("facebook", "1111", page.access_token), _today(clock)
    await provider.account_insights(ref, today - timedelta(days=2), today - timedelta(days=1))
    with pytest.raises(ProviderError) as caught:
        await provider.account_insights(ref, today - timedelta(days=2), today - timedelta(days=1))
    assert (caught.value.kind, caught.value.code, caught.value.provider_code) == (
        ErrorKind.TEMPORARY,
        "rate_limited",
        "80001",
    )
    clock.advance(3600)  # the next hour's budget
    assert await provider.account_insights(ref, today - timedelta(days=2), today - timedelta(days=1))
