"""Launch notices (spec: "You will be notified when they launch"): which "Notify me" requests are
due the in-app notice, and each request's delivery state for the operator's list.

A platform has launched when the registry no longer marks it coming soon (``PLATFORMS``; this
changes with a release, not with a setting). A request is due when its platform has launched and
its user has not yet dismissed the notice or used its Connect action (``notified_at``); the notice
goes to the person who asked, whichever of their workspaces they open.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .platforms import PLATFORMS, Availability, Platform


class Delivery(enum.StrEnum):
    WAITING = "waiting"  # the platform is still coming soon
    DUE = "due"  # launched: the notice shows on the user's next visit to Connections
    NOTIFIED = "notified"  # the user dismissed the notice or used its Connect action


@dataclass(frozen=True)
class Request:
    """One stored request, as the rule needs it."""

    user_id: int
    platform: str
    notified_at: datetime | None = None


def launched(platform: str) -> bool:
    """Whether ``platform`` is a known platform that is no longer coming soon."""
    try:
        return PLATFORMS[Platform(platform)].availability is not Availability.COMING_SOON
    except ValueError:  # a name no release knows (any more): never announced
        return False


def delivery(platform: str, notified_at: datetime | None) -> Delivery:
    if notified_at is not None:
        return Delivery.NOTIFIED
    return Delivery.DUE if launched(platform) else Delivery.WAITING


def due_platforms(requests: Iterable[Request], user_id: int) -> list[str]:
    """The platforms ``user_id`` is due a notice for, in the catalogue's order: only their own
    requests, only launched platforms, only those not yet notified."""
    due = {r.platform for r in requests if r.user_id == user_id and delivery(r.platform, r.notified_at) is Delivery.DUE}
    return [p.value for p in Platform if p.value in due]
