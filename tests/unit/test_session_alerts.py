"""Expired-token toasts: once per session per account; 30-minute backoff; pause after three failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from socializioz.domain.session_alerts import BACKOFF_SECONDS, CheckSchedule, not_yet_alerted
from socializioz.models import SocialAccount
from socializioz.services import auth, token_health


def test_backoff_then_pause_for_the_session():
    schedule = CheckSchedule()
    assert schedule.may_check(0)
    schedule = schedule.after_failure(now=100)
    assert not schedule.may_check(100 + BACKOFF_SECONDS - 1)
    assert schedule.may_check(100 + BACKOFF_SECONDS)
    schedule = schedule.after_failure(now=2000).after_failure(now=4000)
    assert schedule.paused and not schedule.may_check(10**9)


def test_a_success_resets_the_failure_count():
    schedule = CheckSchedule().after_failure(0).after_failure(1).after_success().after_failure(2)
    assert schedule.failures == 1 and not schedule.paused


def test_each_account_is_alerted_once():
    assert not_yet_alerted([1, 2, 3], alerted=[2]) == [1, 3]
    assert not_yet_alerted([1], alerted=[1]) == []


def test_only_expired_accounts_that_refresh_cannot_fix(db):
    owner = auth.sign_up(db, "o@example.test", "Owner", "a-long-password")
    now = datetime.now(UTC)
    ws = owner.active_workspace_id

    def account(name, platform, expires, **extra):
        db.add(
            SocialAccount(
                workspace_id=ws, platform=platform, external_id=name, name=name, token_expires_at=expires, **extra
            )
        )

    account("meta-refreshable", "instagram", now - timedelta(hours=1))
    account("meta-flagged", "instagram", now - timedelta(hours=1), status="needs_reconnect")
    account("x-expired", "x", now - timedelta(minutes=1))
    account("x-valid", "x", now + timedelta(days=1))
    account("gone", "x", now - timedelta(days=1), disconnected_at=now)
    db.commit()
    assert sorted(a.name for a in token_health.expired_accounts(db, ws, now)) == ["meta-flagged", "x-expired"]
