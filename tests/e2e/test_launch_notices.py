"""The launch notice (spec: "You will be notified when they launch"), at 1280 and 390 px, in English
and Arabic: a person who asked to hear about a platform that has since launched finds "<platform>
is now available." on Connections, with Connect it and a close button; closing it (or connecting)
delivers it for good, and a request for a platform still coming soon shows nothing.

Availability is set in code (``domain/platforms.py``), so no setting can launch Telegram for the
test: the request is prepared as a launch leaves it, a row kept from when LinkedIn was coming soon
(written with the models, as other tests prepare data), beside a Telegram request made through the
service that is still waiting.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlmodel import select

from tests.e2e.conftest import TestUser, open_session, screenshot
from tests.e2e.test_accessibility import _violations
from tests.e2e.test_connect_flow import consent_page


def _asked_before_the_launch(user: TestUser) -> None:
    from socializioz.db import session_scope
    from socializioz.models import NotifyRequest, User, utcnow
    from socializioz.services import launch_notifications

    with session_scope() as db:
        user_id = db.exec(select(User.id).where(User.email == user.email)).one()
        db.add(NotifyRequest(user_id=user_id, platform="linkedin", created_at=utcnow() - timedelta(days=60)))
    launch_notifications.ask(user_id, "telegram")


def _wait_until_delivered(user: TestUser, platform: str, timeout: float = 20) -> None:
    """The close button's event reaches the server after the notice leaves the page."""
    from socializioz.db import session_scope
    from socializioz.models import NotifyRequest, User

    deadline = time.monotonic() + timeout
    while True:
        with session_scope() as db:
            notified = db.exec(
                select(NotifyRequest.notified_at)
                .join(User, User.id == NotifyRequest.user_id)  # type: ignore[arg-type]
                .where(User.email == user.email, NotifyRequest.platform == platform)
            ).one()
        if notified is not None:
            return
        assert time.monotonic() < deadline, "the notice's delivery was never recorded"
        time.sleep(0.1)


def _open_connections(page: Page, user: TestUser) -> None:
    _asked_before_the_launch(user)
    open_session(page, user)
    page.goto("/connections")
    # the Telegram tile's "We'll tell you" comes from the same page load as the notices
    expect(page.locator("[data-notify-state='telegram']")).to_be_visible(timeout=30_000)


def _after_a_reload_there_is_no_notice(page: Page) -> None:
    page.reload()
    expect(page.locator("[data-notify-state='telegram']")).to_be_visible(timeout=30_000)
    expect(page.locator("[data-launch-notice]")).to_have_count(0)


def test_a_launched_platform_is_announced_and_dismissed_for_good(page: Page, viewport: str, make_user) -> None:
    user = make_user(plan="professional")
    _open_connections(page, user)
    notice = page.locator("[data-launch-notice='linkedin']")
    expect(notice).to_have_text(re.compile(r"LinkedIn is now available\.\s*Connect it"))
    expect(notice.get_by_role("button", name="Connect it")).to_be_visible()
    expect(page.locator("[data-launch-notice]")).to_have_count(1)  # Telegram is still coming soon
    expect(page.locator("[data-tile='telegram'] [data-soon='telegram']")).to_be_visible()
    screenshot(page, "launch-notice", viewport)
    assert _violations(page) == []  # axe-core: contrast, the close button's name
    notice.get_by_role("button", name="Dismiss").click()
    expect(notice).to_have_count(0)
    _wait_until_delivered(user, "linkedin")
    _after_a_reload_there_is_no_notice(page)


def test_connect_it_opens_the_platforms_connect_flow(page: Page, viewport: str, make_user) -> None:
    user = make_user(plan="professional")
    _open_connections(page, user)
    with consent_page(page, viewport):
        page.locator("[data-launch-connect='linkedin']").click()
    consent = page._consent  # type: ignore[attr-defined]
    expect(consent.locator("#sandbox-banner")).to_be_visible()  # LinkedIn's own consent, as from its tile
    screenshot(consent, "launch-notice-connect", viewport)
    _wait_until_delivered(user, "linkedin")
    if viewport == "desktop":
        consent.close()  # the Connections page stayed put behind the consent tab
    else:
        page.goto("/connections")  # the consent replaced it in this tab
    _after_a_reload_there_is_no_notice(page)


def test_the_launch_notice_in_arabic(page: Page, viewport: str, make_user) -> None:
    user = make_user(plan="professional")
    _open_connections(page, user)
    page.click("#language-switch")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    notice = page.locator("[data-launch-notice='linkedin']")
    expect(notice).to_contain_text(re.compile("أصبح\\W*LinkedIn\\W*متاحًا الآن"))
    expect(notice.get_by_role("button", name="اربطه")).to_be_visible()
    screenshot(page, "launch-notice-arabic", viewport)
    assert _violations(page) == []
    notice.get_by_role("button", name="إخفاء").click()
    expect(notice).to_have_count(0)
    _wait_until_delivered(user, "linkedin")
    _after_a_reload_there_is_no_notice(page)
