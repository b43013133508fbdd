"""The assistant's language-model path against a small local OpenAI-compatible server that this
test starts (tests/fake_openai.py): what reaches the model (facts, language, allow-list, the key in
the Authorization header only, never an account token), how its reply becomes an answer and a
button, and the catalogue fallback with a note when the model times out, fails or says nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from socializioz.domain.assistant import Action
from socializioz.services import support
from socializioz.services.assistant_facts import gather_facts
from socializioz.settings import get_settings
from tests.fake_openai import FakeChatServer
from tests.unit.accounts_fixtures import team_a  # noqa: F401 (fixture)

API_KEY = "sk-test-assistant-key-0123456789"


@pytest.fixture
def model(monkeypatch) -> Iterator[FakeChatServer]:
    server = FakeChatServer().start()
    monkeypatch.setenv("SOCIALIZIOZ_ASSISTANT_BASE_URL", server.base_url)
    monkeypatch.setenv("SOCIALIZIOZ_ASSISTANT_MODEL", "fake-support-model")
    monkeypatch.setenv("SOCIALIZIOZ_ASSISTANT_API_KEY", API_KEY)
    monkeypatch.setenv("SOCIALIZIOZ_ASSISTANT_TIMEOUT_SECONDS", "1")
    get_settings.cache_clear()
    yield server
    server.stop()


def _facts(db, team, user=None):
    return gather_facts(db, user or team.admin, team.workspace_id, account_id=team.instagram.id)


async def test_the_model_gets_the_facts_and_the_language_and_its_action_becomes_a_button(
    db,
    team_a,
    model: FakeChatServer,
    caplog,
) -> None:
    model.reply({"answer": "رمزك يفتقد instagram_business_content_publish. أعد الربط.", "action": "reconnect"})
    caplog.set_level(logging.DEBUG)
    reply = await support.answer(_facts(db, team_a), [], "لماذا لا أستطيع النشر؟", "ar")
    assert reply.source == "model" and reply.note == ""
    assert reply.text.startswith("رمزك يفتقد") and reply.action is Action.RECONNECT
    (request,) = model.requests
    assert request.body["model"] == "fake-support-model"
    assert request.headers["authorization"] == f"Bearer {API_KEY}"  # the key goes to the model server only
    assert "Answer in Arabic" in request.system
    assert '"missing_scopes": [' in request.system and "instagram_business_content_publish" in request.system
    assert '"connection_method": "instagram_login"' in request.system
    assert "reconnect, open_account, refresh_now, setup_sheet" in request.system
    assert request.question == "لماذا لا أستطيع النشر؟"
    assert "token-instagram" not in request.text()  # the account's access token (accounts_fixtures) never
    assert API_KEY not in caplog.text


async def test_the_conversation_so_far_is_sent_along(db, team_a, model: FakeChatServer) -> None:
    messages = [
        {"role": "assistant", "cause": "", "fix": "", "text": "Your token lacks a scope."},
        {"role": "user", "cause": "which one?"},
        {"role": "assistant", "cause": "", "fix": "", "text": "instagram_business_content_publish"},
    ]
    await support.answer(_facts(db, team_a), support.history_for_model(messages), "and now?", "en")
    roles = [(m["role"], m["content"]) for m in model.requests[0].body["messages"][1:]]
    assert roles == [
        ("assistant", "Your token lacks a scope."),
        ("user", "which one?"),
        ("assistant", "instagram_business_content_publish"),
        ("user", "and now?"),
    ]
    assert "Answer in English" in model.requests[0].system


async def test_an_action_the_caller_may_not_run_gives_no_button(db, team_a, model: FakeChatServer) -> None:
    model.reply({"answer": "An admin can refresh it.", "action": "refresh_now"})
    reply = await support.answer(_facts(db, team_a, team_a.member), [], "can you refresh it?", "en")
    assert reply.text == "An admin can refresh it." and reply.action is None
    assert "refresh_now" not in model.requests[0].system.split("one of ")[1].split(" or null")[0]


async def test_a_timeout_falls_back_to_the_catalogue_with_a_note(db, team_a, model: FakeChatServer) -> None:
    model.reply({"answer": "too late", "action": "reconnect"}, delay=3)
    reply = await support.answer(_facts(db, team_a), [], "why can't I publish?", "en")
    assert reply.source == "catalogue" and reply.note == "assistant.note.timeout"
    assert "Your token lacks instagram_business_content_publish" in reply.text and reply.action is Action.RECONNECT


@pytest.mark.parametrize("status", [500, 401, 429])
async def test_an_error_falls_back_to_the_catalogue_in_the_users_language(
    db,
    team_a,
    model: FakeChatServer,
    status: int,
    caplog,
) -> None:
    model.reply(status=status)
    reply = await support.answer(_facts(db, team_a), [], "لماذا؟", "ar")
    assert reply.source == "catalogue" and reply.note == "assistant.note.unavailable"
    assert "يفتقد الإذن" in reply.text and reply.action is Action.RECONNECT
    assert f"HTTP {status}" in caplog.text and API_KEY not in caplog.text


async def test_an_empty_reply_falls_back(db, team_a, model: FakeChatServer) -> None:
    model.reply("")
    reply = await support.answer(_facts(db, team_a), [], "hello?", "en")
    assert reply.source == "catalogue" and reply.note == "assistant.note.unavailable" and reply.text


async def test_an_unreachable_server_falls_back(db, team_a, monkeypatch) -> None:
    server = FakeChatServer().start()
    url = server.base_url
    server.stop()  # nothing listens there any more
    monkeypatch.setenv("SOCIALIZIOZ_ASSISTANT_BASE_URL", url)
    monkeypatch.setenv("SOCIALIZIOZ_ASSISTANT_MODEL", "m")
    get_settings.cache_clear()
    reply = await support.answer(_facts(db, team_a), [], "hello?", "en")
    assert reply.source == "catalogue" and reply.note == "assistant.note.unavailable"


async def test_a_plain_text_model_reply_is_shown_without_a_button(db, team_a, model: FakeChatServer) -> None:
    model.reply("Reconnect the account and approve every permission.")
    reply = await support.answer(_facts(db, team_a), [], "what now?", "en")
    assert reply.source == "model" and reply.text.startswith("Reconnect the account") and reply.action is None
