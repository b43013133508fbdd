"""The quick-compose page: pick accounts, write, add an image or video link, choose the time."""

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar

from socializioz import routes
from socializioz.components.account_card import avatar, platform_badge
from socializioz.components.layout import app_page, page_header
from socializioz.components.text import t, t_var
from socializioz.state.compose import ComposeState


def _account_choice(account: ObjectVar[dict[str, Any]]) -> rx.Component:
    chosen = ComposeState.selected.contains(account["id"])
    return rx.box(
        rx.hstack(
            rx.checkbox(
                checked=chosen,
                on_change=lambda _v: ComposeState.toggle_account(account["id"]),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                aria_label=account["name"].to(str),
            ),
            avatar(account, "2"),
            rx.text(account["name"], size="2", truncate=True),
            platform_badge(account["platform"]),
            align="center",
            spacing="2",
        ),
        padding="0.4rem 0.6rem",
        border_radius="var(--radius-3)",
        border=rx.cond(chosen, f"1px solid {rx.color('accent', 8)}", f"1px solid {rx.color('gray', 5)}"),
        background=rx.cond(chosen, rx.color("accent", 2), "transparent"),
        custom_attrs={"data-compose-account": account["id"], "data-selected": chosen.to_string()},
    )


@app_page(routes.COMPOSE, "Compose · Socializioz", on_load=[ComposeState.load])
def compose_page() -> rx.Component:
    return rx.vstack(
        page_header("compose.title", t("compose.subtitle")),
        rx.text(t("compose.accounts"), weight="medium"),
        rx.cond(
            ComposeState.accounts.length() > 0,
            rx.flex(rx.foreach(ComposeState.accounts, _account_choice), wrap="wrap", gap="0.5rem", width="100%"),
            rx.text(t("compose.no_accounts_connected"), color=rx.color("gray", 11)),
        ),
        rx.text_area(
            value=ComposeState.text,
            on_change=ComposeState.set_text,
            placeholder=t("compose.text_placeholder"),
            aria_label=t("compose.text_placeholder"),
            rows="6",
            width="100%",
            id="compose-text",
        ),
        rx.el.label(rx.text(t("compose.media"), weight="medium"), html_for="compose-media"),
        rx.input(
            value=ComposeState.media_url,
            on_change=ComposeState.set_media_url,
            placeholder="https://…",
            type="url",
            width="100%",
            id="compose-media",
        ),
        rx.text(t("compose.media_hint"), size="1", color=rx.color("gray", 11)),
        rx.el.label(rx.text(t("compose.when"), weight="medium"), html_for="compose-when"),
        rx.input(
            value=ComposeState.when,
            on_change=ComposeState.set_when,
            type="datetime-local",
            id="compose-when",
            max_width="16rem",
        ),
        rx.cond(
            ComposeState.error != "",
            rx.callout(
                t_var(ComposeState.error), icon="circle-alert", color_scheme="red", width="100%", id="compose-error"
            ),
        ),
        rx.cond(
            ComposeState.saved,
            rx.callout(t("compose.saved"), icon="circle-check", color_scheme="green", width="100%", id="compose-saved"),
        ),
        rx.hstack(
            rx.link(rx.button(t("common.cancel"), variant="soft", color_scheme="gray"), href=routes.CONNECTIONS),
            rx.button(
                rx.icon("calendar-clock", size=16), t("compose.schedule"), on_click=ComposeState.save, id="compose-save"
            ),
            justify="end",
            width="100%",
            spacing="2",
        ),
        spacing="3",
        width="100%",
        max_width="44rem",
    )
