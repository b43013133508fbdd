"""The Connections page: platform tiles and their gates, setup sheets, starting OAuth, the
connecting spinner, the error banner, and this tab's own live account list.

Every handler re-checks the caller from the session cookie (``SessionState.member``) and does its
database work off the event loop. The page load registers the tab for live pushes
(``state.live``); it reads and sends the accounts to this tab only.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass

import reflex as rx
from starlette.concurrency import run_in_threadpool

from socializioz import routes
from socializioz.domain.connect_readiness import READINESS_PLATFORMS, ReadinessItem
from socializioz.domain.connect_rules import Device, FlowStatus, Gate, Intent, OpenMode, tile_gate
from socializioz.domain.health import Health
from socializioz.domain.plans import Plan
from socializioz.domain.platforms import CONNECTABLE_PLATFORMS, PLATFORMS, Platform
from socializioz.integrations.factory import uses_sandbox
from socializioz.services import connect, connect_readiness, launch_notifications, members, workspaces
from socializioz.services.account_views import (
    AccountPage,
    AccountQuery,
    CardHealth,
    CardView,
    workspace_account_page,
)
from socializioz.services.errors import ServiceError
from socializioz.services.oauth_flows import FlowOutcome
from socializioz.services.unit_of_work import in_transaction
from socializioz.state.error_view import NO_ERROR, ErrorView, banner_from_query, connection_error_view, flow_error_view
from socializioz.state.session import Member, SessionState, workspace_data

log = logging.getLogger(__name__)

READINESS_CHECKING = "checking"
READINESS_MIN_INTERVAL = 3.0  # seconds between the starts of two checks from one tab
# A check longer than this (the service's deadline and then some) was lost with its task: not busy.
READINESS_BUSY_FOR_AT_MOST = connect_readiness.DEADLINE_SECONDS * connect_readiness.MAX_GRANTS + 30


@dataclass(frozen=True)
class Tile:
    """A platform tile: its gate for the workspace's plan and whether it opens a setup sheet."""

    platform: str
    name: str
    color: str
    gate: str  # a Gate value
    unlock_plan: str  # the plan that unlocks an UPGRADE tile, else ""
    has_sheet: bool


@dataclass(frozen=True)
class LaunchNotice:
    """ "<platform> is now available": a platform this user asked to hear about has launched."""

    platform: str
    name: str


def _as_notices(due: list[str]) -> list[LaunchNotice]:
    return [LaunchNotice(p, PLATFORMS[Platform(p)].display_name) for p in due]


def _launch_notices(user_id: int) -> list[LaunchNotice]:
    return _as_notices(launch_notifications.due_notices(user_id))


def _tile(platform: Platform, plan: Plan) -> Tile:
    info = PLATFORMS[platform]
    gate = tile_gate(platform, plan, connected_accounts=0)
    return Tile(
        platform=platform.value,
        name=info.display_name,
        color=info.brand_color,
        gate=gate.gate.value,
        unlock_plan=gate.unlocking_plan.value if gate.unlocking_plan else "",
        has_sheet=info.has_setup_sheet,
    )


def merge_accounts(current: list[CardView], fresh: list[CardView]) -> list[CardView] | None:
    """The tab's list after upserting and removing by id (in the workspace's order), or ``None``
    when no account changed, so an unchanged list is never sent to the browser again."""
    mine = {a.id: a for a in current}
    if len(mine) == len(fresh) and all(mine.get(a.id) == a for a in fresh):
        return None
    return list(fresh)


def merge_health(current: dict[str, CardHealth], fresh: dict[str, CardHealth]) -> dict[str, CardHealth] | None:
    """The page's health map, or ``None`` when no card's health changed (nothing to send)."""
    return None if current == fresh else fresh


def _read_banner(member: Member, query: dict) -> ErrorView:
    """Page load, in a worker thread: the error banner from the caller's own flow row."""
    return banner_from_query(query, member.user.id) if query.get("error") else NO_ERROR


def _read_page(workspace_id: int, query: AccountQuery) -> AccountPage:
    return workspace_account_page(workspace_id, query)


