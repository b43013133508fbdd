"""``POST /auth/session`` trades a one-time sign-in ticket for the HttpOnly session cookie;
``POST /auth/sign-out`` ends the session. The Reflex UI calls both with ``fetch``.

A JSON body is required for the ticket, and both routes refuse other origins with 403 (finding
3): a page elsewhere — same-site ones included — can neither sign a visitor in to the attacker's
account (login CSRF) nor sign her out.
"""

from __future__ import annotations

from json import JSONDecodeError

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from socializioz.db import session_scope
from socializioz.services import auth
from socializioz.settings import get_settings
from socializioz.web.origin_guard import is_same_origin

_NO_STORE = {"Cache-Control": "no-store"}


def auth_routes() -> list[Route]:
    return [
        Route("/auth/session", open_session, methods=["POST"]),
        Route("/auth/sign-out", sign_out, methods=["POST"]),
    ]


async def open_session(request: Request) -> Response:
    if not is_same_origin(request):
        return Response(status_code=403, headers=_NO_STORE)
    ticket = await _ticket_from(request)
    token = await run_in_threadpool(_redeem, ticket) if ticket else None
    if token is None:
        return Response(status_code=400, headers=_NO_STORE)
    response = Response(status_code=204, headers=_NO_STORE)
    settings = get_settings()
    response.set_cookie(
        auth.SESSION_COOKIE,
        token,
        max_age=settings.session_max_age_days * 24 * 3600,
        path="/",
        secure=_secure(),
        httponly=True,
        samesite="lax",
    )
    return response


async def sign_out(request: Request) -> Response:
    if not is_same_origin(request):
        return Response(status_code=403, headers=_NO_STORE)
    token = request.cookies.get(auth.SESSION_COOKIE, "")
    if token:
        await run_in_threadpool(_end, token)
    response = Response(status_code=204, headers=_NO_STORE)
    response.delete_cookie(auth.SESSION_COOKIE, path="/", secure=_secure(), httponly=True, samesite="lax")
    return response


async def _ticket_from(request: Request) -> str:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return ""
    try:
        body = await request.json()
    except (JSONDecodeError, UnicodeDecodeError):
        return ""
    ticket = body.get("ticket") if isinstance(body, dict) else None
    return ticket if isinstance(ticket, str) else ""


def _secure() -> bool:
    return get_settings().public_base_url.startswith("https://")


def _redeem(ticket: str) -> str | None:
    with session_scope() as db:
        return auth.redeem_sign_in_ticket(db, ticket)


def _end(token: str) -> None:
    with session_scope() as db:
        auth.end_session(db, token)
