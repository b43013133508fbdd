"""A raw Reflex websocket client for attack tests: any tab token, cookie, Origin, event name and
payload, exactly as a hostile script could send them (no browser rules apply).

Reflex speaks Socket.IO v5 over Engine.IO v4 on ``/_event``; only the websocket transport is
served. This client does the handshake by hand over ``simple_websocket`` (already installed
with python-engineio), answers the server's pings, and collects every state delta it receives.

    with RawSocket(app.base_url, token=uuid4().hex, cookie=session) as sock:
        sock.hydrate("/connections")
        frames = sock.collect(seconds=2)
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from typing import Any

import simple_websocket

NAMESPACE = "/_event"
ROOT_STATE = "reflex___state____state"


def tab_token() -> str:
    """A token in the format the frontend generates (a version 4 UUID)."""
    return str(uuid.uuid4())


def handler_name(state_cls: type, handler: str) -> str:
    """The wire name of ``state_cls.handler`` (what the frontend sends)."""
    return f"{state_cls.get_full_name()}.{handler}"


class SocketRefused(Exception):
    """The server refused the websocket upgrade or the namespace connect."""


class RawSocket:
    """One Socket.IO connection to the app's event namespace, driven by hand."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        cookie: str | None = None,
        origin: str | None = None,
        timeout: float = 30.0,
        extra_headers: dict[str, str] | None = None,
    ):
        self.token = token if token is not None else tab_token()
        self.timeout = timeout
        headers = {"Origin": origin if origin is not None else base_url}
        if cookie:
            headers["Cookie"] = f"sz_session={cookie}"
        headers.update(extra_headers or {})
        url = base_url.replace("http", "ws", 1) + f"{NAMESPACE}/?EIO=4&transport=websocket&token={self.token}"
        try:
            self.ws = simple_websocket.Client.connect(url, headers=headers)
        except (simple_websocket.ConnectionError, ConnectionError, OSError) as error:
            raise SocketRefused(str(error)) from error
        self.frames: list[Any] = []  # every "event" payload received, in order
        self.raw: list[str] = []  # every packet received, in order
        self.closed = False
        self._lock = threading.Lock()
        opening = self._receive_packet(timeout)
        if opening is None or not opening.startswith("0"):
            self.close()
            raise SocketRefused(f"no Engine.IO open packet: {opening!r}")
        self._reader = threading.Thread(target=self._read_forever, daemon=True)
        self._connected = threading.Event()
        self._refused: str | None = None
        self._reader.start()

    # -- protocol ---------------------------------------------------------------------------------

    def connect(self, boot_event: dict | None = None) -> None:
        """The namespace CONNECT packet; ``boot_event`` rides in its auth as the frontend does."""
        auth = {"event": boot_event} if boot_event else {}
        self._send("40" + NAMESPACE + "," + json.dumps(auth))
        if not self._connected.wait(self.timeout):
            raise SocketRefused(self._refused or "no namespace connect acknowledgement")
        if self._refused:
            raise SocketRefused(self._refused)

    def emit(
        self, name: str, payload: dict | None = None, path: str = "/connections", query: dict | None = None
    ) -> None:
        """Send one event, as ``socket.emit("event", ...)`` does in the frontend."""
        self._send("42" + NAMESPACE + "," + json.dumps(["event", self.event(name, payload, path, query)]))

    def send_text(self, text: str) -> None:
        """A raw packet, for malformed or oversized input."""
        self._send(text)

    @staticmethod
    def event(name: str, payload: dict | None = None, path: str = "/connections", query: dict | None = None) -> dict:
        router_data: dict[str, Any] = {"pathname": path, "asPath": path}
        if query:
            router_data["query"] = query
        return {"name": name, "payload": payload or {}, "router_data": router_data}

    def hydrate(self, path: str = "/connections", query: dict | None = None) -> None:
        """Connect with the hydrate-and-load boot event, as a page load does."""
        self.connect(self.event(f"{ROOT_STATE}.hydrate_and_load", {}, path, query))

    # -- reading ----------------------------------------------------------------------------------

    def wait_hydrated(self, timeout: float | None = None) -> bool:
        """Wait until the page's load events have run (the server sets ``is_hydrated`` last)."""
        return (
            self.wait_for(
                lambda f: (
                    isinstance(f, dict) and f.get("delta", {}).get(ROOT_STATE, {}).get("is_hydrated_rx_state_") is True
                ),
                timeout,
            )
            is not None
        )

    def collect(self, seconds: float) -> list[Any]:
        """Wait ``seconds`` and return the event payloads received so far."""
        time.sleep(seconds)
        with self._lock:
            return list(self.frames)

    def wait_for(self, predicate, timeout: float | None = None) -> Any:
        """The first received payload that satisfies ``predicate``, or ``None`` after ``timeout``."""
        deadline = time.monotonic() + (timeout if timeout is not None else self.timeout)
        while time.monotonic() < deadline:
            with self._lock:
                for frame in self.frames:
                    if predicate(frame):
                        return frame
            if self.closed:
                return None
            time.sleep(0.05)
        return None

    def text(self) -> str:
        """Everything received, as one string (for "does X appear anywhere" checks)."""
        with self._lock:
            return "\n".join(self.raw)

    def deltas(self) -> list[dict]:
        """The state deltas received (``{"delta": {...}}`` of each update)."""
        with self._lock:
            return [f.get("delta", {}) for f in self.frames if isinstance(f, dict)]

    def close(self) -> None:
        self.closed = True
        with contextlib.suppress(Exception):  # already closed by the server
            self.ws.close()

    def __enter__(self) -> RawSocket:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # -- internals --------------------------------------------------------------------------------

    def _send(self, packet: str) -> None:
        self.ws.send(packet)

    def _receive_packet(self, timeout: float | None) -> str | None:
        try:
            data = self.ws.receive(timeout=timeout)
        except simple_websocket.ConnectionClosed:
            self.closed = True
            return None
        return data.decode() if isinstance(data, bytes) else data

    def _read_forever(self) -> None:
        while not self.closed:
            packet = self._receive_packet(timeout=0.5)
            if packet is None:
                if self.closed:
                    break
                continue
            with self._lock:
                self.raw.append(packet)
            if packet == "2":  # Engine.IO ping
                try:
                    self._send("3")
                except Exception:  # noqa: BLE001
                    self.closed = True
                continue
            if packet.startswith("40"):
                self._connected.set()
            elif packet.startswith("44"):  # CONNECT_ERROR
                self._refused = packet
                self._connected.set()
            elif packet.startswith("41"):  # DISCONNECT
                self.closed = True
                self._connected.set()
            elif packet.startswith("42"):
                body = packet[2:]
                if body.startswith(NAMESPACE):
                    body = body[len(NAMESPACE) + 1 :]
                try:
                    name, *args = json.loads(body)
                except (ValueError, TypeError):
                    continue
                if name == "event" and args:
                    with self._lock:
                        self.frames.append(args[0])
        self._connected.set()
