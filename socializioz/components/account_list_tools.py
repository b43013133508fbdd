"""The Connections page's window onto many accounts: a search box, platform and health filters
with counts from the server, "no match" state and the pager (services.account_views.account_page)."""

from __future__ import annotations

import reflex as rx

from socializioz.components.text import t
from socializioz.domain.platforms import CONNECTABLE_PLATFORMS, PLATFORMS
from socializioz.services.account_views import HEALTHY, NEEDS_RECONNECT, PAGE_SIZE
from socializioz.state.connections import ConnectionsState

# Below this many accounts the whole list fits and the tools would only add noise.
TOOLS_FROM = 7


def _count_label(key: str, count: rx.Var) -> rx.Var:
    return t(key).to(str) + " (" + count.to_string() + ")"


def _platform_filter() -> rx.Component:
    options = [
        rx.select.item(
            PLATFORMS[platform].display_name  # brand names are not translated anywhere in the app
            + " ("
            + ConnectionsState.platform_counts.to(dict)[platform.value].to_string()
            + ")",
            value=platform.value,
        )
        for platform in CONNECTABLE_PLATFORMS
    ]
    return rx.select.root(
        rx.select.trigger(placeholder=t("connections.filter.all_platforms"), id="account-platform-filter"),
        rx.select.content(
            rx.select.item(t("connections.filter.all_platforms"), value="all"),
            *[
                rx.cond(ConnectionsState.platform_counts.contains(platform.value), option)
                for platform, option in zip(CONNECTABLE_PLATFORMS, options, strict=True)
            ],
        ),
        value=rx.cond(ConnectionsState.platform_filter == "", "all", ConnectionsState.platform_filter),
        on_change=lambda value: ConnectionsState.filter_platform(rx.cond(value == "all", "", value)),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
        size="2",
    )


def _health_filter() -> rx.Component:
    return rx.segmented_control.root(
        rx.segmented_control.item(t("connections.filter.all_health"), value="all"),
        rx.segmented_control.item(t("connections.filter.healthy"), value=HEALTHY),
        rx.segmented_control.item(
            _count_label("connections.filter.needs_reconnect", ConnectionsState.reconnect_count), value=NEEDS_RECONNECT
        ),
        value=rx.cond(ConnectionsState.health_filter == "", "all", ConnectionsState.health_filter),
        on_change=lambda value: ConnectionsState.filter_health(rx.cond(value == "all", "", value)),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
        size="1",
        id="account-health-filter",
    )


def account_tools() -> rx.Component:
    """Search and filters, shown once the workspace has more accounts than fit at a glance."""
    return rx.cond(
        ConnectionsState.account_total >= TOOLS_FROM,
        rx.flex(
            rx.input(
                rx.input.slot(rx.icon("search", size=14)),
                placeholder=t("connections.search_placeholder"),
                value=ConnectionsState.search,
                on_change=ConnectionsState.search_accounts.debounce(300),  # type: ignore[attr-defined]  # Reflex: mypy sees @rx.event as EventNamespace
                type="search",
                id="account-search",
                aria_label=t("connections.search_placeholder"),
                flex="1 1 14rem",
                min_width="0",
            ),
            _platform_filter(),
            _health_filter(),
            gap="0.5rem",
            wrap="wrap",
            align="center",
            width="100%",
            id="account-tools",
        ),
    )


def no_match() -> rx.Component:
    """Accounts exist but none matches: say so and offer the way back."""
    return rx.card(
        rx.hstack(
            rx.icon("search-x", size=20, color=rx.color("gray", 10)),
            rx.text(t("connections.no_match"), color=rx.color("gray", 11)),
            rx.spacer(),
            rx.button(
                t("connections.clear_filters"), variant="soft", size="1", on_click=ConnectionsState.clear_filters
            ),
            align="center",
            width="100%",
            wrap="wrap",
        ),
        width="100%",
        id="account-no-match",
    )


def pager() -> rx.Component:
    """ "25–48 of 130" with previous and next, when the matching accounts span several pages."""
    first = (ConnectionsState.page - 1) * PAGE_SIZE + 1
    last = rx.cond(
        ConnectionsState.page * PAGE_SIZE < ConnectionsState.matching,
        ConnectionsState.page * PAGE_SIZE,
        ConnectionsState.matching,
    )
    label = (
        t("connections.page_range")
        .to(str)
        .replace("{first}", first.to_string())
        .replace("{last}", last.to_string())
        .replace("{total}", ConnectionsState.matching.to_string())
    )
    return rx.cond(
        ConnectionsState.pages > 1,
        rx.hstack(
            rx.button(
                rx.icon("chevron-left", size=16, class_name="rtl-mirror"),
                t("connections.previous_page"),
                variant="soft",
                size="2",
                disabled=ConnectionsState.page <= 1,
                on_click=ConnectionsState.go_to_page(ConnectionsState.page - 1),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                id="account-page-previous",
            ),
            rx.text(label, size="2", color=rx.color("gray", 11), id="account-page-range"),
            rx.button(
                t("connections.next_page"),
                rx.icon("chevron-right", size=16, class_name="rtl-mirror"),
                variant="soft",
                size="2",
                disabled=ConnectionsState.page >= ConnectionsState.pages,
                on_click=ConnectionsState.go_to_page(ConnectionsState.page + 1),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                id="account-page-next",
            ),
            justify="center",
            align="center",
            width="100%",
            spacing="3",
        ),
    )
