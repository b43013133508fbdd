"""The posts page: the queue's tabs with "Load more", the week and month calendar, the filters,
and what a person does from a status chip (Retry, Remove, Delete).

Every handler re-checks the caller from the session cookie (``SessionState.member``) and passes
the fresh user and workspace to a service that refuses foreign ids; reads run in a worker thread.
The page load registers the tab for live pushes; ``state.posts_live`` re-reads an open page when
the publisher (or another tab) changes a post of the workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

import reflex as rx
from starlette.concurrency import run_in_threadpool

from socializioz import routes
from socializioz.services import notify, publisher
from socializioz.services.account_views import member_account_dicts
from socializioz.services.campaigns import list_campaigns
from socializioz.services.errors import ServiceError
from socializioz.services.post_actions import cancel_target, delete_post, retry_target
from socializioz.services.posts_view import (
    PAGE_SIZE,
    CalendarDay,
    PostFilters,
    PostView,
    read_calendar,
    read_queue,
    workspace_zone,
)
from socializioz.services.unit_of_work import in_transaction
from socializioz.state.list_page import ListPage, as_id, fresh_member, open_for_tab
from socializioz.state.session import Member, SessionState, workspace_data

VIEWS = ("queue", "week", "month")


@dataclass(frozen=True)
class _Read:
    """One page read, done in a worker thread."""

    posts: list[PostView]
    has_more: bool
    weeks: list[list[CalendarDay]]
    days: list[CalendarDay]
    anchor: str
    title_month: int
    title_year: int
    truncated: bool
    timezone: str
    accounts: list[dict[str, Any]]
    campaigns: list[dict[str, Any]]


def _today(member: Member) -> date:
    return in_transaction(lambda db: datetime.now(workspace_zone(db, member.workspace_id)).date())


def _read(member: Member, filters: PostFilters, view: str, anchor: str, limit: int) -> _Read:
    """The tab's filters, the queue or the calendar, and the filter choices; members only."""
    user, workspace_id = member.user, member.workspace_id
    accounts = [
        {"id": str(a["id"]), "name": a["name"], "platform": a["platform"]}
        for a in member_account_dicts(user, workspace_id)
    ]
    campaigns = [{"id": str(c.id), "name": c.name} for c in in_transaction(list_campaigns, user, workspace_id)]
    if view == "queue":
        page = in_transaction(read_queue, user, workspace_id, filters, limit)
        return _Read(page.posts, page.has_more, [], [], anchor, 0, 0, False, page.timezone, accounts, campaigns)
    day = _parse_day(anchor) or _today(member)
    calendar = in_transaction(read_calendar, user, workspace_id, filters, day, view)
    return _Read(
        [],
        False,
        calendar.weeks,
        calendar.days_with_posts,
        calendar.anchor,
        calendar.title_month,
        calendar.title_year,
        calendar.truncated,
        calendar.timezone,
        accounts,
        campaigns,
    )


