"""An asyncio variant of ``tests/e2e/ws_client.RawSocket`` for many simultaneous tabs in one
process: Engine.IO v4 / Socket.IO v5 on ``/_event`` over a plain asyncio stream and ``wsproto``.

Every received ``event`` payload goes to ``frames`` as ``(arrival perf_counter, payload)``.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Ping, RejectConnection, Request, TextMessage

NAMESPACE = "/_event"
ROOT_STATE = "reflex___state____state"


class Refused(Exception):
    pass


class AsyncSocket:
    def __init__(self) -> None:
        self.frames: asyncio.Queue[tuple[float, Any]] = asyncio.Queue()
        self.connected = asyncio.Event()
        self.closed = False
        self.refused: str | None = None
        self.bytes_in = 0
        self.largest_frame = 0

    @classmethod
    async def open(
        cls, host: str, port: int, cookie: str, token: str | None = None, timeout: float = 30
    ) -> AsyncSocket:
        self = cls()
        self.token = token or str(uuid.uuid4())
        self.reader, self.writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        self.ws = WSConnection(ConnectionType.CLIENT)
        origin = f"http://{host}:{port}"
        self.writer.write(
            self.ws.send(
                Request(
                    host=f"{host}:{port}",
                    target=f"{NAMESPACE}/?EIO=4&transport=websocket&token={self.token}",
                    extra_headers=[(b"origin", origin.encode()), (b"cookie", f"sz_session={cookie}".encode())],
                )
            )
        )
        self._opened = asyncio.get_running_loop().create_future()
        self._task = asyncio.create_task(self._read())
        await asyncio.wait_for(self._opened, timeout)
        return self

    def event(self, name: str, payload: dict | None = None, path: str = "/connections") -> dict:
        return {"name": name, "payload": payload or {}, "router_data": {"pathname": path, "asPath": path}}

    async def hydrate(self, path: str = "/connections", timeout: float = 30) -> float:
        """Connect with the hydrate-and-load boot event; seconds until ``is_hydrated`` arrives."""
        began = time.perf_counter()
        self._send(
            "40" + NAMESPACE + "," + json.dumps({"event": self.event(f"{ROOT_STATE}.hydrate_and_load", {}, path)})
        )
        await asyncio.wait_for(self.connected.wait(), timeout)
        if self.refused:
            raise Refused(self.refused)
        deadline = began + timeout
        while True:
            at, frame = await asyncio.wait_for(self.frames.get(), max(0.01, deadline - time.perf_counter()))
            if (
                isinstance(frame, dict)
                and frame.get("delta", {}).get(ROOT_STATE, {}).get("is_hydrated_rx_state_") is True
            ):
                return at - began

    def emit(self, name: str, payload: dict | None = None, path: str = "/connections") -> None:
        self._send("42" + NAMESPACE + "," + json.dumps(["event", self.event(name, payload, path)]))

    def drain(self) -> list[tuple[float, Any]]:
        out = []
        while not self.frames.empty():
            out.append(self.frames.get_nowait())
        return out

    async def close(self) -> None:
        self.closed = True
        try:
            self.writer.write(self.ws.send(CloseConnection(code=1000)))
            await self.writer.drain()
        except Exception:  # noqa: BLE001 - already gone
            pass
        self.writer.close()
        self._task.cancel()

    # -- internals --------------------------------------------------------------------------------

    def _send(self, text: str) -> None:
        self.writer.write(self.ws.send(TextMessage(data=text)))

    async def _read(self) -> None:
        parts: list[str] = []
        try:
            while not self.closed:
                data = await self.reader.read(65536)
                if not data:
                    break
                self.bytes_in += len(data)
                self.ws.receive_data(data)
                for ev in self.ws.events():
                    if isinstance(ev, AcceptConnection):
                        pass
                    elif isinstance(ev, RejectConnection):
                        self._fail(f"rejected: {ev.status_code}")
                    elif isinstance(ev, Ping):
                        self.writer.write(self.ws.send(ev.response()))
                    elif isinstance(ev, CloseConnection):
                        self.closed = True
                    elif isinstance(ev, TextMessage):
                        parts.append(ev.data)
                        if ev.message_finished:
                            self._packet("".join(parts))
                            parts = []
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self.closed = True
            self._fail("closed")
            self.connected.set()

    def _fail(self, why: str) -> None:
        if not self._opened.done():
            self._opened.set_exception(Refused(why))

    def _packet(self, packet: str) -> None:
        now = time.perf_counter()
        self.largest_frame = max(self.largest_frame, len(packet))
        if packet.startswith("0"):
            if not self._opened.done():
                self._opened.set_result(None)
        elif packet == "2":
            self._send("3")
        elif packet.startswith("40"):
            self.connected.set()
        elif packet.startswith("44"):
            self.refused = packet
            self.connected.set()
        elif packet.startswith("41"):
            self.closed = True
        elif packet.startswith("42"):
            body = packet[2:]
            if body.startswith(NAMESPACE):
                body = body[len(NAMESPACE) + 1 :]
            try:
                name, *args = json.loads(body)
            except (ValueError, TypeError):
                return
            if name == "event" and args:
                self.frames.put_nowait((now, args[0]))
