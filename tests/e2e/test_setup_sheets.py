"""The spec's pre-connect setup sheets, at 1280 and 390 px (issue 14: "the setup sheets' QR, deep
link, breadcrumb chips, Create Page and Quick Setup Guide" had no test). Facebook: the two
requirements, Create Page to Facebook's page creation, the collapsible Quick Setup Guide, and on the
desktop a QR code to the person's Pages on the phone. Instagram:
the two requirements, the breadcrumb chips of the spec's path, a deep link on the phone and a QR
code on the desktop (never both)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from socializioz.components.connect_dialogs import FACEBOOK_YOUR_PAGES_URL, INSTAGRAM_LOGIN_URL, qr_data_uri
from tests.e2e.conftest import screenshot

PATH = ("Profile", "Menu", "Settings and activity", "Account type and tools", "Switch to professional")


def test_facebook_sheet_requirements_create_page_and_quick_setup_guide(page: Page, viewport: str, signed_in) -> None:
    signed_in()
    page.click("[data-connect='facebook']")
    sheet = page.locator("#setup-sheet")
    expect(sheet).to_contain_text("You manage a Facebook Page")
    expect(sheet).to_contain_text("You need Admin or Editor permissions on the Page.")
    expect(sheet).to_contain_text("Use the Facebook account that owns or manages that Page")
    create = sheet.locator("#fb-create-page")
    expect(create).to_have_attribute("href", "https://www.facebook.com/pages/create")
    expect(create).to_have_attribute("target", "_blank")
    guide = sheet.locator("#fb-quick-guide")
    expect(guide).to_contain_text("Quick Setup Guide")
    expect(guide.locator("li")).to_have_count(0)  # collapsed until asked
    guide.get_by_text("Quick Setup Guide").click()
    expect(guide.locator("li")).to_have_count(3)
    expect(guide.locator("li").nth(1)).to_contain_text("Admin or Editor")
    qr = sheet.locator("#fb-qr")
    if viewport == "desktop":  # the same code the server draws for the Pages list on the phone
        expect(qr).to_have_attribute("src", qr_data_uri(FACEBOOK_YOUR_PAGES_URL))
        expect(qr).to_be_visible()
    else:
        expect(qr).to_be_hidden()
    screenshot(page, "setup-sheet-facebook", viewport)
    page.click("#sheet-cancel")
    expect(sheet).to_have_count(0)


def test_instagram_sheet_breadcrumbs_and_deep_link_or_qr(page: Page, viewport: str, signed_in) -> None:
    signed_in()
    page.click("[data-connect='instagram']")
    sheet = page.locator("#setup-sheet")
    expect(sheet).to_contain_text("Instagram must be Business or Creator")
    expect(sheet).to_contain_text("Instagram Business Login")
    chips = sheet.locator("#ig-breadcrumbs .rt-Badge")
    expect(chips).to_have_text(list(PATH))
    if viewport == "desktop":
        expect(sheet.locator("#ig-qr")).to_be_visible()
        expect(sheet.locator("#ig-qr")).to_have_attribute("src", qr_data_uri(INSTAGRAM_LOGIN_URL))
        expect(sheet.locator("#ig-deep-link")).to_be_hidden()
    else:
        expect(sheet.locator("#ig-deep-link")).to_be_visible()
        expect(sheet.locator("#ig-deep-link")).to_have_attribute("href", "instagram://app")
        expect(sheet.locator("#ig-qr")).to_be_hidden()
    screenshot(page, "setup-sheet-instagram", viewport)
