"""The in-app launch notice (spec: "You will be notified when they launch"): "<platform> is now
available." with Connect it and a close button, one per launched platform the user asked about."""

import reflex as rx
from reflex.vars import ObjectVar

from socializioz.components.text import isolated_in_text, t
from socializioz.state.connections import ConnectionsState, LaunchNotice


def _notice(notice: ObjectVar[LaunchNotice]) -> rx.Component:
    """A green callout's look, laid out as one row: the text takes the width, Connect it and the
    close button end the row (and wrap under the text on a phone)."""
    return rx.flex(
        rx.icon("rocket", size=18, flex_shrink="0", color=rx.color("green", 11)),
        rx.text(
            t("notify.launched").to(str).replace("{platform}", isolated_in_text(notice.name)),
            size="2",
            weight="medium",
            flex="1",
            min_width="10rem",
        ),
        rx.hstack(
            rx.button(
                rx.icon("plus", size=14),
                t("notify.connect_it"),
                size="1",
                disabled=ConnectionsState.connecting != "",
                on_click=ConnectionsState.connect_launched(notice.platform),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                custom_attrs={"data-launch-connect": notice.platform},
            ),
            rx.icon_button(
                rx.icon("x", size=14),
                size="1",
                variant="ghost",
                color_scheme="gray",
                title=t("notify.dismiss"),
                aria_label=t("notify.dismiss"),
                on_click=ConnectionsState.dismiss_launch_notice(notice.platform),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                custom_attrs={"data-launch-dismiss": notice.platform},
            ),
            spacing="3",
            align="center",
            margin_inline_start="auto",
        ),
        spacing="3",
        align="center",
        wrap="wrap",
        width="100%",
        padding="var(--space-3)",
        border_radius="var(--radius-3)",
        background_color=rx.color("green", 3, alpha=True),
        color=rx.color("green", 12),  # green 11 on this background is 4.2:1, under WCAG AA
        role="status",
        custom_attrs={"data-launch-notice": notice.platform},
    )


def launch_notices() -> rx.Component:
    return rx.foreach(ConnectionsState.launch_notices, _notice)
