"""The analytics sync against the sandbox: a workspace with all five platforms gets each day's
metrics once (however many runs overlap), post snapshots linked to what Socializioz published, the
derived posts-per-day and snapshot deltas, a missing scope recorded as an explained state, rate
limits waited out, retention, the per-account refresh's workspace check, and the backfill when an
account connects through the real connect service."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlmodel import func, select

from socializioz.domain import errors as catalogue
from socializioz.domain.analytics import Metric
from socializioz.i18n import ar, en
from socializioz.integrations import ProviderSettings
from socializioz.integrations.models import PublishRequest
from socializioz.integrations.sandbox import Fault
from socializioz.models import (
    AccountMetricDay,
    AnalyticsState,
    Post,
    PostMetricLatest,
    PostMetricSnapshot,
    PostTarget,
    SocialAccount,
)
from socializioz.security.credentials import store_tokens
from socializioz.services import analytics_store, analytics_sync, notify
from socializioz.services import connect as connect_service
from socializioz.services.errors import NotFound
from tests.unit.accounts_fixtures import add_account, make_team

from .conftest import BASE, PUBLIC
from .test_client_flows import connect

FB_WITHOUT_INSIGHTS = ["pages_show_list", "pages_read_engagement", "pages_manage_posts", "instagram_basic"]


@pytest.fixture
def provider_settings():
    """The shared fixture's 1-second deadline, widened: these tests read a year of days from an
    in-process sandbox on a shared machine."""
    return ProviderSettings(sandbox_base_url=BASE, request_timeout_seconds=15)


@pytest.fixture
def team(db):
    return make_team(db, "an")


@pytest.fixture
def factory(make_provider):
    """Clients with room for the in-process sandbox's SQLite under concurrent reads."""
    return lambda platform: make_provider(platform, request_timeout_seconds=15)


@pytest.fixture
def now(clock):
    return datetime.fromtimestamp(clock.now(), UTC)


@pytest.fixture
def pushes():
    seen: list[int] = []

    async def record(workspace_id: int) -> None:
        seen.append(workspace_id)

    notify.on_topic_changed(notify.ANALYTICS, record)
    yield seen
    notify._topic_pushers[notify.ANALYTICS].remove(record)


async def _add(db, team, platform, external_id, tokens, scopes, method):
    account = add_account(
        db, team.workspace_id, platform, external_id, granted_scopes=" ".join(scopes), connection_method=method
    )
    store_tokens(db, account.id, tokens)
    db.commit()
    return account


async def _five_platforms(db, team, make_provider, consent, fb_scopes=None):
    """Facebook Page 1111 and its linked Instagram, an Instagram Login account, TikTok, X, LinkedIn:
    real sandbox tokens, stored as connect stores them. The fixture's own accounts are set aside."""
    for account in db.exec(select(SocialAccount)).all():
        account.disconnected_at = datetime.now(UTC)
        db.add(account)
    db.commit()
    accounts = {}
    provider, token = await connect(
        make_provider, consent, "facebook", persona="fb-alice", pages=["1111"], scopes=fb_scopes
    )
    page = (await provider.list_pages(token.access_token))[0]
    accounts["facebook"] = await _add(
        db,
        team,
        "facebook",
        "1111",
        {"access_token": token.access_token, "page_access_token": page.access_token},
        token.scopes,
        "facebook_page",
    )
    accounts["instagram_page"] = await _add(
        db,
        team,
        "instagram",
        page.instagram.external_id,
        {"access_token": page.access_token, "via_page": "1111"},
        token.scopes,
        "facebook_page",
    )
    for platform, persona, method in (
        ("instagram", "ig-studio", "instagram_login"),
        ("tiktok", "tt-maya", "oauth"),
        ("x", "x-jane", "oauth"),
        ("linkedin", "li-jane", "oauth"),
    ):
        provider, token = await connect(make_provider, consent, platform, persona=persona)
        me = await provider.fetch_identity(token.access_token)
        accounts[platform] = await _add(
            db, team, platform, me.external_id, {"access_token": token.access_token}, token.scopes, method
        )
    return accounts


def _rows(db, account_id, metric=None):
    query = select(AccountMetricDay).where(AccountMetricDay.account_id == account_id)
    if metric:
        query = query.where(AccountMetricDay.metric == metric.value)
    return db.exec(query.order_by(AccountMetricDay.day)).all()


