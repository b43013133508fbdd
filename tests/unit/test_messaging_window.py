"""The Instagram reply window (reference/engagement.md §3.1): 24 hours of standard replies after
the person's last message, then human-agent replies only until 7 days, then nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from socializioz.domain.messaging_window import ReplyMode, may_send, reply_window

LAST = datetime(2026, 9, 1, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("after", "mode"),
    [
        (timedelta(0), ReplyMode.STANDARD),
        (timedelta(hours=23, minutes=59, seconds=59), ReplyMode.STANDARD),
        (timedelta(hours=24), ReplyMode.HUMAN_AGENT),  # exactly 24 h: the standard window has closed
        (timedelta(days=6, hours=23, minutes=59), ReplyMode.HUMAN_AGENT),
        (timedelta(days=7), ReplyMode.CLOSED),  # exactly 7 days: the human-agent allowance has ended too
        (timedelta(days=30), ReplyMode.CLOSED),
    ],
)
def test_the_mode_at_each_boundary(after: timedelta, mode: ReplyMode) -> None:
    window = reply_window(LAST, LAST + after)
    assert window.mode is mode
    assert window.standard_until == LAST + timedelta(hours=24)
    assert window.human_agent_until == LAST + timedelta(days=7)


def test_a_person_who_never_wrote_cannot_be_messaged() -> None:
    window = reply_window(None, LAST)
    assert window.mode is ReplyMode.NOT_STARTED and not window.open
    assert not may_send(window, human_agent=True)


def test_what_may_be_sent_in_each_mode() -> None:
    standard, human, closed = (
        reply_window(LAST, LAST + d) for d in (timedelta(hours=1), timedelta(days=2), timedelta(days=8))
    )
    assert may_send(standard, False) and may_send(standard, True)
    assert not may_send(human, False) and may_send(human, True)
    assert not may_send(closed, False) and not may_send(closed, True)
