"""The analytics read model: ranges in the workspace's time zone, the previous-period comparison,
per-platform/per-account figures, top posts, the reasons an account shows nothing, and that
neither another workspace's data nor its ids are reachable."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from socializioz import db as database
from socializioz.domain.plans import Plan
from socializioz.models import AnalyticsState, Post, PostTarget, Workspace
from socializioz.services import analytics_view as av
from socializioz.services import published_counts
from socializioz.services import workspaces as ws
from socializioz.services.auth import sign_up
from socializioz.services.errors import NotFound, ValidationError
from tests.analytics_data import Curve, add_accounts, add_metric_days, add_post, noon
from tests.unit.test_migrations import postgres  # noqa: F401  (the fixture, by name)

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True, params=["sqlite", "postgresql"])
def backend(request, monkeypatch) -> Iterator[str]:
    """Every test on SQLite, and on PostgreSQL when ``SOCIALIZIOZ_TEST_POSTGRES_URL`` is set (the
    aggregates use dialect-specific SQL: hour buckets, grouping by aliases)."""
    if request.param == "sqlite":
        yield "sqlite"
        return
    request.getfixturevalue("postgres")  # a throw-away database (skipped without a server)
    yield "postgresql"


def _workspace(db, label: str, timezone: str = "UTC"):
    user = sign_up(db, f"{label}@example.com", label, "long-enough-pw")
    workspace = ws.create_workspace(db, user, f"Team {label}", Plan.PROFESSIONAL)
    workspace.timezone = timezone
    db.commit()
    return user, workspace.id


def _publish(db, account, at: datetime) -> None:
    post = Post(workspace_id=account.workspace_id, author_id=1, text="x", status="published")
    db.add(post)
    db.flush()
    db.add(PostTarget(post_id=post.id, account_id=account.id, status="published", published_at=at))
    published_counts.count_published(db, account.id, at)  # as the publisher counts it


@pytest.fixture
def seeded(db):
    """Two accounts (facebook, instagram) with 90 days of rows up to TODAY, one TikTok account
    never synced, and another workspace with data of its own."""
    user, workspace_id = _workspace(db, "a")
    fb, ig, tt = add_accounts(db, workspace_id, 3)[:3]
    first = TODAY - timedelta(days=89)
    add_metric_days(db, fb, first, TODAY, Curve(1000, 2))
    add_metric_days(db, ig, first, TODAY, Curve(500, 1))
    outsider, other_ws = _workspace(db, "b")
    (stranger,) = add_accounts(db, other_ws, 1, prefix="other")
    add_metric_days(db, stranger, first, TODAY, Curve(99999, 100))
    add_post(db, stranger, "foreign", noon(TODAY - timedelta(days=1)), likes=10**6)
    db.commit()
    return user, workspace_id, fb, ig, tt, outsider, stranger, first


def _view(user, workspace_id, **kw):
    return av.build_view(user, workspace_id, now=NOW, **kw)


def _kpi(view, metric):
    return next(k for k in view.kpis if k.metric == metric)


def test_thirty_days_against_the_previous_thirty(seeded) -> None:
    user, workspace_id, _fb, _ig, _tt, _o, _s, first = seeded
    view = _view(user, workspace_id, preset=30)
    assert view.range == av.DateRange(TODAY - timedelta(days=29), TODAY)
    assert view.previous == av.DateRange(TODAY - timedelta(days=59), TODAY - timedelta(days=30))
    n_end, n_prev_end = day_n(TODAY, first), day_n(TODAY - timedelta(days=30), first)
    followers = _kpi(view, "followers")
    assert followers.value == Curve(1000, 2).followers(n_end) + Curve(500, 1).followers(n_end)
    assert followers.previous == Curve(1000, 2).followers(n_prev_end) + Curve(500, 1).followers(n_prev_end)
    assert followers.delta == 30 * 3
    engagement = _kpi(view, "engagement")
    cur = sum(Curve.engagement(day_n(TODAY - timedelta(days=i), first)) for i in range(30))
    prev = sum(Curve.engagement(day_n(TODAY - timedelta(days=30 + i), first)) for i in range(30))
    assert (engagement.value, engagement.previous) == (2 * cur, 2 * prev)
    assert engagement.delta_pct == pytest.approx((cur - prev) * 100 / prev)
    assert view.offered == ["followers", "reach", "views", "engagement"]  # reach: facebook/instagram offer it
    assert len(view.days) == 30 and view.series["followers"][-1] == followers.value
    assert view.has_data and view.has_accounts


def day_n(day: date, first: date) -> int:
    return (day - first).days


def test_the_range_changes_the_figures(seeded) -> None:
    user, workspace_id, *_ = seeded
    week, quarter = _view(user, workspace_id, preset=7), _view(user, workspace_id, preset=90)
    assert len(week.days) == 7 and len(quarter.days) == 90
    assert _kpi(week, "views").value < _kpi(quarter, "views").value
    assert (
        _kpi(quarter, "followers").previous == _kpi(quarter, "followers").value - 89 * 3
    )  # no earlier rows: first day


def test_the_previous_period_without_data_has_no_percentage(seeded) -> None:
    user, workspace_id, *_ = seeded
    view = _view(user, workspace_id, preset=90)
    assert _kpi(view, "engagement").previous == 0 and _kpi(view, "engagement").delta_pct is None


def test_days_are_the_workspace_time_zone(db) -> None:
    user, workspace_id = _workspace(db, "tokyo", "Asia/Tokyo")
    (account,) = add_accounts(db, workspace_id, 1)
    _publish(db, account, datetime(2026, 3, 1, 14, 30, tzinfo=UTC))  # 23:30 on 1 March in Tokyo
    _publish(db, account, datetime(2026, 3, 1, 15, 30, tzinfo=UTC))  # 00:30 on 2 March in Tokyo
    _publish(db, account, datetime(2026, 2, 22, 14, 59, tzinfo=UTC))  # 23:59 on 22 February: previous period
    db.commit()
    evening = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)  # already 2 March in Tokyo
    view = av.build_view(user, workspace_id, preset=7, now=evening)
    assert view.range == av.DateRange(date(2026, 2, 24), date(2026, 3, 2))
    assert view.series["posts"][-2:] == [1, 1]
    posts = _kpi(view, "posts")
    assert (posts.value, posts.previous) == (2, 1)
    assert view.accounts[0].figures.posts == 2


def test_posts_count_on_the_local_day_in_a_half_hour_zone_and_leave_with_a_disconnect(db) -> None:
    """Kolkata's midnight is 18:30 UTC: the published counts' quarter hours split there exactly;
    a disconnected account's posts leave the figures (the page shows connected accounts)."""
    user, workspace_id = _workspace(db, "kolkata", "Asia/Kolkata")
    kept, gone = add_accounts(db, workspace_id, 2)
    _publish(db, kept, datetime(2026, 3, 1, 18, 29, tzinfo=UTC))  # 23:59 on 1 March in Kolkata
    _publish(db, kept, datetime(2026, 3, 1, 18, 30, tzinfo=UTC))  # 00:00 on 2 March
    _publish(db, gone, datetime(2026, 3, 1, 18, 44, tzinfo=UTC))  # 00:14 on 2 March, same quarter hour
    _publish(db, gone, datetime(2026, 2, 20, 12, 0, tzinfo=UTC))  # the previous period
    db.commit()
    evening = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)  # 01:30 on 2 March in Kolkata
    view = av.build_view(user, workspace_id, preset=7, now=evening)
    assert view.series["posts"][-2:] == [1, 2]
    assert (_kpi(view, "posts").value, _kpi(view, "posts").previous) == (3, 1)
    assert {p.platform: p.figures.posts for p in view.platforms} == {kept.platform: 2, gone.platform: 1}
    one = av.build_view(user, workspace_id, preset=7, now=evening, scope=f"account:{kept.id}")
    assert one.series["posts"][-2:] == [1, 1] and _kpi(one, "posts").value == 2

    gone.disconnected_at = evening
    db.add(gone)
    db.commit()
    after = av.build_view(user, workspace_id, preset=7, now=evening)
    assert after.series["posts"][-2:] == [1, 1]
    assert (_kpi(after, "posts").value, _kpi(after, "posts").previous) == (2, 0)
    assert [p.platform for p in after.platforms] == [kept.platform]


