"""The messages topic's live push (docs/architecture.md, "Live pushes"): when a message arrives (a
webhook, a poll) or a teammate reads, replies or assigns, every live tab of the workspace recounts
its navigation badge, and an open Inbox page re-reads its list and thread. It goes through
``state.live.push_to_workspace_tabs``, which re-checks every tab's session first."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from reflex.state import BaseState

from socializioz import routes
from socializioz.services import notify
from socializioz.state.inbox import InboxBadgeState, InboxState

TabPusher = Callable[[int, Callable[[BaseState], Awaitable[None]]], Awaitable[None]]


def on_inbox(path: str) -> bool:
    return (path.rstrip("/") or "/") == routes.INBOX


def messages_pusher(push_to_workspace_tabs: TabPusher) -> Callable[[int], Awaitable[None]]:
    async def push_messages(workspace_id: int) -> None:
        async def apply(root: BaseState) -> None:
            if on_inbox(str(root.router.url.path or "")):
                await (await root.get_state(InboxState)).reread()
            else:
                await (await root.get_state(InboxBadgeState)).recount()

        await push_to_workspace_tabs(workspace_id, apply)

    return push_messages


def register(push_to_workspace_tabs: TabPusher) -> None:
    notify.on_topic_changed(notify.MESSAGES, messages_pusher(push_to_workspace_tabs))  # type: ignore[arg-type]
