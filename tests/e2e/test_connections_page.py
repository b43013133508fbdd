"""The Connections page around the flow: guided tour, mobile route, onboarding, fallbacks."""

from __future__ import annotations

from datetime import UTC

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import at, screenshot, sign_in, wait_for_tour_done
from tests.e2e.test_connect_flow import start


def _dismiss_tour(page: Page) -> None:
    page.locator(".driver-popover").wait_for()
    page.locator(".driver-popover-close-btn").click()
    expect(page.locator(".driver-popover")).to_have_count(0)


def test_guided_tour_on_first_visit_only(page: Page, viewport: str, make_user) -> None:
    user = make_user(seen_tour=False)
    sign_in(page, user)
    popover = page.locator(".driver-popover")
    expect(popover).to_be_visible()
    expect(popover).to_contain_text("Your connected accounts")
    screenshot(page, "guided-tour", viewport)
    _dismiss_tour(page)
    wait_for_tour_done(user.email)  # the server records it after the popover closes (a loaded box lags)
    page.reload()
    page.wait_for_selector("[data-tile='facebook']")
    page.wait_for_timeout(1000)
    expect(popover).to_have_count(0)


def test_mobile_tab_opens_the_mobile_route_and_desktop_is_sent_to_the_canvas(
    page: Page, viewport: str, make_user
) -> None:
    user = make_user()
    sign_in(page, user)
    if viewport == "mobile":
        page.click("[data-bottom-nav='/m/connections']")
        page.wait_for_url(at("/m/connections"))
        expect(page.locator("[data-tile='facebook']")).to_be_visible()
        screenshot(page, "mobile-connections", viewport)
    else:
        page.goto("/m/connections")
        page.wait_for_url(at("/connections"))


def test_onboarding_intent_survives_the_redirect(page: Page, viewport: str, signed_in) -> None:
    signed_in(plan="professional")
    page.goto("/onboarding?step=2")  # the wizard's connect step
    expect(page.locator("#onboarding-prompt")).to_contain_text("Connect at least one account")
    consent = start(page, viewport, "x")
    consent.click("#sandbox-approve")
    if viewport == "desktop":
        expect(page.locator("#continue-onboarding")).to_be_visible(timeout=20_000)
    else:
        expect(consent.locator("#result-return")).to_contain_text("Continue onboarding")
        consent.wait_for_url(at("/onboarding"), timeout=20_000)
        expect(page.locator("#continue-onboarding")).to_be_visible()
    screenshot(page, "onboarding-connected", viewport)


def test_focus_return_clears_a_stuck_spinner(page: Page, viewport: str, signed_in) -> None:
    if viewport == "mobile":
        pytest.skip("same-tab navigation on mobile: there is no waiting origin tab")
    signed_in(plan="professional")
    with page.context.expect_page() as popup:
        page.click("[data-connect='tiktok']")
    expect(page.locator("#connecting-notice")).to_be_visible()
    popup.value.close()  # the person gives up on the platform's page
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    expect(page.locator("#connecting-notice")).to_have_count(0)
    expect(page.locator("[data-connect='tiktok']")).to_be_enabled()


def test_back_forward_cache_return_clears_a_stuck_spinner(page: Page, viewport: str, signed_in) -> None:
    """Safari keeps the page in its back-forward cache while the person is on the platform's page;
    coming back shows it again without reloading it (``pageshow`` with ``persisted``)."""
    if viewport == "mobile":
        pytest.skip("same-tab navigation on mobile: there is no waiting origin tab")
    signed_in(plan="professional")
    with page.context.expect_page() as popup:
        page.click("[data-connect='tiktok']")
    expect(page.locator("#connecting-notice")).to_be_visible()
    popup.value.close()
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: false}))")
    expect(page.locator("#connecting-notice")).to_be_visible()  # a first show is not a return
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    expect(page.locator("#connecting-notice")).to_have_count(0)
    expect(page.locator("[data-connect='tiktok']")).to_be_enabled()


def test_blocked_storage_is_explained(page: Page, viewport: str, make_user) -> None:
    user = make_user()
    page.add_init_script("""
      const original = Storage.prototype.setItem;
      Storage.prototype.setItem = function (key, value) {
        if (this === window.localStorage && key === 'sz-probe') throw new DOMException('QuotaExceededError');
        return original.call(this, key, value);
      };
    """)
    sign_in(page, user)
    expect(page.locator("#storage-warning")).to_contain_text("storage is full, disabled or blocked")


def test_expired_token_toast_once_per_session(page: Page, viewport: str, signed_in) -> None:
    from datetime import datetime, timedelta

    from sqlmodel import select

    from socializioz.db import session_scope
    from socializioz.models import SocialAccount, User

    user = signed_in(plan="professional")
    with session_scope() as db:
        workspace_id = db.exec(select(User).where(User.email == user.email)).one().active_workspace_id
        db.add(
            SocialAccount(
                workspace_id=workspace_id,
                platform="x",
                external_id="expired-x",
                name="Expired Brand",
                username="expiredbrand",
                token_expires_at=datetime.now(UTC) - timedelta(hours=1),
            )
        )
    page.reload()
    toast = page.get_by_text("Expired Brand (X (Twitter)) needs reconnecting")
    expect(toast).to_be_visible()
    expect(page.locator("[data-account='Expired Brand']")).to_contain_text("Needs reconnect")
    screenshot(page, "expired-token-toast", viewport)
    page.reload()
    page.wait_for_selector("[data-account='Expired Brand']")
    page.wait_for_timeout(1500)
    expect(toast).to_have_count(0)