def test_a_day_without_rows_is_a_gap_not_a_zero(db) -> None:
    user, workspace_id = _workspace(db, "gap")
    (account,) = add_accounts(db, workspace_id, 1)
    add_metric_days(db, account, TODAY - timedelta(days=6), TODAY - timedelta(days=2), Curve(10, 1))
    db.commit()
    view = _view(user, workspace_id, preset=7)
    assert view.series["followers"][-2:] == [None, None]
    assert view.series["followers"][0] == 10
    assert _kpi(view, "followers").value == 14  # its last reported day


def test_platform_and_account_drill_down(seeded) -> None:
    user, workspace_id, fb, ig, tt, *_ = seeded
    everything = _view(user, workspace_id, preset=30)
    only_fb = _view(user, workspace_id, preset=30, scope="platform:facebook")
    one = _view(user, workspace_id, preset=30, scope=f"account:{ig.id}")
    assert _kpi(only_fb, "followers").value + _kpi(one, "followers").value == _kpi(everything, "followers").value
    assert only_fb.scope == "platform:facebook" and one.scope == f"account:{ig.id}"
    rows = {p.platform: p for p in everything.platforms}
    assert rows["facebook"].figures.followers == _kpi(only_fb, "followers").value
    assert rows["tiktok"].accounts == 1 and rows["tiktok"].figures.followers == 0
    by_id = {a.id: a for a in everything.accounts}
    assert by_id[fb.id].figures.growth == 60 and by_id[ig.id].figures.growth == 30
    assert not by_id[tt.id].has_data


