"""The analytics page with more accounts than a page of its per-account table, and a post published
through the composer reaching the page after the next sync, at 1280 and 390 px, English and Arabic.

* Paging: 30 accounts (six per platform) with 35 days of rows written as the sync writes them (its
  daily rollup included): the table shows 25, "Next" shows the other 5, the KPIs stay those of all
  30; an account's name drills the page down to it.
* Publish → sync → metrics: connect X through the sandbox's consent screen, post now from the
  composer, two people reply on the platform, then "Refresh analytics" (the sync of that account,
  as the hourly job runs it) and the post is among the top posts with its two replies.
"""

from __future__ import annotations

import shutil
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from tests.analytics_data import Curve, add_accounts, add_metric_days
from tests.e2e.conftest import screenshot, sign_in
from tests.e2e.test_analytics_page import _switch_to_arabic, _workspace_of
from tests.e2e.test_connect_flow import PERSONAS, start

SHOTS = Path("/tmp/rollup-shots")
ACCOUNTS = 30


def _shot(page: Page, name: str, viewport: str) -> None:
    """The suite's screenshot, and a copy where this change's review looks for it."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(screenshot(page, name, viewport), SHOTS / f"{name}-{viewport}.png")


def _seed(email: str) -> list[tuple[int, str, int]]:
    """(id, name, followers today) of 30 accounts in table order (platform, name, id)."""
    from socializioz.db import session_scope

    today = datetime.now(UTC).date()
    with session_scope() as db:
        accounts = add_accounts(db, _workspace_of(email), ACCOUNTS, prefix="team")
        for k, account in enumerate(accounts):
            add_metric_days(db, account, today - timedelta(days=34), today, Curve(100 * (k + 1), 1))
        db.commit()
        rows = [(a.id, a.name, Curve(100 * (k + 1), 1).followers(34), a.platform) for k, a in enumerate(accounts)]
    rows.sort(key=lambda r: (r[3], r[1], r[0]))
    return [(i, name, followers) for i, name, followers, _ in rows]


def _number(lang: str, value: int) -> str:
    from socializioz.i18n.formatting import format_number

    return format_number(lang, value)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_account_table_pages_and_drills_down(page: Page, viewport: str, make_user, lang: str) -> None:
    user = make_user(plan="enterprise")
    accounts = _seed(user.email)
    page.set_default_timeout(60_000)
    sign_in(page, user, next_path="/analytics")
    expect(page.locator("#analytics-kpis")).to_be_visible(timeout=30_000)
    if lang == "ar":
        _switch_to_arabic(page)
    total = sum(f for _, _, f in accounts)
    expect(page.locator("[data-kpi-value='followers']")).to_have_text(_number(lang, total))
    rows = page.locator("[data-account-row]")
    expect(rows).to_have_count(25)
    of = "of" if lang == "en" else "من"
    n = lambda v: _number(lang, v)
    expect(page.locator("#analytics-accounts-range")).to_have_text(f"{n(1)}–{n(25)} {of} {n(30)}")
    expect(page.locator("#analytics-accounts-previous")).to_be_disabled()
    expect(rows.first).to_contain_text(accounts[0][1])
    page.locator("#analytics-accounts").scroll_into_view_if_needed()
    _shot(page, f"analytics-accounts-page-1-{lang}", viewport)

    page.click("#analytics-accounts-next")
    expect(page.locator("#analytics-accounts-range")).to_have_text(f"{n(26)}–{n(30)} {of} {n(30)}")
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text(accounts[25][1])
    expect(page.locator("#analytics-accounts-next")).to_be_disabled()
    expect(page.locator("[data-kpi-value='followers']")).to_have_text(_number(lang, total))  # still all 30
    _shot(page, f"analytics-accounts-page-2-{lang}", viewport)

    account_id, name, followers = accounts[27]
    page.locator(f"[data-show-account='{account_id}']").click()
    expect(page.locator("[data-kpi-value='followers']")).to_have_text(_number(lang, followers))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(name)
    expect(page.locator("#analytics-accounts-range")).to_have_count(0)  # one page: no pager
    expect(page.locator("#analytics-refresh")).to_be_visible()
    _shot(page, f"analytics-one-account-{lang}", viewport)


def _published(account_id: int, text: str, timeout: float = 200.0) -> str:
    """The platform's id of the post once the publisher has sent it (what the posts page shows)."""
    from socializioz.db import session_scope
    from socializioz.models import Post, PostTarget

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope() as db:
            target = db.exec(
                select(PostTarget)
                .join(Post, Post.id == PostTarget.post_id)
                .where(PostTarget.account_id == account_id, Post.text == text)
            ).first()
            if target is not None and target.status == "published" and target.external_id:
                return target.external_id
        time.sleep(1)
    raise AssertionError(f"the post to account {account_id} was not published within {timeout} s")


def test_a_post_published_through_the_composer_shows_its_metrics_after_the_next_sync(
    page: Page, viewport: str, signed_in, app_server
) -> None:
    from tests.e2e.test_publish_flow import _account_ids

    page.set_default_timeout(60_000)  # a shared, loaded machine: page loads take longer than 15 s
    user = signed_in(plan="professional")
    consent = start(page, viewport, "x")
    consent.check(f"#persona-{PERSONAS['x']}")
    consent.click("#sandbox-approve")
    if viewport != "desktop":
        consent.wait_for_url("**/connections/**", timeout=20_000)
    expect(page.locator("[data-platform='x']").first).to_be_visible(timeout=20_000)
    account_id = _account_ids(user.email)["x"]
    text = f"Metrics after the sync ({viewport}, {datetime.now(UTC):%H:%M:%S})"

    page.goto("/compose")
    page.locator(f"[data-compose-account='{account_id}']").click()
    page.fill("#compose-text", text)
    page.click("#compose-now")
    expect(page.locator("[data-sonner-toast]")).to_contain_text("1")
    post_id = _published(account_id, text)
    from socializioz.integrations.sandbox.tenant import tenant_tag

    tenant = tenant_tag(_workspace_of(user.email))  # the sandbox keeps the workspace's posts apart
    for reply in ("Congratulations!", "Where can I buy it?"):  # people answer on the platform
        response = httpx.post(
            f"{app_server.sandbox_url}/_control/comments",
            json={"post_id": post_id, "text": reply, "tenant": tenant},
            timeout=10,
        )
        response.raise_for_status()

    page.goto("/analytics")
    page.click("#analytics-scope")
    page.locator(f"[data-scope-option='account:{account_id}']").click()
    refresh = page.locator("#analytics-refresh")
    expect(refresh).to_be_visible()
    posts = page.locator("[data-top-post]" if viewport == "desktop" else "[data-top-post-card]").locator("visible=true")
    expect(posts.filter(has_text=text)).to_have_count(0)  # not synced since it was published

    refresh.click()
    expect(page.locator("[data-sonner-toast]").filter(has_text="Analytics refreshed")).to_be_visible()
    ours = posts.filter(has_text=text)
    expect(ours).to_have_count(1)
    expect(ours.locator("[data-metric='comments']")).to_have_text("2")
    expect(ours.locator("a[href^='https://']").first).to_be_attached()
    expect(page.locator("[data-kpi-value='posts']")).to_have_text("1")  # published through Socializioz today
    _shot(page, "analytics-post-after-sync", viewport)
