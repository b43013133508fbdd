"""A workspace time-zone picker: a native select (a wheel on phones, type-to-find on desktop) of
every IANA name the server accepts, so what the browser sends always validates."""

from __future__ import annotations

import reflex as rx

from socializioz.domain import time_zones


def time_zone_select(
    value: rx.Var | str, on_change, element_id: str, disabled: rx.Var | bool | int = False
) -> rx.Component:
    return rx.el.select(
        *[rx.el.option(name, value=name) for name in time_zones.names()],
        name="timezone",
        value=value,
        on_change=on_change,
        disabled=disabled,
        id=element_id,
        dir="ltr",
        style={
            "width": "100%",
            "height": "var(--space-7)",
            "padding": "0 var(--space-2)",
            "border": f"1px solid {rx.color('gray', 7)}",
            "border_radius": "var(--radius-2)",
            "background": rx.color("gray", 1),
            "color": rx.color("gray", 12),
            "font_size": "var(--font-size-2)",
        },
    )
