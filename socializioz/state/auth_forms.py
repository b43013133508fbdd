"""Sign-in and sign-up forms.

The password is checked here; the HttpOnly cookie is then set by ``POST /auth/session`` in
exchange for a one-time ticket, because a websocket event cannot set an HttpOnly cookie.
"""

from __future__ import annotations

import json
from functools import partial
from urllib.parse import quote

import reflex as rx
from starlette.concurrency import run_in_threadpool

from socializioz import routes
from socializioz.security.return_paths import safe_return_path
from socializioz.services import sign_in_forms


class AuthFormState(rx.State):
    error_key: rx.Field[str] = rx.field("")
    busy: bool = False
    _next_path: str = routes.CONNECTIONS

    @rx.var
    def next_param(self) -> str:
        return self.router.url.query_parameters.get("next", "")

    @rx.var
    def next_query(self) -> str:
        """``?next=…`` to carry between sign-in and sign-up (an invitation link comes back)."""
        target = self.next_param
        return f"?next={quote(target, safe='')}" if target and safe_return_path(target) == target else ""

    @rx.event
    def reset_form(self):
        self.error_key = ""
        self.busy = False

    @rx.event
    async def sign_in(self, form: dict):
        self.error_key = ""
        ticket = await run_in_threadpool(sign_in_forms.sign_in_ticket, form, self.router.session.client_ip)
        return self._after_check(ticket)

    @rx.event
    async def sign_up(self, form: dict):
        self.error_key = ""
        ticket = await run_in_threadpool(
            partial(sign_in_forms.sign_up_ticket, start_onboarding=not self.next_param),
            form,
            self.router.session.client_ip,
        )
        return self._after_check(ticket)

    def _after_check(self, outcome: tuple[str, str]):
        ticket, error_key = outcome
        if error_key:
            self.error_key = error_key
            return None
        return self._start_session(ticket)

    def _start_session(self, ticket: str):
        self.busy = True
        # Without a "next", home decides: the set-up wizard while unfinished, else Connections.
        self._next_path = safe_return_path(self.next_param) if self.next_param else routes.HOME
        return rx.call_script(
            "fetch('/auth/session',{method:'POST',credentials:'same-origin',"
            f"headers:{{'Content-Type':'application/json'}},body:{json.dumps(json.dumps({'ticket': ticket}))}}})"
            ".then(r=>r.ok).catch(()=>false)",
            callback=AuthFormState.session_started,
        )

    @rx.event
    def session_started(self, ok: bool):
        """A full page load, so the websocket reconnects carrying the new cookie."""
        if not ok:
            self.busy = False
            self.error_key = "auth.session_failed"
            return
        return rx.call_script(f"window.location.assign({json.dumps(self._next_path)})")
