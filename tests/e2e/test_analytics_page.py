"""The analytics page end to end at 1280 and 390 px, in English and Arabic: a workspace with
accounts on all five platforms and 90 days of metrics (written straight into the sync job's
tables, as the job would) shows KPIs, charts and top posts for 30 days; the range changes the
figures; the CSV holds what is shown; an account without the permission says why; empty states."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from tests.analytics_data import PLATFORMS, Curve, add_accounts, add_metric_days, add_post, noon
from tests.e2e.conftest import screenshot, sign_in

CURVES = [Curve(1000 * (i + 1), i + 1) for i in range(len(PLATFORMS))]


@dataclass(frozen=True)
class Seeded:
    problem_account_id: int
    first_day_index_today: int  # the curve's day number of today


def _workspace_of(email: str) -> int:
    from socializioz.db import session_scope
    from socializioz.models import User

    with session_scope() as db:
        return db.exec(select(User).where(User.email == email)).one().active_workspace_id


def _seed(email: str, thumbnail_url: str) -> Seeded:
    """Five accounts (one per platform) with 90 days of rows up to today, two posts each in the
    last 30 days and one older, plus a second Instagram account whose sync lacks a permission."""
    from socializioz.db import session_scope
    from socializioz.models import AnalyticsState

    workspace_id = _workspace_of(email)
    today = datetime.now(UTC).date()
    first = today - timedelta(days=89)
    with session_scope() as db:
        accounts = add_accounts(db, workspace_id, len(PLATFORMS))
        for i, (account, curve) in enumerate(zip(accounts, CURVES, strict=True)):
            add_metric_days(db, account, first, today, curve)
            add_post(
                db,
                account,
                f"recent-{i}",
                noon(today - timedelta(days=2 + i)),
                likes=100 + 10 * i,
                comments=5 * i,
                shares=i,
                views=1000 * (i + 1),
                caption=f"Launch day {i}",
                thumbnail_url=thumbnail_url,
            )
            add_post(
                db,
                account,
                f"mid-{i}",
                noon(today - timedelta(days=10 + i)),
                likes=40 + i,
                comments=50 - i,
                views=300,
                caption=f"Behind the scenes {i}",
                thumbnail_url=thumbnail_url,
            )
            add_post(
                db,
                account,
                f"old-{i}",
                noon(today - timedelta(days=60)),
                likes=5000 + i,
                caption=f"Old favourite {i}",
                thumbnail_url=thumbnail_url,
            )
        (blocked,) = add_accounts(db, workspace_id, 1, prefix="blocked")
        blocked.platform, blocked.name = "facebook", "Blocked Page"
        db.add(AnalyticsState(account_id=blocked.id, problem_code="scope_not_granted", problem_scope="read_insights"))
        db.commit()
        return Seeded(problem_account_id=blocked.id, first_day_index_today=89)


def _n(value: int) -> str:
    return f"{value:,}"


def _expected_engagement(days: int) -> int:
    return len(CURVES) * sum(Curve.engagement(89 - k) for k in range(days))


def _open(page: Page, user) -> None:
    page.set_default_timeout(60_000)  # full-page screenshots of a long page on a loaded machine
    sign_in(page, user, next_path="/analytics")  # the sign-in's allow-list sends the user back here
    expect(page.locator("#analytics-kpis")).to_be_visible(timeout=30_000)


def _csv(page: Page) -> list[list[str]]:
    with page.expect_download() as info:
        page.click("#analytics-export")
    download = info.value
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    assert download.suggested_filename.startswith("analytics-") and download.suggested_filename.endswith(".csv")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def _switch_to_arabic(page: Page) -> None:
    page.click("#language-switch")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("[data-kpi='followers']")).to_contain_text("المتابعون")


def _choose_range(page: Page, days: str) -> None:
    page.locator("#analytics-range").get_by_role("radio").nth(["7", "30", "90"].index(days)).click()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_thirty_days_range_csv_and_the_missing_permission(
    page: Page, viewport: str, make_user, app_server, lang: str
) -> None:
    user = make_user(plan="enterprise")
    seeded = _seed(user.email, app_server.url("/icon-192.png"))
    _open(page, user)
    if lang == "ar":
        _switch_to_arabic(page)
    today = datetime.now(UTC).date()
    followers = sum(c.followers(89) for c in CURVES)
    growth = sum(c.growth for c in CURVES) * 30
    kpi = page.locator("[data-kpi-value='followers']")
    expect(kpi).to_have_text(_n(followers))
    expect(page.locator("[data-kpi='followers'] [data-trend='up']")).to_contain_text(f"+{_n(growth)}")
    expect(page.locator("[data-kpi-value='engagement']")).to_have_text(_n(_expected_engagement(30)))
    expect(page.locator("[data-kpi-value='posts']")).to_have_text("0")
    for chart in ("followers", "visibility", "activity"):
        expect(page.locator(f"[data-chart='{chart}'] .recharts-surface").first).to_be_visible()
    expect(page.locator("[data-chart='followers'] .recharts-line-curve").first).to_be_visible()
    expect(page.locator("[data-chart='activity'] .recharts-bar-rectangle").first).to_be_attached()
    posts = page.locator("[data-top-post]" if viewport == "desktop" else "[data-top-post-card]").locator("visible=true")
    expect(posts).to_have_count(10)  # two recent posts per account; the 60-day-old ones are outside 30 days
    expect(posts.first).to_contain_text("Launch day 4")  # the most engagement: 140 likes + 20 comments + 4 shares
    reason = page.locator(f"[data-reason='{seeded.problem_account_id}']")
    if lang == "en":
        expect(reason).to_have_text("Reconnect and allow read_insights to see analytics.")
    else:
        expect(reason).to_have_text("أعد الربط واسمح بـ read_insights لترى التحليلات.")
    expect(
        page.locator(f"[data-analytics-reconnect='{seeded.problem_account_id}']").locator("visible=true")
    ).to_be_visible()
    screenshot(page, f"analytics-30d-{lang}", viewport)

    _choose_range(page, "7")
    expect(page.locator("[data-kpi-value='engagement']")).to_have_text(_n(_expected_engagement(7)))
    expect(posts).to_have_count(len(PLATFORMS))  # the recent posts, 2..6 days old
    rows = _csv(page)
    header = rows[0]
    assert header[0] == ("Date" if lang == "en" else "التاريخ")
    days = rows[1:8]
    assert [d[0] for d in days] == [(today - timedelta(days=6 - k)).isoformat() for k in range(7)]
    columns = dict(zip(header, days[-1], strict=True))
    assert columns["Followers" if lang == "en" else "المتابعون"] == str(followers)
    assert columns["Posts published" if lang == "en" else "المنشورات المنشورة"] == "0"
    assert rows[8] == []
    post_rows = rows[10:]
    assert len(post_rows) == len(PLATFORMS) and post_rows[0][3] == "Launch day 4"
    assert post_rows[0][4:10] == ["140", "20", "4", "5000", "164", "https://example.test/linkedin/recent-4"]
    screenshot(page, f"analytics-7d-{lang}", viewport)

    _choose_range(page, "90")
    expect(posts).to_have_count(15)
    expect(page.locator("[data-kpi='engagement']")).to_contain_text(
        "No earlier data to compare" if lang == "en" else "لا بيانات سابقة للمقارنة"
    )
    if viewport == "desktop":
        page.click("[data-sort='likes']")
    else:
        page.click("#analytics-sort")
        page.get_by_role("option").nth(0).click()  # likes
    expect(posts.first).to_contain_text("Old favourite 4")
    screenshot(page, f"analytics-90d-by-likes-{lang}", viewport)


def test_scope_drill_down_to_one_platform(page: Page, viewport: str, make_user, app_server) -> None:
    user = make_user(plan="enterprise")
    _seed(user.email, app_server.url("/icon-192.png"))
    _open(page, user)
    page.click("#analytics-scope")
    page.locator("[data-scope-option='platform:tiktok']").click()
    expect(page.locator("[data-kpi-value='followers']")).to_have_text(_n(CURVES[2].followers(89)))
    posts = page.locator("[data-top-post]" if viewport == "desktop" else "[data-top-post-card]").locator("visible=true")
    expect(posts).to_have_count(2)
    expect(page.locator("[data-chart='visibility']")).to_be_visible()  # TikTok reports views (no reach)
    screenshot(page, "analytics-tiktok-only", viewport)

    # A custom range: a reversed one is refused with the reason and the figures stay; a valid one applies.
    page.locator("#analytics-range").get_by_role("radio").nth(3).click()
    today = datetime.now(UTC).date()
    page.fill("#analytics-from", today.isoformat())
    page.fill("#analytics-to", (today - timedelta(days=3)).isoformat())
    page.click("#analytics-apply")
    expect(page.locator("#analytics-error")).to_contain_text("Choose a start day on or before the end day")
    expect(page.locator("[data-kpi-value='followers']")).to_have_text(_n(CURVES[2].followers(89)))
    screenshot(page, "analytics-custom-range-error", viewport)
    page.fill("#analytics-from", (today - timedelta(days=12)).isoformat())
    page.fill("#analytics-to", (today - timedelta(days=5)).isoformat())
    page.click("#analytics-apply")
    expect(page.locator("#analytics-error")).to_have_count(0)
    expect(page.locator("[data-kpi-value='followers']")).to_have_text(_n(CURVES[2].followers(84)))
    expect(posts).to_have_count(
        1
    )  # TikTok's "Behind the scenes 2" (12 days old); "Launch day 2" (4 days) is after the range
    expect(posts.first).to_contain_text("Behind the scenes 2")


def test_empty_states(page: Page, viewport: str, make_user) -> None:
    from socializioz.db import session_scope

    user = make_user(plan="enterprise")
    sign_in(page, user, next_path="/analytics")
    expect(page.locator("#analytics-empty-accounts")).to_be_visible(timeout=30_000)
    screenshot(page, "analytics-empty-no-accounts", viewport)

    with session_scope() as db:
        (account,) = add_accounts(db, _workspace_of(user.email), 1, prefix="fresh")
        db.commit()
        account_id = account.id
    page.goto("/analytics")
    if page.locator("#analytics-loading").is_visible():  # best effort: the spinner shows until the view is read
        screenshot(page, "analytics-loading", viewport)
    expect(page.locator("#analytics-empty-data")).to_be_visible(timeout=30_000)
    expect(page.locator("#analytics-kpis")).to_have_count(0)
    expect(page.locator(f"[data-reason='{account_id}']")).to_contain_text("Not synced yet")
    screenshot(page, "analytics-empty-not-synced", viewport)
    _switch_to_arabic_empty(page)
    screenshot(page, "analytics-empty-not-synced-ar", viewport)


def _switch_to_arabic_empty(page: Page) -> None:
    page.click("#language-switch")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#analytics-empty-data")).to_contain_text("لا توجد تحليلات")
