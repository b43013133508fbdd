"""'Notify me' for coming-soon platforms: recorded once per user and platform, undone, refused for
platforms that are not coming soon, and listed for the operator by ``cli notify-requests`` with
each request's delivery state (tests/integration/test_launch_notices.py covers the launch)."""

from __future__ import annotations

import pytest

from socializioz import cli
from socializioz import db as database
from socializioz.services import launch_notifications as notify_me
from socializioz.services.auth import sign_up
from socializioz.services.errors import ValidationError


def _user(email: str) -> int:
    with database.session_scope() as db:
        return sign_up(db, email, email.split("@")[0].title(), "long-enough-pw").id


def test_a_request_is_kept_once_per_user_and_platform_and_can_be_undone(schema):
    ada, bo = _user("ada@example.com"), _user("bo@example.com")
    notify_me.ask(ada, "telegram")
    notify_me.ask(ada, "telegram")  # asking twice is harmless
    notify_me.ask(ada, "whatsapp")
    notify_me.ask(bo, "telegram")
    assert notify_me.requested(ada) == ["telegram", "whatsapp"]
    assert notify_me.requested(bo) == ["telegram"]
    notify_me.withdraw(ada, "telegram")
    assert notify_me.requested(ada) == ["whatsapp"]
    assert notify_me.requested(bo) == ["telegram"]  # someone else's request is untouched


@pytest.mark.parametrize("platform", ["facebook", "x", "myspace", "", None, ["telegram"]])
def test_only_coming_soon_platforms_can_be_followed(schema, platform):
    ada = _user("ada@example.com")
    with pytest.raises(ValidationError) as refused:
        notify_me.ask(ada, platform)
    assert refused.value.code == "notify.not_coming_soon"
    assert notify_me.requested(ada) == []


def test_the_operator_lists_every_request(schema, capsys):
    ada, bo = _user("ada@example.com"), _user("bo@example.com")
    notify_me.ask(bo, "whatsapp")
    notify_me.ask(ada, "telegram")
    cli.main(["notify-requests"])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[:3] + line.split("\t")[4:] for line in lines[:-1]] == [
        ["telegram", "ada@example.com", "Ada", "waiting for launch"],
        ["whatsapp", "bo@example.com", "Bo", "waiting for launch"],
    ]
    assert lines[-1] == "2 request(s): 2 waiting for launch, 0 due, 0 notified."
