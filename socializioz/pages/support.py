"""``/support``: the assistant's chat (``state.support``), with the fixing action as a button."""

from __future__ import annotations

import reflex as rx

from socializioz import routes
from socializioz.components.error_banner import connection_error_callout
from socializioz.components.layout import app_page, page_header
from socializioz.components.text import isolated, t
from socializioz.domain.assistant import Action
from socializioz.security.input_limits import MAX_QUESTION
from socializioz.state.support import SupportState

_ACTION_ICONS = {
    Action.RECONNECT: "refresh-cw",
    Action.SETUP_SHEET: "list-checks",
    Action.RETRY_CONNECT: "plug",
    Action.REFRESH_NOW: "rotate-cw",
    Action.OPEN_ACCOUNT: "panel-right-open",
}


def _action_button(m: dict) -> rx.Component:
    return rx.match(
        m["action"],
        *[
            (
                action.value,
                rx.button(
                    rx.icon(icon, size=14),
                    t(f"assistant.action.{action.value}"),
                    size="2",
                    on_click=SupportState.run_action(action.value),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                    custom_attrs={"data-assistant-action": action.value},
                ),
            )
            for action, icon in _ACTION_ICONS.items()
        ],
        rx.fragment(),
    )


def _assistant_message(m: dict) -> rx.Component:
    return rx.box(
        rx.vstack(
            rx.hstack(
                rx.icon("sparkles", size=14, color=rx.color("accent", 11)),
                rx.text(t("assistant.name"), size="1", weight="bold", color=rx.color("gray", 11)),
                rx.cond(m["title"] != "", rx.code(isolated(m["title"]), size="1", variant="soft")),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.cond(m["cause"] != "", rx.text(m["cause"])),
            rx.match(
                m["fix"],
                ("support.too_long", rx.text(t("support.too_long"), role="alert", color=rx.color("red", 11))),
                rx.cond(m["fix"] != "", rx.text(rx.text.strong(t("support.fix")), " ", m["fix"])),
            ),
            rx.cond(m["text"] != "", rx.text(m["text"], white_space="pre-wrap", custom_attrs={"data-answer": ""})),
            rx.cond(
                m["note"] != "",
                rx.text(
                    rx.icon("info", size=12, display="inline", margin_inline_end="0.25rem"),
                    rx.match(
                        m["note"],
                        ("assistant.note.timeout", t("assistant.note.timeout")),
                        t("assistant.note.unavailable"),
                    ),
                    size="1",
                    color=rx.color("amber", 11),
                    custom_attrs={"data-note": m["note"]},
                ),
            ),
            _action_button(m),
            rx.cond(
                m["source"] != "",
                rx.text(
                    rx.cond(m["source"] == "model", t("assistant.source.model"), t("assistant.source.catalogue")),
                    size="1",
                    color=rx.color("gray", 11),
                ),
            ),
            spacing="2",
            align="start",
            width="100%",
        ),
        padding="0.75rem 1rem",
        border_radius="12px",
        border=f"1px solid {rx.color('gray', 5)}",
        background=rx.color("gray", 2),
        width="100%",
        max_width="44rem",
        custom_attrs={"data-message": "assistant", "data-source": m["source"], "data-action": m["action"]},
    )


def _user_message(m: dict) -> rx.Component:
    return rx.box(
        rx.text(m["cause"], white_space="pre-wrap"),
        padding="0.6rem 0.9rem",
        border_radius="12px",
        background=rx.color("accent", 3),
        max_width="min(36rem, 90%)",
        align_self="flex-end",
        custom_attrs={"data-message": "user"},
    )


def _message(m: dict) -> rx.Component:
    return rx.cond(m["role"] == "user", _user_message(m), _assistant_message(m))


def _context() -> rx.Component:
    return rx.cond(
        (SupportState.platform != "") | (SupportState.code != ""),
        rx.hstack(
            rx.text(t("assistant.context"), size="2", color=rx.color("gray", 11)),
            rx.cond(SupportState.platform_name != "", rx.badge(SupportState.platform_name, variant="soft")),
            rx.cond(SupportState.code != "", rx.code(isolated(SupportState.code), id="support-code")),
            rx.cond(
                SupportState.account_name != "",
                rx.text(isolated(SupportState.account_name), size="2", weight="medium", id="support-account"),
            ),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
    )


@app_page(routes.SUPPORT, "Support · Socializioz", on_load=[SupportState.load])
def support_page() -> rx.Component:
    return rx.vstack(
        page_header("support.title", t("assistant.subtitle")),
        _context(),
        connection_error_callout(),  # a Reconnect that could not start says why, here too
        rx.vstack(
            rx.foreach(SupportState.messages, _message),
            rx.cond(
                SupportState.thinking,
                rx.hstack(
                    rx.spinner(size="2"),
                    rx.text(t("assistant.thinking"), size="2", color=rx.color("gray", 11)),
                    spacing="2",
                    align="center",
                    id="assistant-thinking",
                ),
            ),
            width="100%",
            spacing="3",
            id="support-thread",
            aria_live="polite",
        ),
        rx.form(
            rx.hstack(
                rx.input(
                    name="question",
                    max_length=MAX_QUESTION,
                    placeholder=t("support.placeholder"),
                    aria_label=t("support.placeholder"),
                    flex="1",
                    min_width="0",
                    size="3",
                    id="support-question",
                ),
                rx.button(t("support.ask"), type="submit", size="3", id="support-ask", loading=SupportState.thinking),
                width="100%",
            ),
            on_submit=SupportState.ask,
            reset_on_submit=True,
            width="100%",
        ),
        spacing="4",
        width="100%",
    )