def test_another_workspace_is_invisible(seeded) -> None:
    user, workspace_id, _fb, _ig, _tt, outsider, stranger, _ = seeded
    with pytest.raises(NotFound):
        _view(outsider, workspace_id)
    with pytest.raises(NotFound):
        _view(user, workspace_id, scope=f"account:{stranger.id}")
    with pytest.raises(NotFound):
        _view(None, workspace_id)
    view = _view(user, workspace_id, preset=30)
    assert _kpi(view, "followers").value < 99999
    assert all(p.account_id != stranger.id for p in view.top_posts)
    assert stranger.id not in {a.id for a in view.accounts}


@pytest.mark.parametrize("scope", ["platform", "account:abc", "nonsense:1", "account:"])
def test_a_malformed_scope_is_refused(seeded, scope: str) -> None:
    user, workspace_id, *_ = seeded
    with pytest.raises(NotFound):
        _view(user, workspace_id, scope=scope)


def test_top_posts_from_the_latest_snapshot_sorted_by_any_column(seeded, db) -> None:
    user, workspace_id, fb, ig, *_ = seeded
    add_post(db, fb, "p1", noon(TODAY - timedelta(days=3)), likes=50, comments=1, shares=9, views=900)
    add_post(db, ig, "p2", noon(TODAY - timedelta(days=2)), likes=20, comments=30, shares=0, views=100, saves=5)
    add_post(db, fb, "old", noon(TODAY - timedelta(days=45)), likes=999)  # before the 30-day range
    db.commit()
    view = _view(user, workspace_id, preset=30)
    assert [p.caption for p in view.top_posts] == ["Post p1", "Post p2"]  # engagement 60 vs 55
    assert view.top_posts[0].likes == 50  # the latest of its two snapshots (the first had 25)
    assert view.top_posts[0].permalink == "https://example.test/facebook/p1"
    assert view.top_posts[1].published == TODAY - timedelta(days=2)
    for sort, first in [("comments", "Post p2"), ("views", "Post p1"), ("published_at", "Post p2")]:
        assert _view(user, workspace_id, preset=30, sort=sort).top_posts[0].caption == first
    assert _view(user, workspace_id, preset=90, sort="likes").top_posts[0].caption == "Post old"
    with pytest.raises(ValidationError):
        _view(user, workspace_id, sort="likes; drop table")


def test_unsafe_links_never_reach_the_page(seeded, db) -> None:
    user, workspace_id, fb, *_ = seeded
    add_post(db, fb, "js", noon(TODAY), likes=1, snapshots=1)
    db.commit()
    with database.session_scope() as s:
        s.execute(sa.text("UPDATE postmetriclatest SET permalink = 'javascript:alert(1)' WHERE external_id = 'js'"))
    (post,) = _view(user, workspace_id, preset=7).top_posts
    assert post.permalink == "" and post.thumbnail_url.startswith("https://")


