"""``/webhooks/meta``: Meta's subscription handshake and its signed deliveries
(reference/engagement.md §4; docs/security.md, "Webhooks").

GET answers the handshake only with the configured verify token. POST reads at most
``MAX_BODY_BYTES``, refuses (403) anything not signed with one of our Meta app secrets over the
exact bytes received, stores the delivery once (``services.webhook_intake``) and answers 200
before any processing: a per-process drainer applies deliveries in batches.
"""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from socializioz.db import run_db, session_scope
from socializioz.integrations.meta_webhooks import webhook_app_secrets
from socializioz.security.webhook_signatures import verify_meta_signature
from socializioz.services.webhook_intake import MAX_BODY_BYTES, drainer, record_delivery
from socializioz.settings import get_settings

PATH = "/webhooks/meta"


def webhook_routes() -> list[Route]:
    return [Route(PATH, verify_subscription, methods=["GET"]), Route(PATH, receive_delivery, methods=["POST"])]


async def verify_subscription(request: Request) -> Response:
    """``hub.mode=subscribe`` with our verify token: echo ``hub.challenge``; anything else: 403."""
    expected = get_settings().meta_webhook_verify_token.get_secret_value()
    params = request.query_params
    given = params.get("hub.verify_token", "")
    if (
        not expected
        or params.get("hub.mode") != "subscribe"
        or not hmac.compare_digest(given.encode(), expected.encode())
    ):
        return Response(status_code=403)
    return PlainTextResponse(params.get("hub.challenge", "")[:128])


async def _body(request: Request) -> bytes | None:
    """The raw body, or None when it is larger than any delivery Meta sends."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _store(body: bytes) -> int | None:
    with session_scope() as db:
        return record_delivery(db, "meta", body)


async def receive_delivery(request: Request) -> Response:
    body = await _body(request)
    if body is None:
        return Response(status_code=413)
    signature = request.headers.get("x-hub-signature-256")
    if not verify_meta_signature(signature, body, webhook_app_secrets(get_settings())):
        return Response(status_code=403)
    if await run_db(_store, body) is not None:
        drainer.kick()  # processed in batches off the request
    return Response(status_code=200)
