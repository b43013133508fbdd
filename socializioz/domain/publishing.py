"""The words of publishing: a post's and a target's status. Rules that decide them (publish
capability, backoff, what blocks a target) live beside these as the publisher grows."""

from __future__ import annotations

import enum


class TargetStatus(str, enum.Enum):
    """One post on one account (``PostTarget.status``)."""

    DRAFT = "draft"  # saved, not scheduled
    SCHEDULED = "scheduled"  # waiting for its time (or its next retry)
    PUBLISHING = "publishing"  # a worker holds it and may have called the platform
    PUBLISHED = "published"  # live (or, for a TikTok inbox upload, delivered to the creator's inbox)
    FAILED = "failed"  # permanently, with a catalogue reason; Retry puts it back to scheduled
    BLOCKED = "blocked"  # the account is disconnected or needs reconnecting; released on reconnect
    NEEDS_REVIEW = "needs_review"  # an interrupted attempt whose outcome could not be decided


class PostStatus(str, enum.Enum):
    """A post as a whole, derived from its targets (``Post.status``)."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"  # every target published
    PARTLY_FAILED = "partly_failed"  # some published, some failed or need review
    FAILED = "failed"  # none published, at least one failed