def test_reasons_for_accounts_without_analytics(seeded, db) -> None:
    user, workspace_id, fb, ig, tt, *_ = seeded
    state = db.get(AnalyticsState, ig.id)
    state.problem_code, state.problem_scope = "scope_not_granted", "instagram_business_manage_insights"
    db.commit()
    view = _view(user, workspace_id, preset=30)
    by_id = {a.id: a for a in view.accounts}
    assert by_id[fb.id].problem is None
    assert by_id[ig.id].problem == av.Problem(
        av.REASON_MISSING_SCOPE, scope="instagram_business_manage_insights", reconnect=True
    )
    assert by_id[tt.id].problem == av.Problem(av.REASON_NOT_SYNCED)
    db.add(AnalyticsState(account_id=tt.id, last_synced_at=NOW))
    db.commit()
    assert {a.id: a for a in _view(user, workspace_id).accounts}[tt.id].problem == av.Problem(av.REASON_NO_DATA)
    tt_state = db.get(AnalyticsState, tt.id)
    tt_state.problem_code = "session_expired"
    db.commit()
    problem = {a.id: a for a in _view(user, workspace_id).accounts}[tt.id].problem
    assert problem is not None and problem.reason_key.startswith("error.") and problem.reconnect
    tt_state.problem_code = "something_new"
    db.commit()
    assert {a.id: a for a in _view(user, workspace_id).accounts}[tt.id].problem == av.Problem(av.REASON_OTHER)


def test_a_workspace_without_accounts_is_empty_not_an_error(db) -> None:
    user, workspace_id = _workspace(db, "empty")
    view = _view(user, workspace_id)
    assert not view.has_accounts and not view.has_data and view.top_posts == []
    assert [k.metric for k in view.kpis] == ["followers", "posts"]


@pytest.mark.parametrize(
    ("start", "end"),
    [("2026-03-02", "2026-03-01"), ("2026-03-01", "2026-03-03"), ("2025-01-01", "2026-03-01"), ("x", "2026-03-01")],
)
def test_custom_ranges_are_checked(seeded, start: str, end: str) -> None:
    user, workspace_id, *_ = seeded
    with pytest.raises(ValidationError):
        _view(user, workspace_id, preset=None, start=start, end=end)


def test_custom_range_and_unknown_preset(seeded) -> None:
    user, workspace_id, *_ = seeded
    view = _view(user, workspace_id, preset=None, start="2026-02-01", end="2026-02-10")
    assert view.range == av.DateRange(date(2026, 2, 1), date(2026, 2, 10))
    assert view.previous == av.DateRange(date(2026, 1, 22), date(2026, 1, 31))
    with pytest.raises(ValidationError):
        _view(user, workspace_id, preset=14)


def test_an_unknown_time_zone_falls_back_to_utc(db) -> None:
    user, workspace_id = _workspace(db, "tz", "Mars/Olympus")
    assert _view(user, workspace_id, preset=7).range.end == TODAY


def test_statements_do_not_grow_with_the_accounts(db, backend: str) -> None:
    """The same number of statements for 2 and for 20 accounts (aggregates, not per-row reads);
    PostgreSQL has one more, the plan setting."""
    counts = []
    for label, n in (("few", 2), ("many", 20)):
        user, workspace_id = _workspace(db, label)
        for account in add_accounts(db, workspace_id, n, prefix=label):
            add_metric_days(db, account, TODAY - timedelta(days=40), TODAY, Curve(100, 1))
            add_post(db, account, f"{label}-{account.id}", noon(TODAY - timedelta(days=1)), likes=3)
            _publish(db, account, noon(TODAY - timedelta(days=1)))
        db.commit()
        statements: list[str] = []
        engine = database.engine()

        def listener(*args, statements=statements):
            statements.append(args[2])

        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            _view(user, workspace_id, preset=30)
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)
        counts.append(len(statements))
    assert counts[0] == counts[1] <= (14 if backend == "postgresql" else 13)


def test_workspace_row_is_read_for_its_time_zone(db) -> None:
    user, workspace_id = _workspace(db, "zone", "America/Los_Angeles")
    assert db.get(Workspace, workspace_id).timezone == "America/Los_Angeles"
    early = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # still 23:00 on 1 March in Los Angeles
    assert av.build_view(user, workspace_id, preset=7, now=early).range.end == date(2026, 3, 1)


def test_the_backend_is_the_one_named(db, backend: str) -> None:
    assert db.get_bind().dialect.name == backend


# --------------------------------------------------------------------------- the per-account table's pages


@pytest.fixture
def thirty(db):
    """30 accounts (six per platform) with 60 days each: two pages of the per-account table."""
    user, workspace_id = _workspace(db, "pages")
    accounts = add_accounts(db, workspace_id, 30, prefix="p")
    for k, account in enumerate(accounts):
        add_metric_days(db, account, TODAY - timedelta(days=59), TODAY, Curve(100 + k, 1 + k % 3))
    db.commit()
    return user, workspace_id, accounts


