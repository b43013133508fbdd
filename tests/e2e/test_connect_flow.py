"""Connecting accounts end to end against the sandbox, at 1280 and 390 px."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot

PERSONAS = {"facebook": "fb-alice", "instagram": "ig-studio", "tiktok": "tt-acme", "x": "x-acme", "linkedin": "li-jane"}


@contextmanager
def consent_page(page: Page, viewport: str):
    """The page showing the platform's consent screen: a new tab on desktop, this tab on mobile."""
    if viewport == "desktop":
        with page.context.expect_page() as popup:
            yield
        consent = popup.value
    else:
        yield
        consent = page
    consent.wait_for_selector("#sandbox-approve")
    page._consent = consent  # type: ignore[attr-defined]


def start(page: Page, viewport: str, platform: str) -> Page:
    with consent_page(page, viewport):
        page.click(f"[data-connect='{platform}']")
        if platform in ("facebook", "instagram"):
            expect(page.locator("#setup-sheet")).to_be_visible()
            page.click("#sheet-continue")
    return page._consent  # type: ignore[attr-defined]


def back_on_connections(page: Page, consent: Page, viewport: str) -> None:
    if viewport != "desktop":
        consent.wait_for_url("**/connections/**", timeout=20_000)


@pytest.mark.parametrize("platform", ["tiktok", "x", "linkedin", "instagram"])
def test_happy_path_shows_the_account_card(page: Page, viewport: str, signed_in, platform: str) -> None:
    signed_in(plan="professional")
    consent = start(page, viewport, platform)
    expect(consent.locator("#sandbox-banner")).to_be_visible()
    consent.check(f"#persona-{PERSONAS[platform]}")
    screenshot(consent, f"consent-{platform}", viewport)
    consent.click("#sandbox-approve")
    if viewport == "desktop":
        expect(page.locator(f"[data-platform='{platform}']")).to_be_visible(timeout=20_000)
    else:
        expect(consent.locator("#result-success")).to_be_visible()
        screenshot(consent, f"result-{platform}", viewport)
        consent.wait_for_url("**/connections/**", timeout=20_000)
        expect(page.locator(f"[data-platform='{platform}']")).to_be_visible()
    screenshot(page, f"connected-{platform}", viewport)
