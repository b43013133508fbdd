"""The posts topic's live push (docs/architecture.md, "Live pushes"): when the publisher or another
tab changes a post of a workspace, each open Posts or Campaigns page of that workspace re-reads
what it shows (its own tab, filters and calendar window). It goes through
``state.live.push_to_workspace_tabs`` (passed in by ``state.live.register``, which imports this
module), which re-checks every tab's session first. Tabs on other pages are left alone."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from reflex.state import BaseState

from socializioz import routes
from socializioz.services import notify
from socializioz.state.campaigns import CampaignsState
from socializioz.state.posts import PostsState

TabPusher = Callable[[int, Callable[[BaseState], Awaitable[None]]], Awaitable[None]]
_PAGES: dict[str, type[PostsState] | type[CampaignsState]] = {
    routes.POSTS: PostsState,
    routes.CAMPAIGNS: CampaignsState,
}


def page_state(path: str) -> type[PostsState] | type[CampaignsState] | None:
    """The state to re-read for a tab whose last event came from ``path``."""
    return _PAGES.get(path.rstrip("/") or "/")


def posts_pusher(push_to_workspace_tabs: TabPusher) -> Callable[[int], Awaitable[None]]:
    async def push_posts(workspace_id: int) -> None:
        async def apply(root: BaseState) -> None:
            state_cls = page_state(str(root.router.url.path or ""))
            if state_cls is not None:
                await (await root.get_state(state_cls)).reread()

        await push_to_workspace_tabs(workspace_id, apply)

    return push_posts


def register(push_to_workspace_tabs: TabPusher) -> None:
    notify.on_topic_changed(notify.POSTS, posts_pusher(push_to_workspace_tabs))  # type: ignore[arg-type]