def test_the_account_table_pages_in_platform_and_name_order(thirty) -> None:
    user, workspace_id, accounts = thirty
    first, second = _view(user, workspace_id, preset=30), _view(user, workspace_id, preset=30, page=1)
    assert av.ACCOUNTS_PAGE_SIZE == 25
    assert (first.account_total, first.account_pages, first.account_page) == (30, 2, 0)
    assert (len(first.accounts), len(second.accounts), second.account_page) == (25, 5, 1)
    ordered = sorted(accounts, key=lambda a: (a.platform, a.name, a.id))
    assert [r.id for r in first.accounts + second.accounts] == [a.id for a in ordered]
    index = {a.id: k for k, a in enumerate(accounts)}
    for row in (first.accounts[0], first.accounts[24], second.accounts[4]):
        k = index[row.id]
        assert row.figures.followers == Curve(100 + k, 1 + k % 3).followers(59)
        assert row.figures.growth == 30 * (1 + k % 3) and row.has_data and row.problem is None
    # The figures above the table do not depend on its page, and sum all 30 accounts.
    assert first.kpis == second.kpis and first.series == second.series and first.platforms == second.platforms
    followers = sum(Curve(100 + k, 1 + k % 3).followers(59) for k in range(30))
    assert _kpi(first, "followers").value == followers and first.series["followers"][-1] == followers
    assert sum(p.figures.followers for p in first.platforms) == followers
    # A page past the end (accounts went away since it was shown) shows the last one.
    beyond = _view(user, workspace_id, preset=30, page=7)
    assert beyond.account_page == 1 and [r.id for r in beyond.accounts] == [r.id for r in second.accounts]
    # Every account on one page: what the CSV export reads.
    everything = _view(user, workspace_id, preset=30, page_size=None)
    assert len(everything.accounts) == 30 and everything.account_pages == 1


def test_the_csv_of_a_later_page_still_sums_every_account(thirty) -> None:
    from socializioz.services import analytics_export

    user, workspace_id, _accounts = thirty
    lines = analytics_export.export_csv(_view(user, workspace_id, preset=7, page=1), "en").splitlines()
    followers = sum(Curve(100 + k, 1 + k % 3).followers(59) for k in range(30))
    assert lines[7].split(",")[:2] == [TODAY.isoformat(), str(followers)]


def test_the_account_table_follows_the_scope_and_leaves_disconnected_accounts_out(thirty, db) -> None:
    user, workspace_id, accounts = thirty
    only_x = _view(user, workspace_id, preset=30, scope="platform:x")
    assert only_x.account_total == 6 and {r.platform for r in only_x.accounts} == {"x"}
    assert only_x.account_pages == 1
    one = _view(user, workspace_id, preset=30, scope=f"account:{accounts[3].id}")
    assert [r.id for r in one.accounts] == [accounts[3].id] and one.account_total == 1
    assert _kpi(one, "followers").value == Curve(103, 1).followers(59)

    from socializioz.services.analytics_rollup import rebuild_account

    gone = db.get(type(accounts[3]), accounts[3].id)
    gone.disconnected_at = NOW
    rebuild_account(db, gone.id)
    db.commit()
    after = _view(user, workspace_id, preset=30)
    assert after.account_total == 29 and gone.id not in {r.id for r in after.accounts}
    followers = sum(Curve(100 + k, 1 + k % 3).followers(59) for k in range(30) if k != 3)
    assert _kpi(after, "followers").value == followers
    with pytest.raises(NotFound):
        _view(user, workspace_id, preset=30, scope=f"account:{gone.id}")


def test_problems_list_accounts_beyond_the_page(thirty, db) -> None:
    """An account needing a reconnect is listed whichever page of the table is shown."""
    user, workspace_id, accounts = thirty
    last = max(accounts, key=lambda a: (a.platform, a.name, a.id))
    state = db.get(AnalyticsState, last.id)
    state.problem_code, state.problem_scope = "analytics_missing_scope", "read_insights"
    (fresh,) = add_accounts(db, workspace_id, 1, prefix="zz-new")
    db.commit()
    view = _view(user, workspace_id, preset=30)
    assert last.id not in {r.id for r in view.accounts}
    reasons = {p.id: p.problem.reason_key for p in view.problems if p.problem}
    assert reasons == {last.id: av.REASON_MISSING_SCOPE, fresh.id: av.REASON_NOT_SYNCED}
