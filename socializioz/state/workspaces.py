"""The Workspaces page: memberships, creating a workspace, members and invitations.

Every handler resolves the user from the session cookie and checks the role in the service; the
database work runs in a worker thread so the event loop stays free (docs/architecture.md, "The event loop never blocks").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from starlette.concurrency import run_in_threadpool

from socializioz import routes
from socializioz.services import invitations, workspaces
from socializioz.services.errors import ServiceError
from socializioz.settings import get_settings
from socializioz.state.session import SessionState


def invite_link(raw_token: str) -> str:
    return get_settings().public_base_url.rstrip("/") + routes.INVITE_PREFIX + raw_token


def _invitation_row(view: invitations.InvitationView) -> dict[str, str]:
    return {
        "id": str(view.id),
        "workspace": view.workspace_name,
        "email": view.email,
        "role": view.role,
        "inviter": view.inviter_name,
        "expires": view.expires_at.strftime("%Y-%m-%d"),
    }


class WorkspacesState(rx.State):
    members: list[dict[str, str]] = []
    sent_invitations: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    my_invitations: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    create_open: bool = False
    error_key: rx.Field[str] = rx.field("")
    member_error_key: rx.Field[str] = rx.field("")
    # The link of the invitation just made, shown once to its inviter (only its hash is stored).
    new_invite_link: str = ""
    new_invite_message: str = ""
    # the active workspace's settings (owners and admins change them)
    settings_name: str = ""
    settings_timezone: str = ""
    settings_error_key: rx.Field[str] = rx.field("")

    async def _as_user(self, work: Callable[[Any, Any, SessionState], Any]) -> Any:
        """Run ``work(db, user, session)`` in a worker thread; ``None`` when signed out."""
        session = await self.get_state(SessionState)

        def run():
            with session.user_scope() as (db, user):
                return None if user is None else work(db, user, session)

        return await run_in_threadpool(run)

    @rx.event
    async def load(self):
        session = await self.get_state(SessionState)
        if not session.signed_in:
            return
        self.create_open = self.router.url.query_parameters.get("create") == "1"

        def read(db, user, session):
            ws_id = session.workspace_id
            members = [
                {"user_id": str(m.user_id), "name": m.name, "email": m.email, "role": m.role}
                for m in workspaces.members(db, user, ws_id)
            ]
            sent = (
                [_invitation_row(v) for v in invitations.pending_for_workspace(db, user, ws_id)]
                if session.is_admin
                else []
            )
            mine = [_invitation_row(v) for v in invitations.pending_for_user(db, user)]
            return members, sent, mine, workspaces.workspace_settings(db, user, ws_id)

        try:
            loaded = await self._as_user(read)
        except ServiceError:
            return
        if loaded is not None:
            self.members, self.sent_invitations, self.my_invitations, settings = loaded
            self.settings_name, self.settings_timezone = settings
            self.settings_error_key = ""

    @rx.event
    def set_settings_timezone(self, zone: str):
        self.settings_timezone = zone

    @rx.event
    async def save_settings(self, form: dict):
        """Rename the active workspace and set its time zone; the service checks the role and both
        values before writing anything."""
        form = form if isinstance(form, dict) else {}
        # The zone as this state holds it (set by the select's change, which arrives before the
        # submit): the controlled select shows the old zone until the server answers.
        zone = self.settings_timezone or form.get("timezone")

        def save(db, user, session):
            workspaces.update_settings(db, user, session.workspace_id, form.get("name"), zone)
            db.flush()
            session._load_user(db, user)
            return True

        session = await self.get_state(SessionState)
        try:
            if await self._as_user(save) is None:
                return None
        except ServiceError as error:
            self.settings_error_key = error.code
            return None
        self.settings_error_key = ""
        return [rx.toast.success(session.t("workspace.settings_saved")), WorkspacesState.load]

    @rx.event
    def set_create_open(self, value: bool):
        self.create_open = value
        self.error_key = ""

    @rx.event
    async def create(self, form: dict):
        name = form.get("name") if isinstance(form, dict) else ""
        if not isinstance(name, str) or not name.strip():
            self.error_key = "workspace.name_required"
            return
        if len(name) > workspaces.MAX_WORKSPACE_NAME:
            self.error_key = "workspace.name_too_long"
            return

        def make(db, user, session):
            workspaces.create_workspace(db, user, name)
            session._load_user(db, user)
            return True

        if await self._as_user(make) is None:
            return
        session = await self.get_state(SessionState)
        self.create_open = False
        self.error_key = ""
        return [rx.toast.success(session.t("workspace.created")), WorkspacesState.load]

    @rx.event
    async def invite(self, form: dict):
        """The same answer whether or not the e-mail has an account (finding 6)."""
        form = form if isinstance(form, dict) else {}
        self.new_invite_link = ""

        def make(db, user, session):
            return invitations.invite(
                db, user, session.workspace_id, form.get("email", ""), form.get("role") or "member"
            )

        try:
            made = await self._as_user(make)
        except ServiceError as error:
            self.member_error_key = error.code
            return
        if made is None:
            return
        raw, email = made
        session = await self.get_state(SessionState)
        self.member_error_key = ""
        self.new_invite_link = invite_link(raw)
        self.new_invite_message = session.t("invite.sent", email=email)
        return WorkspacesState.load

    @rx.event
    def dismiss_invite_link(self):
        self.new_invite_link = ""
        self.new_invite_message = ""

    @rx.event
    async def revoke_invitation(self, invitation_id: str):
        def revoke(db, user, session):
            invitations.revoke(db, user, session.workspace_id, int(invitation_id))
            return True

        session = await self.get_state(SessionState)
        try:
            await self._as_user(revoke)
        except (ServiceError, ValueError) as error:
            return rx.toast.error(session.t(getattr(error, "code", "error.generic")))
        return [rx.toast.success(session.t("invite.revoked")), WorkspacesState.load]

    @rx.event
    async def respond(self, invitation_id: str, accept: bool):
        """Accept or decline an invitation listed for the signed-in user."""

        def respond(db, user, session):
            view = invitations.respond_by_id(db, user, int(invitation_id), bool(accept))
            if accept:
                workspaces.set_active_workspace(db, user, view.workspace_id)
                db.flush()
                session._load_user(db, user)
            return view

        session = await self.get_state(SessionState)
        try:
            view = await self._as_user(respond)
        except (ServiceError, ValueError) as error:
            return [rx.toast.error(session.t(getattr(error, "code", "error.generic"))), WorkspacesState.load]
        if view is None:
            return
        key = "invite.accepted" if accept else "invite.declined"
        return [rx.toast.success(session.t(key, workspace=view.workspace_name)), WorkspacesState.load]

    @rx.event
    async def set_member_role(self, user_id: str, role: str):
        def change(db, user, session):
            workspaces.set_role(db, user, session.workspace_id, int(user_id), role)
            return True

        session = await self.get_state(SessionState)
        try:
            await self._as_user(change)
        except (ServiceError, ValueError) as error:
            return rx.toast.error(session.t(getattr(error, "code", "error.generic")))
        return [rx.toast.success(session.t("workspace.role_changed")), WorkspacesState.load]
