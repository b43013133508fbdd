"""The browser's side of token health (spec: "Automatic token refresh"): a one-time toast per
session per expired account, and a check that backs off 30 minutes when the service fails and
pauses for the rest of the session after three consecutive failures."""

from __future__ import annotations

from dataclasses import dataclass, replace

BACKOFF_SECONDS = 30 * 60
MAX_CONSECUTIVE_FAILURES = 3


@dataclass(frozen=True)
class CheckSchedule:
    failures: int = 0
    next_check_at: float = 0.0
    paused: bool = False

    def may_check(self, now: float) -> bool:
        return not self.paused and now >= self.next_check_at

    def after_success(self) -> CheckSchedule:
        return CheckSchedule()

    def after_failure(self, now: float) -> CheckSchedule:
        failures = self.failures + 1
        return replace(
            self, failures=failures, next_check_at=now + BACKOFF_SECONDS, paused=failures >= MAX_CONSECUTIVE_FAILURES
        )


def not_yet_alerted(expired_ids: list[int], alerted: list[int]) -> list[int]:
    """Accounts to toast now: each expired account once per session."""
    seen = set(alerted)
    return [i for i in expired_ids if i not in seen]
