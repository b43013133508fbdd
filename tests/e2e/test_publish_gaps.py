"""Issue 11's leftovers in a browser, at 1280 and 390 px:

* an X account connected before ``media.write`` was asked for: its card and the composer say
  "Reconnect X (Twitter) to post images and video" with the Reconnect that fixes it, and after the
  reconnect (the real sandbox consent) the image can be posted;
* Instagram's caption caps (30 hashtags, 20 @mentions) shown per platform as the user types;
* Retry from a real sandbox failure: a publishing fault armed through the control API, Post now,
  the failed status with the catalogue's reason in words, Retry, published."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
from playwright.sync_api import Page, expect
from sqlmodel import select

from socializioz.domain.platforms import platform_info
from tests.e2e.conftest import AppServer, screenshot
from tests.e2e.test_accounts_cards import _add_account, _workspace_of
from tests.e2e.test_compose import _chip, _upload
from tests.e2e.test_connect_flow import PERSONAS, consent_page, start
from tests.e2e.test_publish_flow import _account_ids
from tests.media_samples import video_bytes

X_BEFORE_MEDIA_WRITE = "tweet.read tweet.write users.read offline.access"
MEDIA_NOTE = "Reconnect X (Twitter) to post images and video."


def _approve(page: Page, viewport: str, platform: str) -> None:
    consent = page._consent  # type: ignore[attr-defined]
    consent.check(f"#persona-{PERSONAS[platform]}")
    consent.click("#sandbox-approve")
    if viewport != "desktop":
        consent.wait_for_url("**/connections/**", timeout=20_000)


def _as_connected_before_media_write(email: str) -> int:
    """The scopes X granted before the consent asked for ``media.write`` (an account from then)."""
    from socializioz.db import session_scope
    from socializioz.models import SocialAccount

    with session_scope() as db:
        account = db.exec(
            select(SocialAccount).where(
                SocialAccount.workspace_id == _workspace_of(email), SocialAccount.platform == "x"
            )
        ).one()
        account.granted_scopes = X_BEFORE_MEDIA_WRITE
        db.add(account)
        return int(account.id or 0)


def test_x_without_media_write_says_reconnect_on_the_card_and_in_the_composer(
    page: Page, viewport: str, signed_in, tmp_path
) -> None:
    user = signed_in(plan="professional")
    start(page, viewport, "x")
    _approve(page, viewport, "x")
    expect(page.locator("[data-platform='x']")).to_be_visible(timeout=20_000)
    expect(page.locator("[data-media-reconnect]")).to_have_count(0)  # a fresh consent grants media.write
    account_id = _as_connected_before_media_write(user.email)

    page.reload()
    card = page.locator("[data-platform='x']")
    expect(card.locator("[data-media-reconnect]")).to_have_text(MEDIA_NOTE)
    expect(card.locator("[data-reconnect]")).to_be_visible()
    screenshot(page, "x-media-reconnect-card", viewport)

    page.goto(f"/compose?account={account_id}")
    expect(_chip(page, account_id)).to_be_visible()
    page.fill("#compose-text", "Text alone still goes to X")
    expect(page.locator("#compose-issues")).to_have_count(0)  # text alone: nothing to say
    _upload(page, tmp_path)
    issues = page.locator("#compose-issues")
    expect(issues).to_contain_text("reconnect X (Twitter) to post images and video")
    expect(page.locator("#compose-now")).to_be_disabled()
    screenshot(page, "x-media-reconnect-composer", viewport)
    with consent_page(page, viewport):
        page.click(f"[data-issue-reconnect='{account_id}']")
    _approve(page, viewport, "x")

    page.goto("/connections")
    expect(page.locator("[data-platform='x']")).to_be_visible(timeout=20_000)
    expect(page.locator("[data-media-reconnect]")).to_have_count(0)  # the reconnect granted media.write
    assert _account_ids(user.email)["x"] == account_id  # the same account, refreshed
    page.goto(f"/compose?account={account_id}")
    page.fill("#compose-text", "Now with a photo")
    _upload(page, tmp_path)
    expect(page.locator("#compose-issues")).to_have_count(0)
    expect(page.locator("#compose-now")).to_be_enabled()


def test_instagram_caption_caps_are_shown_as_the_user_types(page: Page, viewport: str, signed_in, tmp_path) -> None:
    user = signed_in(plan="professional")
    account_id = _add_account(
        user.email,
        platform="instagram",
        external_id="ig-caps",
        name="Bakery Insta",
        username="corner.bakery",
        connection_method="instagram_login",
        granted_scopes=platform_info("instagram").connection("instagram_login").consent_scopes,
    )
    page.goto(f"/compose?account={account_id}")
    expect(_chip(page, account_id)).to_be_visible()
    _upload(page, tmp_path)
    tags = " ".join(f"#bread{i}" for i in range(31))
    page.fill("#compose-text", tags)
    issue = page.locator("[data-issue='instagram']")
    expect(issue).to_contain_text("the caption has 31 hashtags; at most 30 are allowed.")
    expect(page.locator("#compose-issues")).to_contain_text("Instagram")
    expect(page.locator("#compose-now")).to_be_disabled()
    screenshot(page, "instagram-caption-caps", viewport)
    mentions = " ".join(f"@baker{i}" for i in range(21))
    page.fill("#compose-text", mentions)
    expect(issue).to_contain_text("the caption has 21 @mentions; at most 20 are allowed.")
    page.fill("#compose-text", " ".join(f"#bread{i}" for i in range(30)))
    expect(page.locator("#compose-issues")).to_have_count(0)


def test_a_real_sandbox_failure_shows_its_reason_and_retry_publishes(
    page: Page, viewport: str, signed_in, app_server: AppServer, tmp_path
) -> None:
    user = signed_in(plan="professional")
    start(page, viewport, "x")
    _approve(page, viewport, "x")
    expect(page.locator("[data-platform='x']")).to_be_visible(timeout=20_000)
    account_id = _account_ids(user.email)["x"]
    text = f"Proofing the rye at {datetime.now(UTC):%H:%M:%S} ({viewport})"

    page.goto(f"/compose?account={account_id}")
    expect(_chip(page, account_id)).to_be_visible()
    page.fill("#compose-text", text)
    clip = tmp_path / "proofing.mp4"
    clip.write_bytes(video_bytes(8.0, (1280, 720)))
    page.set_input_files("#compose-upload input[type=file]", str(clip))
    expect(page.locator("[data-media]")).to_have_count(1, timeout=20_000)
    expect(page.locator("#compose-issues")).to_have_count(0)
    # X's processing of the next uploaded video fails, as X reports a media it cannot use.
    armed = httpx.post(
        app_server.sandbox_url + "/_control/faults",
        json={"endpoint": "x.processing", "fault": "media_rejected", "times": 1},
    )
    assert armed.status_code == 200
    page.click("#compose-now")
    expect(page.locator("[data-sonner-toast]")).to_contain_text("1")

    page.goto("/posts?tab=failed")
    post = page.locator("[data-post]", has_text=text)
    expect(post.locator("[data-status='failed']")).to_have_count(1, timeout=120_000)
    expect(post.locator("[data-reason]")).to_contain_text("The platform could not use the post's media")
    expect(post).to_contain_text("Replace the image or video with one the platform accepts, then retry.")
    screenshot(page, "retry-real-failure", viewport)
    post.locator("[data-retry]").click()
    expect(page.get_by_text("Queued again")).to_be_visible()

    page.click("[data-tab='published']")
    published = page.locator("[data-post]", has_text=text)
    expect(published.locator("[data-status='published']")).to_have_count(1, timeout=120_000)
    expect(published.locator("[data-live-link]")).to_have_attribute("href", re.compile(r"^https://"))
    screenshot(page, "retry-real-failure-published", viewport)
