"""``/invite/<token>``: accept or decline a workspace invitation (sign in or sign up first)."""

import reflex as rx

from socializioz import routes
from socializioz.components.layout import app_page, page_header
from socializioz.components.text import t, t_var
from socializioz.state.invite import InviteState


def _details() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(
                t("invite.from")
                .to(str)
                .replace("{inviter}", InviteState.inviter)
                .replace("{workspace}", InviteState.workspace),
                size="3",
                id="invite-summary",
            ),
            rx.hstack(
                rx.text(t("workspace.role_label"), size="2", color=rx.color("gray", 11)),
                rx.badge(t_var("workspace.role." + InviteState.role), variant="outline"),
                spacing="2",
                align="center",
            ),
            rx.text(
                t("invite.for").to(str).replace("{email}", InviteState.email), size="2", color=rx.color("gray", 11)
            ),
            rx.cond(
                InviteState.error != "",
                rx.callout(InviteState.error, icon="triangle-alert", color_scheme="red", role="alert", width="100%"),
            ),
            rx.flex(
                rx.button(t("invite.accept"), size="3", on_click=InviteState.respond(True), id="invite-accept"),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                rx.button(
                    t("invite.decline"),
                    size="3",
                    variant="soft",
                    color_scheme="gray",
                    on_click=InviteState.respond(False),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                    id="invite-decline",
                ),
                spacing="2",
                wrap="wrap",
            ),
            spacing="3",
            align="start",
            width="100%",
        ),
        width="100%",
        max_width="32rem",
    )


@app_page(routes.INVITE, "Invitation · Socializioz", on_load=[InviteState.load])
def invite_page() -> rx.Component:
    return rx.vstack(
        page_header("invite.page_title"),
        rx.cond(
            InviteState.found,
            _details(),
            rx.cond(
                InviteState.loaded,
                rx.callout(t("invite.not_found"), icon="info", id="invite-missing", width="100%", max_width="32rem"),
            ),
        ),
        spacing="3",
        width="100%",
    )
