"""The webhook route stack in a process of its own: the app's ``/webhooks/meta`` routes (the same
functions the Reflex app mounts in its api_transformer) served by uvicorn on one worker, against
the database the environment names. Run by ``benchmarks.webhooks.run``."""

from __future__ import annotations

import sys

import uvicorn
from starlette.applications import Starlette

from socializioz.web.webhook_routes import webhook_routes

app = Starlette(routes=webhook_routes())

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