def duplicate_days(db):
    """(account, day, metric) written more than once: must be none, however many runs overlapped."""
    return db.exec(
        select(AccountMetricDay.account_id, AccountMetricDay.day, AccountMetricDay.metric)
        .group_by(AccountMetricDay.account_id, AccountMetricDay.day, AccountMetricDay.metric)
        .having(func.count() > 1)
    ).all()


def _count(db, table):
    return db.exec(select(func.count()).select_from(table)).one()


async def test_a_day_is_written_once_for_all_five_platforms(db, team, make_provider, consent, now, pushes, factory):
    accounts = await _five_platforms(db, team, make_provider, consent)
    yesterday = now.date() - timedelta(days=1)

    report = await analytics_sync.run_daily_sync(now, provider_factory=factory)
    assert (report.accounts, report.synced, report.problems) == (6, 6, 0)
    await asyncio.sleep(0)  # pushes run as tasks of their own
    assert pushes == [team.workspace_id]
    db.expire_all()
    facebook_views = _rows(db, accounts["facebook"].id, Metric.VIEWS)
    assert len(facebook_views) == 365 and facebook_views[-1].day == yesterday  # Page history: a year
    assert len(_rows(db, accounts["instagram"].id, Metric.REACH)) == 90  # Instagram keeps 90 days
    assert len(_rows(db, accounts["instagram_page"].id, Metric.VIEWS)) == 90
    assert len(_rows(db, accounts["linkedin"].id, Metric.VIEWS)) == 60
    for key in ("tiktok", "x"):  # lifetime counters only: today's followers, nothing to draw a day from yet
        assert [(r.day, r.metric) for r in _rows(db, accounts[key].id) if r.metric != "posts"] == [
            (yesterday, "followers")
        ]
    facebook_followers = [r.value for r in _rows(db, accounts["facebook"].id, Metric.FOLLOWERS)]
    assert facebook_followers == sorted(facebook_followers) and facebook_followers[0] < facebook_followers[-1]
    posts = {r.day: r.value for r in _rows(db, accounts["facebook"].id, Metric.POSTS)}
    assert sum(posts.values()) == 3 and len(posts) == 365  # every day of the window, zeros included
    snapshots = db.exec(select(PostMetricSnapshot).where(PostMetricSnapshot.account_id == accounts["x"].id)).all()
    assert len(snapshots) == 1 and snapshots[0].views > 0
    total = _count(db, AccountMetricDay)

    # Later runs the same day find nothing due; a refresh re-reads the last days in place.
    assert (await analytics_sync.run_daily_sync(now, provider_factory=factory)).accounts == 0
    refreshed = await analytics_sync.refresh_account_analytics(
        team.owner.id, team.workspace_id, accounts["facebook"].id, provider_factory=factory, now=now
    )
    assert refreshed.status == "synced" and refreshed.days == 3 * 5  # 3 days × 4 metrics + posts
    db.expire_all()
    assert _count(db, AccountMetricDay) == total
    state = db.get(AnalyticsState, accounts["facebook"].id)
    assert state.backfilled_until == yesterday and state.problem_code is None
    assert (state.data_from, state.data_until) == (yesterday - timedelta(days=364), yesterday)
    # One row of latest counters per post (what the page ranks), however many syncs saw it.
    for account in accounts.values():
        posts = db.exec(select(PostMetricSnapshot.external_id).where(PostMetricSnapshot.account_id == account.id)).all()
        latest = db.exec(select(PostMetricLatest).where(PostMetricLatest.account_id == account.id)).all()
        assert sorted(p.external_id for p in latest) == sorted(set(posts))
        assert all(p.engagement == p.likes + p.comments + p.shares + p.saves for p in latest)


async def test_overlapping_runs_write_each_row_once(db, team, make_provider, consent, now, factory):
    await _five_platforms(db, team, make_provider, consent)
    reports = await asyncio.gather(
        *(analytics_sync.run_daily_sync(now, provider_factory=factory, concurrency=3) for _ in range(3))
    )
    assert all(r.problems == 0 for r in reports)
    assert duplicate_days(db) == []


