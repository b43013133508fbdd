"""Benchmark: N concurrent sandbox consents + OAuth callbacks on one server process (SQLite).

    .venv/bin/python -m benchmarks.oauth_callbacks.run              # N = 15 50 200
    .venv/bin/python -m benchmarks.oauth_callbacks.run --n 500

One uvicorn worker serves the callback route, the sandbox and /ping (as the single-port app
does); the burst itself is ``burst.fire`` (shared with the regression test). Per N, one JSON
line: callback p50/p95 against the bound "sandbox exchange latency (p50, unloaded, same run) +
250 ms", accounts created (must be N, distinct) and the worst /ping.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import tempfile
import threading
import time

import uvicorn
from sqlmodel import SQLModel
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, nargs="+", default=[15, 50, 200])
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="sz-bench-")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    os.environ.update(SOCIALIZIOZ_DATA_DIR=folder, SOCIALIZIOZ_PUBLIC_BASE_URL=base,
                      SOCIALIZIOZ_PROVIDERS_SANDBOX_BASE_URL=base + "/sandbox")
    from socializioz import db as database
    from socializioz.integrations.sandbox import build_sandbox_app
    from socializioz.web.oauth_routes import oauth_routes

    from . import burst

    SQLModel.metadata.create_all(database.engine())
    sandbox = build_sandbox_app()

    async def ping(_request):
        return PlainTextResponse("pong")

    app = Starlette(routes=[Route("/ping", ping), *oauth_routes(), Mount("/sandbox", app=sandbox)])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", backlog=4096))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)

    async def run() -> None:
        exchange = statistics.median(await burst.sandbox_exchange_latency(sandbox.state.sandbox))
        bound = exchange + 0.250
        for n in args.n:
            summary = (await burst.fire(base, sandbox.state.sandbox, n)).summary()
            summary.update(exchange_ms=round(exchange * 1000, 1), bound_ms=round(bound * 1000, 1),
                           p50_ratio=round(summary["callback_p50_ms"] / (bound * 1000), 2),
                           p95_ratio=round(summary["callback_p95_ms"] / (bound * 1000), 2))
            print(json.dumps(summary), flush=True)

    asyncio.run(run())
    server.should_exit = True


if __name__ == "__main__":
    main()
