"""Server pushes (docs/architecture.md, "Live pushes"): a real change of a workspace's accounts reaches only the
live tabs of that workspace's members, and only as the accounts that changed; a flow outcome
reaches the tab that started it. Registered with ``services.notify`` at startup.

There is no shared state: each tab holds its own account list (``ConnectionsState.accounts``),
loaded on page load after a cookie check, and ``services.live_tabs`` lists the tabs to push to.
Every push re-checks the tab's session cookie inside its own state lock (pen-test finding 1).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from reflex.istate.manager.token import BaseStateToken
from reflex.state import BaseState
from reflex_base.registry import RegistrationContext
from starlette.concurrency import run_in_threadpool

from socializioz.security.tokens import hash_token
from socializioz.services import live_tabs, members, notify
from socializioz.services.oauth_flows import FlowOutcome
from socializioz.state import analytics_live, comments_live, inbox_live, posts_live
from socializioz.state.connections import ConnectionsState
from socializioz.state.session import SessionState

log = logging.getLogger(__name__)


async def _connected(app, token: str) -> bool:
    """Whether the tab still has a socket on any worker (Redis knows them all)."""
    return await app.event_namespace._token_manager.is_token_connected(token)


async def push_to_workspace_tabs(
    workspace_id: int,
    apply: Callable[[BaseState], Awaitable[None]],
    tabs: list[tuple[str, int, str]] | None = None,
) -> None:
    """Run ``apply(root_state)`` for every live tab of the workspace whose session is still a
    member of it, inside that tab's state lock; tabs that left or lost their session are
    forgotten. Every topic's push (accounts, posts, comments, messages) goes through here."""
    if tabs is None:
        tabs = await run_in_threadpool(live_tabs.push_targets, workspace_id)
    app = RegistrationContext.get().app
    gone: list[str] = []
    for token, user_id, session_hash in tabs:
        try:
            if not await _connected(app, token):
                gone.append(token)
                continue
            async with app.modify_state(BaseStateToken(ident=token, cls=ConnectionsState)) as root:
                session = await root.get_state(SessionState)
                member = await session.member()
                if (
                    member is None
                    or member.workspace_id != workspace_id
                    or member.user.id != user_id
                    or hash_token(member.session_token) != session_hash
                ):
                    gone.append(token)
                    if member is None:
                        await session.forget_tab()
                    continue
                await apply(root)
        except Exception:  # one broken tab must not stop the others' pushes
            log.exception("live push to a tab failed")
    if gone:
        await run_in_threadpool(live_tabs.forget, gone)


async def push_workspace(workspace_id: int) -> None:
    """Every live tab of the workspace whose session is still a member re-reads its own page of
    accounts (its search, filters and page); a tab whose page is unchanged sends nothing to its
    browser, and a tab that merely loads pushes nothing to the others."""

    async def apply(root: BaseState) -> None:
        await (await root.get_state(ConnectionsState)).read_accounts(workspace_id)

    await push_to_workspace_tabs(workspace_id, apply)


async def push_flow_result(client_token: str, result: FlowOutcome) -> None:
    """The outcome of a flow goes to the tab that started it, if that tab is still this user's.

    Applied even while the tab has no socket (on a phone it is away at the platform in that very
    tab): it reads the outcome when it comes back. Only registered tabs: no state is created.
    """
    if not client_token or not await run_in_threadpool(live_tabs.still_registered, client_token):
        return
    app = RegistrationContext.get().app
    async with app.modify_state(BaseStateToken(ident=client_token, cls=ConnectionsState)) as root:
        if await (await root.get_state(SessionState)).member() is None:
            return
        (await root.get_state(ConnectionsState)).apply_flow_result(result)


def needs_wipe(bound_session: str, session_token: str) -> bool:
    """Runs in a worker thread: the tab's data belongs to another session, or its session ended."""
    if bound_session != hash_token(session_token or ""):
        return True
    return members.session_has_ended(session_token)


async def forget_if_rebound(client_token: str, session_token: str) -> None:
    """Before a socket hydrates a tab token: if the tab holds data loaded under another session
    (or none, or one that has ended), wipe it so the hydrate sends none of it (finding 8)."""
    app = RegistrationContext.get().app
    token = BaseStateToken(ident=client_token, cls=SessionState)
    cached = await (await app.state_manager.get_state(token)).get_state(SessionState)
    bound = cached._bound_session
    if not bound or not await run_in_threadpool(needs_wipe, bound, session_token):
        return
    async with app.state_manager.modify_state(token) as root:
        await (await root.get_state(SessionState)).forget_tab()
    await run_in_threadpool(live_tabs.forget, [client_token])


def register() -> None:
    notify.on_workspace_changed(push_workspace)
    notify.on_flow_finished(push_flow_result)
    posts_live.register(push_to_workspace_tabs)
    analytics_live.register(push_to_workspace_tabs)
    comments_live.register(push_to_workspace_tabs)
    inbox_live.register(push_to_workspace_tabs)
