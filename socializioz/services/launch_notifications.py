"""'Notify me' for coming-soon platforms (spec: "You will be notified when they launch"): who asked,
per user and platform, and the operator's list of them (``python -m socializioz.cli notify-requests``).

Socializioz sends no e-mail itself; the operator reads the list when a platform launches. The
request is stored per user (not per workspace): it is a person who wants to hear.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from socializioz.db import session_scope
from socializioz.domain.platforms import PLATFORMS, Availability, Platform
from socializioz.models import NotifyRequest, User
from socializioz.services.errors import ValidationError


@dataclass(frozen=True)
class RequestRow:
    email: str
    name: str
    platform: str
    requested_at: datetime


def _coming_soon(platform: object) -> str:
    """The platform, when it is one that is coming soon; anything else is refused."""
    try:
        chosen = Platform(str(platform))
    except ValueError as exc:
        raise ValidationError("notify.not_coming_soon") from exc
    if PLATFORMS[chosen].availability is not Availability.COMING_SOON:
        raise ValidationError("notify.not_coming_soon")
    return chosen.value


def requested(user_id: int) -> list[str]:
    """The coming-soon platforms this user asked to hear about."""
    with session_scope() as db:
        rows = db.exec(select(NotifyRequest.platform).where(NotifyRequest.user_id == user_id)).all()
        return sorted(rows)


def ask(user_id: int, platform: object) -> None:
    """Record the request once (asking twice is harmless)."""
    chosen = _coming_soon(platform)
    try:
        with session_scope() as db:
            exists = db.exec(
                select(NotifyRequest.id).where(NotifyRequest.user_id == user_id, NotifyRequest.platform == chosen)
            ).first()
            if exists is None:
                db.add(NotifyRequest(user_id=user_id, platform=chosen))
    except IntegrityError:  # the same request from another tab at the same moment
        return


def withdraw(user_id: int, platform: object) -> None:
    """Undo: the user no longer wants to hear."""
    chosen = _coming_soon(platform)
    with session_scope() as db:
        for row in db.exec(
            select(NotifyRequest).where(NotifyRequest.user_id == user_id, NotifyRequest.platform == chosen)
        ).all():
            db.delete(row)


def all_requests() -> list[RequestRow]:
    """Every request, by platform then date: the operator's list."""
    with session_scope() as db:
        rows = db.exec(
            select(NotifyRequest, User)
            .join(User, col(User.id) == NotifyRequest.user_id)
            .order_by(col(NotifyRequest.platform), col(NotifyRequest.created_at))
        ).all()
        return [RequestRow(user.email, user.name, request.platform, request.created_at) for request, user in rows]
