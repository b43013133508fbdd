"""The sign-in and sign-up forms' server side: check the form, then issue the one-time ticket the
browser trades for the HttpOnly cookie at ``POST /auth/session`` (a websocket event cannot set one).

Each call is its own unit of work and runs in a worker thread: argon2 and the database must never
run on the event loop, or one hostile form stalls every user (pen-test finding 2).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from socializioz.db import session_scope
from socializioz.models import User
from socializioz.services import auth
from socializioz.services.errors import ServiceError

BrowserForm = dict[str, Any]
"""A form's fields as the browser sent them: unchecked, so values may be of any JSON type."""


def _sign_in(db: Session, form: BrowserForm, client_ip: str) -> User:
    return auth.check_sign_in(db, form.get("email", ""), form.get("password", ""), client_ip=client_ip)


def _sign_up(db: Session, form: BrowserForm, client_ip: str, start_onboarding: bool = False) -> User:
    return auth.register(
        db,
        form.get("email", ""),
        form.get("name", ""),
        form.get("password", ""),
        client_ip=client_ip,
        start_onboarding=start_onboarding,
    )


def _sign_up_into_wizard(db: Session, form: BrowserForm, client_ip: str) -> User:
    return _sign_up(db, form, client_ip, start_onboarding=True)


def _checked_ticket(
    check: Callable[[Session, BrowserForm, str], User], form: object, client_ip: str
) -> tuple[str, str]:
    """(ticket, "") or ("", error key)."""
    if not isinstance(form, dict):
        return "", "auth.invalid_email"
    with session_scope() as db:
        try:
            user = check(db, form, client_ip)
        except ServiceError as error:
            return "", error.code
        return auth.issue_sign_in_ticket(db, user), ""


def sign_in_ticket(form: object, client_ip: str) -> tuple[str, str]:
    return _checked_ticket(_sign_in, form, client_ip)


def sign_up_ticket(form: object, client_ip: str, *, start_onboarding: bool = False) -> tuple[str, str]:
    """``start_onboarding``: a plain sign-up (no invitation to go back to) opens the set-up wizard."""
    return _checked_ticket(_sign_up_into_wizard if start_onboarding else _sign_up, form, client_ip)
