"""The launch notice service against the database (``services.launch_notifications``): a request
made while a platform is coming soon becomes due when a release launches it, is shown to the person
who asked only, and is delivered once when they dismiss it or use its Connect action."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import select

from socializioz import cli
from socializioz import db as database
from socializioz.domain.launch_notices import Delivery
from socializioz.domain.platforms import PLATFORMS, Availability, Platform
from socializioz.models import NotifyRequest
from socializioz.services import launch_notifications as notices
from socializioz.services.auth import sign_up
from socializioz.services.errors import ValidationError


def _user(email: str) -> int:
    with database.session_scope() as db:
        return sign_up(db, email, email.split("@")[0].title(), "long-enough-pw").id


def _launch(monkeypatch, platform: Platform) -> None:
    """The release in which ``platform`` stops being coming soon."""
    monkeypatch.setitem(PLATFORMS, platform, replace(PLATFORMS[platform], availability=Availability.AVAILABLE))


def _notified_at(user_id: int, platform: str):
    with database.session_scope() as db:
        return db.exec(
            select(NotifyRequest.notified_at).where(
                NotifyRequest.user_id == user_id, NotifyRequest.platform == platform
            )
        ).one()


def test_a_request_becomes_due_at_launch_and_is_delivered_once(schema, monkeypatch):
    ada, bo = _user("ada@example.com"), _user("bo@example.com")
    notices.ask(ada, "telegram")
    notices.ask(ada, "whatsapp")
    notices.ask(bo, "whatsapp")
    assert notices.due_notices(ada) == []  # still coming soon: nothing to show

    _launch(monkeypatch, Platform.TELEGRAM)
    assert notices.due_notices(ada) == ["telegram"]
    assert notices.due_notices(bo) == []  # Bo asked about WhatsApp only
    assert notices.requested(ada) == ["whatsapp"]  # the Telegram tile no longer says "We'll tell you"

    notices.mark_notified(bo, "telegram")  # someone else's dismissal changes nothing of Ada's
    assert notices.due_notices(ada) == ["telegram"]
    assert _notified_at(ada, "telegram") is None

    notices.mark_notified(ada, "telegram")
    first = _notified_at(ada, "telegram")
    assert first is not None and first.tzinfo is not None
    assert notices.due_notices(ada) == []
    notices.mark_notified(ada, "telegram")  # a second tab's dismissal: harmless, the first time stays
    assert _notified_at(ada, "telegram") == first


@pytest.mark.parametrize("platform", ["whatsapp", "telegram", "myspace", "", None, ["x"]])
def test_a_notice_cannot_be_spent_before_its_platform_launches(schema, platform):
    ada = _user("ada@example.com")
    notices.ask(ada, "telegram")
    notices.ask(ada, "whatsapp")
    with pytest.raises(ValidationError) as refused:
        notices.mark_notified(ada, platform)
    assert refused.value.code == "notify.not_launched"
    assert _notified_at(ada, "telegram") is None and _notified_at(ada, "whatsapp") is None


def test_a_request_kept_from_before_a_launch_is_due_without_asking_again(schema):
    """A row stored while LinkedIn was coming soon (as the e2e test prepares it): due today."""
    ada = _user("ada@example.com")
    with database.session_scope() as db:
        db.add(NotifyRequest(user_id=ada, platform="linkedin"))
        db.add(NotifyRequest(user_id=ada, platform="facebook"))
    assert notices.due_notices(ada) == ["facebook", "linkedin"]
    notices.mark_notified(ada, "facebook")
    assert notices.due_notices(ada) == ["linkedin"]


def test_the_operator_list_shows_each_requests_delivery(schema, monkeypatch, capsys):
    ada, bo, cy = _user("ada@example.com"), _user("bo@example.com"), _user("cy@example.com")
    notices.ask(ada, "telegram")
    notices.ask(bo, "telegram")
    notices.ask(cy, "whatsapp")
    _launch(monkeypatch, Platform.TELEGRAM)
    notices.mark_notified(bo, "telegram")
    assert [(r.email, r.delivery) for r in notices.all_requests()] == [
        ("ada@example.com", Delivery.DUE),
        ("bo@example.com", Delivery.NOTIFIED),
        ("cy@example.com", Delivery.WAITING),
    ]
    cli.main(["notify-requests"])
    lines = capsys.readouterr().out.splitlines()
    states = [line.split("\t")[4] for line in lines[:-1]]
    assert states[0] == "due: shown at the next visit to Connections"
    assert states[1].startswith("notified ") and states[1].endswith(" UTC")
    assert states[2] == "waiting for launch"
    assert lines[-1] == "3 request(s): 1 waiting for launch, 1 due, 1 notified."
