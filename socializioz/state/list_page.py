"""What the list pages (posts, campaigns, comments, the inbox) share: the freshly checked caller,
ids from the browser, and one shape for "read the list again" (a retry, a live push, a filter).

Each page keeps its own read (``_refresh``); the mixin only says when it runs, so a live push
never shows a spinner and a filter change always starts from the first page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, ClassVar

import reflex as rx

from socializioz.domain.ids import positive_id
from socializioz.state.session import Member, SessionState


async def fresh_member(state: rx.State) -> Member | None:
    """The caller, freshly checked from the session cookie; a signed-out tab forgets its data."""
    session = await state.get_state(SessionState)
    member = await session.member()
    if member is None:
        await session.forget_tab()
    return member


async def open_for_tab(state: rx.State) -> Member | None:
    """A page load: the fresh caller, and this tab registered for the workspace's live pushes."""
    member = await fresh_member(state)
    if member is not None:
        await (await state.get_state(SessionState)).bind_tab(member)
    return member


def as_id(value: Any) -> int:
    """An id from the browser: a positive int, else 0 (which no row has)."""
    return positive_id(value)


class ListPage(rx.State, mixin=True):
    """A page showing one list read for this tab. The page defines ``_refresh(member)``, its
    ``limit`` var and ``page_size``; ``loaded`` says a first read happened (a live push before it
    has nothing to redo)."""

    loading: bool = False
    loaded: bool = False

    page_size: ClassVar[int] = 25

    async def _refresh(self, member: Member) -> None:
        raise NotImplementedError  # each page reads its own list

    async def reread(self) -> None:
        """A live push: the same view and filters, read again for this tab, without a spinner."""
        member = await fresh_member(self)
        if member is not None and self.loaded:
            await self._refresh(member)

    @rx.event
    async def reload(self):
        """Try again after an error, or focus return: this tab only."""
        member = await fresh_member(self)
        if member is not None:
            self.loading = True
            yield
            await self._refresh(member)

    async def _show(self, **changes: Any) -> AsyncIterator[None]:
        """A filter or view change: set it, go back to the first page, and read again."""
        for name, value in changes.items():
            setattr(self, name, value)
        self.limit, self.loading = self.page_size, True  # each page declares its own limit
        yield
        member = await fresh_member(self)
        if member is not None:
            await self._refresh(member)
