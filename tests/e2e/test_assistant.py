"""The support assistant ("Fix with AI Support") as a user meets it, at 1280 and 390 px: from an
error banner or from a problem account, ask, get the model's answer with the fixing action as a
button, press it and land on the fix (the consent screen of a new connection or of a reconnect);
in Arabic; and the catalogue's answer with a note when the model fails.

The model is the session's local OpenAI-compatible server (``fake_model``, tests/fake_openai.py):
each test scripts its reply and checks what the app sent it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, ASSISTANT_API_KEY, screenshot
from tests.e2e.test_accounts_cards import _open_details
from tests.e2e.test_connect_flow import consent_page, start
from tests.e2e.test_refresh_and_debug import _connect_instagram, _set_account

IG_PUBLISH = "instagram_business_content_publish"


def _ask(page: Page, question: str) -> None:
    page.fill("#support-question", question)
    page.click("#support-ask")


def _declined_linkedin_banner(page: Page, viewport: str) -> None:
    consent = start(page, viewport, "linkedin")
    consent.click("#sandbox-cancel")
    if viewport != "desktop":
        consent.wait_for_url("**/connections/**", timeout=20_000)
    expect(page.locator("#error-banner")).to_contain_text("user_cancelled_authorize", timeout=20_000)


def _problem_instagram(page: Page, viewport: str, email: str, *, arabic: bool = False) -> None:
    """A connected Instagram account whose token lacks the publish scope, its details panel open."""
    _connect_instagram(page, viewport)
    _set_account(email, "instagram", granted_scopes="instagram_business_basic", publish_capable=False)
    page.reload()
    if arabic:
        page.click("#language-switch")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
    _open_details(page, "instagram")


def test_from_an_error_the_models_answer_offers_connect_again_which_opens_the_consent_screen(
    page: Page, viewport: str, signed_in, fake_model
) -> None:
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))))
    signed_in(plan="professional")
    _declined_linkedin_banner(page, viewport)
    page.click("#fix-with-ai")
    thread = page.locator("#support-thread")
    expect(page.locator("#support-code")).to_have_text("user_cancelled_authorize", timeout=20_000)
    expect(thread).to_contain_text("click Allow on the consent screen")  # the catalogue's opening answer
    fake_model.reply(
        {"answer": "You pressed Cancel on LinkedIn. Connect again and press Allow.", "action": "retry_connect"}
    )
    _ask(page, "What happened?")
    answer = thread.locator("[data-message='assistant'][data-source='model']")
    expect(answer).to_contain_text("Connect again and press Allow", timeout=20_000)
    expect(answer.locator("[data-assistant-action='retry_connect']")).to_be_visible()
    screenshot(page, "assistant-error-en", viewport)
    (request,) = fake_model.requests
    assert "user_cancelled_authorize" in request.system and "Answer in English" in request.system
    assert request.question == "What happened?"
    with consent_page(page, viewport):
        answer.locator("[data-assistant-action='retry_connect']").click()
    consent = page._consent  # type: ignore[attr-defined]
    expect(consent.locator("#sandbox-banner")).to_contain_text("LinkedIn")
    assert not any(ASSISTANT_API_KEY in frame for frame in frames)  # the key never reaches the browser
    assert ASSISTANT_API_KEY not in (ARTIFACTS / "e2e-server.log").read_text()


def test_from_a_problem_account_in_arabic_reconnect_starts_the_flow(
    page: Page, viewport: str, signed_in, fake_model
) -> None:
    user = signed_in(plan="professional")
    _problem_instagram(page, viewport, user.email, arabic=True)
    page.locator("#account-details [data-ask-assistant]").first.click()
    thread = page.locator("#support-thread")
    # The catalogue's opening answer already reads the account's state, in Arabic.
    expect(thread).to_contain_text("يفتقد الإذن", timeout=20_000)
    expect(thread).to_contain_text(IG_PUBLISH)
    expect(thread.locator("[data-assistant-action='reconnect']").first).to_have_text("إعادة الربط")
    fake_model.reply({"answer": f"رمز الوصول لا يتضمن {IG_PUBLISH}. أعد الربط وحدّد هذا الإذن.", "action": "reconnect"})
    _ask(page, "لماذا لا أستطيع النشر؟")
    answer = thread.locator("[data-message='assistant'][data-source='model']")
    expect(answer).to_contain_text("أعد الربط وحدّد هذا الإذن", timeout=20_000)
    expect(answer).to_contain_text("أجاب نموذج الذكاء الاصطناعي")
    screenshot(page, "assistant-account-ar", viewport)
    (request,) = fake_model.requests
    assert "Answer in Arabic" in request.system and IG_PUBLISH in request.system
    assert '"connection_method": "instagram_login"' in request.system
    page.click("#language-switch")  # back to English: the opening is rewritten, the conversation stays
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(thread).to_contain_text("Your token lacks", timeout=20_000)
    expect(answer).to_contain_text("أعد الربط وحدّد هذا الإذن")
    expect(thread.locator("[data-message='user']")).to_contain_text("لماذا لا أستطيع النشر؟")
    with consent_page(page, viewport):
        answer.locator("[data-assistant-action='reconnect']").click()
    consent = page._consent  # type: ignore[attr-defined]
    expect(consent.locator("#sandbox-banner")).to_be_visible()
    expect(consent.locator("#sandbox-approve")).to_be_visible()


def test_when_the_model_fails_the_catalogue_answers_with_a_note_and_the_button(
    page: Page, viewport: str, signed_in, fake_model
) -> None:
    user = signed_in(plan="professional")
    _problem_instagram(page, viewport, user.email)
    page.locator("#account-details [data-ask-assistant]").first.click()
    expect(page.locator("#support-account")).to_be_visible(timeout=20_000)
    fake_model.reply(status=500)
    _ask(page, "Why can't I publish?")
    fallback = page.locator("#support-thread [data-note='assistant.note.unavailable']")
    expect(fallback).to_contain_text("could not be reached", timeout=20_000)
    last = page.locator("#support-thread [data-message='assistant']").last
    expect(last).to_contain_text(f"Your token lacks {IG_PUBLISH}")
    expect(last.locator("[data-assistant-action='reconnect']")).to_be_visible()
    screenshot(page, "assistant-fallback-en", viewport)


def test_an_account_of_another_workspace_is_not_read(page: Page, viewport: str, signed_in, make_user) -> None:
    if viewport != "desktop":
        pytest.skip("the server-side check is the same at 390 px")
    signed_in(plan="professional")
    page.goto("/support?account=1")  # the first account of the suite belongs to someone else, or to nobody
    expect(page.locator("#support-thread")).to_contain_text("not in this workspace", timeout=20_000)
    expect(page.locator("#support-account")).to_have_count(0)
    expect(page.locator("[data-assistant-action='reconnect']")).to_have_count(0)


def test_a_member_sending_an_action_off_the_list_over_the_socket_gets_nothing_done(
    viewport: str, app_server, make_user
) -> None:
    """A hostile script sends "refresh_now" for an account its member may not refresh: refused, nothing runs."""
    if viewport != "desktop":
        pytest.skip("no browser involved")
    from sqlmodel import col, select

    from socializioz.db import session_scope
    from socializioz.models import ConnectionEvent, Membership, SocialAccount, User
    from socializioz.services import auth
    from socializioz.services.workspaces import set_active_workspace
    from socializioz.state.support import SupportState
    from tests.e2e.test_security_live_state import session_cookie
    from tests.e2e.ws_client import ROOT_STATE, RawSocket, handler_name

    owner, member = make_user(plan="professional"), make_user()
    with session_scope() as db:
        owner_row = db.exec(select(User).where(User.email == owner.email)).one()
        member_row = db.exec(select(User).where(User.email == member.email)).one()
        account = SocialAccount(
            workspace_id=owner_row.active_workspace_id,
            platform="facebook",
            external_id="page-hostile",
            name="Hostile Test Page",
            connection_method="facebook_page",
            refresh_paused=True,
        )
        db.add(account)
        db.add(Membership(workspace_id=owner_row.active_workspace_id, user_id=member_row.id, role="member"))
        db.flush()
        set_active_workspace(db, member_row, owner_row.active_workspace_id)
        account_id = account.id
        ticket = auth.issue_sign_in_ticket(db, member_row)
    with RawSocket(app_server.base_url, cookie=session_cookie(app_server, ticket)) as sock:
        boot = sock.event(f"{ROOT_STATE}.hydrate_and_load", {}, "/support")
        boot["router_data"]["asPath"] = f"/support?account={account_id}"  # the URL the page load reads
        sock.connect(boot)
        assert sock.wait_hydrated()
        assert sock.wait_for(lambda f: "Hostile Test Page" in str(f), timeout=15)  # a member may ask about it
        sock.emit(handler_name(SupportState, "run_action"), {"name": "refresh_now"}, "/support")
        assert sock.wait_for(lambda f: "not available here" in str(f), timeout=15)
    with session_scope() as db:
        refreshes = db.exec(
            select(ConnectionEvent).where(
                ConnectionEvent.account_id == account_id, col(ConnectionEvent.kind).startswith("token_")
            )
        ).all()
        assert refreshes == [] and db.get(SocialAccount, account_id).refresh_paused  # nothing ran
