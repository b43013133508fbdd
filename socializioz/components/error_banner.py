"""The connection error banner: the catalogue's cause and fix, and "Fix with AI Support"."""

from typing import cast

import reflex as rx
from reflex.vars import ObjectVar

from socializioz.components.text import isolated, t, t_var
from socializioz.state.connections import ConnectionsState
from socializioz.state.error_view import ErrorView


def error_text(key: str, error: ObjectVar[ErrorView]) -> rx.Var:
    """A catalogue message of a ``state.error_view.connection_error_view``, its account names filled in."""
    return (
        t_var(getattr(error, key))
        .to(str)
        .replace("{expected}", error.expected.to(str))
        .replace("{actual}", error.actual.to(str))
    )


def connection_error_callout() -> rx.Component:
    """The Connections page's banner for ``ConnectionsState.banner``."""
    banner = cast(ObjectVar[ErrorView], ConnectionsState.banner)  # a dataclass state var is an ObjectVar on the class
    support_href = "/support?platform=" + banner.platform.to(str) + "&code=" + banner.code.to(str)
    return rx.cond(
        banner.code != "",  # NO_ERROR: no banner
        rx.callout.root(
            rx.callout.icon(rx.icon("triangle-alert")),
            rx.vstack(
                rx.hstack(
                    rx.text(banner.platform_name, weight="bold"),
                    rx.code(isolated(banner.label), variant="ghost", id="error-code"),
                    spacing="2",
                    wrap="wrap",
                ),
                rx.text(error_text("cause_key", banner), id="error-cause"),
                rx.cond(
                    banner.scope != "",
                    rx.text(t("connect.missing_scope").to(str).replace("{scope}", banner.scope), weight="medium"),
                ),
                rx.text(error_text("what_key", banner), size="2", color=rx.color("red", 11)),
                rx.hstack(
                    rx.link(
                        rx.button(rx.icon("sparkles", size=14), t("connect.fix_with_ai"), size="2"),
                        href=support_href,
                        id="fix-with-ai",
                    ),
                    rx.button(
                        t("common.close"),
                        size="2",
                        variant="soft",
                        color_scheme="gray",
                        on_click=ConnectionsState.dismiss_banner,
                    ),
                    spacing="2",
                ),
                spacing="2",
                align="start",
                width="100%",
            ),
            color_scheme="red",
            role="alert",
            width="100%",
            id="error-banner",
        ),
    )
