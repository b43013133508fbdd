"""The callout a list page shows when its data could not be read: what happened, and a button
that tries again (the comments, posts and inbox pages)."""

from __future__ import annotations

from typing import Any

import reflex as rx


def load_error(
    message: Any, retry_label: Any, on_retry: Any, *, element_id: str, retry_id: str, title: Any = None
) -> rx.Component:
    """A red alert with ``message`` (under ``title`` when given) and a retry button."""
    retry = rx.button(retry_label, size="1", variant="soft", on_click=on_retry, id=retry_id)
    if title is None:
        body = rx.hstack(rx.callout.text(message), retry, align="center", spacing="3", wrap="wrap")
    else:
        body = rx.vstack(
            rx.callout.text(title, weight="medium"), rx.callout.text(message), retry, spacing="2", align="start"
        )
    return rx.callout.root(
        rx.callout.icon(rx.icon("triangle-alert")),
        body,
        color_scheme="red",
        role="alert",
        width="100%",
        id=element_id,
    )
