"""The refresh policy's decision table (refresh_policy.due / after_failure / days_left)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from socializioz.domain.errors import ErrorKind
from socializioz.domain.refresh_policy import (
    BACKOFF,
    VERIFY_EVERY,
    AccountSnapshot,
    Action,
    Decision,
    after_failure,
    automatic_rules,
    days_left,
    due,
    next_check_after_success,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def snap(platform="instagram", expires_in=DAY * 5, age=DAY * 55, **kw) -> AccountSnapshot:
    values = dict(
        platform=platform,
        status="active",
        token_expires_at=None if expires_in is None else NOW + expires_in,
        token_issued_at=NOW - age,
    )
    values.update(kw)
    return AccountSnapshot(**values)


HOURLY_CHECK = Decision(Action.VERIFY, "hourly_check")


def test_instagram_refreshes_inside_the_seven_day_window_only():
    assert due(snap(expires_in=DAY * 7), NOW).action is Action.REFRESH
    assert due(snap(expires_in=DAY * 7 + timedelta(minutes=1)), NOW) == HOURLY_CHECK  # checked, not refreshed


def test_instagram_never_refreshes_a_token_younger_than_24_hours():
    assert due(snap(expires_in=DAY * 2, age=timedelta(hours=23)), NOW) == HOURLY_CHECK
    young = due(snap(expires_in=DAY * 2, age=timedelta(hours=23)), NOW, manual=True)
    assert young.action is Action.WAIT and young.reason == "too_young"
    assert young.not_before == NOW + timedelta(hours=1)
    assert due(snap(expires_in=DAY * 2, age=timedelta(hours=24)), NOW).action is Action.REFRESH
    # "refresh now" cannot break Instagram's rule either
    assert due(snap(expires_in=DAY * 50, age=timedelta(hours=2)), NOW, manual=True).action is Action.WAIT


def test_expired_meta_token_is_flagged_not_refreshed():
    assert due(snap(expires_in=-timedelta(seconds=1)), NOW).action is Action.FLAG


def test_facebook_page_tokens_are_verified_hourly_never_refreshed():
    for expires_in in (None, DAY * 50, DAY, -DAY):
        assert due(snap("facebook", expires_in=expires_in), NOW).action is Action.VERIFY
    assert due(snap("facebook", next_refresh_at=NOW + DAY), NOW).action is Action.WAIT
    assert due(snap("instagram", expires_in=None), NOW) == HOURLY_CHECK
    assert due(snap("instagram", expires_in=None), NOW, manual=True).action is Action.NONE
    assert next_check_after_success("facebook", Action.VERIFY, NOW) == NOW + VERIFY_EVERY < NOW + timedelta(hours=1)
    assert next_check_after_success("instagram", Action.REFRESH, NOW) is None


@pytest.mark.parametrize("platform", ["x", "tiktok"])
def test_rotating_platforms_are_manual_unless_opted_in(platform):
    account = snap(platform, expires_in=timedelta(minutes=30), age=timedelta(minutes=90), has_refresh_token=True)
    assert due(account, NOW, manual=True).reason == "manual_reconnect"
    assert due(account, NOW) == HOURLY_CHECK
    assert due(account, NOW, refresh_rotating_tokens=True).action is Action.REFRESH
    far = snap(platform, expires_in=timedelta(hours=2), age=timedelta(0), has_refresh_token=True)
    assert due(far, NOW, refresh_rotating_tokens=True, manual=True).action is Action.REFRESH
    assert due(far, NOW, refresh_rotating_tokens=True) == HOURLY_CHECK
    expired = snap(platform, expires_in=-timedelta(hours=1), has_refresh_token=True)
    assert due(expired, NOW, refresh_rotating_tokens=True).action is Action.REFRESH  # refresh token outlives it
    dead = snap(platform, expires_in=-timedelta(hours=1), has_refresh_token=True, refresh_expires_at=NOW - DAY)
    assert due(dead, NOW, refresh_rotating_tokens=True).action is Action.FLAG
    interrupted = snap(platform, expires_in=timedelta(minutes=30), has_refresh_token=True, interrupted=True)
    assert due(interrupted, NOW, refresh_rotating_tokens=True) == Decision(Action.FLAG, "interrupted")
    no_refresh = snap(platform, expires_in=timedelta(minutes=30), has_refresh_token=False)
    assert due(no_refresh, NOW, refresh_rotating_tokens=True) == HOURLY_CHECK


def test_linkedin_is_never_refreshed_and_shows_days_left():
    assert due(snap("linkedin", expires_in=DAY), NOW, manual=True).reason == "manual_reconnect"
    assert days_left(NOW + DAY * 59 + timedelta(hours=1), NOW) == 60
    assert days_left(NOW - DAY, NOW) == 0
    assert days_left(None, NOW) is None
    assert [r.platform.value for r in automatic_rules(refresh_rotating_tokens=False)] == ["facebook", "instagram"]


@pytest.mark.parametrize("platform", ["facebook", "instagram", "x", "tiktok", "linkedin"])
def test_every_live_token_is_checked_hourly_but_not_expired_paused_or_backed_off_ones(platform):
    assert due(snap(platform, expires_in=DAY * 30, has_refresh_token=True), NOW).action is Action.VERIFY
    assert due(snap(platform, next_refresh_at=NOW + timedelta(minutes=5)), NOW).action is Action.WAIT
    assert due(snap(platform, refresh_paused=True), NOW).action is Action.NONE
    assert due(snap(platform, status="needs_reconnect"), NOW).action is Action.NONE
    if platform in ("linkedin", "x", "tiktok"):  # nothing to refresh with: the expiry banner says so
        assert due(snap(platform, expires_in=-DAY), NOW).action is Action.NONE
    assert next_check_after_success(platform, Action.VERIFY, NOW) == NOW + VERIFY_EVERY


def test_backoff_pause_and_flags_are_respected_unless_manual():
    assert due(snap(next_refresh_at=NOW + timedelta(minutes=5)), NOW).action is Action.WAIT
    assert due(snap(refresh_paused=True), NOW).reason == "paused"
    assert due(snap(refresh_paused=True, next_refresh_at=NOW + BACKOFF), NOW, manual=True).action is Action.REFRESH
    assert due(snap(status="needs_reconnect"), NOW, manual=True).action is Action.NONE
    assert due(snap(disconnected=True), NOW).action is Action.NONE


def test_temporary_failures_back_off_30_minutes_and_the_third_in_a_row_pauses():
    first = after_failure(ErrorKind.TEMPORARY, failures=0, now=NOW)
    assert (first.needs_reconnect, first.temporary, first.failures, first.paused) == (False, True, 1, False)
    assert first.next_refresh_at == NOW + BACKOFF == NOW + timedelta(minutes=30)
    second = after_failure(ErrorKind.TEMPORARY, failures=1, now=NOW)
    assert (second.failures, second.paused) == (2, False)
    third = after_failure(ErrorKind.TEMPORARY, failures=2, now=NOW)
    assert (third.failures, third.paused, third.needs_reconnect) == (3, True, False)
    throttled = after_failure(ErrorKind.TEMPORARY, failures=0, now=NOW, retry_after_seconds=3600)
    assert throttled.next_refresh_at == NOW + timedelta(hours=1)


def test_only_needs_reconnect_turns_amber_and_three_counted_failures_pause():
    revoked = after_failure(ErrorKind.NEEDS_RECONNECT, failures=0, now=NOW)
    assert revoked.needs_reconnect and revoked.failures == 1
    state = 0
    for _ in range(3):
        outcome = after_failure(ErrorKind.MISSING_PERMISSION, failures=state, now=NOW)
        assert not outcome.temporary
        assert not outcome.needs_reconnect
        state = outcome.failures
    assert outcome.paused and state == 3
