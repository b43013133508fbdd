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


def _connect_facebook(page: Page, viewport: str, *, pages: tuple[str, ...] = ("1111",)) -> Page:
    consent = start(page, viewport, "facebook")
    consent.check("#persona-fb-alice")
    for box in consent.locator("input[name=page]").all():
        box.set_checked(box.get_attribute("value") in pages)
    consent.click("#sandbox-approve")
    return consent


def test_facebook_with_linked_instagram_confirm_adds_both(page: Page, viewport: str, signed_in) -> None:
    user = signed_in(plan="professional")
    consent = _connect_facebook(page, viewport)
    expect(consent.locator("#ig-confirm")).to_be_visible()
    expect(consent.locator("#ig-confirm-page")).to_contain_text("Acme Bakery")
    expect(consent.locator("#ig-confirm-username")).to_contain_text("@acme_bakery")
    expect(consent.locator("#ig-confirm-followers")).to_contain_text("1,234")  # the sandbox account's count
    expect(consent.locator("#ig-confirm .rt-AvatarRoot")).to_be_visible()  # its profile picture
    expect(consent.locator("#ig-confirm")).to_contain_text("Instagram posts require an image or video")
    screenshot(consent, "instagram-confirm", viewport)
    consent.click("#ig-confirm-accept")
    expect(consent.locator("#result-success")).to_be_visible()
    if viewport != "desktop":
        consent.wait_for_url("**/connections/**", timeout=20_000)
    expect(page.locator("[data-platform='facebook']")).to_be_visible(timeout=20_000)
    expect(page.locator("[data-platform='instagram']")).to_be_visible()
    assert "pages_manage_posts" in _granted_scopes(user.email, "facebook")
    assert "instagram_content_publish" in _granted_scopes(user.email, "instagram")


def _granted_scopes(email: str, platform: str) -> str:
    from sqlmodel import select

    from socializioz.db import session_scope
    from socializioz.models import SocialAccount, User

    with session_scope() as db:
        user = db.exec(select(User).where(User.email == email)).one()
        return (
            db.exec(
                select(SocialAccount).where(
                    SocialAccount.workspace_id == user.active_workspace_id, SocialAccount.platform == platform
                )
            )
            .one()
            .granted_scopes
        )


def test_facebook_cancel_instagram_connects_facebook_only(page: Page, viewport: str, signed_in) -> None:
    signed_in(plan="professional")
    consent = _connect_facebook(page, viewport)
    consent.click("#ig-confirm-cancel")
    expect(consent.locator("#result-success")).to_be_visible()
    expect(consent.locator("[data-result-line]").last).to_contain_text("Only Facebook")
    if viewport != "desktop":
        consent.wait_for_url("**/connections/**", timeout=20_000)
    expect(page.locator("[data-platform='facebook']")).to_be_visible(timeout=20_000)
    expect(page.locator("[data-platform='instagram']")).to_have_count(0)


def test_starter_with_four_accounts_adds_facebook_and_explains_instagram(page: Page, viewport: str, signed_in) -> None:
    user = signed_in(plan="starter")
    _add_accounts(user.email, 4)
    page.reload()
    expect(page.locator("#plan-usage")).to_contain_text("4 of 5")
    consent = _connect_facebook(page, viewport)
    consent.click("#ig-confirm-accept")
    expect(consent.locator("#result-success")).to_be_visible()
    expect(consent.locator("[data-result-line]").last).to_contain_text("was not added")
    screenshot(consent, "starter-limit-result", viewport)


def test_free_plan_full_badge_disables_every_connect_button(page: Page, viewport: str, signed_in) -> None:
    user = signed_in(plan="free")
    _add_accounts(user.email, 1)
    page.reload()
    expect(page.locator("#plan-full-badge")).to_be_visible()
    expect(page.locator("#plan-limit-message")).to_have_text("You reached the current plan limit.")
    for button in page.locator("[data-connect]").all():
        expect(button).to_be_disabled()
    screenshot(page, "connections-full", viewport)


def test_tiktok_on_free_prompts_upgrade_and_telegram_toasts(page: Page, viewport: str, signed_in) -> None:
    signed_in(plan="free")
    page.click("[data-tile='tiktok']")
    expect(page.locator("#upgrade-body")).to_contain_text("Professional")
    screenshot(page, "upgrade-prompt", viewport)
    page.keyboard.press("Escape")
    expect(page.locator("[data-soon='telegram']")).to_have_text("Soon")
    page.click("[data-tile='telegram']")
    expect(page.get_by_text("Telegram is coming soon")).to_be_visible()


def test_denied_consent_shows_the_error_banner_with_support_link(page: Page, viewport: str, signed_in) -> None:
    signed_in(plan="professional")
    consent = start(page, viewport, "linkedin")
    consent.click("#sandbox-cancel")
    if viewport == "desktop":
        banner = page.locator("#error-banner")
    else:
        expect(consent.locator("#result-error")).to_be_visible()
        consent.wait_for_url("**/connections/**", timeout=20_000)
        banner = page.locator("#error-banner")
    expect(banner).to_contain_text("user_cancelled_authorize", timeout=20_000)
    expect(banner).to_contain_text("You declined to grant permissions")
    screenshot(page, "error-banner", viewport)
    page.click("#fix-with-ai")
    expect(page.locator("#support-code")).to_have_text("user_cancelled_authorize")
    expect(page.locator("#support-thread")).to_contain_text("click Allow on the consent screen")


def _add_accounts(email: str, count: int) -> None:
    """Existing accounts, as if connected earlier (the plan-limit tests start from them)."""
    from sqlmodel import select

    from socializioz.db import session_scope
    from socializioz.models import User
    from socializioz.services.accounts_store import AccountDraft, save_account

    with session_scope() as db:
        user = db.exec(select(User).where(User.email == email)).one()
        for n in range(count):
            draft = AccountDraft(
                platform="facebook",
                external_id=f"existing-{n}",
                name=f"Existing Page {n}",
                username="",
                avatar_url="",
                followers=10,
                tokens={"access_token": f"sandbox-existing-{n}"},
                token_expires_at=None,
                granted_scopes=(),
                publish_capable=True,
                connection_method="facebook_page",
            )
            save_account(db, user.active_workspace_id, draft, "connected")


def test_changes_show_live_in_every_open_tab_of_the_workspace(page: Page, viewport: str, signed_in) -> None:
    if viewport != "desktop":
        pytest.skip("two side-by-side tabs: one width is enough")
    signed_in(plan="professional")
    other_tab = page.context.new_page()
    other_tab.goto("/connections")
    other_tab.wait_for_selector("[data-tile='x']")
    consent = start(page, viewport, "x")
    consent.click("#sandbox-approve")
    expect(other_tab.locator("[data-platform='x']")).to_be_visible(timeout=20_000)

    card = page.locator("[data-platform='x']").first
    card.locator("[data-card-tap]").click()
    card.get_by_role("button", name="Disconnect").click()
    page.get_by_role("button", name="Continue").click()
    expect(other_tab.locator("[data-platform='x']")).to_have_count(0, timeout=20_000)
