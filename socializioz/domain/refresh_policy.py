"""When the refresh job touches an account, and what a failure does to it (spec: "Automatic token refresh").

Pure data and functions, no I/O, so the sweep, the admin "refresh now" and the tests read one rule set.
Why the rules differ per platform (reference/platforms.md, peers.md §5-7):

* Meta has no refresh token. Instagram refreshes a long-lived token only when it is at least 24 h old
  and not expired. A Facebook Page token made from a long-lived user token never expires, so it is
  *verified* (``debug_token``) once a day instead of refreshed, and its reported expiry is kept.
* X and TikTok rotate refresh tokens (a used one dies), so they are never refreshed just because the
  job ran: only near expiry, and only when the operator opts in; the default is manual reconnect.
* LinkedIn gives most apps no refresh token: the app shows the days left instead.
* Every platform's live token is also *checked* on each hourly run (a cheap identity call, Facebook's
  ``debug_token``) whenever nothing else is due, so a token revoked on the platform's side turns the
  account amber within the hour. Only a needs-reconnect answer does that; a temporary one backs off.
* Failures are classified first (spec: "Failure handling"). A temporary failure backs off 30 minutes
  and is retried then (the scheduler's retry job honours ``next_refresh_at`` within two minutes),
  never turns the account amber, and counts as a failure. Three consecutive failures of any kind
  pause automatic refresh for the account; the pause ends when a person acts: a reconnect, or an
  admin's "refresh now" (docs/token-refresh.md says why those two).
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from .errors import ErrorKind
from .health import NEEDS_RECONNECT_STATUSES
from .platforms import PLATFORMS, Platform

CHECK_INTERVAL = timedelta(hours=1)
# A verified token is checked again on the next hourly run, even when runs start a little early.
VERIFY_EVERY = CHECK_INTERVAL - timedelta(minutes=5)
BACKOFF = timedelta(minutes=30)
MAX_CONSECUTIVE_FAILURES = 3


class Mode(str, enum.Enum):
    REFRESH = "refresh"  # refresh inside the window (Instagram)
    VERIFY = "verify"  # never refreshed, only verified (Facebook Pages)
    ROTATING = "rotating"  # refresh through a single-use refresh token (opt-in)
    MANUAL = "manual"  # the user reconnects; nothing automatic


class Action(str, enum.Enum):
    REFRESH = "refresh"
    VERIFY = "verify"  # ask the platform whether the token still works (identity call / debug_token)
    FLAG = "flag"  # needs reconnect without asking the platform (expired, or an interrupted rotation)
    WAIT = "wait"  # nothing now; look again at ``Decision.not_before``
    NONE = "none"  # nothing automatic for this account


@dataclass(frozen=True)
class PlatformRule:
    platform: Platform
    mode: Mode
    window: timedelta = timedelta(0)  # refresh when the token expires within this
    min_token_age: timedelta = timedelta(0)  # never refresh a younger token
    verify_every: timedelta | None = None  # tokens without expiry are verified this often
    refresh_after_expiry: bool = False  # the refresh token outlives the access token


META_WINDOW = timedelta(days=7)
# The job runs hourly; a rotating token must be refreshed on the last run before it expires.
ROTATING_WINDOW = CHECK_INTERVAL + timedelta(minutes=15)

RULES: dict[Platform, PlatformRule] = {
    Platform.FACEBOOK: PlatformRule(Platform.FACEBOOK, Mode.VERIFY, verify_every=VERIFY_EVERY),
    Platform.INSTAGRAM: PlatformRule(
        Platform.INSTAGRAM, Mode.REFRESH, META_WINDOW, PLATFORMS[Platform.INSTAGRAM].refresh.min_token_age
    ),
    Platform.X: PlatformRule(Platform.X, Mode.ROTATING, ROTATING_WINDOW, refresh_after_expiry=True),
    Platform.TIKTOK: PlatformRule(Platform.TIKTOK, Mode.ROTATING, ROTATING_WINDOW, refresh_after_expiry=True),
    Platform.LINKEDIN: PlatformRule(Platform.LINKEDIN, Mode.MANUAL),
}
_MANUAL = {p: PlatformRule(p, Mode.MANUAL) for p in Platform}


def rule_for(platform: Platform | str, *, refresh_rotating_tokens: bool) -> PlatformRule:
    """The platform's rule; rotating platforms fall back to manual unless the operator opted in."""
    rule = RULES.get(Platform(platform)) or _MANUAL[Platform(platform)]
    if rule.mode is Mode.ROTATING and not refresh_rotating_tokens:
        return _MANUAL[rule.platform]
    return rule


def automatic_rules(*, refresh_rotating_tokens: bool) -> list[PlatformRule]:
    """The rules the hourly sweep acts on (it selects candidates in SQL from these windows)."""
    rules = (rule_for(p, refresh_rotating_tokens=refresh_rotating_tokens) for p in RULES)
    return [r for r in rules if r.mode is not Mode.MANUAL]


