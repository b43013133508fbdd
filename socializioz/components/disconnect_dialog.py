"""Disconnect confirmation: what happens to scheduled and published posts, and that the platform's
own permissions stay until removed there (with where to do it)."""

import reflex as rx

from socializioz.components.confirm_dialog import confirm_dialog
from socializioz.components.text import t
from socializioz.state.accounts import AccountsState


def disconnect_dialog() -> rx.Component:
    return confirm_dialog(
        title=t("accounts.disconnect_title").to(str).replace("{name}", AccountsState.confirm_name),
        body=t("accounts.disconnect_body"),
        details=rx.vstack(
            rx.text(t("accounts.disconnect_posts"), size="2", color=rx.color("gray", 11)),
            rx.callout(t("accounts.disconnect_revoke"), icon="shield-off", color_scheme="gray", size="1", width="100%"),
            spacing="2",
            padding_top="0.75rem",
        ),
        confirm_label=t("common.continue"),
        on_confirm=AccountsState.confirm_disconnect,
        confirm_id="disconnect-continue",
        cancel_id="disconnect-cancel",
        dialog_id="disconnect-dialog",
        open=AccountsState.confirm_open,
        on_open_change=AccountsState.set_confirm_open,
    )
