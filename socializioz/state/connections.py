"""The Connections page: platform tiles and their gates, setup sheets, starting OAuth, the
connecting spinner, the error banner, and the live account list (shared per workspace).
"""

from __future__ import annotations

import json

import reflex as rx

from socializioz.domain import errors as error_catalogue
from socializioz.domain.connect_rules import Device, Gate, OpenMode, tile_gate
from socializioz.domain.plans import Plan
from socializioz.domain.platforms import CONNECTABLE_PLATFORMS, PLATFORMS, Platform
from socializioz.integrations.factory import uses_sandbox
from socializioz.pages import routes
from socializioz.services import connect
from socializioz.services.errors import ServiceError
from socializioz.state.live import WorkspaceFeed, load_account_views, workspace_token
from socializioz.state.session import SessionState


def _tile(platform: Platform, plan: Plan) -> dict:
    info = PLATFORMS[platform]
    gate = tile_gate(platform, plan, connected_accounts=0)
    return {
        "platform": platform.value,
        "name": info.display_name,
        "color": info.brand_color,
        "gate": gate.gate.value,
        "unlock_plan": gate.unlocking_plan.value if gate.unlocking_plan else "",
        "has_sheet": info.has_setup_sheet,
    }


def error_banner(code: str, platform: str, params: dict | None = None) -> dict:
    """The banner's view model: catalogue keys, so it re-renders in the chosen language."""
    params = params or {}
    try:
        entry = error_catalogue.describe(code, platform)  # TikTok's own codes pass through
    except error_catalogue.UnknownErrorCode:
        entry = error_catalogue.describe("token_exchange_failed")
    return {
        "code": code,
        "label": entry.displayed if entry.code == code else code,
        "platform": platform,
        "platform_name": PLATFORMS[Platform(platform)].display_name if platform in {p.value for p in Platform} else platform,
        "cause_key": entry.cause_key,
        "what_key": entry.what_to_do_key,
        "scope": params.get("scope", ""),
        "expected": params.get("expected", ""),
        "actual": params.get("actual", ""),
    }