async def test_the_job_lease_lets_one_process_run_an_hour(db, team, make_provider, consent, clock, factory):
    """At nine in the morning by every clock, so that two hours later is the same day (CI once ran
    this at 22:40; the lease renews by the wall clock)."""
    morning = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    with time_machine.travel(morning, tick=True) as traveller:
        await _five_platforms(db, team, make_provider, consent)
        runs = await asyncio.gather(
            *(analytics_sync.run_analytics_job(holder=f"worker-{n}", provider_factory=factory) for n in range(3))
        )
        assert sum(r is not None for r in runs) == 1
        traveller.shift(timedelta(hours=2))
        later = await analytics_sync.run_analytics_job(provider_factory=factory)
    assert later is not None and later.accounts == 0  # a later hour of the same day finds the day done


async def test_tiktok_and_x_days_come_from_snapshot_deltas(db, team, make_provider, consent, clock, factory):
    """Synced late one evening, then just after midnight (their 2-hour tokens still valid)."""
    evening = datetime.fromtimestamp(clock.now(), UTC).replace(hour=22, minute=30)
    clock.set(evening.timestamp())
    accounts = await _five_platforms(db, team, make_provider, consent)
    await analytics_sync.run_daily_sync(evening, provider_factory=factory)
    clock.advance(90 * 60)
    after_midnight = datetime.fromtimestamp(clock.now(), UTC)
    report = await analytics_sync.run_daily_sync(after_midnight, provider_factory=factory)
    assert report.synced == 6
    db.expire_all()
    first = {s.external_id: s for s in db.exec(select(PostMetricSnapshot)).all() if s.synced_at == evening}
    for key in ("tiktok", "x"):
        views = _rows(db, accounts[key].id, Metric.VIEWS)
        assert [r.day for r in views] == [evening.date()]
        latest = db.exec(
            select(PostMetricSnapshot).where(
                PostMetricSnapshot.account_id == accounts[key].id, PostMetricSnapshot.synced_at == after_midnight
            )
        ).all()
        assert views[0].value == sum(s.views - first[s.external_id].views for s in latest) > 0
        assert len(_rows(db, accounts[key].id, Metric.ENGAGEMENT)) == 1


async def test_a_missing_scope_is_recorded_and_explained(db, team, make_provider, consent, now, factory):
    accounts = await _five_platforms(db, team, make_provider, consent, fb_scopes=FB_WITHOUT_INSIGHTS)
    report = await analytics_sync.run_daily_sync(now, provider_factory=factory)
    assert report.problems == 2  # the Page (read_insights) and its Instagram (instagram_manage_insights)
    db.expire_all()
    page = db.get(AnalyticsState, accounts["facebook"].id)
    assert (page.problem_code, page.problem_scope) == ("analytics_missing_scope", "read_insights")
    linked = db.get(AnalyticsState, accounts["instagram_page"].id)
    assert linked.problem_scope == "instagram_manage_insights"
    assert _rows(db, accounts["facebook"].id) == []
    entry = catalogue.describe(page.problem_code, "facebook")
    assert en.MESSAGES[entry.what_to_do_key].format(scope="read_insights") == (
        "Reconnect and allow read_insights to see analytics."
    )
    assert "read_insights" in ar.MESSAGES[entry.what_to_do_key].format(scope="read_insights")
    # Not retried every hour: it waits for a reconnect, whose backfill clears it.
    assert accounts["facebook"].id not in analytics_store.due_account_ids(db, now.date())


async def test_a_rate_limited_call_is_waited_out(db, team, make_provider, consent, now, state, factory):
    accounts = await _five_platforms(db, team, make_provider, consent)
    state.inject("x.users_me", Fault("rate_limit", times=2, retry_after=7))
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    target = analytics_store.load_target(db, accounts["x"].id)
    result = await analytics_sync.sync_account(
        target, now.date() - timedelta(days=1), provider_factory=factory, now=now, sleep=sleep
    )
    assert result.status == "synced" and waits == [7.0, 7.0]
    state.inject("x.users_me", Fault("rate_limit", times=9, retry_after=1))
    result = await analytics_sync.sync_account(target, now.date(), provider_factory=factory, now=now, sleep=sleep)
    assert (result.status, result.code) == ("temporary", "rate_limited")
    db.expire_all()
    assert db.get(AnalyticsState, accounts["x"].id).problem_code is None  # a temporary failure changes nothing


