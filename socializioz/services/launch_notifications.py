"""'Notify me' for coming-soon platforms (spec: "You will be notified when they launch"): who asked,
per user and platform; the in-app launch notice once the platform has launched; and the operator's
list with each request's delivery state (``python -m socializioz.cli notify-requests``).

Socializioz sends no e-mail: the notice is shown on the Connections page, to the person who asked,
in whichever of their workspaces they open (``domain.launch_notices`` decides which are due). It is
delivered when they dismiss it or use its Connect action (``notified_at``), not merely when shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from socializioz.db import session_scope
from socializioz.domain.launch_notices import Delivery, Request, delivery, due_platforms, launched
from socializioz.domain.platforms import PLATFORMS, Availability, Platform
from socializioz.models import NotifyRequest, User, utcnow
from socializioz.services.errors import ValidationError


@dataclass(frozen=True)
class RequestRow:
    email: str
    name: str
    platform: str
    requested_at: datetime
    notified_at: datetime | None = None

    @property
    def delivery(self) -> Delivery:
        return delivery(self.platform, self.notified_at)


def _coming_soon(platform: object) -> str:
    """The platform, when it is one that is coming soon; anything else is refused."""
    try:
        chosen = Platform(str(platform))
    except ValueError as exc:
        raise ValidationError("notify.not_coming_soon") from exc
    if PLATFORMS[chosen].availability is not Availability.COMING_SOON:
        raise ValidationError("notify.not_coming_soon")
    return chosen.value


@dataclass(frozen=True)
class UserRequests:
    """A user's requests as the Connections page shows them, from one read."""

    asked: list[str]  # coming-soon platforms they asked to hear about ("Notify me" is on)
    due: list[str]  # launched platforms they asked about and have not been notified of


def of_user(user_id: int) -> UserRequests:
    """Both lists of the Connections page for ``user_id``: the coming-soon platforms asked about
    (sorted), and the launched ones due a notice (in the catalogue's order)."""
    with session_scope() as db:
        rows = db.exec(
            select(NotifyRequest.platform, NotifyRequest.notified_at).where(NotifyRequest.user_id == user_id)
        ).all()
    requests = [Request(user_id, platform, notified_at) for platform, notified_at in rows]
    return UserRequests(
        asked=sorted(r.platform for r in requests if not launched(r.platform)),
        due=due_platforms(requests, user_id),
    )


def requested(user_id: int) -> list[str]:
    """The coming-soon platforms this user asked to hear about (a launched one has its notice)."""
    return of_user(user_id).asked


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


def due_notices(user_id: int) -> list[str]:
    """The launched platforms this user asked about and has not been notified of, in the
    catalogue's order: the Connections page shows a notice for each."""
    return of_user(user_id).due


def mark_notified(user_id: int, platform: object) -> None:
    """The user dismissed the notice of ``platform`` or used its Connect action: it is delivered and
    not shown again. Only this user's own request changes; a platform still coming soon (or unknown)
    is refused, so its notice cannot be spent before the launch. Doing it twice is harmless."""
    chosen = str(platform)
    if not launched(chosen):
        raise ValidationError("notify.not_launched")
    with session_scope() as db:
        for row in db.exec(
            select(NotifyRequest).where(
                NotifyRequest.user_id == user_id,
                NotifyRequest.platform == chosen,
                col(NotifyRequest.notified_at).is_(None),
            )
        ).all():
            row.notified_at = utcnow()
            db.add(row)


def all_requests() -> list[RequestRow]:
    """Every request, by platform then date: the operator's list."""
    with session_scope() as db:
        rows = db.exec(
            select(NotifyRequest, User)
            .join(User, col(User.id) == NotifyRequest.user_id)
            .order_by(col(NotifyRequest.platform), col(NotifyRequest.created_at))
        ).all()
        return [
            RequestRow(user.email, user.name, request.platform, request.created_at, request.notified_at)
            for request, user in rows
        ]
