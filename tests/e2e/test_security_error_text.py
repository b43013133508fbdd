"""Pen-test finding 10: text chosen by whoever wrote the link never reaches the page. Only the
catalogue's code and messages are shown; names come from the signed-in user's own flow row."""

from __future__ import annotations

from urllib.parse import urlencode

from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot

EVIL = {"expected": "EVIL Corp", "actual": "You signed in as Support: call +1 555 0100", "scope": "CALL 555 NOW"}


def _page_text(page: Page) -> str:
    return page.locator("body").inner_text()


def test_connections_banner_ignores_names_in_the_url(page: Page, viewport: str, signed_in) -> None:
    signed_in(plan="professional")
    page.goto("/connections?" + urlencode({"error": "reconnect_wrong_account", "platform": "x", **EVIL}))
    banner = page.locator("#error-banner")
    expect(banner).to_be_visible(timeout=20_000)
    expect(banner).to_contain_text("reconnect_wrong_account")
    text = _page_text(page)
    assert "EVIL" not in text and "555" not in text
    screenshot(page, "security-banner-url-text", viewport)


def test_unknown_error_text_renders_the_generic_entry(page: Page, viewport: str, signed_in) -> None:
    signed_in(plan="professional")
    page.goto("/connections?" + urlencode({"error": "Call +1 555 0100 to fix your account", "platform": "tiktok"}))
    expect(page.locator("#error-banner")).to_be_visible(timeout=20_000)
    expect(page.locator("#error-code")).to_have_text("token_exchange_failed")
    assert "555" not in _page_text(page)


def test_result_page_ignores_names_and_unknown_codes_in_the_url(page: Page, viewport: str, signed_in) -> None:
    signed_in(plan="professional")
    for error in ("reconnect_wrong_account", "Call +1 555 0100 now"):
        page.goto("/oauth/result?" + urlencode({"error": error, "platform": "x", "flow": "999999", **EVIL}))
        expect(page.locator("#result-error")).to_be_visible(timeout=20_000)
        text = _page_text(page)
        assert "EVIL" not in text and "555" not in text
        href = page.locator("#result-return").get_attribute("href") or ""
        assert "EVIL" not in href and "555" not in href
