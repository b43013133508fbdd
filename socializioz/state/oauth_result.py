"""The branded result page shown after a platform sends the person back (spec step 6)."""

from __future__ import annotations

from urllib.parse import urlencode

import reflex as rx

from socializioz.domain.platforms import PLATFORMS, Platform
from socializioz.pages import routes
from socializioz.services import connect, oauth_flows
from socializioz.services.errors import ServiceError
from socializioz.state.connections import error_banner
from socializioz.state.session import SessionState


def _platform_name(platform: str) -> str:
    return PLATFORMS[Platform(platform)].display_name if platform in {p.value for p in Platform} else platform


class OAuthResultState(rx.State):
    status: str = ""  # success / error / confirm_instagram
    title: str = ""
    lines: list[str] = []
    error: dict[str, str] = {}
    instagram: list[dict] = []
    return_href: str = routes.CONNECTIONS
    onboarding: bool = False
    _flow_id: int = 0

    @rx.event
    async def load(self):
        session = await self.get_state(SessionState)
        query = self.router.url.query_parameters
        self.onboarding = query.get("intent") == "onboarding"
        if query.get("error"):
            return self._show_error(session, query["error"], query.get("platform", ""), dict(query))
        try:
            self._flow_id = int(query.get("flow", "0"))
        except ValueError:
            self._flow_id = 0
        with session.user_scope() as (db, user):
            found = oauth_flows.flow_result(db, self._flow_id, user.id) if user else None
        if found is None:
            return self._show_error(session, "session_expired" if not session.signed_in else "invalid_state", "", {})
        _flow, result = found
        self.onboarding = result.get("intent") == "onboarding"
        return self._show(session, result)

    def _show(self, session: SessionState, result: dict):
        self.status = result["status"]
        self.instagram = result.get("instagram", [])
        name = _platform_name(result.get("platform", ""))
        self.title = session.t("connect.result.success_title", platform=name)
        names = ", ".join(a["name"] for a in result.get("added", []))
        key = "connect.result.reconnected_body" if result.get("reconnected") else "connect.result.success_body"
        self.lines = [session.t(key, names=names)] if names else []
        plan = session.t(f"plan.{result.get('plan', 'free')}")
        self.lines += [session.t("connect.result.skipped", name=s["name"], plan=plan) for s in result.get("skipped", [])]
        if result.get("instagram_declined"):
            self.lines.append(session.t("connect.result.instagram_declined"))
        self.return_href = routes.safe_return_path(result.get("return_path"))
        if self.status == "success":
            return OAuthResultState.leave

    def _show_error(self, session: SessionState, code: str, platform: str, params: dict):
        self.status = "error"
        self.error = error_banner(code, platform, params)
        self.title = session.t("connect.result.error_title")
        base = routes.ONBOARDING if self.onboarding else routes.CONNECTIONS
        query = urlencode({"error": code, "platform": platform, **{k: v for k, v in params.items() if v}})
        self.return_href = f"{base}?{query}"  # the banner names both accounts of a wrong reconnect
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
        with session.user_scope() as (_db, user):
            user_id = user.id if user else None
        if user_id is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            result = await connect.confirm_instagram(user_id, self._flow_id, accept)
        except ServiceError as error:
            return rx.toast.error(session.t(error.code))
        return self._show(session, result)
