"""Telling open pages that something changed, so they update without a reload (docs/architecture.md, "Live pushes").

Services call these after committing; the Reflex side registers the pusher at startup. Without a
running app (unit tests, CLI) nothing is pushed and nothing fails.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from socializioz.services.oauth_flows import FlowOutcome

WorkspacePusher = Callable[[int], Coroutine[Any, Any, None]]
FlowPusher = Callable[[str, "FlowOutcome"], Coroutine[Any, Any, None]]
TopicPusher = Callable[[int], Coroutine[Any, Any, None]]

# Topics other than the account list; each page that shows one registers its pusher.
POSTS, ANALYTICS, COMMENTS, MESSAGES = "posts", "analytics", "comments", "messages"

_workspace_pushers: list[WorkspacePusher] = []
_flow_pushers: list[FlowPusher] = []
_topic_pushers: dict[str, list[TopicPusher]] = {}
_pending: set[asyncio.Task[None]] = set()


def on_workspace_changed(pusher: WorkspacePusher) -> None:
    _workspace_pushers.append(pusher)


def on_flow_finished(pusher: FlowPusher) -> None:
    _flow_pushers.append(pusher)


def on_topic_changed(topic: str, pusher: TopicPusher) -> None:
    _topic_pushers.setdefault(topic, []).append(pusher)


def _spawn(coroutine: Coroutine[Any, Any, None]) -> None:
    task = asyncio.create_task(coroutine)
    _pending.add(task)
    task.add_done_callback(_pending.discard)


async def topic_changed(workspace_id: int, topic: str) -> None:
    """Open pages of the workspace showing ``topic`` (posts, comments, ...) reload it; pushed from
    tasks of their own, as ``workspace_changed`` is."""
    for push in _topic_pushers.get(topic, []):
        _spawn(push(workspace_id))


def topic_changed_soon(workspace_id: int, topic: str) -> None:
    """The same from synchronous code running on the event loop's thread; from a worker thread
    (no running loop) nothing is pushed, so call it from async code after the commit."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    for push in _topic_pushers.get(topic, []):
        _spawn(push(workspace_id))


async def workspace_changed(workspace_id: int) -> None:
    """Every open page of the workspace reloads its accounts.

    Pushed from a task of its own: the caller may be an event of a tab that is itself linked to
    the workspace, whose state lock it holds until it returns.
    """
    for push in _workspace_pushers:
        _spawn(push(workspace_id))


async def flow_finished(client_token: str, result: FlowOutcome) -> None:
    """The tab that started an OAuth flow learns its outcome."""
    for push in _flow_pushers:
        await push(client_token, result)
