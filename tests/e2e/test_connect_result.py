"""What a person sees when a flow ends, at 1280 and 390 px: the spec's result page wording, the
"Account connected!" toast (in the tab that started the flow on desktop, after the return on
mobile) that can be closed, and a result page that shows only its own flow."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import at, screenshot
from tests.e2e.test_connect_flow import start


def _toast(page: Page):
    return page.locator("[data-sonner-toast]").filter(has_text="Account connected!")


def test_result_page_wording_and_a_dismissible_account_connected_toast(page: Page, viewport: str, signed_in) -> None:
    signed_in(plan="professional")
    consent = start(page, viewport, "x")
    consent.click("#sandbox-approve")
    expect(consent.locator("#result-title")).to_have_text("X (Twitter) connected!")
    expect(consent.locator("#result-success")).to_be_visible()
    expect(consent.locator("#result-return")).to_have_text("Return to SocializioZ")
    screenshot(consent, "result-wording", viewport)
    if viewport != "desktop":  # same tab: the toast greets the person back on Connections
        consent.wait_for_url(at("/connections"), timeout=20_000)
    toast = _toast(page)
    expect(toast).to_be_visible(timeout=20_000)
    expect(page.locator("[data-platform='x']")).to_be_visible()
    screenshot(page, "account-connected-toast", viewport)
    toast.locator("[data-close-button]").click()
    expect(toast).to_have_count(0)
    page.reload()
    page.wait_for_selector("[data-platform='x']")
    page.wait_for_timeout(1000)
    expect(_toast(page)).to_have_count(0)  # once, not for the tab's life


def test_a_declined_consent_after_a_success_shows_only_its_own_result(page: Page, viewport: str, signed_in) -> None:
    signed_in(plan="professional")
    consent = start(page, viewport, "x")
    consent.click("#sandbox-approve")
    expect(consent.locator("[data-result-line]")).to_contain_text("Added:")
    if viewport == "desktop":
        consent.close()
    else:
        consent.wait_for_url(at("/connections"), timeout=20_000)
    expect(page.locator("[data-platform='x']")).to_be_visible(timeout=20_000)

    consent = start(page, viewport, "linkedin")
    consent.click("#sandbox-cancel")
    expect(consent.locator("#result-error")).to_be_visible()
    expect(consent.locator("#result-code")).to_be_visible()
    expect(consent.locator("[data-result-line]")).to_have_count(0)
    expect(consent.get_by_text("Added:")).to_have_count(0)
    screenshot(consent, "result-declined-after-success", viewport)


def test_result_page_in_arabic(page: Page, viewport: str, signed_in) -> None:
    signed_in(plan="professional")
    page.click("#language-switch")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    consent = start(page, viewport, "tiktok")
    consent.click("#sandbox-approve")
    expect(consent.locator("#result-success")).to_be_visible()
    expect(consent.locator("html")).to_have_attribute("dir", "rtl")
    expect(consent.locator("#result-return")).to_have_text("العودة إلى SocializioZ")
    screenshot(consent, "result-arabic", viewport)


def test_notify_me_on_a_coming_soon_tile_is_remembered_and_undone(page: Page, viewport: str, signed_in) -> None:
    signed_in(plan="professional")
    tile = page.locator("[data-tile='telegram']")
    expect(tile.locator("[data-soon='telegram']")).to_be_visible()
    tile.locator("[data-notify='telegram']").click()
    expect(tile.locator("[data-notify-state='telegram']")).to_contain_text("We'll tell you when Telegram launches")
    expect(tile.locator("[data-notify='telegram']")).to_have_count(0)
    screenshot(page, "notify-me", viewport)
    page.reload()
    expect(tile.locator("[data-notify-state='telegram']")).to_be_visible()  # stored per user
    expect(page.locator("[data-tile='whatsapp'] [data-notify='whatsapp']")).to_be_visible()
    tile.locator("[data-notify-undo='telegram']").click()
    expect(tile.locator("[data-notify='telegram']")).to_be_visible()
    page.reload()
    expect(tile.locator("[data-notify-state='telegram']")).to_have_count(0)


def test_notify_me_in_arabic(page: Page, viewport: str, signed_in) -> None:
    signed_in(plan="professional")
    page.click("#language-switch")
    tile = page.locator("[data-tile='whatsapp']")
    tile.locator("[data-notify='whatsapp']").click()
    expect(tile.locator("[data-notify-state='whatsapp']")).to_contain_text("سنخبرك عند إطلاق WhatsApp")
    screenshot(page, "notify-me-arabic", viewport)
