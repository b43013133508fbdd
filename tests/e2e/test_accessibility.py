"""axe-core on every main screen at both widths: no serious or critical violations."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.e2e.conftest import sign_in

AXE = Axe()
BLOCKING = {"serious", "critical"}
SIGNED_IN_PAGES = ("/connections", "/workspaces", "/billing", "/support?platform=x&code=x_token_error", "/compose")


def _violations(page: Page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def test_sign_in_page(page: Page) -> None:
    page.goto("/sign-in")
    page.wait_for_selector("#sign-in-submit")
    assert _violations(page) == []


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_signed_in_pages(page: Page, make_user, path: str) -> None:
    sign_in(page, make_user(plan="professional"))
    page.goto(path)
    page.wait_for_selector("#workspace-switcher")
    page.wait_for_timeout(500)
    assert _violations(page) == []


def test_cards_and_details_panel_in_arabic(page: Page, signed_in) -> None:
    from tests.e2e.test_accounts_cards import _open_details
    from tests.e2e.test_connect_flow import _add_accounts

    user = signed_in(plan="professional")
    _add_accounts(user.email, 2)
    page.reload()
    page.click("#language-switch")
    page.wait_for_selector("html[dir=rtl]")
    assert _violations(page) == []
    _open_details(page, "facebook")
    page.wait_for_timeout(800)
    assert _violations(page) == []


def test_sandbox_consent_screen(page: Page, signed_in) -> None:
    from tests.e2e.test_connect_flow import start

    signed_in(plan="professional")
    consent = start(page, "desktop" if page.viewport_size["width"] > 600 else "mobile", "linkedin")
    assert _violations(consent) == []
