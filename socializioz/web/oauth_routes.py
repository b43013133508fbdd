"""``GET /oauth/callback/{platform}``: the one redirect URI per platform.

The code is exchanged here, on the server, exactly once; the browser is then sent to a clean
result URL that carries no code and no state (DESIGN principle 4).
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from socializioz.db import session_scope
from socializioz.pages import routes
from socializioz.services import auth, connect


def oauth_routes() -> list[Route]:
    return [Route("/oauth/callback/{platform}", oauth_callback, methods=["GET"])]


def _session_user_id(raw_token: str) -> int | None:
    with session_scope() as db:
        user = auth.user_for_session(db, raw_token) if raw_token else None
        return user.id if user else None


async def oauth_callback(request: Request) -> Response:
    platform = request.path_params["platform"]
    user_id = await run_in_threadpool(_session_user_id, request.cookies.get(auth.SESSION_COOKIE, ""))
    outcome = await connect.complete_flow(platform, dict(request.query_params), user_id)
    result = outcome.result
    if result["status"] == "error":
        # Errors travel in the URL (the spec shows the raw code there); no flow lookup needed.
        query = {"error": result["code"], "platform": platform, **{k: v for k, v in result.get("params", {}).items() if v}}
        if result.get("intent") == "onboarding":
            query["intent"] = "onboarding"
    else:
        query = {"flow": outcome.flow_id}
    return RedirectResponse(f"{routes.OAUTH_RESULT}?{urlencode(query)}", status_code=303, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})