@workspace_data
class ConnectionsState(rx.State):
    # this tab's page of the workspace's connected accounts (services.account_views.account_page):
    # the cards, and apart from them each card's health by account id (the part that changes alone)
    accounts: rx.Field[list[CardView]] = rx.field(default_factory=list)
    health: rx.Field[dict[str, CardHealth]] = rx.field(default_factory=dict)
    account_total: rx.Field[int] = rx.field(0)  # every connected account: the plan usage
    matching: rx.Field[int] = rx.field(0)  # those the search and filters keep
    page: rx.Field[int] = rx.field(1)
    pages: rx.Field[int] = rx.field(1)
    platform_counts: rx.Field[dict[str, int]] = rx.field(default_factory=dict)
    reconnect_count: rx.Field[int] = rx.field(0)
    search: rx.Field[str] = rx.field("")
    platform_filter: rx.Field[str] = rx.field("")
    health_filter: rx.Field[str] = rx.field("")
    loaded: bool = False
    tiles: list[Tile] = []
    plan: rx.Field[str] = rx.field("free")
    sheet_platform: str = ""
    upgrade_platform: str = ""
    connecting: str = ""
    banner: ErrorView = NO_ERROR
    notice: rx.Field[str] = rx.field("")
    sandbox: bool = True
    storage_ok: bool = True
    standalone: bool = False
    owners: str = ""  # who can upgrade the plan, named to members at the plan limit
    touch_points: int = 0  # navigator.maxTouchPoints: tells an iPad (desktop Safari UA) from a Mac
    show_tour: bool = False
    intent: str = Intent.CONNECT.value  # ONBOARDING on the onboarding page, so the flow returns there
    notify_platforms: rx.Field[list[str]] = rx.field(
        default_factory=list
    )  # coming-soon platforms this user asked to hear about
    launch_notices: rx.Field[list[LaunchNotice]] = rx.field(
        default_factory=list
    )  # launched platforms this user asked about and has not dismissed (services/launch_notifications)
    # The open sheet's "Account readiness" (services/connect_readiness.py): for which platform, its
    # status ("checking" or a ReadinessStatus value), the items shown, how many more, and a note.
    readiness_platform: str = ""
    readiness_status: str = ""
    readiness_items: rx.Field[list[ReadinessItem]] = rx.field(default_factory=list)
    readiness_more: rx.Field[int] = rx.field(0)
    readiness_problem: rx.Field[str] = rx.field("")
    _readiness_run: int = 0  # the latest check; an older one's answer is dropped
    _readiness_busy: bool = False
    _readiness_started: float = 0.0  # time.time() when the latest check asks Graph

    @rx.var
    def limit(self) -> int:
        """The plan's account limit; -1 when unlimited."""
        limit = Plan(self.plan).account_limit
        return -1 if limit is None else limit

    @rx.var
    def sheet_open(self) -> bool:
        return self.sheet_platform != ""

    @rx.var
    def upgrade_open(self) -> bool:
        return self.upgrade_platform != ""

    @rx.var
    def upgrade_plan(self) -> str:
        return next((t.unlock_plan for t in self.tiles if t.platform == self.upgrade_platform), "")

    @rx.var
    def upgrade_name(self) -> str:
        return next((t.name for t in self.tiles if t.platform == self.upgrade_platform), "")

    async def _member(self) -> Member | None:
        """The caller, freshly checked; a signed-out tab loses whatever it still showed."""
        session = await self.get_state(SessionState)
        member = await session.member()
        if member is None:
            await session.forget_tab()
        return member

    @rx.event
    async def load(self):
        member = await self._member()
        if member is None:
            return
        plan = Plan(member.plan)
        onboarding = self.router.url.path.rstrip("/") == routes.ONBOARDING
        self.intent = (Intent.ONBOARDING if onboarding else Intent.CONNECT).value
        self.show_tour = not member.user.tour_done and not onboarding
        self.plan = plan.value
        self.tiles = [_tile(p, plan) for p in Platform]
        self.sandbox = any(uses_sandbox(p) for p in CONNECTABLE_PLATFORMS)
        query = dict(self.router.url.query_parameters)
        await (await self.get_state(SessionState)).bind_tab(member)
        banner = await run_in_threadpool(_read_banner, member, query)
        requests = await run_in_threadpool(launch_notifications.of_user, member.user_id)  # one read for both
        self.notify_platforms, self.launch_notices = requests.asked, _as_notices(requests.due)
        self.owners = ", ".join(await run_in_threadpool(workspaces.owner_names, member.workspace_id))
        await self.read_accounts(member.workspace_id)
        if banner.shown and (self.banner.code, self.banner.platform) != (banner.code, banner.platform):
            self.banner = banner  # a banner this tab's own flow result already set (with names) stays
        sheet = query.get("sheet", "")  # the support assistant's "Open the setup guide"
        probe = rx.call_script(_STORAGE_PROBE, callback=ConnectionsState.set_storage_ok)
        if any(t.platform == sheet and t.has_sheet and t.gate == Gate.OPEN.value for t in self.tiles):
            self.sheet_platform = sheet
            return [probe, ConnectionsState.check_readiness(sheet)]  # type: ignore[misc]  # Reflex: mypy sees a background @rx.event as EventCallback
        return probe

    def apply_accounts(self, fresh: list[CardView]) -> None:
        """Apply a fresh read of this tab's page of accounts: only a real change touches the var."""
        merged = merge_accounts(self.accounts, fresh)
        if merged is not None:
            self.accounts = merged

    def apply_page(self, page: AccountPage) -> None:
        """A fresh page and its counts; vars whose value did not change are not sent again, so a
        change of one card's health sends only the health map (a few bytes a card), not the cards."""
        self.apply_accounts([v.card for v in page.views])
        health = merge_health(self.health, {str(v.id): v.health for v in page.views})
        if health is not None:
            self.health = health
        for name in ("page", "pages", "matching", "platform_counts", "reconnect_count"):
            if getattr(self, name) != getattr(page, name):
                setattr(self, name, getattr(page, name))
        if self.account_total != page.total:
            self.account_total = page.total
        if not self.loaded:
            self.loaded = True

    async def read_accounts(self, workspace_id: int) -> None:
        """Re-read this tab's page (its search, filters and page number) from the database: on
        load, on reload, on a filter change, and from a live push when the workspace changed."""
        health = Health(self.health_filter) if self.health_filter else None
        query = AccountQuery(self.search, self.platform_filter, health, self.page)
        self.apply_page(await run_in_threadpool(_read_page, workspace_id, query))

    def remove_account(self, account_id: int) -> None:
        if any(a.id == account_id for a in self.accounts):
            self.accounts = [a for a in self.accounts if a.id != account_id]
            self.account_total = max(0, self.account_total - 1)

    async def _reread(self) -> None:
        member = await self._member()
        if member is not None:
            await self.read_accounts(member.workspace_id)

    @rx.event
    async def search_accounts(self, text: str):
        """The search box (debounced in the browser): name or @handle, from the first page."""
        self.search, self.page = str(text)[:100], 1
        await self._reread()

    @rx.event
    async def filter_platform(self, platform: str):
        self.platform_filter = platform if platform in self.platform_counts else ""
        self.page = 1
        await self._reread()

    @rx.event
    async def filter_health(self, health: str):
        self.health_filter = health if health in tuple(Health) else ""
        self.page = 1
        await self._reread()

    @rx.event
    async def clear_filters(self):
        self.search, self.platform_filter, self.health_filter, self.page = "", "", "", 1
        await self._reread()

    @rx.event
    async def go_to_page(self, page: int):
        self.page = max(1, min(int(page), self.pages))
        await self._reread()

    @rx.event
    async def finish_tour(self):
        """Finished or skipped: either way the tour is not shown again to this user."""
        self.show_tour = False
        member = await self._member()
        if member is None:
            return
        (await self.get_state(SessionState))._tour_done = True
        assert member.user.id is not None  # a stored user always has its primary key
        await run_in_threadpool(members.mark_tour_done, member.user.id)

    @rx.event
    def set_storage_ok(self, probe: dict):
        self.storage_ok = bool(probe.get("storage"))
        self.standalone = bool(probe.get("standalone"))
        touch = probe.get("touch")
        self.touch_points = touch if isinstance(touch, int) and 0 <= touch < 100 else 0

    @rx.event
    async def reload(self):
        """Focus, visibility or app-switch return: clear any spinner and re-read the list for this
        tab only (other tabs get pushes for real changes, never for a reload)."""
        member = await self._member()
        if member is None:
            return
        self.connecting = ""
        await (await self.get_state(SessionState)).bind_tab(member)  # keeps the registration fresh
        await self.read_accounts(member.workspace_id)

    @rx.event
    def on_visibility(self, hidden: bool):
        if not hidden:
            return ConnectionsState.reload

    @rx.event
    async def choose_platform(self, platform: str):
        session = await self.get_state(SessionState)
        tile = next((t for t in self.tiles if t.platform == platform), None)
        if tile is None:
            return
        if tile.gate == Gate.COMING_SOON.value:
            return rx.toast.info(session.t("connect.coming_soon_toast", platform=tile.name))
        if tile.gate == Gate.UPGRADE.value:
            self.upgrade_platform = platform
            return
        if tile.has_sheet:
            self.sheet_platform = platform
            return ConnectionsState.check_readiness(platform)  # type: ignore[misc]  # Reflex: mypy sees a background @rx.event as EventCallback
        return ConnectionsState.begin_oauth(platform, self.intent, 0)  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace

    @rx.event
    async def set_notify(self, platform: str, wanted: bool):
        """ "Notify me" on a coming-soon tile, and its undo: stored per user (services/launch_notifications)."""
        member = await self._member()
        if member is None:
            return rx.redirect(routes.SIGN_IN)
        change = launch_notifications.ask if wanted else launch_notifications.withdraw
        try:
            await run_in_threadpool(change, member.user_id, platform)
        except ServiceError as error:
            return rx.toast.error((await self.get_state(SessionState)).t(error.code))
        self.notify_platforms = await run_in_threadpool(launch_notifications.requested, member.user_id)
        return None

    async def _launch_notice_delivered(self, member: Member, platform: str) -> str:
        """Record that the caller has had ``platform``'s launch notice: their own request only
        (``launch_notifications.mark_notified`` refuses a platform still coming soon), then read
        the notices left for them. The refusal's catalogue code, or "" when recorded."""
        try:
            await run_in_threadpool(launch_notifications.mark_notified, member.user_id, platform)
        except ServiceError as error:
            return error.code
        self.launch_notices = await run_in_threadpool(_launch_notices, member.user_id)
        return ""

    @rx.event
    async def dismiss_launch_notice(self, platform: str):
        """The launch notice's close button: delivered, not shown again."""
        member = await self._member()
        if member is None:
            return rx.redirect(routes.SIGN_IN)
        if refused := await self._launch_notice_delivered(member, platform):
            return rx.toast.error((await self.get_state(SessionState)).t(refused))
        return None

    @rx.event
    async def connect_launched(self, platform: str):
        """The launch notice's Connect action: delivered, then the platform's normal connect flow
        (setup sheet, upgrade prompt or OAuth, as its tile would)."""
        member = await self._member()
        if member is None:
            return rx.redirect(routes.SIGN_IN)
        if refused := await self._launch_notice_delivered(member, platform):
            return rx.toast.error((await self.get_state(SessionState)).t(refused))
        return ConnectionsState.choose_platform(platform)  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace

    @rx.event
    def close_sheet(self, _open: bool = False):
        self.sheet_platform = ""

    @rx.event(background=True)
    async def check_readiness(self, platform: str):
        """The open sheet's readiness check (the sheet opening, or "Check again"), in the
        background so nothing waits for Graph: Continue works at once, whatever the check does.

        Only for the sheet this tab has open, for the caller's own workspace (the session cookie
        and membership are checked again, and again by the service); one check at a time per tab
        (the other sheet's check supersedes it) and at most one per ``READINESS_MIN_INTERVAL``: a
        check asked sooner shows "checking" at once and waits out the rest of the interval."""
        async with self:
            now = time.time()  # wall clock: with several workers the next event may run elsewhere
            running = self._readiness_busy and now - self._readiness_started < READINESS_BUSY_FOR_AT_MOST
            if platform not in READINESS_PLATFORMS or self.sheet_platform != platform:
                return
            if running and self.readiness_platform == platform:  # its answer is on the way
                return
            member = await self._member()
            if member is None:
                self.sheet_platform = ""
                return
            wait = min(max(0.0, self._readiness_started + READINESS_MIN_INTERVAL - now), READINESS_MIN_INTERVAL)
            self._readiness_busy, self._readiness_started = True, now + wait
            self._readiness_run += 1
            run, user_id, workspace_id = self._readiness_run, member.user_id, member.workspace_id
            self._show_readiness(platform, READINESS_CHECKING)
        try:
            if wait:
                await asyncio.sleep(wait)
            result = await connect_readiness.check_readiness(user_id, workspace_id, platform)
        except ServiceError:  # no longer a member of the workspace: nothing to show
            result = None
        except Exception:  # a bug must not leave the sheet spinning: say the check could not run
            log.exception("readiness check failed")
            result = connect_readiness.Readiness(
                connect_readiness.ReadinessStatus.FAILED, problem=connect_readiness.TEMPORARY_PROBLEM
            )
        async with self:
            if run != self._readiness_run:  # a newer check (the other sheet, or after a lost one) owns it now
                return
            self._readiness_busy = False
            if self.sheet_platform != platform:
                # The sheet closed meanwhile (Continue, Cancel): change nothing it shows, since
                # re-rendering a closing dialog can leave Radix's overlay mounted over the page,
                # blocking clicks. The next opening checks afresh.
                return
            if result is None:
                self.sheet_platform = ""
                self._show_readiness("", "")
            else:
                self._show_readiness(platform, result.status.value, list(result.items), result.more, result.problem)

    def _show_readiness(
        self, platform: str, status: str, items: list[ReadinessItem] | None = None, more: int = 0, problem: str = ""
    ) -> None:
        self.readiness_platform, self.readiness_status = platform, status
        self.readiness_items, self.readiness_more, self.readiness_problem = items or [], more, problem

    @rx.event
    def close_upgrade(self, _open: bool = False):
        self.upgrade_platform = ""

    @rx.event
    async def begin_oauth(self, platform: str, intent: str = Intent.CONNECT.value, account_id: int = 0):
        session = await self.get_state(SessionState)
        self.sheet_platform = ""
        self.banner = NO_ERROR
        self.notice = ""
        member = await self._member()
        if member is None:
            return rx.redirect(routes.SIGN_IN)
        device = Device.from_user_agent(self.router.headers.user_agent, self.standalone, self.touch_points)
        return_path = routes.ONBOARDING if intent == Intent.ONBOARDING else self._return_route()
        try:
            started = await run_in_threadpool(
                in_transaction,
                connect.start_flow,
                user_id=member.user.id,
                workspace_id=member.workspace_id,
                platform=platform,
                intent=intent,
                return_path=return_path,
                client_token=self.router.session.client_token,
                device=device,
                reconnect_account_id=account_id or None,
            )
        except connect.FlowNotStarted as problem:  # a server setting: the banner, with its code and support link
            self.banner = connection_error_view(problem.code, problem.platform)
            return None
        except ServiceError as error:
            return rx.toast.error(session.t(error.code))
        self.connecting = platform
        url = json.dumps(started.authorize_url)
        if started.open_mode is OpenMode.NEW_TAB:
            return rx.call_script(f"(window.open({url}, '_blank') || window.location.assign({url}))")
        return rx.call_script(f"window.location.assign({url})")

    def _return_route(self) -> str:
        return (
            routes.MOBILE_CONNECTIONS
            if self.router.url.path.rstrip("/") == routes.MOBILE_CONNECTIONS
            else routes.CONNECTIONS
        )

    @rx.event
    def leave_mobile_route_on_desktop(self, is_desktop: bool):
        """The mobile route is for phones; on desktop the workspace connections canvas is the page."""
        if is_desktop:
            return rx.redirect(routes.CONNECTIONS, replace=True)

    def apply_flow_result(self, result: FlowOutcome) -> None:
        """Called by the server push when this tab's flow finishes in another tab."""
        self.connecting = ""
        if result.status is FlowStatus.ERROR:
            self.banner = flow_error_view(result)
            self.notice = ""
        elif result.status is FlowStatus.SUCCESS:
            self.banner = NO_ERROR
            self.notice = "connect.account_connected"

    @rx.event
    def dismiss_banner(self):
        self.banner = NO_ERROR
        return rx.redirect(routes.CONNECTIONS, replace=True) if self.router.url.query_parameters.get("error") else None

    @rx.event
    async def announce_notice(self):
        """The notice as a toast with a close button, once: on desktop in the tab that started the
        flow (the live push sets it), on mobile after the return (the tab's state kept it)."""
        key, self.notice = self.notice, ""
        if not key:
            return None
        session = await self.get_state(SessionState)
        return rx.toast.success(session.t(key), close_button=True, duration=8000)


_STORAGE_PROBE = """(() => {
  let storage = false;
  try { localStorage.setItem('sz-probe', '1'); localStorage.removeItem('sz-probe'); storage = true; } catch (e) {}
  const standalone = window.matchMedia('(display-mode: standalone)').matches || window.navigator.standalone === true;
  return {storage, standalone, touch: navigator.maxTouchPoints || 0};
})()"""
