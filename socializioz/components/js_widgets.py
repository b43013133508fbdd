"""Two pinned npm components, wrapped through small local JSX shims: the guided tour
(driver.js) and pull-to-refresh (react-simple-pull-to-refresh)."""

from __future__ import annotations

import reflex as rx


class GuidedTour(rx.NoSSRComponent):
    library = rx.asset("guided_tour.jsx", shared=True).importable_path
    lib_dependencies: list[str] = ["driver.js@1.8.0"]
    tag = "GuidedTour"

    run: rx.Var[bool]
    steps: rx.Var[list]
    next_label: rx.Var[str]
    prev_label: rx.Var[str]
    done_label: rx.Var[str]
    on_finish: rx.EventHandler[rx.event.no_args_event_spec]  # type: ignore[valid-type, type-arg]  # Reflex event-spec idiom


class PullRefresh(rx.NoSSRComponent):
    library = rx.asset("pull_refresh.jsx", shared=True).importable_path
    lib_dependencies: list[str] = ["react-simple-pull-to-refresh@1.3.4"]
    tag = "PullRefresh"

    on_refresh: rx.EventHandler[rx.event.no_args_event_spec]  # type: ignore[valid-type, type-arg]  # Reflex event-spec idiom


class Ticker(rx.NoSSRComponent):
    """Fires ``on_tick`` every ``every_ms`` while the tab is visible: for what changes with time
    alone (the inbox's reply window closing while a thread is open)."""

    library = rx.asset("ticker.jsx", shared=True).importable_path
    tag = "Ticker"

    every_ms: rx.Var[int]
    on_tick: rx.EventHandler[rx.event.no_args_event_spec]  # type: ignore[valid-type, type-arg]  # Reflex event-spec idiom


class PageReturn(rx.NoSSRComponent):
    """Fires ``on_return`` when the page comes back from the back-forward cache (``pageshow`` with
    ``persisted``), which neither focus nor visibility events report everywhere."""

    library = rx.asset("page_return.jsx", shared=True).importable_path
    tag = "PageReturn"

    on_return: rx.EventHandler[rx.event.no_args_event_spec]  # type: ignore[valid-type, type-arg]  # Reflex event-spec idiom


guided_tour = GuidedTour.create
ticker = Ticker.create
page_return = PageReturn.create
pull_refresh = PullRefresh.create
