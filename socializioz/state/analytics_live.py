"""Live analytics: when the sync job announces new metrics for a workspace
(``notify.topic_changed(workspace_id, notify.ANALYTICS)``), every open analytics page of that
workspace re-reads its view with its own range, scope and sort. Tabs on other pages are left alone."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from reflex.state import BaseState

from socializioz import routes
from socializioz.services import notify
from socializioz.state.analytics import AnalyticsPageState

Push = Callable[[int, Callable[[BaseState], Awaitable[None]]], Awaitable[None]]


def on_analytics_page(path: str) -> bool:
    return path.rstrip("/") == routes.ANALYTICS


def pusher(push_to_workspace_tabs: Push) -> Callable[[int], Coroutine[Any, Any, None]]:
    """The topic pusher, given ``state.live.push_to_workspace_tabs`` (passed in: live imports us)."""

    async def push_analytics(workspace_id: int) -> None:
        async def apply(root: BaseState) -> None:
            if not on_analytics_page(str(root.router.url.path)):
                return
            page = await root.get_state(AnalyticsPageState)
            if page.loaded:
                await page.refresh()

        await push_to_workspace_tabs(workspace_id, apply)

    return push_analytics


def register(push_to_workspace_tabs: Push) -> None:
    notify.on_topic_changed(notify.ANALYTICS, pusher(push_to_workspace_tabs))
