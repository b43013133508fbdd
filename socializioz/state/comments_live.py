"""The comments topic's live push (docs/architecture.md, "Live pushes"): when a comment of a
workspace arrives (a webhook, a poll) or another tab moderates one, every open tab of the
workspace updates its nav badge, and an open Comments page re-reads what it shows (its own
filters). It goes through ``state.live.push_to_workspace_tabs``, which re-checks each tab's
session first."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from reflex.state import BaseState

from socializioz import routes
from socializioz.services import notify
from socializioz.state.comments import CommentsBadgeState, CommentsState

TabPusher = Callable[[int, Callable[[BaseState], Awaitable[None]]], Awaitable[None]]


def on_comments_page(path: str) -> bool:
    return (path.rstrip("/") or "/") == routes.COMMENTS


def comments_pusher(push_to_workspace_tabs: TabPusher) -> Callable[[int], Awaitable[None]]:
    async def push_comments(workspace_id: int) -> None:
        async def apply(root: BaseState) -> None:
            if on_comments_page(str(root.router.url.path or "")):
                await (await root.get_state(CommentsState)).reread()  # the badge comes with it
            else:
                await (await root.get_state(CommentsBadgeState)).recount()

        await push_to_workspace_tabs(workspace_id, apply)

    return push_comments


def register(push_to_workspace_tabs: TabPusher) -> None:
    notify.on_topic_changed(notify.COMMENTS, comments_pusher(push_to_workspace_tabs))  # type: ignore[arg-type]
