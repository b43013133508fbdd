"""The workspace's Connections page (desktop canvas; the mobile tab shares it)."""

import reflex as rx

from socializioz.components.layout import app_page, page_header
from socializioz.components.text import t
from socializioz.pages import routes
from socializioz.state.connections import ConnectionsState


def _account_row(account: dict) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.avatar(src=account["avatar_url"], fallback=account["name"].to(str)[0], radius="full"),
            rx.vstack(
                rx.text(account["name"], weight="medium"),
                rx.text("@" + account["username"].to(str), size="2", color=rx.color("gray", 11)),
                spacing="0",
            ),
            align="center",
            spacing="3",
        ),
        width="100%",
    )


def _empty_state() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.icon("plug-zap", size=32, color=rx.color("accent", 9)),
            rx.heading(t("connections.empty_title"), size="4"),
            rx.text(t("connections.empty_body"), color=rx.color("gray", 11), text_align="center"),
            align="center",
            spacing="2",
            padding_y="2rem",
        ),
        width="100%",
        id="connections-empty",
    )


def _panel_header() -> rx.Component:
    return rx.hstack(
        rx.heading(t("connections.accounts"), size="4"),
        rx.cond(ConnectionsState.full, rx.badge(t("connections.full"), color_scheme="amber", id="plan-full-badge")),
        rx.spacer(),
        rx.text(ConnectionsState.usage_text, size="2", color=rx.color("gray", 11), id="plan-usage"),
        width="100%",
        align="center",
        wrap="wrap",
    )


@app_page(routes.CONNECTIONS, "Connections · Socializioz", on_load=[ConnectionsState.load])
def connections_page() -> rx.Component:
    return rx.vstack(
        page_header("connections.title", ConnectionsState.subtitle),
        _panel_header(),
        rx.cond(ConnectionsState.full, rx.callout(t("connections.limit_reached"), icon="info", color_scheme="amber", width="100%")),
        rx.cond(
            ConnectionsState.accounts.length() > 0,
            rx.vstack(rx.foreach(ConnectionsState.accounts, _account_row), width="100%", spacing="2", id="account-list"),
            rx.cond(ConnectionsState.loaded, _empty_state(), rx.skeleton(height="6rem", width="100%")),
        ),
        spacing="4",
        width="100%",
    )
