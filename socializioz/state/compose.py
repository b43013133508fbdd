"""Quick-compose: the workspace's accounts to pick from (one pre-selected by ``?account=<id>``),
the post's text, optional media URL and time, saved as a scheduled post."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import reflex as rx
from starlette.concurrency import run_in_threadpool

from socializioz.services import compose
from socializioz.services.account_views import member_account_dicts
from socializioz.services.errors import ServiceError
from socializioz.services.unit_of_work import in_transaction
from socializioz.state.session import SessionState, workspace_data


@workspace_data
class ComposeState(rx.State):
    accounts: rx.Field[list[dict]] = rx.field(default_factory=list)
    selected: rx.Field[list[int]] = rx.field(default_factory=list)
    text: str = ""
    media_url: str = ""
    when: str = ""  # the browser's local time from <input type=datetime-local>
    tz_offset_minutes: int = 0  # Date.getTimezoneOffset(): minutes to add to local time for UTC
    error: rx.Field[str] = rx.field("")
    saved: bool = False

    @rx.event
    async def load(self):
        session = await self.get_state(SessionState)
        member = await session.member()
        if member is None:
            await session.forget_tab()
            return
        await session.bind_tab(member)
        self.accounts = await run_in_threadpool(member_account_dicts, member.user, member.workspace_id)
        wanted = self.router.url.query_parameters.get("account", "")
        ids = {a["id"] for a in self.accounts}
        self.selected = [int(wanted)] if wanted.isdigit() and int(wanted) in ids else []
        self.text, self.media_url, self.error, self.saved = "", "", "", False
        return rx.call_script(
            "[new Date().getTimezoneOffset(), new Date(Date.now() + 3600e3 - new Date().getTimezoneOffset() * 60e3).toISOString().slice(0, 16)]",
            callback=ComposeState.set_clock,
        )

    @rx.event
    def set_clock(self, values: list):
        self.tz_offset_minutes, self.when = int(values[0]), str(values[1])

    @rx.event
    def toggle_account(self, account_id: int):
        self.selected = (
            [i for i in self.selected if i != account_id]
            if account_id in self.selected
            else [*self.selected, account_id]
        )

    @rx.event
    def set_text(self, value: str):
        self.text = value

    @rx.event
    def set_media_url(self, value: str):
        self.media_url = value

    @rx.event
    def set_when(self, value: str):
        self.when = value

    def _scheduled_at(self) -> datetime | None:
        try:
            local = datetime.fromisoformat(self.when)
        except ValueError:
            return None
        return (local + timedelta(minutes=self.tz_offset_minutes)).replace(tzinfo=UTC)

    @rx.event
    async def save(self):
        session = await self.get_state(SessionState)
        self.error, self.saved = "", False
        member = await session.member()
        try:
            await run_in_threadpool(
                in_transaction,
                compose.schedule_post,
                member.user if member else None,
                member.workspace_id if member else 0,
                account_ids=self.selected,
                text=self.text,
                media_url=self.media_url,
                scheduled_at=self._scheduled_at(),
            )
        except ServiceError as error:
            self.error = error.code
            return
        self.saved, self.text, self.media_url = True, "", ""
        return rx.toast.success(session.t("compose.saved"))
