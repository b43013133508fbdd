"""Meta webhooks (issue 13): the subscription handshake, signatures over the raw bytes, one stored
delivery per body however often it arrives, processing that applies each event once, and no
comment or message reaching an account it is not for."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from sqlmodel import func, select
from starlette.applications import Starlette

from socializioz import db as database
from socializioz.integrations.endpoints import SANDBOX_CREDENTIALS
from socializioz.models import Conversation, DirectMessage, EngagementComment, WebhookDelivery
from socializioz.security.webhook_signatures import meta_signature, verify_meta_signature
from socializioz.services.webhook_intake import process_delivery, process_pending
from socializioz.settings import get_settings
from socializioz.web.webhook_routes import webhook_routes
from tests.unit.accounts_fixtures import add_account, make_team

FB_SECRET = SANDBOX_CREDENTIALS["facebook"][1]
IG_SECRET = SANDBOX_CREDENTIALS["instagram"][1]
PAGE_ID, IG_ID = "111222333", "17841400000000000"


def page_comment(comment_id: str = "c1", verb: str = "add", page_id: str = PAGE_ID, **value) -> bytes:
    change = {
        "item": "comment",
        "verb": verb,
        "comment_id": f"{page_id}_{comment_id}",
        "post_id": f"{page_id}_p1",
        "parent_id": f"{page_id}_p1",
        "created_time": 1_756_720_800,
        "from": {"id": "6543210987654321", "name": "Jane Doe"},
        "message": "Are you open on Sunday?",
        **value,
    }
    payload = {
        "object": "page",
        "entry": [{"id": page_id, "time": 1_756_720_805, "changes": [{"field": "feed", "value": change}]}],
    }
    return json.dumps(payload).encode()


def ig_message(
    mid: str = "m1", echo: bool = False, text: str = "Do you deliver?", at_ms: int = 1_756_720_800_000
) -> bytes:
    sender, recipient = ("5432109876543210", IG_ID) if not echo else (IG_ID, "5432109876543210")
    message = {"mid": mid, "text": text, **({"is_echo": True} if echo else {})}
    item = {
        "sender": {"id": sender},
        "recipient": {"id": recipient},
        "timestamp": 1_756_720_800_000,
        "message": message,
    }
    return json.dumps(
        {"object": "instagram", "entry": [{"id": IG_ID, "time": 1_756_720_800_123, "messaging": [item]}]}
    ).encode()


@pytest.fixture
def team(db):
    team = make_team(db, "hooks")
    add_account(db, team.workspace_id, "facebook", PAGE_ID, name="Acme Page")
    add_account(db, team.workspace_id, "instagram", IG_ID, name="acme.ig", connection_method="instagram_login")
    db.commit()
    return team


@pytest.fixture
def client():
    app = Starlette(routes=webhook_routes())
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://app.test")


async def post(client: httpx.AsyncClient, body: bytes, secret: str | None = FB_SECRET, header: str | None = None):
    headers = {"content-type": "application/json"}
    if header is not None:
        headers["x-hub-signature-256"] = header
    elif secret is not None:
        headers["x-hub-signature-256"] = meta_signature(secret, body)
    return await client.post("/webhooks/meta", content=body, headers=headers)


def count(model) -> int:
    with database.session_scope() as db:
        return db.exec(select(func.count()).select_from(model)).one()


def comments() -> list[EngagementComment]:
    with database.session_scope() as db:
        return list(db.exec(select(EngagementComment)).all())


async def settle() -> None:
    """Let the delivery tasks the route spawned finish, then run the backstop."""
    from socializioz.services.webhook_intake import drainer

    await drainer.idle()
    await process_pending()


# -- the handshake -------------------------------------------------------------------------------


async def test_the_handshake_echoes_the_challenge_only_with_our_verify_token(monkeypatch, client) -> None:
    monkeypatch.setenv("SOCIALIZIOZ_META_WEBHOOK_VERIFY_TOKEN", "our-verify-token")
    get_settings.cache_clear()
    query = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": "our-verify-token"}
    ok = await client.get("/webhooks/meta", params=query)
    assert (ok.status_code, ok.text) == (200, "1158201444")
    assert (await client.get("/webhooks/meta", params={**query, "hub.verify_token": "guess"})).status_code == 403
    assert (await client.get("/webhooks/meta", params={**query, "hub.mode": "unsubscribe"})).status_code == 403


async def test_without_a_verify_token_configured_the_handshake_is_refused(client) -> None:
    query = {"hub.mode": "subscribe", "hub.challenge": "1", "hub.verify_token": ""}
    assert (await client.get("/webhooks/meta", params=query)).status_code == 403


# -- signatures ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [None, "sha256=" + "0" * 64, "sha1=abc", meta_signature("not-our-secret", page_comment())],
    ids=["missing", "wrong", "sha1-only", "other-secret"],
)
async def test_a_badly_signed_delivery_is_refused_and_stores_nothing(team, client, header) -> None:
    response = await post(client, page_comment(), secret=None, header=header or "")
    assert response.status_code == 403
    await settle()
    assert count(WebhookDelivery) == 0 and count(EngagementComment) == 0


async def test_a_signature_of_other_bytes_is_refused(team, client) -> None:
    """Meta signs the escaped bytes it sends; re-serialised JSON is other bytes."""
    body = page_comment()
    resent = json.dumps(json.loads(body), indent=1).encode()
    assert (await post(client, resent, header=meta_signature(FB_SECRET, body))).status_code == 403


def test_signature_check_is_over_raw_bytes_and_either_app_secret() -> None:
    body = page_comment()
    assert verify_meta_signature(meta_signature(IG_SECRET, body), body, [FB_SECRET, IG_SECRET])
    assert not verify_meta_signature(meta_signature(IG_SECRET, body), body + b" ", [FB_SECRET, IG_SECRET])
    assert not verify_meta_signature("", body, [FB_SECRET])


async def test_an_oversized_body_is_refused_before_it_is_read(team, client) -> None:
    body = b"{" + b" " * 1_000_001 + b"}"
    assert (await post(client, body)).status_code == 413
    assert count(WebhookDelivery) == 0


# -- storing and processing ----------------------------------------------------------------------


async def test_a_signed_page_comment_is_stored_for_the_page_once_however_often_it_arrives(team, client) -> None:
    body = page_comment()
    for _ in range(3):  # Meta's retries, or a replay of the same signed bytes
        assert (await post(client, body)).status_code == 200
    await settle()
    assert count(WebhookDelivery) == 1
    [comment] = comments()
    assert (comment.workspace_id, comment.text, comment.author_name) == (
        team.workspace_id,
        "Are you open on Sunday?",
        "Jane Doe",
    )
    assert comment.parent_external_id is None  # a top-level comment's parent is the post, not a comment
    assert comment.post_external_id == f"{PAGE_ID}_p1"


async def test_the_same_comment_in_two_deliveries_is_one_comment(team, client) -> None:
    await post(client, page_comment())
    await post(client, page_comment(message="Are you open on Sunday?", extra="a field Meta added"))
    await settle()
    assert count(WebhookDelivery) == 2 and count(EngagementComment) == 1


async def test_hide_edit_and_remove_update_the_comment(team, client) -> None:
    await post(client, page_comment())
    await post(client, page_comment(verb="hide"))
    await settle()
    assert comments()[0].hidden
    await post(client, page_comment(verb="edited", message="Open Sundays?"))
    await post(client, page_comment(verb="remove"))
    await settle()
    [comment] = comments()
    assert (comment.text, comment.deleted) == ("Open Sundays?", True)


async def test_a_comment_for_a_page_no_workspace_connected_is_stored_nowhere(team, client) -> None:
    await post(client, page_comment(page_id="999888777"))
    await settle()
    assert count(WebhookDelivery) == 1 and count(EngagementComment) == 0


async def test_instagram_messages_make_a_conversation_with_unread_counts_and_echoes_are_ours(team, client) -> None:
    await post(client, ig_message("m1"), secret=IG_SECRET)
    await post(client, ig_message("m1"), secret=IG_SECRET)  # retried
    await post(client, ig_message("m2", echo=True, text="Yes, we do", at_ms=1_756_720_860_000), secret=IG_SECRET)
    await settle()
    with database.session_scope() as db:
        [conversation] = db.exec(select(Conversation)).all()
        messages = db.exec(select(DirectMessage).order_by(DirectMessage.sent_at)).all()
    assert conversation.participant_id == "5432109876543210" and conversation.unread == 1
    assert conversation.last_inbound_at is not None
    assert [(m.text, m.inbound) for m in messages] == [("Do you deliver?", True), ("Yes, we do", False)]


async def test_concurrent_processing_applies_a_delivery_once(team, client) -> None:
    from socializioz.services.webhook_intake import record_delivery

    with database.session_scope() as db:
        delivery_id = record_delivery(db, "meta", ig_message("m9"))
    assert delivery_id is not None
    await asyncio.gather(*(process_delivery(delivery_id) for _ in range(5)))
    with database.session_scope() as db:
        assert db.exec(select(Conversation)).one().unread == 1
        assert db.get(WebhookDelivery, delivery_id).attempts == 1


async def test_a_delivery_that_is_not_json_is_kept_processed_with_its_error(team, client) -> None:
    assert (await post(client, b"not json")).status_code == 200
    await settle()
    with database.session_scope() as db:
        delivery = db.exec(select(WebhookDelivery)).one()
    assert delivery.processed_at is not None and delivery.error == "not JSON"


async def test_two_deliveries_racing_to_add_the_same_comment_both_apply(team, client) -> None:
    from socializioz.services.webhook_intake import record_delivery

    with database.session_scope() as db:
        first = record_delivery(db, "meta", page_comment())
        second = record_delivery(db, "meta", page_comment(verb="hide"))
    await asyncio.gather(process_delivery(first), process_delivery(second))
    [comment] = comments()
    assert comment.hidden
    with database.session_scope() as db:
        assert all(d.processed_at is not None for d in db.exec(select(WebhookDelivery)).all())
