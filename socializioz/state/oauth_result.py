"""The branded result page shown after a platform sends the person back (spec step 6)."""

from __future__ import annotations

from urllib.parse import urlencode

import reflex as rx
from starlette.concurrency import run_in_threadpool

from socializioz import routes
from socializioz.domain.connect_rules import FlowStatus, Intent
from socializioz.domain.platforms import PLATFORMS, Platform
from socializioz.security.return_paths import safe_return_path
from socializioz.services import connect, oauth_flows
from socializioz.services.errors import ServiceError
from socializioz.services.oauth_flows import FlowOutcome, PendingInstagram
from socializioz.state.error_view import NO_ERROR, ErrorView, banner_from_query, flow_error_view
from socializioz.state.session import SessionState, workspace_data


def _platform_name(platform: str) -> str:
    return PLATFORMS[Platform(platform)].display_name if platform in {p.value for p in Platform} else platform


@workspace_data
class OAuthResultState(rx.State):
    status: str = ""  # a FlowStatus value, or "" while loading
    title: str = ""
    lines: list[str] = []
    error: ErrorView = NO_ERROR
    instagram: list[PendingInstagram] = []
    return_href: str = routes.CONNECTIONS
    onboarding: bool = False
    _flow_id: int = 0

    @rx.event
    async def load(self):
        """Names and details come only from the signed-in user's flow row (``?flow=<id>``); an
        error code in the URL is shown only when the catalogue knows it (finding 10)."""
        session = await self.get_state(SessionState)
        self._forget_previous_flow()
        member = await session.member()
        if member is not None:
            await session.bind_tab(member)  # the page shows the user's flow result
        user_id = member.user.id if member else None
        query = dict(self.router.url.query_parameters)
        self.onboarding = query.get("intent") == Intent.ONBOARDING
        flow = query.get("flow", "")
        self._flow_id = int(flow) if flow.isdigit() else 0
        if query.get("error"):
            error = await run_in_threadpool(banner_from_query, query, user_id)
            return self._show_error(session, error)
        result = await run_in_threadpool(oauth_flows.read_flow_result, self._flow_id, user_id) if user_id else None
        if result is None:
            code = "session_expired" if member is None else "invalid_state"
            return self._show_error(session, banner_from_query({"error": code}, None))
        self.onboarding = result.intent is Intent.ONBOARDING
        if result.failed:
            return self._show_error(session, flow_error_view(result))
        return self._show(session, result)

    def _forget_previous_flow(self) -> None:
        """The tab's state outlives a page: an earlier flow's lines ("Added: …") must not show
        under this flow's result."""
        self.status, self.title, self.lines, self.error, self.instagram = "", "", [], NO_ERROR, []

    def _show(self, session: SessionState, result: FlowOutcome):
        self.status = result.status.value
        self.instagram = result.instagram
        name = _platform_name(result.platform)
        self.title = session.t("connect.result.success_title", platform=name)
        names = ", ".join(a["name"] for a in result.added)
        key = "connect.result.reconnected_body" if result.reconnected else "connect.result.success_body"
        self.lines = [session.t(key, names=names)] if names else []
        plan = session.t(f"plan.{result.plan or 'free'}")
        self.lines += [session.t("connect.result.skipped", name=s["name"], plan=plan) for s in result.skipped]
        if result.instagram_declined:
            self.lines.append(session.t("connect.result.instagram_declined"))
        self.return_href = safe_return_path(result.return_path or None)
        if result.status is FlowStatus.SUCCESS:
            return OAuthResultState.leave

    def _show_error(self, session: SessionState, error: ErrorView):
        self.status = FlowStatus.ERROR.value
        self.error = error
        self.title = session.t("connect.result.error_title")
        base = routes.ONBOARDING if self.onboarding else routes.CONNECTIONS
        # Only the code, platform and flow id travel on: the banner reads the names from the flow row.
        query = {"error": error.code, "platform": error.platform, "flow": str(self._flow_id or "")}
        self.return_href = f"{base}?{urlencode({k: v for k, v in query.items() if v})}"
        return OAuthResultState.leave

    @rx.event
    def leave(self):
        """Try to close the tab (it was opened for the flow); otherwise go back after a few seconds."""
        return rx.call_script(
            "setTimeout(() => { window.close(); setTimeout(() => window.location.assign("
            f"{self.return_href!r}), 2500); }}, 1200)"
        )

    @rx.event
    async def answer_instagram(self, accept: bool):
        session = await self.get_state(SessionState)
        member = await session.member()
        if member is None:
            return rx.redirect(routes.SIGN_IN)
        assert member.user.id is not None  # a stored user always has its primary key
        try:
            result = await connect.confirm_instagram(member.user.id, self._flow_id, accept)
        except ServiceError as error:
            return rx.toast.error(session.t(error.code))
        return self._show(session, result)
