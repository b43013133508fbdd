"""The sandbox as a process of its own: ``python -m socializioz.integrations.sandbox.server --port 8100``.

Not needed for several workers (the mounted sandbox keeps its state in the app's database); useful
to run the sandbox on another host or port. It uses the same database (run ``cli migrate`` first),
so it and any mounted copy agree. Point ``SOCIALIZIOZ_PROVIDERS_SANDBOX_BASE_URL`` at it.
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
    settings = get_settings()
    app = build_sandbox_app(control_enabled=settings.sandbox_control_enabled, public_base_url=settings.public_base_url)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
