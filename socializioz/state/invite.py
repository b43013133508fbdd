"""``/invite/<token>``: the invitee, signed in, sees who invited her where, and accepts or declines.

The raw token stays in a backend-only var; the page shows only the invitation's description.
"""

from __future__ import annotations

import reflex as rx
from starlette.concurrency import run_in_threadpool

from socializioz import routes
from socializioz.services import invitations, workspaces
from socializioz.services.errors import ServiceError
from socializioz.state.session import SessionState

_MAX_TOKEN = 100


class InviteState(rx.State):
    found: bool = False
    loaded: bool = False
    workspace: str = ""
    inviter: str = ""
    role: rx.Field[str] = rx.field("")
    email: str = ""
    error: str = ""
    _token: str = ""

    @rx.event
    async def load(self):
        session = await self.get_state(SessionState)
        path = self.router.url.path or ""
        self._token = path.strip("/").split("/")[-1][:_MAX_TOKEN] if path.startswith(routes.INVITE_PREFIX) else ""
        self.found, self.error, self.loaded = False, "", False
        token = self._token

        def read():
            with session.user_scope() as (db, user):
                return invitations.by_token(db, token) if user is not None else None

        view = await run_in_threadpool(read)
        self.loaded = True
        if view is not None:
            self.found = True
            self.workspace, self.inviter, self.role, self.email = (
                view.workspace_name,
                view.inviter_name,
                view.role,
                view.email,
            )

    @rx.event
    async def respond(self, accept: bool):
        session = await self.get_state(SessionState)
        token = self._token

        def respond():
            with session.user_scope() as (db, user):
                if user is None:
                    return None
                view = invitations.respond_by_token(db, user, token, bool(accept))
                if accept:
                    workspaces.set_active_workspace(db, user, view.workspace_id)
                return view

        try:
            view = await run_in_threadpool(respond)
        except ServiceError as error:
            self.error = session.t(error.code, **error.params)
            return
        if view is None:
            return rx.redirect(routes.SIGN_IN)
        key = "invite.accepted" if accept else "invite.declined"
        return [rx.toast.success(session.t(key, workspace=view.workspace_name)), rx.redirect(routes.WORKSPACES)]
