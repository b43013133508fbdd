"""The inbox's conversation list: the person, the account, the last message, the time, the unread
count and who holds it; a row opens the thread."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar

from socializioz.components.text import t
from socializioz.state.inbox import InboxState


def _row(c: ObjectVar[dict[str, Any]]) -> rx.Component:
    unread = c["unread"] != "0"
    return rx.box(
        rx.hstack(
            rx.avatar(fallback=c["name"].to(str)[:2], size="3", radius="full"),
            rx.vstack(
                rx.hstack(
                    rx.text(c["name"], weight=rx.cond(unread, "bold", "medium"), dir="auto", trim="both"),
                    rx.spacer(),
                    rx.text(c["when"], size="1", color=rx.color("gray", 10), white_space="nowrap"),
                    width="100%",
                    align="center",
                ),
                rx.text(
                    c["last"],
                    size="2",
                    color=rx.cond(unread, rx.color("gray", 12), rx.color("gray", 11)),
                    dir="auto",
                    style={"white_space": "nowrap", "overflow": "hidden", "text_overflow": "ellipsis"},
                    max_width="100%",
                ),
                rx.hstack(
                    rx.badge(rx.icon("at-sign", size=12), c["account"], variant="soft", color_scheme="gray"),
                    rx.cond(
                        c["assigned"] != "",
                        rx.badge(rx.icon("user-check", size=12), c["assigned"], variant="soft"),
                    ),
                    spacing="1",
                    wrap="wrap",
                ),
                spacing="1",
                min_width="0",
                flex="1",
                align="start",
            ),
            rx.cond(
                unread,
                rx.badge(
                    c["unread"],
                    color_scheme="red",
                    radius="full",
                    variant="solid",
                    custom_attrs={"data-unread": c["unread"]},
                ),
            ),
            spacing="3",
            align="center",
            width="100%",
        ),
        on_click=InboxState.open_conversation(c["id"]),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
        cursor="pointer",
        padding="0.75rem",
        border_radius="var(--radius-3)",
        background=rx.cond(InboxState.selected == c["id"], rx.color("accent", 3), "transparent"),
        _hover={"background": rx.color("gray", 3)},
        width="100%",
        role="button",
        tab_index=0,
        custom_attrs={"data-conversation": c["id"], "data-name": c["name"]},
    )


def conversation_list() -> rx.Component:
    return rx.vstack(
        rx.cond(
            InboxState.conversations.length() > 0,
            rx.foreach(InboxState.conversations, _row),
            rx.vstack(
                rx.icon("message-circle", size=28, color=rx.color("gray", 9)),
                rx.text(t("inbox.no_conversations_title"), weight="medium"),
                rx.text(t("inbox.no_conversations_body"), size="2", color=rx.color("gray", 11), text_align="center"),
                align="center",
                spacing="2",
                padding="2rem 1rem",
                width="100%",
                id="inbox-no-conversations",
            ),
        ),
        spacing="1",
        width="100%",
        id="inbox-list",
    )
