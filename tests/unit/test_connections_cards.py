"""The Connections page's cards and their health are separate state vars, so a change of one
card's health sends the health map (a few bytes a card) and not the page's cards again; an
unchanged re-read sends nothing (issue 15: "pushes carry only what changed")."""

from __future__ import annotations

import json
from dataclasses import replace

import reflex as rx

import socializioz.pages  # noqa: F401  (the app's import order: pages before states)
from socializioz.services.account_views import AccountPage, AccountView, CardHealth
from socializioz.state.connections import ConnectionsState

VIEWS = [
    AccountView(i, "x", f"Account {i}", f"acct_{i}", "", 10 * i, "2026-11-01", False, True, "oauth")
    for i in range(1, 25)
]
PAGE = AccountPage(VIEWS, total=24, matching=24, page=1, pages=1, platform_counts={"x": 24})


async def _loaded() -> tuple[rx.State, ConnectionsState]:
    root = rx.State(_reflex_internal_init=True)
    state = await root.get_state(ConnectionsState)
    state.apply_page(PAGE)
    root._clean()
    return root, state


def _sent(root: rx.State) -> dict:
    return root.get_delta().get(ConnectionsState.get_full_name(), {})


async def test_the_cards_and_their_health_are_kept_apart() -> None:
    _, state = await _loaded()
    assert [c.id for c in state.accounts] == [v.id for v in VIEWS]
    assert state.health == {str(v.id): CardHealth() for v in VIEWS}


async def test_an_unchanged_reread_sends_nothing() -> None:
    root, state = await _loaded()
    state.apply_page(replace(PAGE, views=list(VIEWS)))
    assert not state.dirty_vars and not _sent(root)


async def test_one_cards_health_change_sends_the_health_map_not_the_cards() -> None:
    root, state = await _loaded()
    views = list(VIEWS)
    views[4] = replace(views[4], needs_reconnect=True)
    state.apply_page(replace(PAGE, views=views, reconnect_count=1))
    assert state.dirty_vars == {"health", "reconnect_count"}
    assert state.health[str(VIEWS[4].id)] == CardHealth(needs_reconnect=True)
    health_only = len(json.dumps(_sent(root), default=str))
    # the cards themselves would have cost several times more (the pre-split design sent them all)
    cards = len(json.dumps([vars(c) for c in state.accounts]))
    assert health_only * 2 < cards


async def test_a_change_a_card_shows_sends_the_cards() -> None:
    _root, state = await _loaded()
    views = list(VIEWS)
    views[0] = replace(views[0], name="Renamed")
    state.apply_page(replace(PAGE, views=views))
    assert state.dirty_vars == {"accounts"}
    assert state.accounts[0].name == "Renamed"
