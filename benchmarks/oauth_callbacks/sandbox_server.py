"""The provider sandbox in a process of its own, with ``--personas`` extra X personas
(``x-burst-b-0`` … as ``burst.add_personas`` names them), for bursts against a separate app process.

    python -m benchmarks.oauth_callbacks.sandbox_server --port 8199 --personas 2000
"""

from __future__ import annotations

import argparse

import uvicorn

from socializioz.integrations.sandbox import build_sandbox_app

from .burst import add_personas

TAG = "b"


def persona_ids(start: int, count: int) -> list[str]:
    return [f"x-burst-{TAG}-{i}" for i in range(start, start + count)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--personas", type=int, default=2000)
    args = parser.parse_args()
    app = build_sandbox_app(control_enabled=True)
    add_personas(app.state.sandbox, args.personas, TAG)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", backlog=4096)


if __name__ == "__main__":
    main()
