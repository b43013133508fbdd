"""The inbox page (issue 13): Instagram direct messages. Desktop shows the list beside the thread;
at phone widths the list, then the thread with a back button."""

import reflex as rx

from socializioz import routes
from socializioz.components.inbox_list import conversation_list
from socializioz.components.inbox_thread import thread_view
from socializioz.components.layout import app_page, page_header
from socializioz.components.load_error import load_error
from socializioz.components.text import t
from socializioz.state.inbox import InboxState


def _no_accounts() -> rx.Component:
    """No Instagram account that can message: say why, and where to fix it."""
    return rx.card(
        rx.vstack(
            rx.icon("inbox", size=32, color=rx.color("accent", 9)),
            rx.heading(t("inbox.empty_title"), size="4"),
            rx.text(t("inbox.empty_body"), color=rx.color("gray", 11), text_align="center", max_width="34rem"),
            rx.foreach(
                InboxState.reconnect_accounts,
                lambda a: rx.text(
                    t("inbox.needs_reconnect_account").to(str).replace("{name}", a["name"]),
                    size="2",
                    color=rx.color("amber", 11),
                    custom_attrs={"data-reconnect": a["id"]},
                ),
            ),
            rx.link(
                rx.button(rx.icon("plug", size=16), t("inbox.connect_instagram")),
                href=routes.CONNECTIONS,
                id="inbox-connect",
            ),
            align="center",
            spacing="3",
            padding_y="2rem",
        ),
        width="100%",
        id="inbox-empty",
    )


def _loading() -> rx.Component:
    return rx.center(
        rx.hstack(rx.spinner(size="3"), rx.text(t("inbox.loading")), spacing="3", align="center"),
        width="100%",
        padding_y="4rem",
        id="inbox-loading",
        custom_attrs={"aria-busy": "true"},
    )


def _failed() -> rx.Component:
    return load_error(
        t("inbox.load_failed"),
        t("inbox.try_again"),
        InboxState.reload,
        element_id="inbox-error",
        retry_id="inbox-retry",
    )


def _panes() -> rx.Component:
    on_phone_list = rx.cond(InboxState.selected != "", "none", "flex")
    on_phone_thread = rx.cond(InboxState.selected != "", "flex", "none")
    return rx.hstack(
        rx.box(
            conversation_list(),
            width=["100%", "100%", "100%", "22rem"],
            flex_shrink="0",
            display=[on_phone_list, on_phone_list, on_phone_list, "block"],
            border_inline_end=["none", "none", "none", f"1px solid {rx.color('gray', 5)}"],
            padding_inline_end=["0", "0", "0", "0.75rem"],
        ),
        rx.box(
            thread_view(),
            flex="1",
            min_width="0",
            width="100%",
            display=[on_phone_thread, on_phone_thread, on_phone_thread, "block"],
        ),
        width="100%",
        align="start",
        spacing="4",
    )


@app_page(routes.INBOX, "Inbox · Socializioz", on_load=[InboxState.load])
def inbox_page() -> rx.Component:
    return rx.vstack(
        page_header("inbox.title", t("inbox.subtitle")),
        rx.cond(InboxState.failed, _failed()),
        rx.cond(
            InboxState.loaded,
            rx.cond(
                (InboxState.ready_accounts > 0) | (InboxState.conversations.length() > 0),
                _panes(),
                _no_accounts(),
            ),
            rx.cond(InboxState.failed, rx.fragment(), _loading()),
        ),
        spacing="3",
        width="100%",
        id="inbox-page",
    )
