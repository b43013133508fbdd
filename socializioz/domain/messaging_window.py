"""When a business may answer an Instagram direct message (reference/engagement.md §3.1).

A reply is a standard message for 24 hours after the person's last message; after that, only a
person answering with the ``HUMAN_AGENT`` tag, up to 7 days after it; then nothing until they write
again. Both limits are exclusive: at exactly 24 hours the standard window has closed. ``now`` is the
platform's clock (``integrations.platform_clock``): the platform enforces the rule, the app only
explains it before it refuses.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

STANDARD_WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)


class ReplyMode(str, enum.Enum):
    STANDARD = "standard"  # any reply, until ``standard_until``
    HUMAN_AGENT = "human_agent"  # only a person's reply with the human-agent tag, until ``human_agent_until``
    CLOSED = "closed"  # nothing until the person writes again
    NOT_STARTED = "not_started"  # the person never wrote: a business cannot start a conversation


@dataclass(frozen=True)
class ReplyWindow:
    mode: ReplyMode
    standard_until: datetime | None = None
    human_agent_until: datetime | None = None

    @property
    def open(self) -> bool:
        return self.mode is ReplyMode.STANDARD


def reply_window(last_inbound_at: datetime | None, now: datetime) -> ReplyWindow:
    """The window a reply sent at ``now`` falls in."""
    if last_inbound_at is None:
        return ReplyWindow(ReplyMode.NOT_STARTED)
    standard_until = last_inbound_at + STANDARD_WINDOW
    human_agent_until = last_inbound_at + HUMAN_AGENT_WINDOW
    if now < standard_until:
        mode = ReplyMode.STANDARD
    elif now < human_agent_until:
        mode = ReplyMode.HUMAN_AGENT
    else:
        mode = ReplyMode.CLOSED
    return ReplyWindow(mode, standard_until, human_agent_until)


def may_send(window: ReplyWindow, human_agent: bool) -> bool:
    """Whether the platform accepts a reply now, with or without the human-agent tag."""
    return window.mode is ReplyMode.STANDARD or (window.mode is ReplyMode.HUMAN_AGENT and human_agent)