class ConnectionsState(rx.State):
    tiles: list[dict] = []
    plan: str = "free"
    sheet_platform: str = ""
    upgrade_platform: str = ""
    connecting: str = ""
    banner: dict[str, str] = {}
    notice: str = ""
    sandbox: bool = True
    storage_ok: bool = True
    standalone: bool = False
    show_tour: bool = False
    intent: str = "connect"  # "onboarding" on the onboarding page, so the flow returns there

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
        return next((t["unlock_plan"] for t in self.tiles if t["platform"] == self.upgrade_platform), "")

    @rx.var
    def upgrade_name(self) -> str:
        return next((t["name"] for t in self.tiles if t["platform"] == self.upgrade_platform), "")

    @rx.event
    async def load(self):
        session = await self.get_state(SessionState)
        if not session.signed_in:
            return
        plan = Plan(session.plan)
        self.intent = "onboarding" if self.router.url.path.rstrip("/") == routes.ONBOARDING else "connect"
        self.show_tour = not session._tour_done and self.intent == "connect"
        self.plan = plan.value
        self.tiles = [_tile(p, plan) for p in Platform]
        self.sandbox = any(uses_sandbox(p) for p in CONNECTABLE_PLATFORMS)
        query = self.router.url.query_parameters
        if query.get("error"):
            self.banner = error_banner(query["error"], query.get("platform", ""), dict(query))
        feed = await self.get_state(WorkspaceFeed)
        feed = await feed._link_to(workspace_token(session.workspace_id))
        feed.accounts = load_account_views(session.workspace_id)
        feed.loaded = True
        return rx.call_script(_STORAGE_PROBE, callback=ConnectionsState.set_storage_ok)

    @rx.event
    async def finish_tour(self):
        """Finished or skipped: either way the tour is not shown again to this user."""
        session = await self.get_state(SessionState)
        self.show_tour = False
        session._tour_done = True
        with session.user_scope() as (db, user):
            if user is not None:
                user.tour_done = True
                db.add(user)

    @rx.event
    def set_storage_ok(self, probe: dict):
        self.storage_ok = bool(probe.get("storage"))
        self.standalone = bool(probe.get("standalone"))

    @rx.event
    async def reload(self):
        """Focus, visibility or app-switch return: clear any spinner and reload the list."""
        session = await self.get_state(SessionState)
        if not session.signed_in:
            return
        self.connecting = ""
        feed = await self.get_state(WorkspaceFeed)
        feed.accounts = load_account_views(session.workspace_id)

    @rx.event
    def on_visibility(self, hidden: bool):
        if not hidden:
            return ConnectionsState.reload

    @rx.event
    async def choose_platform(self, platform: str):
        session = await self.get_state(SessionState)
        tile = next((t for t in self.tiles if t["platform"] == platform), None)
        if tile is None:
            return
        if tile["gate"] == Gate.COMING_SOON.value:
            return rx.toast.info(session.t("connect.coming_soon_toast", platform=tile["name"]))
        if tile["gate"] == Gate.UPGRADE.value:
            self.upgrade_platform = platform
            return
        if tile["has_sheet"]:
            self.sheet_platform = platform
            return
        return ConnectionsState.begin_oauth(platform, self.intent, 0)

    @rx.event
    def close_sheet(self, _open: bool = False):
        self.sheet_platform = ""

    @rx.event
    def close_upgrade(self, _open: bool = False):
        self.upgrade_platform = ""

    @rx.event
    async def begin_oauth(self, platform: str, intent: str = "connect", account_id: int = 0):
        session = await self.get_state(SessionState)
        self.sheet_platform = ""
        self.banner = {}
        self.notice = ""
        device = Device.from_user_agent(self.router.headers.user_agent, self.standalone)
        return_path = routes.ONBOARDING if intent == "onboarding" else self._return_route()
        with session.user_scope() as (db, user):
            if user is None:
                return rx.redirect(routes.SIGN_IN)
            try:
                started = connect.start_flow(
                    db, user_id=user.id, workspace_id=session.workspace_id, platform=platform, intent=intent,
                    return_path=return_path, client_token=self.router.session.client_token, device=device,
                    reconnect_account_id=account_id or None,
                )
            except ServiceError as error:
                return rx.toast.error(session.t(error.code))
        self.connecting = platform
        url = json.dumps(started.authorize_url)
        if started.open_mode is OpenMode.NEW_TAB:
            return rx.call_script(f"(window.open({url}, '_blank') || window.location.assign({url}))")
        return rx.call_script(f"window.location.assign({url})")

    def _return_route(self) -> str:
        return routes.MOBILE_CONNECTIONS if self.router.url.path.rstrip("/") == routes.MOBILE_CONNECTIONS else routes.CONNECTIONS

    @rx.event
    def leave_mobile_route_on_desktop(self, is_desktop: bool):
        """The mobile route is for phones; on desktop the workspace connections canvas is the page."""
        if is_desktop:
            return rx.redirect(routes.CONNECTIONS, replace=True)

    def apply_flow_result(self, result: dict) -> None:
        """Called by the server push when this tab's flow finishes in another tab."""
        self.connecting = ""
        if result.get("status") == "error":
            self.banner = error_banner(result.get("code", ""), result.get("platform", ""), result.get("params"))
            self.notice = ""
        elif result.get("status") == "success":
            self.banner = {}
            self.notice = "connect.account_connected"

    @rx.event
    def dismiss_banner(self):
        self.banner = {}
        return rx.redirect(routes.CONNECTIONS, replace=True) if self.router.url.query_parameters.get("error") else None

    @rx.event
    def dismiss_notice(self):
        self.notice = ""


_STORAGE_PROBE = """(() => {
  let storage = false;
  try { localStorage.setItem('sz-probe', '1'); localStorage.removeItem('sz-probe'); storage = true; } catch (e) {}
  const standalone = window.matchMedia('(display-mode: standalone)').matches || window.navigator.standalone === true;
  return {storage, standalone};
})()"""
