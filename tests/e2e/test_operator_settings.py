"""Issue 14: ``missing_credentials`` reached through the real app. The operator gave LinkedIn a
client id but no client secret; the session's server runs with exactly that setting for this module
(``server_settings`` restarts it on the same port and data, and back afterwards). Connecting LinkedIn
shows the connection error banner with its code, the catalogue's cause and the support link (not a
toast), at 1280 and 390 px, in English and Arabic."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from socializioz.domain.errors import describe
from tests.e2e.conftest import AppServer, screenshot, server_settings


@pytest.fixture(scope="module", autouse=True)
def linkedin_without_its_secret(app_server: AppServer) -> Iterator[None]:
    with server_settings(app_server, linkedin__client_id="li-app-123"):
        yield


def test_missing_credentials_is_the_banner_with_its_code_and_support_link(page: Page, viewport: str, signed_in) -> None:
    signed_in(plan="professional")
    page.click("[data-connect='linkedin']")
    banner = page.locator("#error-banner")
    expect(banner).to_contain_text("missing_credentials")
    expect(banner).to_contain_text(describe("missing_credentials").cause)
    expect(page.locator("[data-sonner-toast]")).to_have_count(0)  # the banner, not a toast
    expect(page.locator("[data-platform='linkedin']")).to_have_count(0)  # nothing was connected
    screenshot(page, "missing-credentials-banner", viewport)
    page.click("#fix-with-ai")
    expect(page.locator("#support-code")).to_have_text("missing_credentials")


def test_missing_credentials_banner_in_arabic(page: Page, viewport: str, signed_in) -> None:
    signed_in(plan="professional")
    page.click("#language-switch")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.click("[data-connect='linkedin']")
    banner = page.locator("#error-banner")
    expect(banner).to_contain_text("missing_credentials")
    expect(banner).to_contain_text("بيانات اعتماد المنصة غير مُعدّة.")
    screenshot(page, "missing-credentials-banner-ar", viewport)
