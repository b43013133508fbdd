"""The foundation as a user meets it: sign up, sign in, workspaces, plans, sign out, Arabic."""

from __future__ import annotations

import secrets

from playwright.sync_api import Page, expect

from tests.e2e.conftest import TestUser, at, screenshot, sign_in, wait_for_tour_done


def _sign_out(page: Page, viewport: str) -> None:
    page.click("#side-sign-out" if viewport == "desktop" else "#mobile-sign-out")
    page.wait_for_url(at("/sign-in"))


def _nav(page: Page, viewport: str, route: str) -> None:
    attribute = "data-nav" if viewport == "desktop" else "data-bottom-nav"
    if viewport == "mobile" and route == "/connections":
        route = "/m/connections"  # the Connections tab of the bottom navigation
    if viewport == "mobile" and page.locator(f"a[{attribute}='{route}']").count() == 0:
        page.click("#bottom-nav-more")  # pages without a tab of their own sit behind "More"
    page.click(f"[{attribute}='{route}']")
    page.wait_for_url(at(route))


def test_sign_up_to_sign_out_journey(page: Page, viewport: str) -> None:
    email = f"journey-{secrets.token_hex(4)}@example.test"
    user = TestUser(email=email, password="a-long-password-1", name="Journey Tester")

    page.goto("/sign-up")
    screenshot(page, "sign-up", viewport)
    page.fill("#name", user.name)
    page.fill("#email", user.email)
    page.fill("#password", user.password)
    page.click("#sign-up-submit")
    page.wait_for_url(at("/onboarding"))  # a new user meets the set-up wizard first
    page.click("#onboarding-skip")
    page.wait_for_url(at("/connections"))
    page.locator(".driver-popover-close-btn").click()  # then the guided tour
    wait_for_tour_done(user.email)  # recorded before the sign-out below, or the tour greets the sign-in again
    expect(page.locator("#connections-empty")).to_be_visible()
    expect(page.locator("#plan-usage")).to_contain_text("0 of 1")
    screenshot(page, "connections-empty", viewport)

    _sign_out(page, viewport)
    sign_in(page, user)
    page.wait_for_url(at("/connections"))

    _nav(page, viewport, "/workspaces")
    page.click("#workspace-create")
    page.fill("#workspace-name", "Launch Team")
    page.click("#workspace-create-submit")
    expect(page.locator("#workspace-switcher")).to_contain_text("Launch Team")
    screenshot(page, "workspaces", viewport)

    personal = page.locator("[data-switch]").first
    personal_name = personal.get_attribute("data-switch")
    personal.click()
    expect(page.locator("#workspace-switcher")).to_contain_text(personal_name)
    page.click("#workspace-switcher")
    page.click("[data-workspace='Launch Team']")
    expect(page.locator("#workspace-switcher")).to_contain_text("Launch Team")

    _nav(page, viewport, "/billing")
    expect(page.locator("[data-plan='free']")).to_contain_text("Current plan")
    page.click("#choose-plan-professional")
    expect(page.locator("[data-plan='professional']")).to_contain_text("Current plan")
    expect(page.locator("#workspace-switcher")).to_contain_text("Professional")
    screenshot(page, "billing", viewport)

    _nav(page, viewport, "/connections")
    expect(page.locator("#plan-usage")).to_contain_text("unlimited")

    _sign_out(page, viewport)
    page.goto("/billing")
    page.wait_for_url(at("/sign-in", "next=%2Fbilling"))


def test_bad_sign_in_shows_one_clear_error(page: Page, viewport: str, make_user) -> None:
    user = make_user()
    page.goto("/sign-in")
    page.fill("#email", user.email)
    page.fill("#password", "not-the-password")
    page.click("#sign-in-submit")
    wrong_password = page.locator("#auth-error")
    expect(wrong_password).to_contain_text("don't match an account")
    screenshot(page, "sign-in-error", viewport)

    page.fill("#email", "nobody-" + user.email)
    page.fill("#password", user.password)
    page.click("#sign-in-submit")
    expect(wrong_password).to_contain_text("don't match an account")
    assert "/sign-in" in page.url


def test_sign_in_returns_to_the_page_asked_for(page: Page, make_user) -> None:
    user = make_user()
    page.goto("/workspaces")
    page.wait_for_url(at("/sign-in", "next=%2Fworkspaces"))
    page.fill("#email", user.email)
    page.fill("#password", user.password)
    page.click("#sign-in-submit")
    page.wait_for_url(at("/workspaces"))


def test_arabic_renders_right_to_left(page: Page, viewport: str, make_user) -> None:
    user = make_user()
    sign_in(page, user)
    page.click("#language-switch")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.get_by_role("heading", name="الاتصالات")).to_be_visible()
    screenshot(page, "connections-arabic", viewport)
    page.reload()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.click("#language-switch")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


def test_member_cannot_change_the_plan(page: Page, make_user) -> None:
    from sqlmodel import select

    from socializioz.db import session_scope
    from socializioz.models import Membership, User
    from socializioz.services import workspaces

    owner, member = make_user("Owner"), make_user("Member")
    with session_scope() as db:
        owner_row = db.exec(select(User).where(User.email == owner.email)).one()
        member_row = db.exec(select(User).where(User.email == member.email)).one()
        shared = workspaces.create_workspace(db, owner_row, "Shared Space")
        db.add(Membership(workspace_id=shared.id, user_id=member_row.id, role="member"))
        workspaces.set_active_workspace(db, member_row, shared.id)
    sign_in(page, member, "/billing")
    page.wait_for_url(at("/billing"))
    expect(page.locator("#billing-owner-only")).to_be_visible()
    expect(page.locator("#choose-plan-professional")).to_have_count(0)


def test_printed_demo_credentials_sign_in(page: Page, viewport: str, app_server) -> None:
    import os
    import re
    import subprocess
    import sys

    printed = subprocess.run(
        [sys.executable, "-m", "socializioz.cli", "seed"],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
    ).stdout
    email = re.search(r"Email:\s+(\S+)", printed).group(1)
    password = re.search(r"Password:\s+(\S+)", printed).group(1)
    assert app_server.base_url in printed
    _reset_tour(email)
    sign_in(page, TestUser(email=email, password=password, name="Demo"))
    page.locator(".driver-popover-close-btn").click()  # the demo user's first visit
    switcher = page.locator("#workspace-switcher")
    expect(switcher).to_contain_text("Acme Studio")
    switcher.click()
    expect(page.locator("[data-workspace='Northwind Media']")).to_contain_text("Member")
    expect(page.locator("[data-workspace='Acme Studio']")).to_contain_text("Admin")


def _reset_tour(email: str) -> None:
    from sqlmodel import select

    from socializioz.db import session_scope
    from socializioz.models import User

    with session_scope() as db:
        db.exec(select(User).where(User.email == email)).one().tour_done = False


def test_downgrade_below_the_connected_accounts_explains_what_happens(page: Page, viewport: str, make_user) -> None:
    from tests.e2e.test_connect_flow import _add_accounts

    user = make_user(plan="professional")
    _add_accounts(user.email, 3)
    sign_in(page, user, "/billing")
    page.wait_for_url(at("/billing"))
    page.click("#choose-plan-free")
    expect(page.get_by_text("has 3 connected accounts and Free allows 1")).to_be_visible()
    _nav(page, viewport, "/connections")
    expect(page.locator("#plan-full-badge")).to_be_visible()
    expect(page.locator("[data-platform='facebook']")).to_have_count(3)
