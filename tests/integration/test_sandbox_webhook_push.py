"""The sandbox delivers Meta webhooks as Meta does: a verified subscription, signed bodies that our
own verifier accepts, and retries of a failed delivery."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from socializioz.integrations.endpoints import SANDBOX_CREDENTIALS
from socializioz.integrations.sandbox.webhook_push import WebhookPusher
from socializioz.security.webhook_signatures import verify_meta_signature

TOKEN = "verify-me"


class _Receiver(BaseHTTPRequestHandler):
    answers: list[int]
    seen: list[tuple[str, bytes]]
    handshakes: list[dict[str, list[str]]]

    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        self.handshakes.append(query)
        ok = query.get("hub.verify_token") == [TOKEN] and query.get("hub.mode") == ["subscribe"]
        body = query["hub.challenge"][0].encode() if ok else b""
        self.send_response(200 if ok else 403)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        self.seen.append((self.headers.get("x-hub-signature-256", ""), body))
        self.send_response(self.answers.pop(0) if self.answers else 200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver():
    handler = type("Receiver", (_Receiver,), {"answers": [], "seen": [], "handshakes": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield handler, f"http://127.0.0.1:{server.server_address[1]}/webhooks/meta"
    server.shutdown()


def _wait(predicate, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_signed_delivery_after_a_verified_handshake(receiver) -> None:
    handler, url = receiver
    pusher = WebhookPusher(retry_delays=(0.05,))
    pusher.subscribe(url, TOKEN)
    delivery = pusher.push("facebook", "page", {"id": "1111", "time": 1, "changes": [{"field": "feed", "value": {}}]})
    assert delivery is not None
    _wait(lambda: delivery.done)
    assert delivery.delivered and delivery.attempts == [200]
    assert len(handler.handshakes) == 1
    signature, body = handler.seen[0]
    secrets = [SANDBOX_CREDENTIALS["facebook"][1]]
    assert verify_meta_signature(signature, body, secrets)
    assert not verify_meta_signature(signature, body, [SANDBOX_CREDENTIALS["instagram"][1]])
    assert json.loads(body) == {
        "object": "page",
        "entry": [{"id": "1111", "time": 1, "changes": [{"field": "feed", "value": {}}]}],
    }


def test_a_failed_delivery_is_retried_until_accepted(receiver) -> None:
    handler, url = receiver
    handler.answers.extend([500, 503])
    pusher = WebhookPusher(retry_delays=(0.05, 0.05, 0.05))
    pusher.subscribe(url, TOKEN)
    delivery = pusher.push("instagram", "instagram", {"id": "17841", "time": 1, "messaging": []})
    assert delivery is not None
    _wait(lambda: delivery.done)
    assert delivery.attempts == [500, 503, 200] and delivery.delivered
    assert len({body for _, body in handler.seen}) == 1  # the same bytes each time


def test_a_wrong_verify_token_means_no_delivery(receiver) -> None:
    handler, url = receiver
    pusher = WebhookPusher(retry_delays=(0.05,))
    pusher.subscribe(url, "not-the-token")
    delivery = pusher.push("facebook", "page", {"id": "1111"})
    assert delivery is not None
    _wait(lambda: delivery.done)
    assert not delivery.delivered and delivery.attempts == [0, 0]
    assert handler.seen == []


def test_no_subscription_no_delivery() -> None:
    assert WebhookPusher().push("facebook", "page", {"id": "1111"}) is None
