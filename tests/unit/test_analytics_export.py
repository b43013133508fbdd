"""The analytics CSV (exactly the series and top posts shown, localized headers, spreadsheet-safe
cells), the page's display rows, and the number/date formatting helper."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from socializioz.domain.plans import Plan
from socializioz.i18n.formatting import format_day, format_number, format_percent
from socializioz.services import analytics_export
from socializioz.services import analytics_view as av
from socializioz.services import workspaces as ws
from socializioz.services.auth import sign_up
from socializioz.state.analytics import display, kpi_card
from tests.analytics_data import Curve, add_accounts, add_metric_days, add_post, noon

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def three_days(db):
    user = sign_up(db, "csv@example.com", "Csv", "long-enough-pw")
    workspace = ws.create_workspace(db, user, "Csv team", Plan.PROFESSIONAL)
    fb, x = add_accounts(db, workspace.id, 2)[:2]
    x.platform = "x"
    add_metric_days(db, fb, date(2026, 2, 28), date(2026, 3, 1), Curve(100, 5))
    add_metric_days(db, x, date(2026, 2, 28), date(2026, 3, 1), Curve(10, 1))
    add_post(db, fb, "p1", noon(date(2026, 3, 1)), likes=7, comments=2, shares=1, views=90, caption="Hello, world")
    add_post(db, x, "p2", noon(date(2026, 2, 28)), likes=3, views=40, caption="=HYPERLINK(evil)", snapshots=1)
    db.commit()
    return av.build_view(user, workspace.id, preset=None, start="2026-02-28", end="2026-03-02", now=NOW)


def test_csv_holds_exactly_the_series_and_the_top_posts(three_days) -> None:
    text = analytics_export.export_csv(three_days, "en")
    assert text == (
        "\ufeff"
        "Date,Followers,Reach,Views,Engagement,Posts published\n"
        "2026-02-28,110,50,200,20,0\n"
        "2026-03-01,116,51,206,22,0\n"
        "2026-03-02,,,,,0\n"
        "\n"
        "Published,Platform,Account,Post,Likes,Comments,Shares,Views,Engagement,Link\n"
        '2026-03-01,Facebook,Facebook acct 0,"Hello, world",7,2,1,90,10,https://example.test/facebook/p1\n'
        "2026-02-28,X (Twitter),Instagram acct 1,'=HYPERLINK(evil),3,0,0,40,3,https://example.test/x/p2\n"
    )
    assert analytics_export.filename(three_days) == "analytics-2026-02-28-2026-03-02.csv"


def test_csv_headers_follow_the_language(three_days) -> None:
    lines = analytics_export.export_csv(three_days, "ar").removeprefix("\ufeff").splitlines()
    assert lines[0] == "التاريخ,المتابعون,الوصول,المشاهدات,التفاعل,المنشورات المنشورة"
    assert lines[1] == "2026-02-28,110,50,200,20,0"
    assert lines[5].startswith("تاريخ النشر,المنصة,الحساب,المنشور,الإعجابات")


def test_display_rows_are_formatted_for_the_language(three_days) -> None:
    shown = display(three_days, "ar")
    assert shown["rtl"] is True
    assert [row["label"] for row in shown["chart_rows"]] == ["28 فبراير", "1 مارس", "2 مارس"]
    assert shown["chart_rows"][1]["followers"] == 116 and shown["chart_rows"][2]["followers"] is None
    assert shown["range_label"] == "28 فبراير 2026 – 2 مارس 2026"
    assert [p["caption"] for p in shown["top_posts"]] == ["Hello, world", "=HYPERLINK(evil)"]
    english = display(three_days, "en")
    assert english["compare_label"] == "vs previous 3 days"
    assert english["scope_options"][0] == {"value": "all", "label": "All accounts"}
    assert {"value": "platform:x", "label": "X (Twitter)"} in english["scope_options"]
    assert english["problems"] == []  # both accounts have data and no problem


def test_kpi_cards_show_direction_and_percentage() -> None:
    up = kpi_card(av.Kpi("followers", 12_500, 10_000), "en")
    assert (up["value"], up["delta"], up["pct"], up["trend"], up["comparable"]) == (
        "12,500",
        "+2,500",
        "+25.0%",
        "up",
        True,
    )
    down = kpi_card(av.Kpi("engagement", 50, 200), "en")
    assert (down["delta"], down["pct"], down["trend"]) == ("-150", "-75.0%", "down")
    fresh = kpi_card(av.Kpi("views", 10, 0), "en")
    assert fresh["comparable"] is False and fresh["pct"] == ""
    assert kpi_card(av.Kpi("posts", 3, 3), "ar")["trend"] == "flat"


def test_formatting_helper() -> None:
    assert format_number("en", 1234567) == "1,234,567"
    assert format_number("ar", -1234) == "-1,234"
    assert format_number("xx", 1000) == "1,000"  # unknown language: English
    assert format_percent("en", 12.345, signed=True) == "+12.3%"
    assert format_percent("en", 1234.5) == "1,234.5%"
    assert format_day("en", date(2026, 12, 2)) == "2 Dec"
    assert format_day("ar", date(2026, 12, 2), with_year=True) == "2 ديسمبر 2026"


def test_dst_day_bounds() -> None:
    """A local day across a DST change is 23 hours long; the UTC bounds follow the zone."""
    start, end = av.utc_bounds(av.DateRange(date(2026, 3, 8), date(2026, 3, 8)), "America/New_York")
    assert end - start == timedelta(hours=23)
    assert start == datetime(2026, 3, 8, 5, 0, tzinfo=UTC)


def test_problems_follow_the_scope(db) -> None:
    """An account without analytics is listed only while it is in what the page shows."""
    user = sign_up(db, "scope@example.com", "Scope", "long-enough-pw")
    workspace = ws.create_workspace(db, user, "Scope team", Plan.PROFESSIONAL)
    fb, ig = add_accounts(db, workspace.id, 2)[:2]
    add_metric_days(db, ig, date(2026, 2, 1), date(2026, 3, 1), Curve(5, 1))
    db.commit()
    everything = display(av.build_view(user, workspace.id, now=NOW), "en")
    assert [p["id"] for p in everything["problems"]] == [fb.id]
    assert everything["problems"][0]["reason"].startswith("Not synced yet")
    instagram = display(av.build_view(user, workspace.id, scope="platform:instagram", now=NOW), "en")
    assert instagram["problems"] == []
