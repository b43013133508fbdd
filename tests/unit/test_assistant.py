"""The support assistant's rules: the action allow-list, reading a model's reply, the facts of an
account (checked access, never a token), the catalogue answers in English and Arabic, the budget."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from socializioz.domain.assistant import (
    MAX_ANSWER,
    AccountState,
    Action,
    Situation,
    UnreadableReply,
    allowed_actions,
    parse_reply,
    suggested_action,
)
from socializioz.domain.platforms import INSTAGRAM
from socializioz.i18n.ar_errors import MESSAGES as AR_ERRORS
from socializioz.security.rate_limit import register_question
from socializioz.services import support
from socializioz.services.assistant_facts import gather_facts
from socializioz.services.assistant_model import build_messages
from socializioz.services.errors import NotFound
from socializioz.settings import get_settings
from tests.unit.accounts_fixtures import make_team, team_a  # noqa: F401 (fixture)

ALL = tuple(Action)

# -- the allow-list ---------------------------------------------------------------------------


def test_an_account_offers_reconnect_and_details_and_admins_also_refresh_meta_tokens() -> None:
    member = allowed_actions(Situation("instagram", has_account=True, has_setup_sheet=True, meta=True))
    admin = allowed_actions(Situation("instagram", has_account=True, manager=True, has_setup_sheet=True, meta=True))
    assert member == (Action.RECONNECT, Action.OPEN_ACCOUNT, Action.SETUP_SHEET)
    assert Action.REFRESH_NOW in admin and Action.REFRESH_NOW not in member
    assert Action.REFRESH_NOW not in allowed_actions(Situation("tiktok", has_account=True, manager=True))


def test_an_error_without_an_account_offers_a_new_connection_and_nothing_without_a_platform() -> None:
    assert allowed_actions(Situation("linkedin")) == (Action.RETRY_CONNECT,)
    assert allowed_actions(Situation("facebook", has_setup_sheet=True)) == (Action.RETRY_CONNECT, Action.SETUP_SHEET)
    assert allowed_actions(Situation("")) == ()


# -- reading the model's reply ----------------------------------------------------------------


def test_a_json_reply_keeps_an_allowed_action() -> None:
    reply = parse_reply('{"answer": "Reconnect and tick it.", "action": "reconnect"}', (Action.RECONNECT,))
    assert reply.answer == "Reconnect and tick it." and reply.action is Action.RECONNECT


@pytest.mark.parametrize("action", ["refresh_now", "delete_account", "javascript:alert(1)", 3, ["reconnect"], None])
def test_an_action_off_the_allow_list_gives_no_button(action) -> None:
    reply = parse_reply(json.dumps({"answer": "Do it.", "action": action}), (Action.RECONNECT,))
    assert reply.answer == "Do it." and reply.action is None


def test_a_fenced_or_wrapped_json_reply_is_read() -> None:
    fenced = '```json\n{"answer": "Open the guide.", "action": "setup_sheet"}\n```'
    assert parse_reply(fenced, ALL).action is Action.SETUP_SHEET
    wrapped = 'Sure! {"answer": "Open the guide.", "action": "setup_sheet"} Hope that helps.'
    assert parse_reply(wrapped, ALL) == parse_reply(fenced, ALL)


def test_plain_text_is_an_answer_without_a_button_and_a_long_one_is_cut() -> None:
    reply = parse_reply("Just reconnect the account.", ALL)
    assert reply.answer == "Just reconnect the account." and reply.action is None
    assert len(parse_reply("x" * (MAX_ANSWER + 50), ALL).answer) == MAX_ANSWER


@pytest.mark.parametrize("text", [None, "", "   ", '{"action": "reconnect"}', '{"answer": "  ", "action": null}'])
def test_a_reply_with_no_answer_is_unreadable(text) -> None:
    with pytest.raises(UnreadableReply):
        parse_reply(text, ALL)


# -- the catalogue assistant's button ---------------------------------------------------------


def test_the_suggested_action_follows_the_code_and_the_account_state() -> None:
    account = (Action.RECONNECT, Action.OPEN_ACCOUNT, Action.REFRESH_NOW, Action.SETUP_SHEET)
    assert suggested_action("", account, AccountState(missing_scopes=("x",))) is Action.RECONNECT
    assert suggested_action("", account, AccountState(expired=True)) is Action.RECONNECT
    assert suggested_action("", account, AccountState(refresh_paused=True)) is Action.REFRESH_NOW
    assert suggested_action("", account[:2], AccountState(refresh_paused=True)) is Action.RECONNECT  # a member
    assert suggested_action("", account, AccountState()) is None  # healthy: nothing to press
    assert suggested_action("no_pages_found", (Action.RETRY_CONNECT, Action.SETUP_SHEET), None) is Action.SETUP_SHEET
    assert suggested_action("user_cancelled_authorize", (Action.RETRY_CONNECT,), None) is Action.RETRY_CONNECT
    assert suggested_action("missing_credentials", (Action.RETRY_CONNECT,), None) is None  # the operator's to fix


# -- the facts --------------------------------------------------------------------------------


def test_facts_carry_the_account_state_and_never_a_token(db, team_a) -> None:
    facts = gather_facts(db, team_a.admin, team_a.workspace_id, account_id=team_a.instagram.id)
    sent = json.dumps(facts.for_model())
    account = facts.for_model()["account"]
    assert "instagram_business_content_publish" in account["missing_scopes"]
    assert account["granted_scopes"] == ["instagram_business_basic"]
    assert account["connection_method"] == "instagram_login" and "Instagram Business Login" in sent
    assert account["token_expires_at"] and account["token_expired"] is False
    assert "refresh_paused" in account  # the debug panel's facts: an admin asked
    assert facts.for_model()["allowed_actions"] == ["reconnect", "open_account", "refresh_now", "setup_sheet"]
    assert "token-instagram" not in sent and "access_token" not in sent and "ciphertext" not in sent


def test_a_member_gets_the_account_state_but_not_the_debug_panel_facts(db, team_a) -> None:
    facts = gather_facts(db, team_a.member, team_a.workspace_id, account_id=team_a.facebook.id)
    assert facts.account is not None and "refresh_paused" not in facts.account
    assert "refresh_now" not in facts.for_model()["allowed_actions"]
    assert "pages_manage_posts" in facts.account["missing_scopes"]


def test_another_workspaces_account_or_an_outsider_is_refused(db, team_a) -> None:
    other = make_team(db, "b")
    with pytest.raises(NotFound):
        gather_facts(db, team_a.owner, team_a.workspace_id, account_id=other.instagram.id)
    with pytest.raises(NotFound):
        gather_facts(db, other.owner, team_a.workspace_id, account_id=team_a.instagram.id)
    with pytest.raises(NotFound):
        gather_facts(db, other.owner, team_a.workspace_id, platform="x", code="x_token_error")


def test_an_unknown_code_or_platform_from_the_url_is_dropped(db, team_a) -> None:
    facts = gather_facts(db, team_a.member, team_a.workspace_id, platform="myspace", code="<script>")
    assert facts.platform == "" and facts.code == "" and facts.entry is None and facts.actions == ()


def test_an_account_without_a_code_takes_its_last_error(db, team_a) -> None:
    team_a.tiktok.last_error = "token_invalid"
    db.add(team_a.tiktok)
    db.commit()
    facts = gather_facts(db, team_a.member, team_a.workspace_id, account_id=team_a.tiktok.id)
    assert facts.code == "token_invalid" and facts.account["needs_reconnect"] is True
    assert facts.account["missing_scopes"] == []  # TikTok reported no scopes: unknown, not "all missing"


# -- the catalogue answers, in both languages --------------------------------------------------


def test_the_fallback_names_the_missing_publish_scope_and_offers_reconnect(db, team_a) -> None:
    facts = gather_facts(db, team_a.member, team_a.workspace_id, account_id=team_a.instagram.id)
    en = support.catalogue_reply(facts, "en", "why can't I publish?")
    assert "Your token lacks instagram_business_content_publish" in en.text
    assert "Reconnect and tick it" in en.text and en.action is Action.RECONNECT and en.source == "catalogue"
    ar = support.catalogue_reply(facts, "ar", "لماذا لا أستطيع النشر؟")
    assert "يفتقد الإذن \u2068instagram_business_content_publish\u2069" in ar.text
    assert "\u2068instagram_business_manage_comments\u2069، \u2068instagram_business_manage_insights\u2069" in ar.text
    assert "Your token" not in ar.text and ar.action is Action.RECONNECT


def test_the_fallback_explains_an_error_code_in_arabic(db, team_a) -> None:
    facts = gather_facts(db, team_a.member, team_a.workspace_id, platform="linkedin", code="user_cancelled_authorize")
    ar = support.catalogue_reply(facts, "ar")
    assert ar.cause == AR_ERRORS["error.linkedin.user_cancelled_authorize.cause"]
    assert ar.fix == AR_ERRORS["error.linkedin.user_cancelled_authorize.what_to_do"]
    assert ar.title == "user_cancelled_authorize" and ar.action is Action.RETRY_CONNECT
    en = support.catalogue_reply(facts, "en")
    assert "click Allow on the consent screen" in en.fix


def test_the_fallback_matches_a_question_or_says_it_cannot(db, team_a) -> None:
    facts = gather_facts(db, team_a.member, team_a.workspace_id, platform="facebook")
    matched = support.catalogue_reply(facts, "en", "it says no pages found")
    assert matched.title == "No Pages found" and matched.action is Action.SETUP_SHEET
    nothing = support.catalogue_reply(facts, "ar", "؟؟")
    assert nothing.text.startswith("لم أجد") and nothing.action is None


def test_a_healthy_account_is_called_healthy(db, team_a) -> None:
    team_a.instagram.granted_scopes = " ".join(INSTAGRAM.connection("instagram_login").consent_scopes)  # all granted
    db.add(team_a.instagram)
    db.commit()
    facts = gather_facts(db, team_a.member, team_a.workspace_id, account_id=team_a.instagram.id)
    reply = support.catalogue_reply(facts, "en", "is it fine?")
    assert reply.text.startswith("The account looks healthy") and reply.action is None


async def test_without_a_model_the_catalogue_answers(db, team_a) -> None:
    assert not get_settings().assistant_configured  # the embedded default
    facts = gather_facts(db, team_a.member, team_a.workspace_id, account_id=team_a.instagram.id)
    reply = await support.answer(facts, [], "why can't I publish?", "en")
    assert reply.source == "catalogue" and reply.note == "" and "instagram_business_content_publish" in reply.text


# -- the prompt -------------------------------------------------------------------------------


def test_the_prompt_carries_the_facts_the_language_and_the_allow_list(db, team_a) -> None:
    facts = gather_facts(db, team_a.admin, team_a.workspace_id, account_id=team_a.instagram.id)
    history = [{"role": "user", "content": "hello"}, {"role": "assistant", "content": "hi"}, {"role": "x"}]
    messages = build_messages(facts.for_model(), history, "لماذا؟", "ar")
    system = messages[0]["content"]
    assert "Answer in Arabic" in system and "instagram_business_content_publish" in system
    assert "reconnect, open_account, refresh_now, setup_sheet" in system
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[-1]["content"] == "لماذا؟"


# -- the budget -------------------------------------------------------------------------------


def test_the_question_budget_is_per_user_and_per_hour(db, team_a, monkeypatch) -> None:
    monkeypatch.setenv("SOCIALIZIOZ_ASSISTANT_QUESTIONS_PER_HOUR", "2")
    get_settings.cache_clear()
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert register_question(db, team_a.member.id, now) and register_question(db, team_a.member.id, now)
    assert not register_question(db, team_a.member.id, now)
    assert register_question(db, team_a.admin.id, now)  # someone else's budget
    assert register_question(db, team_a.member.id, now + timedelta(hours=1, seconds=1))  # an hour later
