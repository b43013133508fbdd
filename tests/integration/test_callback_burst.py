"""200 OAuth callbacks at once on one server: every one completes, and the event loop stays free.

Before the fix, the 16th concurrent callback waited for a database connection on the event loop
(each callback held one across its provider calls), freezing the server for the 30 s pool
timeout: /ping took ~30 s and no account was created.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

from benchmarks.oauth_callbacks import burst
from socializioz.integrations.config import get_provider_settings
from socializioz.integrations.sandbox import build_sandbox_app
from socializioz.settings import get_settings
from socializioz.web.oauth_routes import oauth_routes

N = 200
BLOCKED_PING_S = 10.0  # generous: the old code froze the loop for the 30 s pool timeout; a free loop
# under this burst (client and server share one process and 2 busy cores) answers within a few seconds


async def _ping(_request):
    return PlainTextResponse("pong")


@pytest.fixture
def server(monkeypatch, schema):
    """The callback route, the sandbox and /ping served by one uvicorn worker over real HTTP."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("SOCIALIZIOZ_PUBLIC_BASE_URL", base)
    monkeypatch.setenv("SOCIALIZIOZ_PROVIDERS_SANDBOX_BASE_URL", base + "/sandbox")
    get_settings.cache_clear()
    get_provider_settings.cache_clear()
    sandbox = build_sandbox_app()
    app = Starlette(routes=[Route("/ping", _ping), *oauth_routes(), Mount("/sandbox", app=sandbox)])
    # Keep-alive longer than the burst: uvicorn closes a connection idle for 5 s, and on a loaded
    # machine the client can reuse one in that very moment (httpx.ReadError), a harness race.
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", backlog=4096, timeout_keep_alive=300)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield base, sandbox.state.sandbox
    server.should_exit = True
    thread.join(timeout=10)
    get_provider_settings.cache_clear()


async def test_200_concurrent_callbacks_create_200_accounts_without_blocking_the_loop(server):
    base, sandbox_state = server
    result = await burst.fire(base, sandbox_state, N)
    summary = result.summary()
    assert result.ok == N, summary
    assert result.accounts == result.distinct_accounts == N, summary
    assert max(result.ping_s) < BLOCKED_PING_S, summary
