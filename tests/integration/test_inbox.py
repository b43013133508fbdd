"""The inbox against the sandbox (issue 13): a person's message reaches the app by polling (stored
once however often it is polled) and by the sandbox's webhook shape; a reply inside the 24-hour
window is delivered; outside it the app refuses first and the sandbox refuses too (Meta's
10/2534022, our ``messaging_window_closed``), the human-agent tag works until 7 days; a token
without the messaging scope reads nothing."""

from __future__ import annotations

import io
import json

import httpx
import pytest
from sqlmodel import col, func, select
from starlette.applications import Starlette

from socializioz import db as database
from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.integrations.endpoints import SANDBOX_CREDENTIALS
from socializioz.integrations.models import AccountRef
from socializioz.integrations.platform_clock import use_sandbox_clock
from socializioz.integrations.sandbox import meta_messaging
from socializioz.models import Conversation, DirectMessage, MediaAsset
from socializioz.security.credentials import store_tokens
from socializioz.security.webhook_signatures import meta_signature
from socializioz.services import inbox
from socializioz.services.errors import NotFound, ValidationError
from socializioz.services.media_urls import media_public_url
from socializioz.services.webhook_intake import process_pending
from socializioz.web.webhook_routes import webhook_routes
from tests.media_samples import image_bytes
from tests.unit.accounts_fixtures import add_account, make_team

STUDIO = "17841400000000101"  # the sandbox persona ig-studio
SCOPES = ("instagram_business_basic", "instagram_business_manage_messages")
PERSON = "5432109876543210"


@pytest.fixture(autouse=True)
def platform_clock(clock):
    use_sandbox_clock(clock)
    yield
    use_sandbox_clock(None)


def _token(state, scopes=SCOPES) -> str:
    return state.issue_token(
        "instagram", "long", "ig-studio", scopes, SANDBOX_CREDENTIALS["instagram"][0], 5_000_000, tenant=""
    ).value


@pytest.fixture
def team(db, state):
    token = _token(state)  # before this session writes: SQLite has one writer at a time
    team = make_team(db, "inbox")
    account = add_account(
        db,
        team.workspace_id,
        "instagram",
        STUDIO,
        name="Acme Studio",
        username="acme_studio",
        connection_method="instagram_login",
        granted_scopes=" ".join(SCOPES),
    )
    store_tokens(db, account.id, {"access_token": token})
    db.commit()
    team.studio_id = account.id
    return team


def _count(model, *where) -> int:
    with database.session_scope() as db:
        return db.exec(select(func.count()).select_from(model).where(*where)).one()


def _conversation() -> Conversation:
    with database.session_scope() as db:
        return db.exec(select(Conversation).where(Conversation.participant_id == PERSON)).one()


async def _polled_conversation(state, make_provider, text: str):
    """A person writes to the studio and a poll brings it in: the conversation, and the client factory."""
    meta_messaging.receive(state, STUDIO, PERSON, text, name="jane.doe")
    factory = lambda platform: make_provider(platform)
    await inbox.poll_accounts(provider_factory=factory)
    return _conversation(), factory


async def test_polling_stores_a_message_once_with_the_persons_name(team, state, make_provider) -> None:
    meta_messaging.receive(state, STUDIO, PERSON, "Do you deliver?", name="jane.doe")
    factory = lambda platform: make_provider(platform)
    assert await inbox.poll_accounts(provider_factory=factory) == {team.workspace_id}
    assert await inbox.poll_accounts(provider_factory=factory) == set()  # nothing new the second time
    conversation = _conversation()
    assert conversation.participant_name == "jane.doe" and conversation.unread == 1
    assert conversation.external_id == meta_messaging.conversation_id(STUDIO, PERSON)
    assert _count(DirectMessage, DirectMessage.conversation_id == conversation.id) == 1


