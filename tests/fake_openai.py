"""A small OpenAI-compatible chat server for tests: ``POST /v1/chat/completions`` on a free local
port, answering with scripted replies (content, HTTP status, delay) and recording every request
(its JSON body and headers) so a test can check what the app sent to the model.

Started by the integration tests and by the browser suite's session (tests/e2e/conftest.py).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Scripted:
    content: str | None = None
    status: int = 200
    delay: float = 0.0


@dataclass
class Recorded:
    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def system(self) -> str:
        return next(m["content"] for m in self.body["messages"] if m["role"] == "system")

    @property
    def question(self) -> str:
        return self.body["messages"][-1]["content"]

    def text(self) -> str:
        return json.dumps(self.body, ensure_ascii=False)


@dataclass
class FakeChatServer:
    requests: list[Recorded] = field(default_factory=list)
    replies: deque[Scripted] = field(default_factory=deque)
    _server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def reply(self, content: str | dict | None = None, *, status: int = 200, delay: float = 0.0) -> None:
        """Script the next reply (a dict is sent as its JSON text, as a model following the prompt would)."""
        text = json.dumps(content, ensure_ascii=False) if isinstance(content, dict) else content
        self.replies.append(Scripted(text, status, delay))

    def reset(self) -> None:
        self.requests.clear()
        self.replies.clear()

    def _next(self, body: dict[str, Any]) -> Scripted:
        if self.replies:
            return self.replies.popleft()
        question = body["messages"][-1]["content"] if body.get("messages") else ""
        return Scripted(json.dumps({"answer": f"[fake model] {question}", "action": None}))

    def start(self) -> FakeChatServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
                    return
                fake.requests.append(Recorded(body, {k.lower(): v for k, v in self.headers.items()}))
                scripted = fake._next(body)
                if scripted.delay:
                    time.sleep(scripted.delay)
                if scripted.status != 200:
                    self._send(scripted.status, {"error": {"message": "scripted failure", "type": "server_error"}})
                    return
                self._send(
                    200,
                    {
                        "id": "chatcmpl-fake",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": body.get("model", ""),
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": scripted.content},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    },
                )

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                    pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
