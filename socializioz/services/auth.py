"""Sign-up, sign-in and server-side sessions.

Sign-in happens in two steps because Reflex handlers talk over a websocket and cannot set an
HttpOnly cookie: the handler checks the password and issues a one-time ticket (60 s), and the
browser trades it at ``POST /auth/session`` for the session cookie. Only hashes of tickets and
session tokens are stored.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from socializioz.domain import onboarding
from socializioz.models import SignInTicket, User, UserSession, utcnow
from socializioz.security import input_limits, passwords, rate_limit
from socializioz.security.input_limits import MAX_EMAIL, MAX_NAME, MAX_PASSWORD
from socializioz.security.tokens import hash_token, new_token
from socializioz.services.errors import AuthError
from socializioz.services.input_caps import capped
from socializioz.services.persisted import saved_id
from socializioz.services.workspaces import create_workspace
from socializioz.settings import get_settings

SESSION_COOKIE = "sz_session"
TICKET_LIFETIME = timedelta(seconds=60)
MIN_PASSWORD_LENGTH = 10


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _capped_credentials(email: object, password: object) -> tuple[str, str]:
    """Length caps first (finding 2): nothing longer reaches a parser or argon2."""
    email = capped(email, MAX_EMAIL + 64, "auth.email_too_long")  # room for surrounding spaces
    password = capped(password, MAX_PASSWORD, "auth.password_too_long")
    return normalise_email(email), password


def _validated(email: object, name: object, password: object) -> tuple[str, str, str]:
    """The sign-up fields, capped, trimmed and checked, or AuthError/ValidationError."""
    email, password = _capped_credentials(email, password)
    name = capped(name, MAX_NAME, "auth.name_too_long").strip()
    if not input_limits.is_valid_email(email):
        raise AuthError("auth.invalid_email")
    if not name:
        raise AuthError("auth.name_required")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError("auth.weak_password", min_length=MIN_PASSWORD_LENGTH)
    return email, name, password


def sign_up(db: Session, email: str, name: str, password: str, *, start_onboarding: bool = False) -> User:
    """A new user with a personal Free workspace they own and start in; ``start_onboarding`` (the
    sign-up form without an invitation) puts them at step 1 of the set-up wizard.

    A taken e-mail gets the neutral ``auth.sign_up_refused`` (see ``register``), never "taken".
    """
    email, name, password = _validated(email, name, password)
    if db.exec(select(User.id).where(User.email == email)).first() is not None:
        raise AuthError("auth.sign_up_refused")
    user = User(
        email=email,
        name=name,
        password_hash=passwords.hash_password(password),
        onboarding_step=onboarding.WORKSPACE if start_onboarding else onboarding.FINISHED,
    )
    db.add(user)
    try:
        db.flush()
    except IntegrityError as exc:  # a concurrent sign-up took the email
        raise AuthError("auth.sign_up_refused") from exc
    create_workspace(db, user, name)
    return user


def register(
    db: Session,
    email: str,
    name: str,
    password: str,
    client_ip: str = "",
    now: datetime | None = None,
    *,
    start_onboarding: bool = False,
) -> User:
    """The sign-up form: throttled per IP, and silent about which e-mails have accounts.

    Input mistakes are answered before the throttle counts anything. For a registered e-mail the
    form counts as a (throttled) sign-in: the right password signs the owner in, anything else
    gets the same neutral message as any refused sign-up.
    """
    now = now or utcnow()
    _validated(email, name, password)
    if not rate_limit.register_sign_up(db, client_ip, now):
        raise AuthError("auth.sign_up_rate_limited")
    try:
        return sign_up(db, email, name, password, start_onboarding=start_onboarding)
    except AuthError as error:
        if error.code != "auth.sign_up_refused":
            raise
    db.rollback()
    try:
        return check_sign_in(db, email, password, client_ip, now)
    except AuthError as error:
        raise AuthError("auth.sign_up_refused") from error


def check_sign_in(db: Session, email: str, password: str, client_ip: str = "", now: datetime | None = None) -> User:
    """The user for these credentials; one message for a wrong password and an unknown email.

    The attempt is committed before the password is checked (see ``rate_limit``), so ``db``
    should hold no other pending changes when this is called.
    """
    now = now or utcnow()
    email, password = _capped_credentials(email, password)
    if rate_limit.register_attempt(db, email, client_ip, now) is None:
        raise AuthError("auth.rate_limited")
    user = db.exec(select(User).where(User.email == email)).first()
    if user is None:
        passwords.burn_verify(password)
        raise AuthError("auth.invalid_credentials")
    valid, upgraded_hash = passwords.verify_password(password, user.password_hash)
    if not valid:
        raise AuthError("auth.invalid_credentials")
    if upgraded_hash:
        user.password_hash = upgraded_hash
        db.add(user)
    rate_limit.clear_pair(db, email, client_ip)
    return user


def issue_sign_in_ticket(db: Session, user: User, now: datetime | None = None) -> str:
    """A raw one-time ticket for ``POST /auth/session``; only its hash is stored."""
    raw = new_token()
    db.add(
        SignInTicket(
            ticket_hash=hash_token(raw), user_id=saved_id(user), expires_at=(now or utcnow()) + TICKET_LIFETIME
        )
    )
    db.flush()
    return raw


def redeem_sign_in_ticket(db: Session, raw_ticket: str, now: datetime | None = None) -> str | None:
    """Consume the ticket and open a session; ``None`` if unknown, used or expired.

    The DELETE's row count decides: of two concurrent redemptions only one deletes the row.
    """
    now = now or utcnow()
    ticket = db.exec(select(SignInTicket).where(SignInTicket.ticket_hash == hash_token(raw_ticket))).first()
    if ticket is None:
        return None
    deleted = db.exec(sa.delete(SignInTicket).where(col(SignInTicket.id) == ticket.id)).rowcount
    if deleted != 1 or ticket.expires_at <= now:
        return None
    raw_session = new_token()
    max_age = timedelta(days=get_settings().session_max_age_days)
    db.add(
        UserSession(
            token_hash=hash_token(raw_session), user_id=ticket.user_id, created_at=now, expires_at=now + max_age
        )
    )
    db.flush()
    return raw_session


def user_for_session(db: Session, raw_session_token: str, now: datetime | None = None) -> User | None:
    """The signed-in user for a cookie value, or ``None`` if missing or expired."""
    if not raw_session_token:
        return None
    query = (
        select(User)
        .join(UserSession, col(UserSession.user_id) == User.id)
        .where(UserSession.token_hash == hash_token(raw_session_token), col(UserSession.expires_at) > (now or utcnow()))
    )
    return db.exec(query).first()


def end_session(db: Session, raw_session_token: str) -> None:
    if raw_session_token:
        db.exec(sa.delete(UserSession).where(col(UserSession.token_hash) == hash_token(raw_session_token)))
