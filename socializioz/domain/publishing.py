"""The words of publishing (a post's and a target's status) and the rules the publisher applies:
how long to wait before a retry, which failure may already have posted, what a post's status is
given its targets, and which catalogue code a failure is shown with (docs/architecture.md,
"Publishing")."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import timedelta

from .errors import ErrorKind, ProviderError, lookup


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


# Still on its way: the post as a whole is "scheduled" while any target is one of these.
PENDING = frozenset({TargetStatus.SCHEDULED, TargetStatus.PUBLISHING, TargetStatus.BLOCKED})
# A person may send these again (the posts page's Retry).
RETRYABLE = frozenset({TargetStatus.FAILED, TargetStatus.NEEDS_REVIEW})

MAX_ATTEMPTS = 5  # calls to the platform per target before a temporary failure becomes final
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(minutes=30)
# How far before an interrupted attempt's start its post is looked for on the platform: clocks of
# two machines disagree by a little, and a platform may stamp a post with the request's arrival.
RECONCILE_MARGIN = timedelta(minutes=2)

# Codes of the publisher's own outcomes (in the catalogue, domain/errors.py).
ACCOUNT_DISCONNECTED = "account_disconnected"
OUTCOME_UNKNOWN = "publish_outcome_unknown"
# A catalogue code per kind, for a provider error whose own code is not in the catalogue.
_KIND_CODES = {
    ErrorKind.TEMPORARY: "provider_unavailable",
    ErrorKind.NEEDS_RECONNECT: "token_invalid",
    ErrorKind.MISSING_PERMISSION: "scope_not_granted",
    ErrorKind.REJECTED_CONTENT: "content_rejected",
    ErrorKind.UNSUPPORTED: "capability_not_supported",
}


def retry_delay(attempts: int, retry_after_seconds: float | None = None) -> timedelta | None:
    """The wait before attempt ``attempts + 1`` after a temporary failure; None: give up.

    Doubles from 30 s up to 30 min; a platform's own reset time (429 ``Retry-After``, X's
    ``x-rate-limit-reset``, Instagram's publishing quota) is honoured when it is later."""
    if attempts >= MAX_ATTEMPTS:
        return None
    delay: timedelta = min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)
    if retry_after_seconds and retry_after_seconds > 0:
        delay = max(delay, timedelta(seconds=retry_after_seconds))
    return delay


def may_have_posted(error: ProviderError | None) -> bool:
    """True when the request may have reached the platform and created the post (a timeout, a
    dropped connection, a 5xx; None: an unexpected fault of ours mid-call): the next attempt
    must look for the post first. A 429 and every non-temporary refusal did not post."""
    if error is None:
        return True
    return error.kind is ErrorKind.TEMPORARY and error.code != "rate_limited" and error.status != 429


def failure_code(error: ProviderError) -> str:
    """The catalogue code a target is shown with: the platform's code when the catalogue explains
    it, else the general one for its kind (every code the publisher stores can be explained)."""
    if error.code and lookup(error.code, error.platform) is not None:
        return error.code
    return _KIND_CODES[error.kind]


def post_status(targets: Iterable[str]) -> PostStatus:
    """A post's status from its targets' statuses (``PostTarget.status`` values)."""
    statuses = [TargetStatus(s) for s in targets]
    if not statuses or all(s is TargetStatus.DRAFT for s in statuses):
        return PostStatus.DRAFT
    if any(s in PENDING for s in statuses):
        return PostStatus.SCHEDULED
    published = sum(s is TargetStatus.PUBLISHED for s in statuses)
    if published == len(statuses):
        return PostStatus.PUBLISHED
    return PostStatus.PARTLY_FAILED if published else PostStatus.FAILED
