"""The refresh rules and the Meta Token Debug panel as people see them, at 1280 and 390 px: a paused
account says so on its card and in the panel, and an admin's "Refresh token now" ends the pause;
the panel names the connection method and checks that method's scopes; the shield is green or
amber before the section is opened; a new account's panel loads its recent posts by itself."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlmodel import select

from tests.e2e.conftest import screenshot
from tests.e2e.test_accounts_cards import _card, _connect_facebook_only, _open_details, _workspace_of
from tests.e2e.test_connect_flow import start


def _connect_instagram(page: Page, viewport: str) -> None:
    consent = start(page, viewport, "instagram")
    consent.check("#persona-ig-studio")
    consent.click("#sandbox-approve")
    if viewport != "desktop":
        consent.wait_for_url("**/connections/**", timeout=20_000)
    expect(_card(page, "instagram")).to_be_visible(timeout=20_000)


def _set_account(email: str, platform: str, **values) -> None:
    from socializioz.db import session_scope
    from socializioz.models import SocialAccount

    with session_scope() as db:
        account = db.exec(
            select(SocialAccount).where(
                SocialAccount.workspace_id == _workspace_of(email), SocialAccount.platform == platform
            )
        ).one()
        for name, value in values.items():
            setattr(account, name, value)
        db.add(account)


def _paused(email: str, platform: str) -> bool:
    from socializioz.db import session_scope
    from socializioz.models import SocialAccount

    with session_scope() as db:
        return db.exec(
            select(SocialAccount.refresh_paused).where(
                SocialAccount.workspace_id == _workspace_of(email), SocialAccount.platform == platform
            )
        ).one()


def test_instagram_business_login_panel_names_its_method_and_its_own_scopes(
    page: Page, viewport: str, signed_in
) -> None:
    signed_in(plan="professional")
    _connect_instagram(page, viewport)
    _open_details(page, "instagram")
    details = page.locator("#account-details")
    expect(details.locator("[data-shield='green']")).to_be_visible(timeout=20_000)  # before opening the section
    expect(details.locator("[data-post]").first).to_be_visible(timeout=20_000)  # synced on first open
    details.locator("#debug-toggle").click()
    expect(details.locator("#debug-method")).to_contain_text("Instagram Business Login")
    # the method's own scopes (its record's debug_scopes: basic, publish, comments, insights, messages)
    expect(details.locator("[data-scope]")).to_have_count(5)
    expect(details.locator("[data-scope='instagram_business_manage_insights']")).to_have_count(1)
    expect(details.locator("[data-scope='instagram_business_content_publish']")).to_have_attribute(
        "data-granted", "true"
    )
    expect(details.locator("[data-scope='pages_show_list']")).to_have_count(0)
    screenshot(page, "debug-instagram-login", viewport)


def test_facebook_panel_names_its_method_checks_the_seven_scopes_and_shows_the_shield_at_a_glance(
    page: Page, viewport: str, signed_in
) -> None:
    signed_in(plan="professional")
    _connect_facebook_only(page, viewport)
    _open_details(page, "facebook")
    details = page.locator("#account-details")
    expect(details.locator("[data-shield='green']")).to_be_visible(timeout=20_000)  # the section is still closed
    expect(details.locator("[data-scope]")).to_have_count(0)
    details.locator("#debug-toggle").click()
    expect(details.locator("#debug-method")).to_contain_text("Facebook Login for Pages")
    expect(details.locator("[data-scope]")).to_have_count(7)
    screenshot(page, "debug-facebook-method", viewport)


def test_a_paused_account_says_so_and_an_admin_refresh_ends_the_pause(page: Page, viewport: str, signed_in) -> None:
    user = signed_in(plan="professional")
    _connect_instagram(page, viewport)
    _set_account(
        user.email, "instagram", refresh_paused=True, refresh_failures=3, granted_scopes="instagram_business_basic"
    )
    page.reload()
    card = _card(page, "instagram")
    expect(card.locator("[data-refresh-paused]")).to_contain_text("Auto-refresh paused")
    expect(card.locator("[data-reconnect]")).to_be_visible()  # a person's action ends the pause
    card.locator("[data-card-tap]").click()
    expect(card.locator("[data-expanded]")).to_contain_text("stopped after three failures in a row")
    screenshot(page, "card-refresh-paused", viewport)
    card.locator("[data-card-tap]").click()
    details = page.locator("#account-details")
    expect(details.locator("[data-shield='amber']")).to_be_visible(timeout=20_000)  # a scope is missing
    details.locator("#debug-toggle").click()
    expect(details.locator("#debug-refresh-paused")).to_contain_text("paused after three failures")
    details.locator("#debug-refresh-now").click()
    expect(details.locator("#debug-refresh-paused")).to_have_count(0, timeout=20_000)
    expect(card.locator("[data-refresh-paused]")).to_have_count(0)
    assert _paused(user.email, "instagram") is False


def test_paused_badge_in_arabic(page: Page, viewport: str, signed_in) -> None:
    user = signed_in(plan="professional")
    _connect_instagram(page, viewport)
    _set_account(user.email, "instagram", refresh_paused=True, refresh_failures=3)
    page.click("#language-switch")
    page.reload()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(_card(page, "instagram").locator("[data-refresh-paused]")).to_contain_text("التجديد التلقائي متوقف")
    screenshot(page, "card-refresh-paused-arabic", viewport)
