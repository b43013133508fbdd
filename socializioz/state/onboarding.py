"""The set-up wizard (``/onboarding``): which step this tab shows, and the handlers that move it.

Every handler re-checks the caller from the session cookie and does its database work in a worker
thread (``services/onboarding.py``); the step is stored per user, so an OAuth redirect, a reload or
a new sign-in resumes where the user was.
"""

from __future__ import annotations

import reflex as rx
from starlette.concurrency import run_in_threadpool

from socializioz import routes
from socializioz.domain import onboarding as steps
from socializioz.services import onboarding
from socializioz.services.errors import ServiceError
from socializioz.state.session import Member, SessionState, workspace_data

# Where step 3's "what next" buttons go; the browser names one, the server maps it to a route.
NEXT_PLACES = {"connections": routes.CONNECTIONS, "compose": routes.COMPOSE, "workspaces": routes.WORKSPACES}
_BROWSER_TIME_ZONE = "Intl.DateTimeFormat().resolvedOptions().timeZone || ''"


@workspace_data
class OnboardingState(rx.State):
    step: rx.Field[int] = rx.field(steps.WORKSPACE)
    loaded: bool = False
    workspace_name: str = ""
    timezone: str = ""
    can_edit_workspace: bool = True
    error_key: rx.Field[str] = rx.field("")
    _zone_chosen: bool = False  # the person picked a zone: the browser's suggestion comes too late

    async def _member(self) -> Member | None:
        return await (await self.get_state(SessionState)).member()

    @rx.event
    async def load(self):
        member = await self._member()
        if member is None:
            return None
        asked = self.router.url.query_parameters.get("step")
        view = await run_in_threadpool(onboarding.open_wizard, member.user_id, member.workspace_id, asked)
        self.step, self.workspace_name, self.timezone = view.step, view.workspace_name, view.timezone
        self.can_edit_workspace = view.can_edit_workspace
        self.error_key = ""
        self.loaded, self._zone_chosen = True, False
        if view.timezone == "UTC":  # never chosen: suggest the browser's own zone
            return rx.call_script(_BROWSER_TIME_ZONE, callback=OnboardingState.suggest_timezone)
        return None

    @rx.event
    def suggest_timezone(self, zone: str):
        """The browser's own zone, unless the person already picked one (a quick choice arrives
        before the browser's answer and must not be overwritten)."""
        if isinstance(zone, str) and zone and not self._zone_chosen:
            self.timezone = zone

    @rx.event
    def set_timezone(self, zone: str):
        self.timezone, self._zone_chosen = zone, True

    @rx.event
    async def save_workspace(self, form: dict):
        """Step 1's form: checked on the server, then step 2 (and the chosen language at once)."""
        member = await self._member()
        if member is None:
            return rx.redirect(routes.SIGN_IN)
        if self._zone_chosen and isinstance(form, dict):
            # The zone the person picked, as this state holds it (its events arrive in order): the
            # controlled select shows the old zone until the server answers, and a form sent in that
            # moment carried the old one (seen on a loaded CI box).
            form = {**form, "timezone": self.timezone}
        try:
            language = await run_in_threadpool(
                onboarding.save_workspace_step, member.user_id, member.workspace_id, form
            )
        except ServiceError as error:
            self.error_key = error.code
            return None
        self.error_key = ""
        self.step = steps.CONNECT
        session = await self.get_state(SessionState)
        session.lang = language
        await session.reload_profile()  # the top bar shows the new workspace name
        return SessionState.apply_direction

    @rx.event
    async def go_to(self, step: int):
        """Back and Continue: remembered, so a later visit resumes at this step."""
        member = await self._member()
        if member is None:
            return rx.redirect(routes.SIGN_IN)
        self.error_key = ""
        self.step = await run_in_threadpool(onboarding.go_to, member.user_id, step)
        return None

    @rx.event
    async def leave(self, place: str = "connections"):
        """Skip (any step) or finish (step 3): the wizard is done; Connections greets the user with
        the guided tour."""
        member = await self._member()
        if member is None:
            return rx.redirect(routes.SIGN_IN)
        await run_in_threadpool(onboarding.finish, member.user_id)
        (await self.get_state(SessionState))._onboarding_step = steps.FINISHED
        return rx.redirect(NEXT_PLACES.get(place, routes.CONNECTIONS))
