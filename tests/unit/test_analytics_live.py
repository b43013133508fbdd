"""The analytics topic pusher: registered on ``notify.ANALYTICS``; it reloads only tabs that are
on the analytics page and have loaded it, through the one per-workspace push."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from socializioz.services import notify
from socializioz.state import analytics_live
from socializioz.state.analytics import AnalyticsPageState


class _Page:
    def __init__(self, loaded: bool) -> None:
        self.loaded, self.refreshed = loaded, 0

    async def refresh(self) -> None:
        self.refreshed += 1


def _root(path: str, page: _Page):
    async def get_state(cls):
        assert cls is AnalyticsPageState
        return page

    return SimpleNamespace(router=SimpleNamespace(url=SimpleNamespace(path=path)), get_state=get_state)


def test_only_loaded_analytics_tabs_reload() -> None:
    pages = {"on": _Page(True), "trailing": _Page(True), "elsewhere": _Page(True), "unloaded": _Page(False)}
    roots = [
        _root("/analytics", pages["on"]),
        _root("/analytics/", pages["trailing"]),
        _root("/connections", pages["elsewhere"]),
        _root("/analytics", pages["unloaded"]),
    ]
    pushed: list[int] = []

    async def push_to_workspace_tabs(workspace_id, apply):
        pushed.append(workspace_id)
        for root in roots:
            await apply(root)

    asyncio.run(analytics_live.pusher(push_to_workspace_tabs)(42))
    assert pushed == [42]
    assert {name: p.refreshed for name, p in pages.items()} == {"on": 1, "trailing": 1, "elsewhere": 0, "unloaded": 0}


def test_register_listens_on_the_analytics_topic(monkeypatch) -> None:
    monkeypatch.setattr(notify, "_topic_pushers", {})
    analytics_live.register(lambda *_: None)  # type: ignore[arg-type,return-value]
    assert len(notify._topic_pushers[notify.ANALYTICS]) == 1


def test_the_app_registers_it(monkeypatch) -> None:
    from socializioz.state import live

    for name in ("_topic_pushers", "_workspace_pushers", "_flow_pushers"):
        monkeypatch.setattr(notify, name, {} if name == "_topic_pushers" else [])
    live.register()
    assert len(notify._topic_pushers[notify.ANALYTICS]) == 1
