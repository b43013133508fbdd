"""The sandbox as a process of its own: ``python -m socializioz.integrations.sandbox.server --port 8100``.

The sandbox keeps its state in memory, so with several backend workers it must not be mounted in
each of them; run it once here and point ``SOCIALIZIOZ_PROVIDERS_SANDBOX_BASE_URL`` at it.
"""

from __future__ import annotations

import argparse

import uvicorn

from socializioz.settings import get_settings

from .app import build_sandbox_app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    args = parser.parse_args()
    app = build_sandbox_app(control_enabled=get_settings().sandbox_control_enabled)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
