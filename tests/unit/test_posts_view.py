"""The posts page's read model: tabs and filters, the workspace's time zone across DST, the
calendar window, pagination, constant statements per page, and another workspace's posts unseen."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from socializioz.models import Workspace
from socializioz.services.errors import NotFound
from socializioz.services.posts_view import (
    UNKNOWN_FAILURE,
    PostFilters,
    Tab,
    failure_keys,
    read_calendar,
    read_queue,
)
from tests.unit.accounts_fixtures import outsider, team_a, team_b  # noqa: F401  (fixtures)
from tests.unit.posts_fixtures import count_statements, make_campaign, make_image, make_post

T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _set_zone(db, workspace_id: int, name: str) -> None:
    workspace = db.get(Workspace, workspace_id)
    workspace.timezone = name
    db.add(workspace)
    db.flush()


def _ids(page) -> list[int]:
    return [p.id for p in page.posts]


@pytest.fixture
def mixed(db, team_a):
    """One post per queue state in team A."""
    fb, ig, tt = team_a.facebook, team_a.instagram, team_a.tiktok
    owner = team_a.owner.id
    spring = make_campaign(db, team_a.workspace_id, "Spring")
    posts = {
        "scheduled": make_post(db, team_a.workspace_id, owner, [(fb, "scheduled")], scheduled_at=T0, campaign=spring),
        "partly": make_post(
            db,
            team_a.workspace_id,
            owner,
            [(fb, "published"), (ig, "failed")],
            status="partly_failed",
            scheduled_at=T0 - timedelta(days=1),
        ),
        "review": make_post(
            db, team_a.workspace_id, owner, [(tt, "needs_review")], scheduled_at=T0 - timedelta(days=2)
        ),
        "blocked": make_post(db, team_a.workspace_id, owner, [(ig, "blocked")], scheduled_at=T0 + timedelta(days=1)),
        "draft": make_post(db, team_a.workspace_id, owner, [(fb, "draft")], status="draft"),
    }
    db.commit()
    return posts


def test_tabs_put_each_post_where_its_targets_are(db, team_a, mixed) -> None:
    user, ws = team_a.member, team_a.workspace_id
    upcoming = read_queue(db, user, ws, PostFilters(tab=Tab.UPCOMING))
    assert _ids(upcoming) == [mixed["scheduled"].id, mixed["blocked"].id]  # soonest first
    assert _ids(read_queue(db, user, ws, PostFilters(tab=Tab.PUBLISHED))) == [mixed["partly"].id]
    assert _ids(read_queue(db, user, ws, PostFilters(tab=Tab.FAILED))) == [mixed["partly"].id, mixed["review"].id]
    assert _ids(read_queue(db, user, ws, PostFilters(tab=Tab.DRAFTS))) == [mixed["draft"].id]


def test_filters_by_account_platform_and_campaign(db, team_a, mixed) -> None:
    user, ws = team_a.owner, team_a.workspace_id
    # failed *on Instagram*: the partly failed post's Instagram target failed; TikTok's needs review
    failed_ig = read_queue(db, user, ws, PostFilters(tab=Tab.FAILED, platform="instagram"))
    assert _ids(failed_ig) == [mixed["partly"].id]
    # failed on the Facebook account: its target there was published, so not in this tab
    assert _ids(read_queue(db, user, ws, PostFilters(tab=Tab.FAILED, account_id=team_a.facebook.id))) == []
    spring = mixed["scheduled"].campaign_id
    by_campaign = read_queue(db, user, ws, PostFilters(tab=Tab.UPCOMING, campaign_id=spring))
    assert _ids(by_campaign) == [mixed["scheduled"].id]
    assert by_campaign.posts[0].campaign_name == "Spring"


def test_parse_turns_junk_into_any() -> None:
    assert PostFilters.parse("nonsense", "12x", "myspace", "-3") == PostFilters()
    assert PostFilters.parse("failed", "7", "x", 4) == PostFilters(Tab.FAILED, 7, "x", 4)


def test_targets_carry_status_reason_and_links(db, team_a) -> None:
    make_post(
        db,
        team_a.workspace_id,
        team_a.owner.id,
        [(team_a.instagram, "failed")],
        scheduled_at=T0,
        failure_code="content_rejected",
        failure_detail="The aspect ratio is not supported.",
    )
    make_post(
        db,
        team_a.workspace_id,
        team_a.owner.id,
        [(team_a.facebook, "published")],
        scheduled_at=T0,
        permalink="javascript:alert(1)",
    )
    db.commit()
    failed = read_queue(db, team_a.owner, team_a.workspace_id, PostFilters(tab=Tab.FAILED)).posts[0].targets[0]
    assert failed.failure_cause_key == "error.runtime.content_rejected.cause"
    assert failed.failure_what_key == "error.runtime.content_rejected.what_to_do"
    assert failed.failure_detail == "The aspect ratio is not supported."
    assert failed.profile_url == f"https://www.instagram.com/{team_a.instagram.username}/"
    published = read_queue(db, team_a.owner, team_a.workspace_id, PostFilters(tab=Tab.PUBLISHED)).posts[0]
    assert published.targets[0].permalink == ""  # never a script URL in an href


def test_unknown_failure_code_gets_the_generic_reason() -> None:
    assert failure_keys("no_such_code_anywhere", "x") == (UNKNOWN_FAILURE, "")
    assert failure_keys("", "x") == ("", "")


def test_times_are_in_the_workspace_zone_across_dst(db, team_a) -> None:
    """Europe/Paris moves from UTC+1 to UTC+2 on 29 March 2026: 07:30 UTC is 08:30 before, 09:30 after."""
    _set_zone(db, team_a.workspace_id, "Europe/Paris")
    before = make_post(
        db,
        team_a.workspace_id,
        team_a.owner.id,
        [(team_a.facebook, "scheduled")],
        scheduled_at=datetime(2026, 3, 28, 7, 30, tzinfo=UTC),
    )
    after = make_post(
        db,
        team_a.workspace_id,
        team_a.owner.id,
        [(team_a.facebook, "scheduled")],
        scheduled_at=datetime(2026, 3, 29, 7, 30, tzinfo=UTC),
    )
    late = make_post(  # 23:30 UTC on the 29th is already the 30th in Paris
        db,
        team_a.workspace_id,
        team_a.owner.id,
        [(team_a.facebook, "scheduled")],
        scheduled_at=datetime(2026, 3, 29, 23, 30, tzinfo=UTC),
    )
    db.commit()
    views = {p.id: p for p in read_queue(db, team_a.owner, team_a.workspace_id, PostFilters()).posts}
    assert (views[before.id].day, views[before.id].time) == ("2026-03-28", "08:30")
    assert (views[after.id].day, views[after.id].time) == ("2026-03-29", "09:30")
    assert (views[late.id].day, views[late.id].time) == ("2026-03-30", "01:30")


def test_an_unknown_zone_name_falls_back_to_utc(db, team_a) -> None:
    _set_zone(db, team_a.workspace_id, "Mars/Olympus_Mons")
    make_post(db, team_a.workspace_id, team_a.owner.id, [(team_a.facebook, "scheduled")], scheduled_at=T0)
    db.commit()
    page = read_queue(db, team_a.owner, team_a.workspace_id, PostFilters())
    assert page.timezone == "UTC" and page.posts[0].time == "12:00"


def test_calendar_places_posts_on_their_local_day(db, team_a) -> None:
    _set_zone(db, team_a.workspace_id, "America/New_York")
    # 02:00 UTC on 1 April is 22:00 on 31 March in New York (EDT, UTC-4): March's grid, not April's.
    evening = make_post(
        db,
        team_a.workspace_id,
        team_a.owner.id,
        [(team_a.facebook, "published")],
        scheduled_at=datetime(2026, 4, 1, 2, 0, tzinfo=UTC),
    )
    make_post(
        db,
        team_a.workspace_id,
        team_a.owner.id,
        [(team_a.facebook, "draft")],
        status="draft",
        scheduled_at=datetime(2026, 3, 20, 12, tzinfo=UTC),
    )
    db.commit()
    month = read_calendar(
        db, team_a.owner, team_a.workspace_id, PostFilters(), date(2026, 3, 15), "month", today=date(2026, 3, 15)
    )
    assert all(len(week) == 7 for week in month.weeks)
    assert month.weeks[0][0].date == "2026-02-23" and month.weeks[0][0].weekday == 0  # Monday first
    assert month.weeks[-1][-1].date == "2026-04-05"
    assert [d.date for d in month.days_with_posts] == ["2026-03-31"]  # the draft is not on the calendar
    assert month.days_with_posts[0].posts[0].id == evening.id
    assert month.days_with_posts[0].posts[0].time == "22:00"
    assert [d.date for w in month.weeks for d in w if d.is_today] == ["2026-03-15"]
    week = read_calendar(db, team_a.owner, team_a.workspace_id, PostFilters(), date(2026, 4, 1), "week")
    assert week.weeks[0][0].date == "2026-03-30"
    assert [d.date for d in week.days_with_posts] == ["2026-03-31"]


def test_load_more_pages_and_statements_stay_constant(db, team_a) -> None:
    image = make_image(db, team_a.workspace_id, team_a.owner.id)
    for i in range(120):
        campaign = make_campaign(db, team_a.workspace_id, f"C{i}") if i % 10 == 0 else None
        make_post(
            db,
            team_a.workspace_id,
            team_a.owner.id,
            [(team_a.facebook, "scheduled"), (team_a.instagram, "failed")],
            scheduled_at=T0 + timedelta(minutes=i),
            campaign=campaign,
            media=image if i % 2 else None,
            failure_code="rate_limited",
        )
    db.commit()
    counts = []
    for limit in (5, 50, 100):
        with count_statements() as seen:
            page = read_queue(db, team_a.owner, team_a.workspace_id, PostFilters(), limit=limit)
        counts.append(len(seen))
        assert len(page.posts) == limit and page.has_more
    assert counts[0] == counts[1] == counts[2], counts
    assert counts[0] <= 7
    last = read_queue(db, team_a.owner, team_a.workspace_id, PostFilters(), limit=150)
    assert len(last.posts) == 120 and not last.has_more
    assert last.posts[1].thumbnail_url == "/media/tok-image" and last.posts[1].media_kind == "image"
    assert [p.id for p in last.posts[:50]] == [
        p.id for p in read_queue(db, team_a.owner, team_a.workspace_id, PostFilters()).posts
    ]


def test_another_workspace_sees_none_of_it(db, team_a, team_b, outsider, mixed) -> None:
    for tab in Tab:
        assert read_queue(db, team_b.owner, team_b.workspace_id, PostFilters(tab=tab)).posts == []
    with pytest.raises(NotFound):
        read_queue(db, team_b.owner, team_a.workspace_id, PostFilters())
    with pytest.raises(NotFound):
        read_queue(db, outsider, team_a.workspace_id, PostFilters())
    with pytest.raises(NotFound):
        read_calendar(db, None, team_a.workspace_id, PostFilters(), date(2026, 3, 1))
    # filtering team B's view by team A's account id shows nothing of A
    assert read_queue(db, team_b.owner, team_b.workspace_id, PostFilters(account_id=team_a.facebook.id)).posts == []
