"""The set-up wizard as a new user meets it, at 1280 and 390 px, in English and Arabic: sign up,
name the workspace and pick its time zone, connect a first account through a real OAuth redirect,
see what to do next; skip it, resume it after signing out, and open it again from Workspaces."""

from __future__ import annotations

import secrets

from playwright.sync_api import Page, expect
from sqlmodel import select

from tests.e2e.conftest import TestUser, at, screenshot, sign_in
from tests.e2e.test_connect_flow import start


def _sign_up(page: Page, name: str = "Nadia Newcomer") -> TestUser:
    user = TestUser(email=f"wizard-{secrets.token_hex(4)}@example.test", password="a-long-password-1", name=name)
    page.goto("/sign-up")
    page.fill("#name", user.name)
    page.fill("#email", user.email)
    page.fill("#password", user.password)
    page.click("#sign-up-submit")
    page.wait_for_url(at("/onboarding"))
    expect(page.locator("#onboarding-workspace")).to_be_visible()
    return user


def _workspace(email: str):
    from socializioz.db import session_scope
    from socializioz.models import User, Workspace

    with session_scope() as db:
        user = db.exec(select(User).where(User.email == email)).one()
        workspace = db.get(Workspace, user.active_workspace_id)
        return workspace.name, workspace.timezone, user.language, user.onboarding_step


def test_new_user_walks_the_wizard_and_connects_a_first_account(page: Page, viewport: str) -> None:
    user = _sign_up(page)
    expect(page.get_by_text("Step 1 of 3")).to_be_visible()
    expect(page.locator("#onboarding-workspace-name")).to_have_value(user.name)
    screenshot(page, "onboarding-step1", viewport)

    page.fill("#onboarding-workspace-name", "Acme Studio")
    page.select_option("#onboarding-timezone", "Asia/Riyadh")
    page.click("#onboarding-save")
    expect(page.get_by_text("Step 2 of 3")).to_be_visible()
    expect(page.locator("#onboarding-prompt")).to_contain_text("Connect at least one account before continuing")
    expect(page.locator("#continue-onboarding")).to_have_count(0)
    expect(page.locator("#workspace-switcher")).to_contain_text("Acme Studio")
    assert _workspace(user.email) == ("Acme Studio", "Asia/Riyadh", "en", 2)
    screenshot(page, "onboarding-step2", viewport)

    consent = start(page, viewport, "facebook")  # Free plan: Facebook, through its setup sheet
    consent.check("#persona-fb-alice")
    for box in consent.locator("input[name=page]").all():
        box.set_checked(box.get_attribute("value") == "1111")
    consent.click("#sandbox-approve")
    expect(consent.locator("#ig-confirm")).to_be_visible()  # Acme Bakery has a linked Instagram
    consent.click("#ig-confirm-cancel")  # the Free plan holds one account: the Page only
    if viewport == "desktop":
        expect(page.locator("#continue-onboarding")).to_be_visible(timeout=20_000)
        consent.close()
    else:  # same tab: the result page offers to continue, and comes back to step 2
        expect(consent.locator("#result-return")).to_contain_text("Continue onboarding")
        consent.wait_for_url(at("/onboarding"), timeout=20_000)
    expect(page.get_by_text("Step 2 of 3")).to_be_visible()
    expect(page.locator("#onboarding-prompt")).to_contain_text("You're connected")
    page.click("#continue-onboarding")

    expect(page.get_by_text("Step 3 of 3")).to_be_visible()
    expect(page.locator("#onboarding-done")).to_contain_text("You're all set")
    screenshot(page, "onboarding-step3", viewport)
    page.click("#onboarding-next-compose")
    page.wait_for_url(at("/compose"))
    assert _workspace(user.email)[3] == 0  # finished: not shown again

    page.goto("/")
    page.wait_for_url(at("/connections"))


def test_skipping_lands_on_connections_with_the_tour(page: Page, viewport: str) -> None:
    user = _sign_up(page)
    page.click("#onboarding-skip")
    page.wait_for_url(at("/connections"))
    expect(page.locator(".driver-popover")).to_contain_text("Your connected accounts")
    assert _workspace(user.email)[3] == 0


def test_the_wizard_resumes_after_signing_out_and_goes_back(page: Page, viewport: str) -> None:
    user = _sign_up(page)
    page.click("#onboarding-save")  # the suggested name and the browser's zone are fine
    expect(page.get_by_text("Step 2 of 3")).to_be_visible()
    page.click("#side-sign-out" if viewport == "desktop" else "#mobile-sign-out")
    page.wait_for_url(at("/sign-in"))
    sign_in(page, user)
    page.wait_for_url(at("/onboarding"))
    expect(page.get_by_text("Step 2 of 3")).to_be_visible()
    page.click("#onboarding-back")
    expect(page.get_by_text("Step 1 of 3")).to_be_visible()
    page.reload()
    expect(page.get_by_text("Step 1 of 3")).to_be_visible()


def test_a_bad_time_zone_is_refused_with_a_clear_error(page: Page, viewport: str) -> None:
    user = _sign_up(page)
    page.evaluate(
        "() => { const s = document.querySelector('#onboarding-timezone');"
        " const o = document.createElement('option'); o.value = o.textContent = 'Mars/Olympus';"
        " s.appendChild(o); }"
    )
    page.select_option("#onboarding-timezone", "Mars/Olympus")
    page.click("#onboarding-save")
    expect(page.locator("#onboarding-error")).to_contain_text("Choose a time zone from the list")
    expect(page.get_by_text("Step 1 of 3")).to_be_visible()
    assert _workspace(user.email)[1] == "UTC"


def test_arabic_chosen_in_step_one_turns_the_wizard_right_to_left(page: Page, viewport: str) -> None:
    user = _sign_up(page)
    page.click("#onboarding-language-ar")
    page.click("#onboarding-save")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_text("الخطوة 2 من 3")).to_be_visible()
    expect(page.locator("#onboarding-prompt")).to_contain_text("اربط حسابًا واحدًا على الأقل")
    assert _workspace(user.email)[2] == "ar"
    screenshot(page, "onboarding-step2-arabic", viewport)
    page.click("#onboarding-back")
    expect(page.get_by_text("الخطوة 1 من 3")).to_be_visible()
    screenshot(page, "onboarding-step1-arabic", viewport)


def test_workspace_settings_change_the_time_zone_and_reopen_the_wizard(page: Page, viewport: str, make_user) -> None:
    user = make_user(name="Olive Owner")
    sign_in(page, user, "/workspaces")
    page.wait_for_url(at("/workspaces"))
    expect(page.locator("#settings-timezone")).to_have_value("UTC")
    page.select_option("#settings-timezone", "America/New_York")
    page.fill("#settings-name", "Olive Team")
    page.click("#settings-save")
    expect(page.get_by_text("Workspace settings saved.")).to_be_visible()
    expect(page.locator("#workspace-switcher")).to_contain_text("Olive Team")
    screenshot(page, "workspace-settings", viewport)
    page.reload()
    expect(page.locator("#settings-timezone")).to_have_value("America/New_York")
    assert _workspace(user.email)[:2] == ("Olive Team", "America/New_York")

    page.click("#run-setup-again")
    page.wait_for_url(at("/onboarding"))
    expect(page.get_by_text("Step 1 of 3")).to_be_visible()
    expect(page.locator("#onboarding-timezone")).to_have_value("America/New_York")
