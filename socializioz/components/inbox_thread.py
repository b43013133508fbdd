"""One conversation: who it is with, assignment and read state, the messages, and the composer,
which is disabled with the reason in words when Instagram's reply window is closed."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar

from socializioz import routes
from socializioz.components.js_widgets import ticker
from socializioz.components.text import t, t_var
from socializioz.state.inbox import MAX_MESSAGE_IMAGE_BYTES, MESSAGE_IMAGE_TYPES, InboxState

UPLOAD_ID = "inbox-upload"
WINDOW_CHECK_MS = 60_000  # the reply window closes on the minute; the composer follows within one


def _header() -> rx.Component:
    return rx.hstack(
        rx.icon_button(
            rx.icon("arrow-left", size=18, class_name="rtl-mirror"),
            variant="ghost",
            on_click=InboxState.back,
            aria_label=t("inbox.back"),
            id="inbox-back",
            display=["flex", "flex", "flex", "none"],
        ),
        rx.vstack(
            rx.text(InboxState.thread_name, weight="bold", dir="auto", id="thread-name"),
            rx.text("@", InboxState.thread_account, size="1", color=rx.color("gray", 11)),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        rx.select.root(
            rx.select.trigger(placeholder=t("inbox.assign"), id="inbox-assign", aria_label=t("inbox.assign")),
            rx.select.content(
                rx.select.item(t("inbox.unassigned"), value="none"),
                rx.foreach(
                    InboxState.members,
                    lambda m: rx.select.item(m["name"], value=m["id"], custom_attrs={"data-member": m["id"]}),
                ),
            ),
            value=rx.cond(InboxState.assigned == "", "none", InboxState.assigned),
            on_change=lambda value: InboxState.assign(InboxState.selected, value),  # type: ignore[operator]  # Reflex: @rx.event
            size="2",
        ),
        rx.button(
            rx.icon("mail", size=14),
            t("inbox.mark_unread"),
            variant="soft",
            color_scheme="gray",
            size="2",
            on_click=InboxState.mark_unread(InboxState.selected),  # type: ignore[operator]  # Reflex: @rx.event
            id="inbox-mark-unread",
        ),
        width="100%",
        align="center",
        spacing="2",
        wrap="wrap",
        padding_bottom="0.5rem",
        border_bottom=f"1px solid {rx.color('gray', 5)}",
    )


def _bubble(m: ObjectVar[dict[str, Any]]) -> rx.Component:
    inbound = m["inbound"] == "1"
    return rx.vstack(
        rx.cond(m["image"] != "", rx.image(src=m["image"], max_width="14rem", border_radius="var(--radius-3)")),
        rx.cond(
            m["text"] != "", rx.text(m["text"], dir="auto", white_space="pre-wrap", style={"word_break": "break-word"})
        ),
        rx.text(m["when"], size="1", color=rx.color("gray", 10)),
        spacing="1",
        padding="0.5rem 0.75rem",
        border_radius="var(--radius-4)",
        background=rx.cond(inbound, rx.color("gray", 3), rx.color("accent", 4)),
        align_self=rx.cond(inbound, "flex-start", "flex-end"),
        max_width="80%",
        custom_attrs={"data-message": m["id"], "data-inbound": m["inbound"]},
    )


def _window_note() -> rx.Component:
    closed = (InboxState.mode == "closed") | (InboxState.mode == "not_started")
    return rx.callout(
        InboxState.window_text,
        icon=rx.cond(InboxState.mode == "standard", "clock", "lock"),
        color_scheme=rx.cond(InboxState.mode == "standard", "gray", rx.cond(closed, "red", "amber")),
        size="1",
        width="100%",
        id="inbox-window",
        custom_attrs={"data-mode": InboxState.mode},
    )


def _problem() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("triangle-alert")),
        rx.vstack(
            rx.text(t_var(rx.Var.create("inbox.problem.") + InboxState.problem)),
            rx.link(rx.button(t("inbox.reconnect"), size="2"), href=routes.CONNECTIONS),
            spacing="2",
            align="start",
        ),
        color_scheme="amber",
        width="100%",
        id="inbox-problem",
    )


def _attach_button() -> rx.Component:
    """Pick one image for the reply; Instagram takes a PNG or JPEG of up to 8 MB."""
    return rx.upload(
        rx.icon_button(
            rx.cond(InboxState.attaching, rx.spinner(size="1"), rx.icon("image-plus", size=16)),
            variant="soft",
            color_scheme="gray",
            size="3",
            disabled=~InboxState.composer_enabled,
            aria_label=t("inbox.attach_image"),
            title=t("inbox.attach_image"),
            type="button",
        ),
        id=UPLOAD_ID,
        accept={mime: [] for mime in MESSAGE_IMAGE_TYPES},
        max_size=MAX_MESSAGE_IMAGE_BYTES,
        multiple=False,
        no_drag=True,
        disabled=~InboxState.composer_enabled | InboxState.attaching,
        on_drop=InboxState.attach(rx.upload_files(upload_id=UPLOAD_ID)),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
        on_drop_rejected=InboxState.attach_rejected,
        border="none",
        padding="0",
        width="auto",
        custom_attrs={"aria-label": t("inbox.attach_image")},
    )


def _picked_image() -> rx.Component:
    return rx.hstack(
        rx.image(
            src=InboxState.image_preview,
            alt=t("inbox.picked_image"),
            height="4rem",
            max_width="8rem",
            object_fit="cover",
            border_radius="var(--radius-3)",
        ),
        rx.button(
            rx.icon("x", size=14),
            t("inbox.remove_image"),
            size="1",
            variant="ghost",
            color_scheme="gray",
            on_click=InboxState.remove_image,
            id="inbox-remove-image",
        ),
        align="center",
        spacing="2",
        id="inbox-picked-image",
    )


def _composer() -> rx.Component:
    return rx.vstack(
        rx.cond(InboxState.problem != "", _problem(), _window_note()),
        rx.cond(
            InboxState.mode == "human_agent",
            rx.hstack(
                rx.checkbox(
                    checked=InboxState.human_agent,
                    on_change=InboxState.set_human_agent,
                    id="inbox-human-agent",
                    disabled=InboxState.problem != "",
                ),
                rx.text(t("inbox.human_agent_label"), size="2", as_="label", html_for="inbox-human-agent"),
                spacing="2",
                align="center",
            ),
        ),
        rx.cond(InboxState.image_preview != "", _picked_image()),
        rx.hstack(
            _attach_button(),
            rx.text_area(
                value=InboxState.draft,
                on_change=InboxState.set_draft,
                placeholder=rx.cond(
                    InboxState.composer_enabled, t("inbox.reply_placeholder"), t("inbox.reply_disabled")
                ),
                disabled=~InboxState.composer_enabled,
                id="inbox-reply",
                aria_label=t("inbox.reply_placeholder"),
                rows="2",
                dir="auto",
                flex="1",
                max_length=1000,
            ),
            rx.button(
                rx.cond(InboxState.sending, rx.spinner(size="1"), rx.icon("send", size=16, class_name="rtl-mirror")),
                t("inbox.send"),
                on_click=InboxState.send,
                disabled=~InboxState.can_send,
                id="inbox-send",
            ),
            width="100%",
            align="end",
            spacing="2",
        ),
        width="100%",
        spacing="2",
        padding_top="0.5rem",
        border_top=f"1px solid {rx.color('gray', 5)}",
    )


def thread_view() -> rx.Component:
    return rx.cond(
        InboxState.selected != "",
        rx.vstack(
            _header(),
            rx.vstack(
                rx.foreach(InboxState.messages, _bubble),
                spacing="2",
                width="100%",
                flex="1",
                overflow_y="auto",
                max_height=["none", "none", "none", "60vh"],
                padding_y="0.5rem",
                id="inbox-messages",
            ),
            _composer(),
            ticker(every_ms=WINDOW_CHECK_MS, on_tick=InboxState.check_window),
            width="100%",
            spacing="2",
            id="inbox-thread",
        ),
        rx.center(
            rx.vstack(
                rx.icon("messages-square", size=32, color=rx.color("gray", 9)),
                rx.text(t("inbox.pick_conversation"), color=rx.color("gray", 11)),
                align="center",
                spacing="2",
            ),
            width="100%",
            padding_y="4rem",
            id="inbox-pick",
        ),
    )
