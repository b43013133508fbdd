"""The inbox as people use it (issue 13), at 1280 and 390 px, in English and Arabic: a message a
person sends (the sandbox's simulated audience, delivered as a signed webhook) appears without a
reload; a reply inside the 24-hour window reaches the platform, and so does a picked image; once
the sandbox clock passes 24 hours the composer is disabled and says why."""

from __future__ import annotations

import re
import secrets

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import AppServer, screenshot
from tests.e2e.test_refresh_and_debug import _connect_instagram
from tests.media_samples import image_bytes

STUDIO = "17841400000000101"  # the sandbox persona ig-studio


def _control(app_server: AppServer, method: str, action: str, body: dict | None = None) -> dict:
    answer = httpx.request(method, f"{app_server.sandbox_url}/_control/{action}", json=body, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _open_inbox(page: Page, viewport: str) -> None:
    if viewport == "desktop":
        page.click("[data-nav='/inbox']")
    else:
        page.click("#bottom-nav-more")
        page.click("[data-bottom-nav='/inbox']")
    expect(page.locator("#inbox-page")).to_be_visible()


@pytest.fixture
def clock_back(app_server: AppServer):
    """The sandbox clock is shared by the whole browser run: give back what a test moved."""
    moved: list[float] = []
    yield moved
    for seconds in moved:
        _control(app_server, "POST", "clock/advance", {"seconds": -seconds})


def test_a_message_arrives_live_a_reply_is_delivered_and_a_closed_window_disables_the_composer(
    page: Page, viewport: str, signed_in, app_server: AppServer, clock_back, tmp_path
) -> None:
    arabic = viewport != "desktop"  # the phone run is in Arabic
    signed_in(plan="professional")
    _connect_instagram(page, viewport)
    if arabic:
        page.click("#language-switch")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.goto("/connections")
    _open_inbox(page, viewport)
    expect(page.locator("#inbox-list")).to_be_visible(timeout=20_000)

    # The sandbox's audience is shared by every account that connects ig-studio (and the inbox
    # polls it on open): this run's message is told apart by its own text.
    person, name = f"77{secrets.randbelow(10**14):014d}", f"jane.{secrets.token_hex(3)}"
    question = f"Do you deliver on Sundays? #{secrets.token_hex(3)}"
    _control(
        app_server,
        "POST",
        "audience/message",
        {"account": STUDIO, "from": person, "name": name, "text": question},
    )
    row = page.locator("#inbox-list [data-conversation]").filter(has_text=question)
    expect(row).to_be_visible(timeout=20_000)  # pushed live: no reload
    expect(row.locator("[data-unread]")).to_have_text("1")
    if viewport == "desktop":
        expect(page.locator("#nav-inbox-badge")).to_be_visible()
    else:
        expect(page.locator("#more-unread-dot")).to_be_visible()
    screenshot(page, "inbox-list", viewport)

    row.click()
    thread = page.locator("#inbox-thread")
    expect(thread).to_be_visible()
    expect(thread.locator("[data-inbound='1']")).to_contain_text(question)
    expect(page.locator("#inbox-window")).to_have_attribute("data-mode", "standard")
    expect(page.locator("#inbox-window")).to_contain_text("24" if arabic else "You can reply until")
    reply = f"Yes, until 14:00 ({secrets.token_hex(2)})"
    page.fill("#inbox-reply", reply)
    page.click("#inbox-send")
    expect(thread.locator("[data-message]").filter(has_text=reply)).to_be_visible(timeout=20_000)
    sent = _control(app_server, "GET", "audience/sent")["messages"]
    assert any(m["text"] == reply and m["to"] == person and m["account"] == STUDIO for m in sent)

    # An image: picked, previewed, sent on its own (no text), shown in the thread.
    photo = tmp_path / "menu.png"
    photo.write_bytes(image_bytes("PNG", (640, 480)))
    page.set_input_files("#inbox-upload input[type=file]", str(photo))
    expect(page.locator("#inbox-picked-image img")).to_be_visible()
    screenshot(page, "inbox-image-picked", viewport)
    page.click("#inbox-send")
    expect(page.locator("#inbox-picked-image")).to_have_count(0, timeout=20_000)
    expect(thread.locator("[data-message]:not([data-inbound='1']) img").last).to_be_visible()
    sent = _control(app_server, "GET", "audience/sent")["messages"]
    assert any(m["to"] == person and (m.get("image_url") or "").startswith(app_server.base_url) for m in sent), sent
    screenshot(page, "inbox-thread", viewport)

    _control(app_server, "POST", "clock/advance", {"seconds": 25 * 3600})
    clock_back.append(25 * 3600)
    page.reload()
    expect(page.locator("#inbox-page")).to_be_visible(timeout=20_000)
    # The row shows the person's name once a poll has read it, their id before.
    page.locator("#inbox-list [data-conversation]").filter(has_text=re.compile(f"{person}|{name}")).first.click()
    window = page.locator("#inbox-window")
    expect(window).to_have_attribute("data-mode", "human_agent", timeout=20_000)
    expect(window).to_contain_text("نافذة الرد" if arabic else "The 24-hour reply window closed")
    expect(page.locator("#inbox-reply")).to_be_disabled()
    expect(page.locator("#inbox-send")).to_be_disabled()
    screenshot(page, "inbox-window-closed", viewport)
    if viewport != "desktop":
        page.click("#inbox-back")
        expect(page.locator("#inbox-list")).to_be_visible()
