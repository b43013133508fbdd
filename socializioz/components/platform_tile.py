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
            rx.hstack(
                rx.badge(
                    t("connect.soon"),
                    color_scheme="gray",
                    radius="full",
                    variant="surface",
                    custom_attrs={"data-soon": tile["platform"]},
                ),
                rx.cond(
                    ~_notify_requested(tile),
                    rx.button(
                        rx.icon("bell", size=14),
                        t("notify.button"),
                        size="1",
                        variant="soft",
                        on_click=ConnectionsState.set_notify(tile["platform"], True).stop_propagation,  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                        custom_attrs={"data-notify": tile["platform"]},
                    ),
                ),
                spacing="2",
                align="center",
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


def _notify_requested(tile: dict) -> rx.Var:
    return ConnectionsState.notify_platforms.contains(tile["platform"])


def _notify_state(tile: dict) -> rx.Component:
    """ "We'll tell you when <platform> launches", with Undo, once the user asked."""
    return rx.cond(
        _notify_requested(tile),
        rx.hstack(
            rx.icon("bell-ring", size=12, color=rx.color("green", 10)),
            rx.text(
                t("notify.requested").to(str).replace("{platform}", tile["name"].to(str)),
                size="1",
                color=rx.color("green", 11),
            ),
            rx.link(
                t("notify.undo"),
                size="1",
                on_click=ConnectionsState.set_notify(tile["platform"], False).stop_propagation,  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                custom_attrs={"data-notify-undo": tile["platform"], "role": "button"},
                cursor="pointer",
            ),
            spacing="1",
            align="center",
            wrap="wrap",
            custom_attrs={"data-notify-state": tile["platform"]},
        ),
    )


def platform_tile(tile: dict) -> rx.Component:
    return rx.card(
        rx.hstack(
            platform_mark(tile["name"], tile["color"]),
            rx.vstack(
                rx.text(tile["name"], weight="medium", trim="both"),
                _notify_state(tile),
                spacing="0",
                flex="1",
                min_width="0",
            ),
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
