"""Account cards, the details panel, Refresh content, token debug, needs-reconnect, reconnect,
disconnect and quick-compose end to end against the sandbox, at 1280 and 390 px."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta

import httpx
from playwright.sync_api import Page, expect
from sqlmodel import select

from tests.e2e.conftest import at, screenshot, sign_in
from tests.e2e.test_connect_flow import _add_accounts, _connect_facebook, start
from tests.media_samples import image_bytes


def _workspace_of(email: str) -> int:
    from socializioz.db import session_scope
    from socializioz.models import User

    with session_scope() as db:
        return db.exec(select(User).where(User.email == email)).one().active_workspace_id


def _account(workspace_id: int, platform: str):
    from socializioz.db import session_scope
    from socializioz.models import SocialAccount

    with session_scope() as db:
        return db.exec(
            select(SocialAccount).where(SocialAccount.workspace_id == workspace_id, SocialAccount.platform == platform)
        ).first()


def _card(page: Page, platform: str):
    return page.locator(f"[data-platform='{platform}']").first


def _connect_facebook_only(page: Page, viewport: str) -> None:
    consent = _connect_facebook(page, viewport)
    consent.click("#ig-confirm-cancel")
    if viewport != "desktop":
        consent.wait_for_url("**/connections/**", timeout=20_000)
    expect(_card(page, "facebook")).to_be_visible(timeout=20_000)


def _open_details(page: Page, platform: str) -> None:
    card = _card(page, platform)
    card.locator("[data-card-tap]").click()
    expect(card.locator("[data-expanded]")).to_be_visible()
    card.locator("[data-card-tap]").click()
    expect(page.locator("#account-details")).to_be_visible()


def _control(app_server, action: str, body: dict) -> dict:
    response = httpx.post(f"{app_server.sandbox_url}/_control/{action}", json=body, timeout=10)
    response.raise_for_status()
    return response.json()


def test_facebook_card_details_refresh_and_debug(page: Page, viewport: str, signed_in, app_server) -> None:
    user = signed_in(plan="professional")
    _connect_facebook_only(page, viewport)
    card = _card(page, "facebook")
    expect(card.locator("[data-status='healthy']")).to_be_visible()
    badge = card.locator(".rt-Badge", has_text="Facebook").first  # the platform badge, in Facebook's blue
    expect(badge).to_have_css("background-color", "rgb(24, 119, 242)")
    expect(badge).to_have_css("color", "rgb(255, 255, 255)")
    expect(card.locator("[data-compose]")).to_be_visible()
    expect(card.locator("[data-reconnect]")).to_have_count(0)
    screenshot(page, "account-card", viewport)
    card.locator("[data-card-tap]").click()
    expect(card.locator("[data-expanded]")).to_contain_text("Followers")
    expect(card.locator("[data-expanded]")).to_contain_text("2,400")  # the Page's followers_count, grouped
    expect(card.locator("[data-disconnect]")).to_be_visible()
    screenshot(page, "account-card-expanded", viewport)
    card.locator("[data-card-tap]").click()
    details = page.locator("#account-details")
    expect(details).to_be_visible()
    details.locator("#refresh-content").click()
    expect(details.locator("#sync-result")).to_have_attribute("data-sync-status", "synced", timeout=20_000)
    expect(details.locator("[data-post]").nth(2)).to_be_visible()  # the sandbox's three seeded posts (and any added)
    expect(details.locator("[data-post] img").first).to_be_visible()
    expect(details.get_by_text("View all comments on Facebook").first).to_be_visible()
    screenshot(page, "details-facebook", viewport)

    # Unique per test: the sandbox's Page 1111 is every tenant's, so another test's post is there too.
    caption = f"Fresh croissants at 7 ({viewport} {secrets.token_hex(3)})"
    _control(app_server, "posts", {"platform": "facebook", "owner_id": "1111", "caption": caption})
    details.locator("#refresh-content").click()
    expect(details.get_by_text(caption)).to_be_visible(timeout=20_000)
    expect(details.locator("#sync-result")).to_contain_text("1 new")

    details.locator("#debug-toggle").click()
    expect(details.locator("[data-scope='pages_show_list']")).to_have_attribute("data-granted", "true", timeout=20_000)
    expect(details.locator("[data-scope]")).to_have_count(7)
    expect(details.locator("[data-shield='green']")).to_be_visible()
    expect(details.locator("[data-debug-page='Acme Bakery']")).to_contain_text("valid token")
    expect(details).to_contain_text("sha256:")
    details.locator("#debug-refresh").click()
    expect(details.locator("[data-scope]")).to_have_count(7)
    screenshot(page, "details-token-debug", viewport)
    details.locator("#debug-refresh-now").click()  # the admin's "refresh now": a Page token is verified
    expect(page.get_by_text("Token checked: it is valid.")).to_be_visible(timeout=20_000)
    expect(details.locator("[data-debug-row='debug.last_refresh']")).not_to_contain_text("None yet")
    assert _account(_workspace_of(user.email), "facebook") is not None


def test_instagram_details_from_business_login(page: Page, viewport: str, signed_in) -> None:
    signed_in(plan="professional")
    consent = start(page, viewport, "instagram")
    consent.check("#persona-ig-studio")
    consent.click("#sandbox-approve")
    if viewport != "desktop":
        consent.wait_for_url("**/connections/**", timeout=20_000)
    expect(_card(page, "instagram")).to_be_visible(timeout=20_000)
    _open_details(page, "instagram")
    details = page.locator("#account-details")
    details.locator("#refresh-content").click()
    expect(details.locator("#sync-result")).to_have_attribute("data-sync-status", "synced", timeout=20_000)
    expect(details.locator("[data-post]").first).to_be_visible()
    expect(details.get_by_text("View all comments on Instagram").first).to_be_visible()
    screenshot(page, "details-instagram", viewport)


def test_expired_token_turns_amber_and_reconnect_keeps_the_account(
    page: Page, viewport: str, signed_in, app_server
) -> None:
    from socializioz.db import session_scope
    from socializioz.security.credentials import load_tokens

    user = signed_in(plan="professional")
    _connect_facebook_only(page, viewport)
    workspace_id = _workspace_of(user.email)
    account = _account(workspace_id, "facebook")
    post_id = _scheduled_post(workspace_id, account.id, with_campaign=True)
    with session_scope() as db:
        page_token = load_tokens(db, account.id)["page_access_token"]
    assert _control(app_server, "tokens/expire", {"token": page_token})["ok"]
    _open_details(page, "facebook")
    page.locator("#refresh-content").click()
    expect(page.locator("#sync-result")).to_have_attribute("data-sync-status", "needs_reconnect", timeout=20_000)
    page.locator("#details-close").click()
    card = _card(page, "facebook")
    expect(card.locator("[data-status='needs_reconnect']")).to_contain_text("Needs reconnect")
    expect(card.locator("[data-reconnect]")).to_be_visible()
    screenshot(page, "account-card-needs-reconnect", viewport)
    used_before = page.locator("#plan-usage").inner_text()

    consent = _reconnect(page, viewport, "facebook")
    consent.check("#persona-fb-alice")
    consent.click("#sandbox-approve")
    if viewport != "desktop":
        consent.wait_for_url("**/connections/**", timeout=20_000)
    expect(_card(page, "facebook").locator("[data-status='healthy']")).to_be_visible(timeout=20_000)
    assert _account(workspace_id, "facebook").id == account.id
    assert page.locator("#plan-usage").inner_text() == used_before
    _assert_post_intact(post_id, account.id, blocked=False)


def _reconnect(page: Page, viewport: str, platform: str) -> Page:
    button = _card(page, platform).locator("[data-reconnect]")
    if viewport == "desktop":
        with page.context.expect_page() as popup:
            button.click()
        consent = popup.value
    else:
        button.click()
        consent = page
    consent.wait_for_selector("#sandbox-approve")
    return consent


def test_wrong_identity_reconnect_is_refused(page: Page, viewport: str, signed_in) -> None:
    from socializioz.db import session_scope
    from socializioz.models import SocialAccount

    user = signed_in(plan="professional")
    consent = start(page, viewport, "x")
    consent.check("#persona-x-acme")
    consent.click("#sandbox-approve")
    if viewport != "desktop":
        consent.wait_for_url("**/connections/**", timeout=20_000)
    expect(_card(page, "x")).to_be_visible(timeout=20_000)
    account = _account(_workspace_of(user.email), "x")
    with session_scope() as db:
        row = db.get(SocialAccount, account.id)
        row.status = "needs_reconnect"
        db.add(row)
    page.reload()
    consent = _reconnect(page, viewport, "x")
    consent.check("#persona-x-jane")
    consent.click("#sandbox-approve")
    if viewport != "desktop":
        consent.wait_for_url("**/connections/**", timeout=20_000)
    banner = page.get_by_text(f"but this reconnect is for {account.name}").first
    expect(banner).to_be_visible(timeout=20_000)
    expect(banner).not_to_contain_text("signed in as ,")
    screenshot(page, "reconnect-wrong-account", viewport)
    assert _account(_workspace_of(user.email), "x").status == "needs_reconnect"


def _scheduled_post(workspace_id: int, account_id: int, with_campaign: bool = False) -> int:
    from socializioz.db import session_scope
    from socializioz.models import Campaign, CampaignAccount, Post, PostTarget, User

    with session_scope() as db:
        author = db.exec(select(User)).first()
        post = Post(
            workspace_id=workspace_id,
            author_id=author.id,
            text="Tomorrow's special",
            status="scheduled",
            scheduled_at=datetime.now(UTC) + timedelta(days=1),
        )
        db.add(post)
        db.flush()
        db.add(PostTarget(post_id=post.id, account_id=account_id))
        if with_campaign:
            campaign = Campaign(workspace_id=workspace_id, name="Spring")
            db.add(campaign)
            db.flush()
            db.add(CampaignAccount(campaign_id=campaign.id, account_id=account_id))
        return post.id


def _assert_post_intact(post_id: int, account_id: int, blocked: bool) -> None:
    from socializioz.db import session_scope
    from socializioz.models import CampaignAccount, Post, PostTarget

    with session_scope() as db:
        post = db.get(Post, post_id)
        assert post.status == "scheduled"
        assert (post.blocked_reason is not None) is blocked
        assert db.exec(
            select(PostTarget).where(PostTarget.post_id == post_id, PostTarget.account_id == account_id)
        ).first()
        if not blocked:
            assert db.exec(select(CampaignAccount).where(CampaignAccount.account_id == account_id)).first()


def _add_account(email: str, **fields) -> int:
    from socializioz.db import session_scope
    from socializioz.services.accounts_store import AccountDraft, save_account

    values = dict(
        platform="facebook",
        external_id="9001",
        name="Corner Shop",
        username="",
        avatar_url="",
        followers=42,
        tokens={"access_token": "sandbox-not-a-real-token"},
        token_expires_at=None,
        granted_scopes=("pages_show_list",),
        publish_capable=True,
        connection_method="facebook_page",
    )
    values.update(fields)
    with session_scope() as db:
        return save_account(db, _workspace_of(email), AccountDraft(**values), "connected").id


def test_disconnect_keeps_scheduled_posts_blocked(page: Page, viewport: str, signed_in) -> None:
    user = signed_in(plan="professional")
    account_id = _add_account(user.email)
    post_id = _scheduled_post(_workspace_of(user.email), account_id)
    page.reload()
    card = _card(page, "facebook")
    card.locator("[data-card-tap]").click()
    card.locator("[data-disconnect]").click()
    dialog = page.locator("#disconnect-dialog")
    # S161: the platform keeps its grant until it is removed there (the dialog says where)
    expect(dialog).to_contain_text("remove Socializioz from the platform's authorized apps")
    expect(dialog).to_contain_text("Business Integrations")
    screenshot(page, "disconnect-dialog", viewport)
    page.click("#disconnect-cancel")
    expect(card).to_be_visible()
    card.locator("[data-disconnect]").click()
    page.click("#disconnect-continue")
    expect(page.locator("[data-platform='facebook']")).to_have_count(0)
    _assert_post_intact(post_id, account_id, blocked=True)


def test_member_sees_banner_and_no_debug_panel_and_deep_link(page: Page, viewport: str, make_user) -> None:
    from socializioz.db import session_scope
    from socializioz.models import Membership, User
    from socializioz.services import workspaces

    owner = make_user(name="Olive", plan="professional")
    member = make_user(name="Max")
    account_id = _add_account(owner.email, name="Thin Page", external_id="9002")
    old_ig = _add_account(
        owner.email,
        platform="instagram",
        external_id="9003",
        name="Old Insta",
        publish_capable=False,
        granted_scopes=("instagram_basic", "pages_read_engagement", "read_insights"),
    )
    with session_scope() as db:
        workspace_id = _workspace_of(owner.email)
        user = db.exec(select(User).where(User.email == member.email)).one()
        db.add(Membership(workspace_id=workspace_id, user_id=user.id, role="member"))
        db.flush()
        workspaces.set_active_workspace(db, user, workspace_id)
    sign_in(page, member, next_path=f"/connections?account={account_id}")
    details = page.locator("#account-details")
    expect(details).to_be_visible(timeout=20_000)
    expect(details.locator("#missing-scope-banner")).to_contain_text("pages_read_engagement")
    expect(details.locator("#token-debug")).to_have_count(0)
    expect(details.locator("#refresh-content")).to_be_visible()
    screenshot(page, "details-missing-scope-member", viewport)
    page.locator("#details-close").click()
    expect(page.locator("[data-disconnect]")).to_have_count(0)
    page.goto(f"/connections?account={old_ig}")
    expect(details.locator("#publish-guidance")).to_contain_text("IG_DIRECT_NOT_PUBLISHABLE")
    screenshot(page, "details-ig-not-publishable", viewport)
    page.goto("/connections?account=999999")
    expect(page.get_by_text("That account isn't in this workspace.")).to_be_visible()
    expect(details).to_have_count(0)


def test_quick_compose_preselects_and_schedules(page: Page, viewport: str, signed_in) -> None:
    from socializioz.db import session_scope
    from socializioz.models import Post

    user = signed_in(plan="professional")
    account_id = _add_account(user.email, name="Corner Shop")
    _add_account(user.email, platform="instagram", external_id="9004", name="Shop Insta")
    page.reload()
    _card(page, "facebook").locator("[data-compose]").click()
    expect(page).to_have_url(at("/compose", f"account={account_id}"))
    expect(page.locator(f"[data-compose-account='{account_id}']")).to_have_attribute("data-selected", "true")
    page.fill("#compose-text", "Open late on Friday")
    screenshot(page, "compose", viewport)
    page.locator("[data-compose-account]").nth(1).click()
    expect(page.locator("#compose-issues")).to_contain_text("Instagram posts require an image or video")
    expect(page.locator("#compose-save")).to_be_disabled()
    page.set_input_files(
        "#compose-upload input[type=file]",
        files=[{"name": "shop.jpg", "mimeType": "image/jpeg", "buffer": image_bytes()}],
    )
    expect(page.locator("[data-media]")).to_have_count(1)
    page.click("#compose-save")
    expect(page.locator("[data-sonner-toast]")).to_contain_text("Post scheduled")
    with session_scope() as db:
        post = db.exec(select(Post).where(Post.workspace_id == _workspace_of(user.email))).one()
        assert post.status == "scheduled" and len(json.loads(post.media_ids)) == 1 and post.media_url == ""


def test_details_panel_slides_from_the_left_in_arabic(page: Page, viewport: str, signed_in) -> None:
    user = signed_in(plan="professional")
    _add_accounts(user.email, 1)
    page.click("#language-switch")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    _open_details(page, "facebook")
    page.wait_for_timeout(800)  # the slide-in animation
    box = page.locator("#account-details").bounding_box()
    width = page.viewport_size["width"]
    assert -1 <= box["x"] < width / 4, box  # on screen, anchored at the inline end: the left in RTL
    screenshot(page, "details-arabic", viewport)
