"""The sandbox's side of Meta webhooks (reference/engagement.md §4): a subscribed callback gets
every simulated comment or message as Meta shapes and signs it, and a failed delivery is retried.

Meta verifies a callback once (GET ``hub.mode=subscribe`` with the verify token, expecting the
challenge back) and then POSTs ``{"object": ..., "entry": [...]}`` signed ``X-Hub-Signature-256:
sha256=<HMAC of the exact body under the app secret>``. The Facebook app signs Page and linked
Instagram events; the Instagram-Login app signs its own. Meta retries a failed delivery for hours;
the sandbox compresses that to ``RETRY_DELAYS`` real seconds.

Deliveries run on daemon threads with a synchronous client: the control API that triggers them runs
in a worker thread (``app.py``), where an event-loop task would not outlive the request. The
delivery log is per process and only for tests (``GET /_control/webhooks``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from ..endpoints import SANDBOX_CREDENTIALS

MetaApp = Literal["facebook", "instagram"]
RETRY_DELAYS = (0.5, 2.0, 5.0)  # after the first attempt; then the delivery is given up
TIMEOUT = 5.0


@dataclass
class Delivery:
    """One event's delivery: every attempt's HTTP status (0: no answer)."""

    id: str
    object: str
    body: bytes
    attempts: list[int] = field(default_factory=list)
    delivered: bool = False
    done: bool = False


def sign(body: bytes, app: MetaApp) -> str:
    """The ``X-Hub-Signature-256`` value the app ``app`` puts on ``body``."""
    secret = SANDBOX_CREDENTIALS[app][1]
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookPusher:
    """The subscription (callback URL and verify token) and the deliveries made to it."""

    def __init__(self, retry_delays: tuple[float, ...] = RETRY_DELAYS) -> None:
        self.callback_url: str | None = None
        self.verify_token = ""
        self.verified = False
        self.retry_delays = retry_delays
        self.deliveries: list[Delivery] = []
        self._lock = threading.Lock()

    def subscribe(self, callback_url: str, verify_token: str) -> None:
        """Remember the callback; it is verified (the handshake) before the first delivery."""
        with self._lock:
            self.callback_url, self.verify_token, self.verified = callback_url, verify_token, False

    def unsubscribe(self) -> None:
        with self._lock:
            self.callback_url, self.verified = None, False

    def _verify(self, client: httpx.Client) -> bool:
        if self.verified:
            return True
        challenge = secrets.token_hex(8)
        try:
            answer = client.get(
                self.callback_url or "",
                params={"hub.mode": "subscribe", "hub.verify_token": self.verify_token, "hub.challenge": challenge},
            )
        except httpx.HTTPError:
            return False
        self.verified = answer.status_code == 200 and answer.text == challenge
        return self.verified

    def push(self, app: MetaApp, object_type: str, entry: dict[str, Any]) -> Delivery | None:
        """Deliver one entry (``object_type`` "page" or "instagram") signed by ``app``; None when no
        callback is subscribed (the app then finds the event by polling)."""
        if not self.callback_url:
            return None
        body = json.dumps({"object": object_type, "entry": [entry]}, separators=(",", ":")).encode()
        delivery = Delivery(id=secrets.token_hex(6), object=object_type, body=body)
        with self._lock:
            self.deliveries.append(delivery)
            del self.deliveries[:-200]
        threading.Thread(target=self._deliver, args=(delivery, app), daemon=True).start()
        return delivery

    def _deliver(self, delivery: Delivery, app: MetaApp) -> None:
        headers = {"content-type": "application/json", "x-hub-signature-256": sign(delivery.body, app)}
        with httpx.Client(timeout=TIMEOUT) as client:
            for delay in (0.0, *self.retry_delays):
                time.sleep(delay)
                status = 0
                if self._verify(client):
                    try:
                        status = client.post(
                            self.callback_url or "", content=delivery.body, headers=headers
                        ).status_code
                    except httpx.HTTPError:
                        status = 0
                delivery.attempts.append(status)
                if 200 <= status < 300:
                    delivery.delivered = True
                    break
        delivery.done = True

    def report(self) -> dict[str, Any]:
        """The subscription and the last deliveries, for tests."""
        with self._lock:
            rows = list(self.deliveries)
        return {
            "callback_url": self.callback_url,
            "verified": self.verified,
            "deliveries": [
                {"id": d.id, "object": d.object, "attempts": d.attempts, "delivered": d.delivered, "done": d.done}
                for d in rows
            ],
        }
