"""An account card: avatar (first-letter fallback), name and @username, platform badge, status dot."""

import reflex as rx

from socializioz.components.text import t
from socializioz.domain.platforms import PLATFORMS

_COLORS = {p.value: info.brand_color for p, info in PLATFORMS.items()}
_NAMES = {p.value: info.display_name for p, info in PLATFORMS.items()}


def _status(account: dict) -> rx.Component:
    return rx.cond(
        account["needs_reconnect"],
        rx.hstack(rx.box(width="0.6rem", height="0.6rem", border_radius="full", background=rx.color("amber", 9)),
                  rx.text(t("connect.needs_reconnect"), size="1", color=rx.color("amber", 11)), align="center", spacing="1"),
        rx.box(width="0.6rem", height="0.6rem", border_radius="full", background=rx.color("green", 9), title=t("connect.healthy")),
    )


def account_card(account: dict) -> rx.Component:
    platform = account["platform"].to(str)
    return rx.card(
        rx.hstack(
            rx.avatar(src=account["avatar_url"], fallback=account["name"].to(str)[0], radius="full", size="4"),
            rx.vstack(
                rx.text(account["name"], weight="medium", trim="both"),
                rx.cond(account["username"] != "", rx.text("@" + account["username"].to(str), size="2", color=rx.color("gray", 11))),
                rx.badge(rx.Var.create(_NAMES)[platform], style={"background": rx.Var.create(_COLORS)[platform], "color": "white"}, size="1"),
                spacing="1",
                align="start",
                flex="1",
                min_width="0",
            ),
            _status(account),
            align="center",
            spacing="3",
            width="100%",
        ),
        width="100%",
        custom_attrs={"data-account": account["name"], "data-platform": platform},
    )
