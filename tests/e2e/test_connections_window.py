"""The Connections page with many accounts (issue 15): a page of 24 cards, the pager, search by
name or @handle, the health filter with its server count, and ``?account=`` for an account on a
later page, at 1280 and 390 px."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlmodel import select

from tests.e2e.conftest import screenshot, sign_in

ACCOUNTS = 40


def _crowded_workspace(email: str) -> list[int]:
    """40 X accounts (the last three need reconnecting) in the user's workspace; their ids, oldest first."""
    from socializioz.db import session_scope
    from socializioz.models import SocialAccount, User
    from socializioz.security.credentials import store_tokens

    now = datetime.now(UTC)
    ids = []
    with session_scope() as db:
        workspace_id = db.exec(select(User).where(User.email == email)).one().active_workspace_id
        for n in range(ACCOUNTS):
            account = SocialAccount(
                workspace_id=workspace_id,
                platform="x",
                external_id=f"crowd-{n}",
                name=f"Crowd {n:02d}",
                username=f"crowd_{n:02d}",
                status="revoked" if n >= ACCOUNTS - 3 else "active",
                connected_at=now - timedelta(minutes=ACCOUNTS - n),
                token_expires_at=now + timedelta(days=30),
                granted_scopes="tweet.read tweet.write users.read offline.access",
            )
            db.add(account)
            db.flush()
            store_tokens(db, account.id, {"access_token": f"token-{n}"})
            ids.append(account.id)
    return ids


def _cards(page: Page):
    return page.locator("#account-list [data-platform='x']")


def test_many_accounts_page_search_filter_and_deep_link(page: Page, viewport: str, make_user) -> None:
    user = make_user(plan="enterprise")
    ids = _crowded_workspace(user.email)
    sign_in(page, user)
    page.goto("/connections")
    expect(_cards(page)).to_have_count(24)
    expect(page.locator("#plan-usage")).to_contain_text(str(ACCOUNTS))
    expect(page.locator("#account-page-range")).to_have_text("1–24 of 40")
    screenshot(page, "connections-many-accounts", viewport)

    page.click("#account-page-next")
    expect(page.locator("#account-page-range")).to_have_text("25–40 of 40")
    expect(_cards(page)).to_have_count(16)
    expect(page.locator("#account-page-next")).to_be_disabled()

    page.fill("#account-search", "@crowd_07")
    expect(_cards(page)).to_have_count(1)
    expect(_cards(page).first).to_contain_text("Crowd 07")
    expect(page.locator("#account-page-range")).to_have_count(0)  # one page: no pager

    page.fill("#account-search", "nobody-by-that-name")
    expect(page.locator("#account-no-match")).to_be_visible()
    screenshot(page, "connections-no-match", viewport)
    page.click("#account-no-match button")
    expect(_cards(page)).to_have_count(24)
    expect(page.locator("#account-search")).to_have_value("")

    health = page.locator("#account-health-filter")
    expect(health).to_contain_text("(3)")
    health.get_by_role("radio", name="Needs reconnect (3)").click()
    expect(_cards(page)).to_have_count(3)
    screenshot(page, "connections-needs-reconnect-filter", viewport)

    page.goto(f"/connections?account={ids[-1]}")  # on the second page of the unfiltered list
    expect(page.locator("#account-details")).to_be_visible()
    expect(page.locator("#account-details")).to_contain_text("Crowd 39")


def test_few_accounts_show_no_tools(page: Page, viewport: str, signed_in) -> None:
    signed_in()
    expect(page.locator("#connections-empty")).to_be_visible()
    expect(page.locator("#account-tools")).to_have_count(0)
    expect(page.locator("#account-page-range")).to_have_count(0)
