"""Disconnect confirmation: what happens to scheduled and published posts, and that the platform's
own permissions stay until removed there (with where to do it)."""

import reflex as rx

from socializioz.components.text import t
from socializioz.state.accounts import AccountsState


def disconnect_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("accounts.disconnect_title").to(str).replace("{name}", AccountsState.confirm_name)),
            rx.alert_dialog.description(t("accounts.disconnect_body"), size="2"),
            rx.vstack(
                rx.text(t("accounts.disconnect_posts"), size="2", color=rx.color("gray", 11)),
                rx.callout(
                    t("accounts.disconnect_revoke"), icon="shield-off", color_scheme="gray", size="1", width="100%"
                ),
                spacing="2",
                padding_y="0.75rem",
            ),
            rx.flex(
                rx.alert_dialog.cancel(
                    rx.button(t("common.cancel"), variant="soft", color_scheme="gray", id="disconnect-cancel")
                ),
                rx.alert_dialog.action(
                    rx.button(
                        t("common.continue"),
                        color_scheme="red",
                        on_click=AccountsState.confirm_disconnect,
                        id="disconnect-continue",
                    )
                ),
                justify="end",
                gap="2",
            ),
            max_width="30rem",
            id="disconnect-dialog",
        ),
        open=AccountsState.confirm_open,
        on_open_change=AccountsState.set_confirm_open,
    )
