"""The Workspaces page: memberships, creating a workspace, members of the active one."""

from __future__ import annotations

import reflex as rx

from socializioz.services import workspaces
from socializioz.services.errors import ServiceError
from socializioz.state.session import SessionState


class WorkspacesState(rx.State):
    members: list[dict[str, str]] = []
    create_open: bool = False
    error_key: str = ""
    member_error_key: str = ""

    @rx.event
    async def load(self):
        session = await self.get_state(SessionState)
        if not session.signed_in:
            return
        self.create_open = self.router.url.query_parameters.get("create") == "1"
        with session.user_scope() as (db, user):
            if user is None:
                return
            self.members = [
                {"user_id": str(m.user_id), "name": m.name, "email": m.email, "role": m.role}
                for m in workspaces.members(db, user, session.workspace_id)
            ]

    @rx.event
    def set_create_open(self, value: bool):
        self.create_open = value
        self.error_key = ""

    @rx.event
    async def create(self, form: dict):
        session = await self.get_state(SessionState)
        name = (form.get("name") or "").strip()
        if not name:
            self.error_key = "workspace.name_required"
            return
        with session.user_scope() as (db, user):
            if user is None:
                return
            workspaces.create_workspace(db, user, name)
            session._load_user(db, user)
        self.create_open = False
        self.error_key = ""
        return [rx.toast.success(session.t("workspace.created")), WorkspacesState.load]

    @rx.event
    async def add_member(self, form: dict):
        session = await self.get_state(SessionState)
        with session.user_scope() as (db, user):
            if user is None:
                return
            try:
                workspaces.add_member(db, user, session.workspace_id, form.get("email", ""), form.get("role", "member"))
            except ServiceError as error:
                self.member_error_key = error.code
                return
        self.member_error_key = ""
        return [rx.toast.success(session.t("workspace.member_added")), WorkspacesState.load]

    @rx.event
    async def set_member_role(self, user_id: str, role: str):
        session = await self.get_state(SessionState)
        with session.user_scope() as (db, user):
            if user is None:
                return
            try:
                workspaces.set_role(db, user, session.workspace_id, int(user_id), role)
            except (ServiceError, ValueError) as error:
                return rx.toast.error(session.t(getattr(error, "code", "error.generic")))
        return [rx.toast.success(session.t("workspace.role_changed")), WorkspacesState.load]