@dataclass(frozen=True)
class AccountSnapshot:
    """What the decision needs of an account and its (decrypted) token, nothing secret."""

    platform: str
    status: str
    token_expires_at: datetime | None
    token_issued_at: datetime | None = None
    has_refresh_token: bool = False
    refresh_expires_at: datetime | None = None
    refresh_paused: bool = False
    next_refresh_at: datetime | None = None
    disconnected: bool = False
    interrupted: bool = False  # the previous attempt's holder died without committing (stale lease)


@dataclass(frozen=True)
class Decision:
    action: Action
    reason: str
    not_before: datetime | None = None


def due(
    account: AccountSnapshot, now: datetime, *, refresh_rotating_tokens: bool = False, manual: bool = False
) -> Decision:
    """What to do with the account now. ``manual`` (admin "refresh now") skips window, backoff and pause.

    On the hourly run, a live token with nothing else due is verified (see the module docstring)."""
    decision = _due(account, now, refresh_rotating_tokens, manual)
    checkable = decision.reason in ("manual_reconnect", "no_expiry", "outside_window", "too_young", "no_refresh_token")
    expired = account.token_expires_at is not None and account.token_expires_at <= now
    if not manual and checkable and not expired:
        return Decision(Action.VERIFY, "hourly_check")
    return decision


def _due(account: AccountSnapshot, now: datetime, refresh_rotating_tokens: bool, manual: bool) -> Decision:
    rule = rule_for(account.platform, refresh_rotating_tokens=refresh_rotating_tokens)
    if account.disconnected:
        return Decision(Action.NONE, "disconnected")
    if account.status in NEEDS_RECONNECT_STATUSES:
        return Decision(Action.NONE, "needs_reconnect")
    if not manual and account.refresh_paused:
        return Decision(Action.NONE, "paused")
    if not manual and account.next_refresh_at is not None and account.next_refresh_at > now:
        return Decision(Action.WAIT, "backoff", account.next_refresh_at)
    if rule.mode is Mode.MANUAL:
        return Decision(Action.NONE, "manual_reconnect")
    if rule.mode is Mode.VERIFY:
        return Decision(Action.VERIFY, "manual" if manual else "verify_due")
    if rule.mode is Mode.ROTATING and account.interrupted:
        # The refresh token may already be spent; replaying it can revoke the whole grant (X).
        return Decision(Action.FLAG, "interrupted")
    expires = account.token_expires_at
    if expires is None:
        return Decision(Action.NONE, "no_expiry")
    if rule.mode is Mode.ROTATING and not _refresh_token_usable(account, now):
        return (
            Decision(Action.FLAG, "expired") if expires <= now else Decision(Action.WAIT, "no_refresh_token", expires)
        )
    if expires <= now and not rule.refresh_after_expiry:
        return Decision(Action.FLAG, "expired")
    if not manual and expires - now > rule.window:
        return Decision(Action.WAIT, "outside_window", expires - rule.window)
    if account.token_issued_at is not None and now - account.token_issued_at < rule.min_token_age:
        return Decision(Action.WAIT, "too_young", account.token_issued_at + rule.min_token_age)
    return Decision(Action.REFRESH, "manual" if manual else "inside_window")


def _refresh_token_usable(account: AccountSnapshot, now: datetime) -> bool:
    return account.has_refresh_token and (account.refresh_expires_at is None or account.refresh_expires_at > now)


def days_left(token_expires_at: datetime | None, now: datetime) -> int | None:
    """Whole days until the token expires (rounded up, never negative); None when it never expires."""
    if token_expires_at is None:
        return None
    return max(0, math.ceil((token_expires_at - now) / timedelta(days=1)))


@dataclass(frozen=True)
class FailureOutcome:
    """The account's refresh state after a failed attempt."""

    needs_reconnect: bool  # turn the account amber
    temporary: bool  # the platform or the network failed, not the token: retried after the backoff
    failures: int  # consecutive failures, this one included
    paused: bool
    next_refresh_at: datetime


def after_failure(
    kind: ErrorKind, *, failures: int, now: datetime, retry_after_seconds: float | None = None
) -> FailureOutcome:
    """Classification first: only needs-reconnect turns amber. Every failure counts; the third in a
    row pauses. The retry waits 30 minutes, or longer when the platform asked for longer."""
    count = failures + 1
    wait = max(BACKOFF, timedelta(seconds=retry_after_seconds or 0))
    return FailureOutcome(
        needs_reconnect=kind is ErrorKind.NEEDS_RECONNECT,
        temporary=kind is ErrorKind.TEMPORARY,
        failures=count,
        paused=count >= MAX_CONSECUTIVE_FAILURES,
        next_refresh_at=now + wait,
    )


def next_check_after_success(platform: Platform | str, action: Action, now: datetime) -> datetime | None:
    """Verified tokens are looked at again on the next hourly run; refreshed ones on the next run too
    (where they are verified until their window opens)."""
    rule = RULES.get(Platform(platform))
    if action is Action.VERIFY:
        return now + (rule.verify_every if rule is not None and rule.verify_every is not None else VERIFY_EVERY)
    return None
