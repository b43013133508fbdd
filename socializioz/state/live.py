"""Server pushes: a workspace's account list shared by all its open tabs, and flow outcomes sent
to the tab that started them (DESIGN principle 6). Registered with ``services.notify`` at startup.
"""

from __future__ import annotations

import reflex as rx
from reflex.istate.manager.token import BaseStateToken
from reflex_base.registry import RegistrationContext
from starlette.concurrency import run_in_threadpool

from socializioz.db import session_scope
from socializioz.services import connections, notify


def workspace_token(workspace_id: int) -> str:
    """Shared-state tokens may not contain underscores."""
    return f"ws{workspace_id}"


def load_account_views(workspace_id: int) -> list[dict]:
    with session_scope() as db:
        return [v.as_dict() for v in connections.workspace_accounts(db, workspace_id)]


class WorkspaceFeed(rx.SharedState):
    """What every member viewing the workspace sees: its connected accounts."""

    accounts: list[dict] = []
    loaded: bool = False


async def push_workspace(workspace_id: int) -> None:
    views = await run_in_threadpool(load_account_views, workspace_id)
    app = RegistrationContext.get().app
    async with app.modify_state(BaseStateToken(ident=workspace_token(workspace_id), cls=WorkspaceFeed)) as root:
        feed = await root.get_state(WorkspaceFeed)
        feed.accounts = views
        feed.loaded = True


async def push_flow_result(client_token: str, result: dict) -> None:
    if not client_token:
        return
    from socializioz.state.connections import ConnectionsState

    app = RegistrationContext.get().app
    async with app.modify_state(BaseStateToken(ident=client_token, cls=ConnectionsState)) as root:
        state = await root.get_state(ConnectionsState)
        state.apply_flow_result(result)


def register() -> None:
    notify.on_workspace_changed(push_workspace)
    notify.on_flow_finished(push_flow_result)
