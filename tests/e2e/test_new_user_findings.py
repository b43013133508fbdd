"""What a new user ran into, each fixed and checked at the widths it concerns: the plan limit
offers the way forward, Arabic keeps handles and codes readable, LinkedIn shows the member's name,
counts carry thousands separators, the phone's header stays on one row, and an iPad (which sends a
desktop Safari user agent) opens Meta's consent in the same tab."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from tests.e2e.conftest import AppServer, at, screenshot, sign_in
from tests.e2e.test_connect_flow import _add_accounts, start


def _seed(email: str, **fields) -> None:
    from socializioz.db import session_scope
    from socializioz.models import User
    from socializioz.services.accounts_store import AccountDraft, save_account

    values = dict(
        platform="instagram",
        external_id="seeded-ig",
        name="Acme Studio",
        username="acme_studio",
        avatar_url="",
        followers=2400,
        tokens={"access_token": "sandbox-seeded"},
        token_expires_at=None,
        granted_scopes=(),
        publish_capable=True,
        connection_method="instagram_login",
    )
    values.update(fields)
    with session_scope() as db:
        user = db.exec(select(User).where(User.email == email)).one()
        save_account(db, user.active_workspace_id, AccountDraft(**values), "connected")


def test_at_the_plan_limit_the_owner_is_offered_the_plans(page: Page, viewport: str, signed_in) -> None:
    user = signed_in(plan="free")
    _add_accounts(user.email, 1)
    page.reload()
    expect(page.locator("#plan-limit-message")).to_have_text("You reached the current plan limit.")
    screenshot(page, "plan-limit-owner", viewport)
    page.click("#plan-limit-upgrade")
    page.wait_for_url(at("/billing"))


def test_at_the_plan_limit_a_member_is_told_who_can_upgrade(page: Page, viewport: str, make_user) -> None:
    from socializioz.db import session_scope
    from socializioz.models import Membership, User

    owner = make_user(name="Olive Owner")
    member = make_user(name="Max Member")
    _add_accounts(owner.email, 1)
    with session_scope() as db:
        owner_row = db.exec(select(User).where(User.email == owner.email)).one()
        member_row = db.exec(select(User).where(User.email == member.email)).one()
        db.add(Membership(workspace_id=owner_row.active_workspace_id, user_id=member_row.id, role="member"))
        member_row.active_workspace_id = owner_row.active_workspace_id
        db.add(member_row)
    sign_in(page, member)
    expect(page.locator("#plan-limit-ask-owner")).to_contain_text(
        "Only an owner can upgrade the plan. Ask Olive Owner."
    )
    expect(page.locator("#plan-limit-upgrade")).to_have_count(0)
    screenshot(page, "plan-limit-member", viewport)


def test_followers_have_thousands_separators_and_handles_are_isolated_in_arabic(
    page: Page, viewport: str, signed_in
) -> None:
    user = signed_in(plan="professional")
    _seed(user.email)
    page.reload()
    card = page.locator("[data-platform='instagram']")
    card.locator("[data-card-tap]").click()
    expect(card.locator("[data-expanded]")).to_contain_text("2,400")
    expect(card.locator("[data-username] bdi")).to_have_text("@acme_studio")
    page.click("#language-switch")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(card.locator("[data-username] bdi")).to_have_text("@acme_studio")  # its own direction, not mirrored
    expanded = card.locator("[data-expanded]").inner_text()
    assert "2400" not in expanded and "2" in expanded  # grouped in Arabic too
    screenshot(page, "card-arabic-isolated", viewport)


def test_linkedin_shows_the_members_name_not_an_email_handle(page: Page, viewport: str, signed_in) -> None:
    signed_in(plan="professional")
    consent = start(page, viewport, "linkedin")
    consent.check("#persona-li-jane")
    consent.click("#sandbox-approve")
    if viewport != "desktop":
        consent.wait_for_url("**/connections/**", timeout=20_000)
    card = page.locator("[data-platform='linkedin']")
    expect(card).to_contain_text("Jane Doe", timeout=20_000)
    expect(card.locator("[data-username]")).to_have_count(0)
    expect(card).not_to_contain_text("@jane@example.com")


def test_a_long_workspace_name_keeps_the_phone_header_on_one_row(page: Page, viewport: str, make_user) -> None:
    user = make_user(name="An Exceptionally Long Workspace Name For A Small Phone Screen")
    sign_in(page, user)
    page.wait_for_selector("[data-tile='facebook']")
    for lang in ("en", "ar"):
        if lang == "ar":
            page.click("#language-switch")
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
        bar = page.locator("#top-bar").bounding_box()
        switcher = page.locator("#workspace-switcher").bounding_box()
        language = page.locator("#language-switch").bounding_box()
        assert bar and switcher and language
        assert abs(switcher["y"] - language["y"]) < switcher["height"]  # same row
        assert bar["height"] < 70
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # nothing overflows
        name = page.locator("#workspace-switcher-name").bounding_box()
        assert name and name["height"] < 30  # one line, cut with an ellipsis
        screenshot(page, f"header-long-name-{lang}", viewport)


def test_ipad_opens_meta_consent_in_the_same_tab(browser: Browser, app_server: AppServer, make_user) -> None:
    ipad_safari = (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.4 Safari/605.1.15"
    )
    context = browser.new_context(
        base_url=app_server.base_url, user_agent=ipad_safari, viewport={"width": 1024, "height": 1366}, has_touch=True
    )
    context.add_init_script("Object.defineProperty(navigator, 'maxTouchPoints', {get: () => 5})")
    page = context.new_page()
    try:
        user = make_user(plan="professional")
        sign_in(page, user)
        page.click("[data-connect='instagram']")
        page.click("#sheet-continue")
        page.wait_for_selector("#sandbox-approve", timeout=20_000)  # this tab navigated: no popup
        assert len(context.pages) == 1
    finally:
        context.close()
