"""Comment management end to end (issue 13), against the sandbox as a user does it: connect a
Facebook Page (and its Instagram) through the real consent screen; a persona's comment, posted
through the sandbox's "simulated audience" control, reaches the app as a signed Meta webhook and
appears on the open comments page without a reload; reply, hide and delete reach the sandbox's
platform state; a member without moderation rights sees no actions and the server refuses the
events sent over a raw socket; Arabic at 390 px through the phone's More menu."""

from __future__ import annotations

import re
import secrets
import time

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from tests.e2e.conftest import AppServer, screenshot, sign_in
from tests.e2e.test_accounts_cards import _workspace_of
from tests.e2e.test_connect_flow import _connect_facebook, consent_page, start
from tests.e2e.ws_client import RawSocket, handler_name


def _connect(page: Page, viewport: str) -> None:
    consent = _connect_facebook(page, viewport)
    consent.click("#ig-confirm-accept")  # the Page's linked Instagram account too
    if viewport != "desktop":
        consent.wait_for_url("**/connections/**", timeout=20_000)
    expect(page.locator("[data-platform='facebook']")).to_be_visible(timeout=20_000)


def _audience_comment(app_server: AppServer, text: str, author: str = "Jane Doe") -> str:
    answer = httpx.post(
        app_server.sandbox_url + "/_control/audience/comment",
        json={"account": "1111", "text": text, "author": author},
        timeout=15,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["delivery"], "the sandbox pushed no webhook: is the verify token set?"
    return str(answer.json()["id"])


def _platform(app_server: AppServer, comment_id: str) -> dict:
    answer = httpx.get(app_server.sandbox_url + f"/_control/comments/{comment_id}", timeout=15)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _eventually(check, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the platform state did not change"
        time.sleep(0.3)


def _thread(page: Page, text: str):
    return page.locator("[data-thread]", has_text=text)


def test_a_simulated_comment_arrives_live_and_moderation_reaches_the_platform(
    page: Page, viewport: str, signed_in, app_server: AppServer
) -> None:
    signed_in(plan="professional")
    _connect(page, viewport)
    page.goto("/comments")
    expect(page.locator("#comments-page")).to_be_visible()
    expect(page.locator("#comments-loading")).to_have_count(0, timeout=20_000)
    screenshot(page, "comments-before", viewport)

    text = f"Are you open on Sunday? {secrets.token_hex(3)}"
    comment_id = _audience_comment(app_server, text)
    thread = _thread(page, text)
    expect(thread).to_be_visible(timeout=30_000)  # pushed: no reload
    if viewport == "desktop":
        expect(page.locator("[data-nav-badge='/comments']")).to_be_visible()
    screenshot(page, "comments-live", viewport)

    thread.locator("[data-comment-action='reply']").first.click()
    page.fill("#comment-reply-text", "Yes, from 9 to 2!")
    screenshot(page, "comments-reply-box", viewport)
    page.click("#comment-reply-send")
    expect(thread.locator("[data-reply]", has_text="Yes, from 9 to 2!")).to_be_visible(timeout=20_000)
    _eventually(lambda: [r["text"] for r in _platform(app_server, comment_id)["replies"]] == ["Yes, from 9 to 2!"])

    thread.locator("[data-comment-action='hide']").first.click()
    expect(thread.locator("[data-hidden-badge]")).to_be_visible(timeout=20_000)
    _eventually(lambda: _platform(app_server, comment_id)["hidden"])
    screenshot(page, "comments-hidden", viewport)

    thread.locator("[data-comment-action='delete']").first.click()
    expect(page.locator("#comment-delete-confirm")).to_be_visible()
    screenshot(page, "comments-delete-confirm", viewport)
    page.click("#comment-delete-confirm")
    expect(_thread(page, text)).to_have_count(0, timeout=20_000)
    _eventually(lambda: _platform(app_server, comment_id)["deleted"])


def _add_member(owner_email: str, member_email: str) -> None:
    from socializioz.db import session_scope
    from socializioz.models import Membership, User

    workspace_id = _workspace_of(owner_email)
    with session_scope() as db:
        member = db.exec(select(User).where(User.email == member_email)).one()
        db.add(Membership(workspace_id=workspace_id, user_id=member.id, role="member"))
        member.active_workspace_id = workspace_id
        db.add(member)


def _comment_row(owner_email: str, external_id: str) -> int:
    from socializioz.db import session_scope
    from socializioz.models import EngagementComment

    workspace_id = _workspace_of(owner_email)
    with session_scope() as db:
        row = db.exec(
            select(EngagementComment).where(
                EngagementComment.workspace_id == workspace_id, EngagementComment.external_id == external_id
            )
        ).one()
        return int(row.id or 0)


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_member_without_moderation_rights_sees_no_actions_and_is_refused(
    page: Page, viewport: str, signed_in, make_user, app_server: AppServer
) -> None:
    import socializioz.pages  # noqa: F401  (the app's state classes, in the app's order)
    from socializioz.db import session_scope
    from socializioz.models import User
    from socializioz.services import auth
    from socializioz.state.comments import CommentsState
    from tests.e2e.test_security_live_state import session_cookie

    owner = signed_in(plan="professional")
    _connect(page, viewport)
    text = f"Do you deliver? {secrets.token_hex(3)}"
    page.goto("/comments")
    expect(page.locator("#comments-page")).to_be_visible()
    comment_id = _audience_comment(app_server, text)
    expect(_thread(page, text)).to_be_visible(timeout=30_000)
    row_id = _comment_row(owner.email, comment_id)

    member = make_user(name="Mia Member")
    _add_member(owner.email, member.email)
    page.context.clear_cookies()
    sign_in(page, member)
    page.goto("/comments")
    thread = _thread(page, text)
    expect(thread).to_be_visible(timeout=20_000)
    expect(page.locator("#comments-not-moderator")).to_be_visible()
    expect(thread.locator("[data-comment-action]")).to_have_count(0)
    screenshot(page, "comments-member", viewport)

    with session_scope() as db:
        ticket = auth.issue_sign_in_ticket(db, db.exec(select(User).where(User.email == member.email)).one())
    cookie = session_cookie(app_server, ticket)
    with RawSocket(app_server.base_url, cookie=cookie) as sock:
        sock.hydrate("/comments")
        assert sock.wait_hydrated()
        for handler in ("hide", "like", "ask_delete"):
            sock.emit(handler_name(CommentsState, handler), {"comment_id": row_id}, path="/comments")
        sock.emit(handler_name(CommentsState, "confirm_delete_comment"), path="/comments")
        sock.emit(handler_name(CommentsState, "open_reply"), {"comment_id": row_id}, path="/comments")
        sock.emit(handler_name(CommentsState, "set_reply_text"), {"value": "not allowed"}, path="/comments")
        sock.emit(handler_name(CommentsState, "send_reply"), path="/comments")
        sock.collect(4)
    platform = _platform(app_server, comment_id)
    assert not platform["hidden"] and not platform["deleted"] and not platform["liked"]
    assert platform["replies"] == []


def test_arabic_on_the_phone_through_the_more_menu(page: Page, viewport: str, signed_in, app_server: AppServer) -> None:
    signed_in(plan="professional")
    _connect(page, viewport)
    text = f"هل تفتحون يوم الأحد؟ {secrets.token_hex(3)}"
    page.click("#language-switch")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    if viewport == "desktop":
        page.click("[data-nav='/comments']")
    else:
        page.click("#bottom-nav-more")
        page.locator("[data-bottom-nav='/comments']").click()
    expect(page.locator("#comments-page")).to_be_visible()
    expect(page.locator("#comments-page h1, #comments-page h2").first).to_have_text("التعليقات")
    expect(page.locator("#comments-loading")).to_have_count(0, timeout=20_000)
    _audience_comment(app_server, text, author="ليلى")
    thread = _thread(page, text)
    expect(thread).to_be_visible(timeout=30_000)
    expect(thread.locator("[data-comment-action='reply']")).to_have_text("رد")
    expect(thread.locator("[data-comment-action='hide']")).to_have_text("إخفاء")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"
    screenshot(page, "comments-arabic", viewport)


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_manage_comments_from_a_post_in_the_details_panel(
    page: Page, viewport: str, signed_in, app_server: AppServer
) -> None:
    from socializioz.db import session_scope
    from socializioz.models import SocialAccount

    user = signed_in(plan="professional")
    _connect(page, viewport)
    text = f"Which flour do you use? {secrets.token_hex(3)}"
    _audience_comment(app_server, text)  # on the Page's latest post
    with session_scope() as db:
        page_id = db.exec(
            select(SocialAccount.id).where(
                SocialAccount.workspace_id == _workspace_of(user.email), SocialAccount.platform == "facebook"
            )
        ).one()
    page.goto(f"/connections?account={page_id}")
    link = page.locator("#account-details [data-manage-comments]").first
    expect(link).to_be_visible(timeout=30_000)
    post_id = link.get_attribute("data-manage-comments")
    link.click()
    expect(page).to_have_url(re.compile(rf"/comments/?\?account={page_id}&post={re.escape(post_id or '')}"))
    expect(page.locator("#comments-post-filter")).to_be_visible()
    expect(_thread(page, text)).to_be_visible(timeout=20_000)  # that post's comment, stored from the webhook
    screenshot(page, "comments-post-filter", viewport)
    page.click("#comments-clear-post")
    expect(page.locator("#comments-post-filter")).to_have_count(0)


def test_a_page_connected_without_the_engagement_permission_explains_it_and_reconnect_asks_again(
    page: Page, viewport: str, signed_in
) -> None:
    """The Page's comments cannot be moderated without ``pages_manage_engagement``: the comments
    page names the account and the permission, and its Reconnect opens the consent screen again."""
    signed_in(plan="professional")
    consent = start(page, viewport, "facebook")
    consent.check("#persona-fb-alice")
    for box in consent.locator("input[name=page]").all():
        box.set_checked(box.get_attribute("value") == "1111")
    consent.uncheck("#scope-pages_manage_engagement")
    consent.click("#sandbox-approve")
    consent.click("#ig-confirm-cancel")  # the Page only
    if viewport != "desktop":
        consent.wait_for_url("**/connections/**", timeout=20_000)
    expect(page.locator("[data-platform='facebook']")).to_be_visible(timeout=20_000)

    page.goto("/comments")
    callout = page.locator("[data-comments-reconnect]").locator("xpath=ancestor::*[contains(@class,'rt-CalloutRoot')]")
    expect(callout).to_contain_text("pages_manage_engagement", timeout=20_000)
    expect(callout).to_contain_text("Acme Bakery")
    screenshot(page, "comments-missing-permission", viewport)
    with consent_page(page, viewport):
        page.locator("[data-comments-reconnect]").first.click()
    again = page._consent  # type: ignore[attr-defined]
    expect(again.locator("#sandbox-banner")).to_be_visible()
    assert "pages_manage_engagement" in again.url
