"""The posts topic's pusher: registered for ``notify.POSTS``, it re-reads only tabs showing the
Posts or Campaigns page, through the one push path (which re-checks each tab's session)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import socializioz.pages  # noqa: F401  (the app's states, in the app's order)
from socializioz import routes
from socializioz.services import notify
from socializioz.state import posts_live
from socializioz.state.campaigns import CampaignsState
from socializioz.state.posts import PostsState


def test_only_the_posts_and_campaigns_pages_re_read() -> None:
    assert posts_live.page_state(routes.POSTS + "/") is PostsState
    assert posts_live.page_state(routes.POSTS) is PostsState
    assert posts_live.page_state(routes.CAMPAIGNS + "/") is CampaignsState
    for other in (routes.CONNECTIONS, routes.MOBILE_CONNECTIONS, "/", ""):
        assert posts_live.page_state(other) is None


def test_registered_pusher_goes_through_the_workspace_push(monkeypatch) -> None:
    monkeypatch.setattr(notify, "_topic_pushers", {})
    calls: list[tuple[int, object]] = []
    reread: list[str] = []

    async def push_to_workspace_tabs(workspace_id, apply):
        calls.append((workspace_id, apply))

        class FakeState:
            def __init__(self, name: str) -> None:
                self.name = name

            async def reread(self) -> None:
                reread.append(self.name)

        for path in ("/posts/", "/connections/", "/campaigns/"):
            root = SimpleNamespace(router=SimpleNamespace(url=SimpleNamespace(path=path)))

            async def get_state(cls, _path=path):
                return FakeState(f"{cls.__name__}@{_path}")

            root.get_state = get_state
            await apply(root)

    posts_live.register(push_to_workspace_tabs)
    assert len(notify._topic_pushers[notify.POSTS]) == 1

    async def run() -> None:
        await notify.topic_changed(7, notify.POSTS)
        await asyncio.gather(*notify._pending)

    asyncio.run(run())
    assert [c[0] for c in calls] == [7]
    assert reread == ["PostsState@/posts/", "CampaignsState@/campaigns/"]
