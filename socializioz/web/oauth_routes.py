"""``GET /oauth/callback/{platform}``: the one redirect URI per platform.

The code is exchanged here, on the server, exactly once; the browser is then sent to a clean
result URL that carries no code and no state (docs/architecture.md, "OAuth"), and no free text either: an
error travels as a catalogue code plus the flow id, and the page reads any names (the account
you signed in as, the one expected) from the flow row (pen-test finding 10).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from socializioz import routes
from socializioz.db import run_db, session_scope
from socializioz.domain.connect_rules import Intent
from socializioz.domain.platforms import Platform
from socializioz.services import auth, connect
from socializioz.services.oauth_flows import FlowOutcome

log = logging.getLogger(__name__)
CODE = re.compile(r"[A-Za-z0-9_.]{1,64}")  # catalogue codes (TikTok's pass-through ones included)
PLATFORMS = frozenset(p.value for p in Platform)


def oauth_routes() -> list[Route]:
    return [Route("/oauth/callback/{platform}", oauth_callback, methods=["GET"])]


def _session_user_id(raw_token: str) -> int | None:
    with session_scope() as db:
        user = auth.user_for_session(db, raw_token) if raw_token else None
        return user.id if user else None


async def oauth_callback(request: Request) -> Response:
    platform = request.path_params["platform"]
    try:
        user_id = await run_db(_session_user_id, request.cookies.get(auth.SESSION_COOKIE, ""))
        outcome = await connect.complete_flow(platform, dict(request.query_params), user_id)
    except Exception:  # never a 500 page mid-OAuth: say "start again" instead
        log.exception("oauth callback failed")
        outcome = connect.CallbackOutcome(None, FlowOutcome.error(platform, connect.SERVER_SIDE_FAILURE))
    return RedirectResponse(
        f"{routes.OAUTH_RESULT}?{urlencode(result_query(platform, outcome))}",
        status_code=303,
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


def result_query(platform: str, outcome: connect.CallbackOutcome) -> dict:
    """Only codes and ids: ``error`` (a catalogue code), ``platform``, ``flow`` and ``intent``."""
    result = outcome.result
    if not result.failed:
        return {"flow": outcome.flow_id}
    code = result.code if CODE.fullmatch(result.code) else connect.SERVER_SIDE_FAILURE
    query: dict[str, object] = {"error": code}
    if platform in PLATFORMS:  # the path segment is the caller's text
        query["platform"] = platform
    if outcome.flow_id is not None:
        query["flow"] = outcome.flow_id
    if result.intent is Intent.ONBOARDING:
        query["intent"] = Intent.ONBOARDING.value
    return query