async def test_a_reply_inside_the_window_is_delivered_and_kept_once(team, state, make_provider) -> None:
    conversation, factory = await _polled_conversation(state, make_provider, "Open on Sunday?")
    with database.session_scope() as db:
        owner = db.merge(team.owner)
        await inbox.send_reply(owner, team.workspace_id, conversation.id, "Yes, 9 to 14!", provider_factory=factory)
    sent = meta_messaging.sent_messages(state, STUDIO)
    assert [(m["to"], m["text"], m["tag"]) for m in sent] == [(PERSON, "Yes, 9 to 14!", "")]
    await inbox.poll_accounts(provider_factory=factory)  # the poll sees our reply: not a second row
    assert _count(DirectMessage, DirectMessage.conversation_id == conversation.id, DirectMessage.inbound == False) == 1  # noqa: E712


async def test_an_image_and_text_go_as_two_messages_image_first(team, state, make_provider) -> None:
    conversation, factory = await _polled_conversation(state, make_provider, "What does it look like?")
    with database.session_scope() as db:
        owner = db.merge(team.owner)
        picked = inbox.save_message_image(db, owner, team.workspace_id, "cake.png", io.BytesIO(image_bytes("PNG")))
        db.commit()
        await inbox.send_reply(
            owner, team.workspace_id, conversation.id, "Like this!", image_id=picked.id, provider_factory=factory
        )
    token = db_token(picked.id)
    sent = list(reversed(meta_messaging.sent_messages(state, STUDIO)))
    assert [(m["text"], m["image_url"]) for m in sent] == [("", media_public_url(token)), ("Like this!", None)]
    with database.session_scope() as db:
        rows = db.exec(
            select(DirectMessage).where(
                DirectMessage.conversation_id == conversation.id, col(DirectMessage.inbound).is_(False)
            )
        ).all()
    assert sorted((r.text, json.loads(r.attachments)) for r in rows) == [
        ("", [{"type": "image", "url": media_public_url(token)}]),
        ("Like this!", []),
    ]


@pytest.mark.parametrize(
    "name,data",
    [("photo.webp", image_bytes("WEBP")), ("huge.jpg", None)],
    ids=["not_png_or_jpeg", "over_8_mb"],
)
async def test_an_image_instagram_refuses_is_not_kept(team, name, data) -> None:
    data = data if data is not None else big_jpeg(inbox.MAX_MESSAGE_IMAGE_BYTES + 1)
    with database.session_scope() as db:
        owner = db.merge(team.owner)
        with pytest.raises(ValidationError) as refused:
            inbox.save_message_image(db, owner, team.workspace_id, name, io.BytesIO(data))
    assert refused.value.code == "inbox.image_not_allowed"
    assert _count(MediaAsset, MediaAsset.workspace_id == team.workspace_id) == 0


async def test_another_workspaces_image_cannot_be_sent(team, state, make_provider) -> None:
    conversation, factory = await _polled_conversation(state, make_provider, "Hi")
    with database.session_scope() as db:
        other = make_team(db, "other-inbox")
        picked = inbox.save_message_image(db, other.owner, other.workspace_id, "x.png", io.BytesIO(image_bytes("PNG")))
        db.commit()
        owner = db.merge(team.owner)
        with pytest.raises(NotFound):
            await inbox.send_reply(
                owner, team.workspace_id, conversation.id, "", image_id=picked.id, provider_factory=factory
            )
    assert meta_messaging.sent_messages(state, STUDIO) == []


def db_token(asset_id: int) -> str:
    with database.session_scope() as db:
        return db.get(MediaAsset, asset_id).token


def big_jpeg(size: int) -> bytes:
    """A real JPEG padded past ``size`` bytes (trailing bytes after EOI are ignored by decoders)."""
    data = image_bytes("JPEG")
    return data + b"\0" * (size - len(data) + 1)


