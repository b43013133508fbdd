"""One confirmation dialog for every destructive action (delete a post, delete a comment,
disconnect an account): a title, what will happen, Cancel, and a red button that does it."""

from __future__ import annotations

from typing import Any

import reflex as rx

from socializioz.components.text import t


def confirm_dialog(
    *,
    title: rx.Var | str,
    body: rx.Var | str,
    confirm_label: rx.Var | str,
    on_confirm: Any,  # an event handler
    confirm_id: str,
    open: rx.Var[bool],
    on_open_change: Any,
    cancel_label: rx.Var | str | None = None,
    cancel_id: str | None = None,
    details: rx.Component | None = None,
    dialog_id: str | None = None,
) -> rx.Component:
    """``details`` goes between the description and the buttons (what happens to related data)."""
    cancel = rx.button(
        cancel_label if cancel_label is not None else t("common.cancel"),
        variant="soft",
        color_scheme="gray",
        **({"id": cancel_id} if cancel_id else {}),
    )
    content = [rx.alert_dialog.title(title), rx.alert_dialog.description(body, size="2")]
    if details is not None:
        content.append(details)
    content.append(
        rx.hstack(
            rx.alert_dialog.cancel(cancel),
            rx.alert_dialog.action(rx.button(confirm_label, color_scheme="red", on_click=on_confirm, id=confirm_id)),
            spacing="3",
            justify="end",
            padding_top="1rem",
        )
    )
    return rx.alert_dialog.root(
        rx.alert_dialog.content(*content, max_width="30rem", **({"id": dialog_id} if dialog_id else {})),
        open=open,
        on_open_change=on_open_change,
    )
