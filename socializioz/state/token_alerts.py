"""Expired-token toasts, once per browser session per account, with the spec's backoff."""

from __future__ import annotations

import time

import reflex as rx
from starlette.concurrency import run_in_threadpool

from socializioz.domain.platforms import PLATFORMS, Platform
from socializioz.domain.session_alerts import CheckSchedule, not_yet_alerted
from socializioz.services import token_health
from socializioz.services.unit_of_work import in_transaction
from socializioz.state.session import SessionState


class TokenAlertsState(rx.State):
    _schedule: CheckSchedule = CheckSchedule()
    _alerted: list[int] = []

    @rx.event
    async def check(self):
        now = time.time()
        if not self._schedule.may_check(now):
            return
        session = await self.get_state(SessionState)
        try:
            member = await session.member()
            if member is None:
                return
            expired = await run_in_threadpool(in_transaction, token_health.expired_accounts, member.workspace_id)
        except Exception:  # noqa: BLE001 - the service is unavailable: back off, never break the page
            self._schedule = self._schedule.after_failure(now)
            return
        self._schedule = self._schedule.after_success()
        fresh = set(not_yet_alerted([a.id for a in expired], self._alerted))
        self._alerted = self._alerted + sorted(fresh)
        return [
            rx.toast.warning(
                session.t("tokens.expired_toast", name=a.name, platform=PLATFORMS[Platform(a.platform)].display_name),
                duration=12_000,
            )
            for a in expired
            if a.id in fresh
        ]