async def test_snapshots_link_posts_published_through_socializioz(
    db, team, make_provider, consent, now, clock, factory
):
    accounts = await _five_platforms(db, team, make_provider, consent)
    provider = make_provider("x")
    target = analytics_store.load_target(db, accounts["x"].id)
    published = await provider.publish_post(target.ref, PublishRequest(text="Published by us"))
    post = Post(workspace_id=team.workspace_id, author_id=team.owner.id, text="Published by us")
    db.add(post)
    db.flush()
    db.add(
        PostTarget(post_id=post.id, account_id=accounts["x"].id, status="published", external_id=published.external_id)
    )
    db.commit()
    clock.advance(30 * 60)  # within X's 2-hour token
    await analytics_sync.run_daily_sync(datetime.fromtimestamp(clock.now(), UTC), provider_factory=factory)
    db.expire_all()
    rows = db.exec(select(PostMetricSnapshot).where(PostMetricSnapshot.account_id == accounts["x"].id)).all()
    ours = [r for r in rows if r.external_id == published.external_id]
    assert len(rows) == 2 and len(ours) == 1 and ours[0].post_target_id is not None and ours[0].views > 0
    assert all(r.post_target_id is None for r in rows if r is not ours[0])


async def test_retention_prunes_old_days_and_snapshots(db, team, now):
    account_id = team.facebook.id
    old, recent = now.date() - timedelta(days=401), now.date() - timedelta(days=399)
    for day in (old, recent):
        db.add(AccountMetricDay(workspace_id=team.workspace_id, account_id=account_id, day=day, metric="views"))
        db.add(
            PostMetricSnapshot(
                workspace_id=team.workspace_id,
                account_id=account_id,
                external_id="p",
                synced_at=analytics_store.day_start(day),
            )
        )
    db.commit()
    db.add(
        PostMetricLatest(
            workspace_id=team.workspace_id,
            account_id=account_id,
            external_id="p",
            synced_at=analytics_store.day_start(old),
        )
    )
    db.add(AnalyticsState(account_id=account_id, data_from=old, data_until=recent))
    db.commit()
    assert analytics_store.prune(db, now.date()) == (1, 1)
    db.commit()
    assert [r.day for r in db.exec(select(AccountMetricDay)).all()] == [recent]
    assert db.exec(select(PostMetricLatest)).all() == []  # not seen by any sync within the retention
    db.expire_all()
    assert db.get(AnalyticsState, account_id).data_from == now.date() - timedelta(days=400)


async def test_refresh_checks_the_workspace(db, team, make_provider, consent, now, factory):
    accounts = await _five_platforms(db, team, make_provider, consent)
    other = make_team(db, "other")
    with pytest.raises(NotFound):
        await analytics_sync.refresh_account_analytics(
            other.owner.id, other.workspace_id, accounts["x"].id, provider_factory=factory, now=now
        )
    with pytest.raises(NotFound):
        await analytics_sync.refresh_account_analytics(
            other.owner.id, team.workspace_id, accounts["x"].id, provider_factory=factory, now=now
        )
    db.expire_all()
    assert db.get(AnalyticsState, accounts["x"].id) is None


async def test_connecting_backfills_in_the_background(db, team, consent, monkeypatch, now, factory):
    monkeypatch.setenv("SOCIALIZIOZ_PUBLIC_BASE_URL", PUBLIC)
    from socializioz.settings import get_settings

    get_settings.cache_clear()
    monkeypatch.setattr(connect_service, "get_provider", factory)
    monkeypatch.setattr(analytics_sync, "get_provider", factory)
    started = connect_service.start_flow(db, user_id=team.owner.id, workspace_id=team.workspace_id, platform="x")
    db.commit()
    url = started.authorize_url.replace(f"{PUBLIC}/sandbox", BASE)
    params = await consent.submit(url, persona="x-acme")
    outcome = await connect_service.complete_flow("x", params, team.owner.id)
    assert outcome.result.status == "success"
    assert analytics_sync._background  # started, not awaited by the callback
    await asyncio.gather(*analytics_sync._background)
    account_id = outcome.result.added[0]["id"]
    db.expire_all()
    assert db.get(AnalyticsState, account_id).backfilled_until == now.date() - timedelta(days=1)
    assert [r.metric for r in _rows(db, account_id, Metric.FOLLOWERS)] == ["followers"]
