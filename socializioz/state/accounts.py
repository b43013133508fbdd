"""Account cards and the details panel: expand, details (also from ``?account=<id>``), Refresh
content, the admin-only token debug section, and disconnect with confirmation.

Every handler re-reads the signed-in user from the session cookie and goes through a service
that checks the workspace and the role; the browser only ever receives view models.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from starlette.concurrency import run_in_threadpool

from socializioz.domain.platforms import META_PLATFORM_NAMES
from socializioz.services import notify
from socializioz.services.account_details import AccountDetails, SyncedPostView, account_details
from socializioz.services.account_views import AccountView
from socializioz.services.content_sync import sync_content
from socializioz.services.disconnect import disconnect_account
from socializioz.services.errors import ServiceError
from socializioz.services.token_debug import token_debug
from socializioz.services.token_refresh import refresh_account_now
from socializioz.services.unit_of_work import in_transaction
from socializioz.state.connections import ConnectionsState
from socializioz.state.session import SessionState, workspace_data

NO_ACCOUNT = AccountView(0, "", "", "", "", 0, "", False, False, "")  # the closed panel's
_EMPTY_DETAILS = AccountDetails(account=NO_ACCOUNT)
_SHOWN = ("has_content", "missing_scopes", "guidance_cause_key", "guidance_what_key", "posts", "last_synced")


@workspace_data
class AccountsState(rx.State):
    expanded: rx.Field[int] = rx.field(0)
    details_id: int = 0
    account: AccountView = NO_ACCOUNT
    has_content: bool = False
    missing_scopes: rx.Field[list[str]] = rx.field(default_factory=list)
    guidance_cause_key: rx.Field[str] = rx.field("")
    guidance_what_key: rx.Field[str] = rx.field("")
    posts: rx.Field[list[SyncedPostView]] = rx.field(default_factory=list)
    last_synced: str = ""
    syncing: bool = False
    sync_status: rx.Field[str] = rx.field("")
    sync_new: rx.Field[int] = rx.field(0)
    sync_scope: str = ""
    debug: dict[str, Any] = {}
    debug_open: bool = False
    debug_loading: bool = False
    confirm_id: int = 0
    confirm_name: str = ""

    @rx.var
    def details_open(self) -> bool:
        return self.details_id != 0

    @rx.var
    def confirm_open(self) -> bool:
        return self.confirm_id != 0

    async def _actor(self) -> tuple[Any, int, SessionState]:
        """The signed-in user (or None) and the workspace, freshly checked from the session
        cookie and the database (``SessionState.member``), and the session state."""
        session = await self.get_state(SessionState)
        member = await session.member()
        if member is None:
            return None, 0, session
        return member.user, member.workspace_id, session

    # -- cards ------------------------------------------------------------------------------------

    @rx.event
    async def tap_card(self, account_id: int):
        """First tap expands the card, the next one opens the details panel."""
        if self.expanded == account_id:
            return AccountsState.open_details(account_id)  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
        self.expanded = account_id

    @rx.event
    def collapse(self):
        self.expanded = 0

    # -- details panel ----------------------------------------------------------------------------

    @rx.event
    async def open_details(self, account_id: int):
        user, workspace_id, session = await self._actor()
        try:
            details = await run_in_threadpool(in_transaction, account_details, user, workspace_id, int(account_id))
        except (ServiceError, ValueError, TypeError):
            self._clear_details()
            return rx.toast.error(session.t("accounts.not_found"))
        self._show(details)
        self.details_id = self.account.id
        self.sync_status, self.debug, self.debug_open = "", {}, False
        follow_up = []
        if self.has_content and not self.last_synced:  # never synced since it was connected
            follow_up.append(AccountsState.refresh_content)
        if session.is_admin and self.account.platform in META_PLATFORM_NAMES:
            follow_up.append(AccountsState.load_debug)  # the shield is green or amber at a glance
        return follow_up

    @rx.event
    async def open_from_query(self):
        """on_load: ``?account=<id>`` opens that account's panel (only within the active workspace)."""
        wanted = self.router.url.query_parameters.get("account", "")
        if not wanted:
            return
        if not wanted.isdigit():
            _, _, session = await self._actor()
            return rx.toast.error(session.t("accounts.not_found"))
        return AccountsState.open_details(int(wanted))  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace

    @rx.event
    def set_details_open(self, is_open: bool):
        if not is_open:
            self._clear_details()

    def _show(self, details: AccountDetails) -> None:
        self.account = details.account or NO_ACCOUNT
        for name in _SHOWN:
            setattr(self, name, getattr(details, name))

    def _clear_details(self) -> None:
        self._show(_EMPTY_DETAILS)
        self.details_id, self.debug, self.debug_open, self.sync_status = 0, {}, False, ""

    @rx.event
    async def refresh_content(self):
        user, workspace_id, session = await self._actor()
        if user is None or not self.details_id:
            return
        self.syncing, self.sync_status = True, ""
        yield
        try:
            result = await sync_content(user.id, workspace_id, self.details_id)
        except ServiceError as error:
            self.syncing = False
            self._clear_details()
            yield rx.toast.error(session.t(error.code))
            return
        self._show(await run_in_threadpool(in_transaction, account_details, user, workspace_id, self.details_id))
        self.syncing, self.sync_status, self.sync_new, self.sync_scope = (
            False,
            result.status,
            result.new_posts,
            result.scope,
        )

    # -- Meta token debug (owners and admins) -----------------------------------------------------

    @rx.event
    async def toggle_debug(self):
        self.debug_open = not self.debug_open
        if self.debug_open and not self.debug:
            return AccountsState.load_debug

    @rx.event
    async def load_debug(self):
        """Refresh re-fetches from the platform. A member (or anyone outside) gets nothing."""
        user, workspace_id, _ = await self._actor()
        if user is None or not self.details_id:
            return
        self.debug_loading = True
        yield
        try:
            self.debug = await token_debug(user.id, workspace_id, self.details_id)
        except ServiceError:
            self.debug, self.debug_open = {}, False
        self.debug_loading = False

    @rx.event
    async def refresh_token_now(self):
        """The admin's "refresh now": the same guarded refresh as the hourly job, and it ends a pause."""
        user, _workspace_id, session = await self._actor()
        if user is None or not self.details_id:
            return
        self.debug_loading = True
        yield
        try:
            result = await refresh_account_now(self.details_id, user)
        except ServiceError as error:
            self.debug_loading = False
            yield rx.toast.error(session.t(error.code))
            return
        self.debug_loading = False
        yield rx.toast.info(session.t(f"refresh.outcome.{result.outcome.value}"))
        yield AccountsState.load_debug

    # -- disconnect -------------------------------------------------------------------------------

    @rx.event
    def ask_disconnect(self, account_id: int, name: str):
        self.confirm_id, self.confirm_name = account_id, name

    @rx.event
    def set_confirm_open(self, is_open: bool):
        if not is_open:
            self.confirm_id, self.confirm_name = 0, ""

    @rx.event
    async def confirm_disconnect(self):
        user, workspace_id, session = await self._actor()
        account_id, name = self.confirm_id, self.confirm_name
        self.confirm_id, self.confirm_name = 0, ""
        try:
            held = await run_in_threadpool(in_transaction, disconnect_account, user, workspace_id, account_id)
        except ServiceError as error:
            return rx.toast.error(session.t(error.code))
        if self.details_id == account_id:
            self._clear_details()
        self.expanded = 0
        (await self.get_state(ConnectionsState)).remove_account(account_id)
        await notify.workspace_changed(workspace_id)  # the workspace's other live tabs
        return rx.toast.success(session.t("accounts.disconnected", name=name, held=held))