def _parse_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@workspace_data
class PostsState(ListPage, rx.State):
    page_size: ClassVar[int] = PAGE_SIZE
    view: rx.Field[str] = rx.field("queue")  # queue / week / month
    tab: rx.Field[str] = rx.field("upcoming")
    account_filter: rx.Field[str] = rx.field("")  # "" = any; select values are strings
    platform_filter: rx.Field[str] = rx.field("")
    campaign_filter: rx.Field[str] = rx.field("")
    posts: rx.Field[list[PostView]] = rx.field(default_factory=list)
    has_more: bool = False
    limit: int = PAGE_SIZE
    weeks: rx.Field[list[list[CalendarDay]]] = rx.field(default_factory=list)
    days: rx.Field[list[CalendarDay]] = rx.field(default_factory=list)
    anchor: str = ""  # the calendar's day (workspace time zone), YYYY-MM-DD
    title_month: rx.Field[int] = rx.field(0)
    title_year: rx.Field[int] = rx.field(0)
    truncated: bool = False
    timezone: str = ""
    accounts: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    campaigns: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    failed: bool = False  # the last read failed (shown with Try again)
    confirm_delete: rx.Field[int] = rx.field(0)
    busy_target: rx.Field[int] = rx.field(0)  # a chip whose action is on its way

    @rx.var
    def filtered(self) -> bool:
        return bool(self.account_filter or self.platform_filter or self.campaign_filter)

    @rx.var
    def confirm_open(self) -> bool:
        return self.confirm_delete != 0

    def _filters(self) -> PostFilters:
        return PostFilters.parse(self.tab, self.account_filter, self.platform_filter, self.campaign_filter)

    async def _refresh(self, member: Member) -> None:
        try:
            read = await run_in_threadpool(_read, member, self._filters(), self.view, self.anchor, self.limit)
        except ServiceError:
            self.failed, self.loading = True, False
            return
        self.posts, self.has_more = read.posts, read.has_more
        self.weeks, self.days, self.anchor = read.weeks, read.days, read.anchor
        self.title_month, self.title_year, self.truncated = read.title_month, read.title_year, read.truncated
        self.timezone, self.accounts, self.campaigns = read.timezone, read.accounts, read.campaigns
        self.failed, self.loading, self.loaded = False, False, True

    @rx.event
    async def load(self):
        """on_load: ``?tab=&view=&account=&platform=&campaign=`` choose what is shown (links from
        a campaign chip or the campaigns page)."""
        query = self.router.url.query_parameters
        self.view = query.get("view", "") if query.get("view", "") in VIEWS else "queue"
        parsed = PostFilters.parse(
            query.get("tab", ""), query.get("account", ""), query.get("platform", ""), query.get("campaign", "")
        )
        self.tab = parsed.tab.value
        self.account_filter = str(parsed.account_id or "")
        self.platform_filter = parsed.platform
        self.campaign_filter = str(parsed.campaign_id or "")
        self.limit, self.anchor, self.confirm_delete, self.busy_target = PAGE_SIZE, "", 0, 0
        self.loading = True
        yield
        member = await open_for_tab(self)
        if member is not None:
            await self._refresh(member)

    @rx.event
    async def set_tab(self, tab: str):
        async for update in self._show(tab=PostFilters.parse(tab).tab.value, view="queue"):
            yield update

    @rx.event
    async def set_view(self, view: str | list[str]):
        view = view if isinstance(view, str) else ""  # the segmented control sends one value
        async for update in self._show(view=view if view in VIEWS else "queue"):
            yield update

    @rx.event
    async def set_account_filter(self, value: str):
        async for update in self._show(account_filter="" if value == "all" else str(as_id(value) or "")):
            yield update

    @rx.event
    async def set_platform_filter(self, value: str):
        async for update in self._show(platform_filter=PostFilters.parse(platform=value).platform):
            yield update

    @rx.event
    async def set_campaign_filter(self, value: str):
        async for update in self._show(campaign_filter="" if value == "all" else str(as_id(value) or "")):
            yield update

    @rx.event
    async def clear_filters(self):
        async for update in self._show(account_filter="", platform_filter="", campaign_filter=""):
            yield update

    @rx.event
    async def shift_calendar(self, steps: int):
        """Previous (-1) or next (+1) week or month; 0 goes back to today."""
        day = _parse_day(self.anchor)
        if steps == 0 or day is None:
            anchor = ""
        elif self.view == "week":
            anchor = date.fromordinal(day.toordinal() + 7 * int(steps)).isoformat()
        else:
            month = day.year * 12 + day.month - 1 + int(steps)
            anchor = date(month // 12, month % 12 + 1, 1).isoformat()
        async for update in self._show(anchor=anchor):
            yield update

    @rx.event
    async def show_week_of(self, day: str):
        """A month cell's "+n more": that day's week, where every post of the day is listed."""
        anchor = day if _parse_day(day) else ""
        async for update in self._show(view="week", anchor=anchor):
            yield update

    @rx.event
    async def load_more(self):
        member = await fresh_member(self)
        if member is None:
            return
        self.limit = min(self.limit + PAGE_SIZE, 1000)
        await self._refresh(member)

    # -- actions from a status chip ---------------------------------------------------------------

    async def _act(self, work: Any, item_id: Any, done_key: str):
        session = await self.get_state(SessionState)
        member = await fresh_member(self)
        if member is None:
            return rx.redirect(routes.SIGN_IN)
        self.busy_target = 0
        try:
            await run_in_threadpool(in_transaction, work, member.user, member.workspace_id, as_id(item_id))
        except ServiceError as error:
            await self._refresh(member)
            return rx.toast.error(session.t(error.code))
        publisher.wake()  # a retried target goes out now, not at the next tick
        await self._refresh(member)
        await notify.topic_changed(member.workspace_id, notify.POSTS)  # the workspace's other open tabs
        return rx.toast.success(session.t(done_key))

    @rx.event
    async def retry(self, target_id: int):
        self.busy_target = as_id(target_id)
        yield
        yield await self._act(retry_target, target_id, "posts.retried")

    @rx.event
    async def remove_target(self, target_id: int):
        self.busy_target = as_id(target_id)
        yield
        yield await self._act(cancel_target, target_id, "posts.removed")

    @rx.event
    def ask_delete(self, post_id: int):
        self.confirm_delete = as_id(post_id)

    @rx.event
    def set_confirm_open(self, is_open: bool):
        if not is_open:
            self.confirm_delete = 0

    @rx.event
    async def confirm_delete_post(self):
        post_id, self.confirm_delete = self.confirm_delete, 0
        return await self._act(delete_post, post_id, "posts.deleted")
