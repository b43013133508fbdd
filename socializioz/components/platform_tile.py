"""A platform tile: connect, upgrade prompt, "Soon" pill, or disabled when the plan is full."""

import reflex as rx

from socializioz.components.text import t
from socializioz.state.connections import ConnectionsState


def plan_full() -> rx.Var:
    return (ConnectionsState.limit >= 0) & (ConnectionsState.account_total >= ConnectionsState.limit)


def platform_mark(name: rx.Var, color: rx.Var, size: str = "2.5rem") -> rx.Component:
    """A brand-coloured square with the platform's initial (no third-party logos shipped)."""
    return rx.center(
        rx.text(name.to(str)[0], weight="bold", color="white", size="4"),
        background=color,
        width=size,
        height=size,
        min_width=size,
        border_radius="var(--radius-3)",
    )


def _action(tile: dict) -> rx.Component:
    return rx.match(
        tile["gate"],
        (
            "coming_soon",
            rx.badge(
                t("connect.soon"),
                color_scheme="gray",
                radius="full",
                variant="surface",
                custom_attrs={"data-soon": tile["platform"]},
            ),
        ),
        ("upgrade", rx.badge(rx.icon("lock", size=12), t("connect.upgrade"), color_scheme="violet", radius="full")),
        rx.button(
            rx.cond(ConnectionsState.connecting == tile["platform"], rx.spinner(size="1"), rx.icon("plus", size=14)),
            t("connect.connect"),
            size="2",
            disabled=plan_full() | (ConnectionsState.connecting != ""),
            on_click=ConnectionsState.choose_platform(tile["platform"]).stop_propagation,  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
            custom_attrs={"data-connect": tile["platform"]},
        ),
    )


def platform_tile(tile: dict) -> rx.Component:
    return rx.card(
        rx.hstack(
            platform_mark(tile["name"], tile["color"]),
            rx.text(tile["name"], weight="medium", flex="1", trim="both"),
            _action(tile),
            align="center",
            spacing="3",
            width="100%",
        ),
        on_click=rx.cond(tile["gate"] == "open", rx.noop(), ConnectionsState.choose_platform(tile["platform"])),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
        cursor=rx.cond(tile["gate"] == "open", "default", "pointer"),
        custom_attrs={"data-tile": tile["platform"], "data-gate": tile["gate"]},
        width="100%",
    )