async def test_outside_the_window_the_app_and_the_platform_both_refuse(team, state, clock, make_provider) -> None:
    conversation, factory = await _polled_conversation(state, make_provider, "Hello?")
    clock.advance(25 * 3600)
    with database.session_scope() as db:
        owner = db.merge(team.owner)
        with pytest.raises(ValidationError) as refused:
            await inbox.send_reply(owner, team.workspace_id, conversation.id, "Sorry!", provider_factory=factory)
    assert refused.value.code == "inbox.human_agent_needed"
    provider, ref = make_provider("instagram"), AccountRef("instagram", STUDIO, _token(state))
    with pytest.raises(ProviderError) as platform_refused:  # the sandbox enforces it on its own clock
        await provider.send_message(ref, PERSON, "Sorry!")
    assert platform_refused.value.code == "messaging_window_closed"
    assert platform_refused.value.kind is ErrorKind.REJECTED_CONTENT
    assert platform_refused.value.provider_code == "10/2534022"
    sent = await provider.send_message(ref, PERSON, "A person here, sorry for the wait.", human_agent=True)
    assert sent.recipient_id == PERSON
    assert meta_messaging.sent_messages(state, STUDIO)[0]["tag"] == "HUMAN_AGENT"
    clock.advance(6 * 86400)  # 7 days and a day: even a human agent may not reply
    with pytest.raises(ProviderError) as too_late:
        await provider.send_message(ref, PERSON, "Still there?", human_agent=True)
    assert too_late.value.code == "messaging_window_closed"


async def test_a_token_without_the_messaging_scope_reads_and_sends_nothing(team, state, make_provider) -> None:
    meta_messaging.receive(state, STUDIO, PERSON, "Hi", name="jane.doe")
    provider, ref = (
        make_provider("instagram"),
        AccountRef("instagram", STUDIO, _token(state, ("instagram_business_basic",))),
    )
    with pytest.raises(ProviderError) as read:
        await provider.conversations(ref)
    assert read.value.kind is ErrorKind.MISSING_PERMISSION
    with pytest.raises(ProviderError) as send:
        await provider.send_message(ref, PERSON, "Hello")
    assert send.value.kind is ErrorKind.MISSING_PERMISSION
    assert meta_messaging.sent_messages(state) == []


async def test_nobody_can_be_messaged_before_they_write(team, state, make_provider) -> None:
    provider, ref = make_provider("instagram"), AccountRef("instagram", STUDIO, _token(state))
    with pytest.raises(ProviderError) as refused:
        await provider.send_message(ref, "999", "Hello stranger")
    assert refused.value.provider_code == "100/2018001"


async def test_the_sandbox_webhook_for_a_message_becomes_a_message_row(team, state) -> None:
    row = meta_messaging.receive(state, STUDIO, PERSON, "Via webhook", name="jane.doe")
    body = json.dumps({"object": "instagram", "entry": [meta_messaging._messaging_entry(row)]}).encode()
    app = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=Starlette(routes=webhook_routes())), base_url="http://app.test"
    )
    signature = meta_signature(SANDBOX_CREDENTIALS["instagram"][1], body)
    for _ in range(2):  # Meta's retry of the same delivery stores nothing new
        answer = await app.post("/webhooks/meta", content=body, headers={"x-hub-signature-256": signature})
        assert answer.status_code == 200
    from socializioz.services.webhook_intake import drainer

    await drainer.idle()
    await process_pending()
    conversation = _conversation()
    assert conversation.unread == 1 and conversation.last_inbound_at is not None
    assert abs(conversation.last_inbound_at.timestamp() - row.created) < 0.01  # the platform's time, kept
    assert _count(DirectMessage, DirectMessage.conversation_id == conversation.id) == 1


def test_the_poll_job_stands_down_when_webhooks_are_configured(monkeypatch) -> None:
    monkeypatch.setattr(inbox, "webhooks_configured", lambda: True)
    import asyncio

    assert asyncio.run(inbox.run_poll_job()) is None
