"""``/oauth/result``: success (green check) or error (warning icon), and the Instagram confirmation."""

from typing import cast

import reflex as rx
from reflex.vars import ObjectVar

from socializioz import routes
from socializioz.components.error_banner import error_text
from socializioz.components.text import isolated, number, t
from socializioz.state.error_view import ErrorView
from socializioz.state.oauth_result import OAuthResultState
from socializioz.state.session import SessionState


def _instagram_card(item: dict) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.avatar(src=item["avatar_url"], fallback=item["username"].to(str)[0], size="5", radius="full"),
            rx.vstack(
                rx.text(isolated("@" + item["username"].to(str)), weight="bold", id="ig-confirm-username"),
                rx.text(
                    number(item["followers"]) + " " + t("connect.ig_confirm.followers").to(str),
                    size="2",
                    id="ig-confirm-followers",
                ),
                rx.text(
                    t("connect.ig_confirm.linked_page").to(str) + ": " + item["page_name"].to(str),
                    size="2",
                    color=rx.color("gray", 11),
                    id="ig-confirm-page",
                ),
                spacing="1",
            ),
            align="center",
            spacing="3",
        ),
        width="100%",
    )


def _confirm_instagram() -> rx.Component:
    return rx.vstack(
        rx.heading(t("connect.ig_confirm.title"), size="6"),
        rx.text(t("connect.ig_confirm.body")),
        rx.foreach(OAuthResultState.instagram, _instagram_card),
        rx.callout(t("connect.ig_confirm.permissions"), icon="shield-check", width="100%"),
        rx.callout(t("connect.ig_confirm.media_note"), icon="image", color_scheme="amber", width="100%"),
        rx.flex(
            rx.button(
                t("common.cancel"),
                variant="soft",
                color_scheme="gray",
                on_click=OAuthResultState.answer_instagram(False),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                id="ig-confirm-cancel",
            ),
            rx.button(
                t("connect.ig_confirm.confirm"),
                on_click=OAuthResultState.answer_instagram(True),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                id="ig-confirm-accept",
            ),
            gap="0.5rem",
            justify="end",
            wrap="wrap-reverse",
            width="100%",
        ),
        spacing="3",
        width="100%",
        id="ig-confirm",
    )


def _outcome() -> rx.Component:
    is_success = OAuthResultState.status == "success"
    return rx.vstack(
        rx.cond(
            is_success,
            rx.icon("circle-check", size=56, color=rx.color("green", 9), id="result-success"),
            rx.icon("triangle-alert", size=56, color=rx.color("amber", 9), id="result-error"),
        ),
        rx.heading(OAuthResultState.title, size="6", text_align="center", id="result-title"),
        rx.foreach(
            OAuthResultState.lines,
            lambda line: rx.text(line, text_align="center", custom_attrs={"data-result-line": "1"}),
        ),
        rx.cond(
            ~is_success,
            rx.vstack(
                rx.code(isolated(cast(ObjectVar[ErrorView], OAuthResultState.error).label), id="result-code"),
                rx.text(
                    error_text("cause_key", cast(ObjectVar[ErrorView], OAuthResultState.error)),
                    text_align="center",
                    id="result-cause",
                ),
                align="center",
            ),
        ),
        rx.link(
            rx.button(
                rx.cond(
                    OAuthResultState.onboarding, t("connect.result.continue_onboarding"), t("connect.result.return")
                ),
                size="3",
            ),
            href=OAuthResultState.return_href,
            id="result-return",
        ),
        rx.text(t("connect.result.closing"), size="1", color=rx.color("gray", 10), text_align="center"),
        align="center",
        spacing="3",
        width="100%",
    )


def oauth_result_page() -> rx.Component:
    return rx.center(
        rx.card(
            rx.cond(
                OAuthResultState.status == "",
                rx.center(rx.spinner(size="3"), padding="2rem"),
                rx.cond(OAuthResultState.status == "confirm_instagram", _confirm_instagram(), _outcome()),
            ),
            width="100%",
            max_width="30rem",
            size="4",
        ),
        min_height="100vh",
        padding="1rem",
    )


rx.page(
    route=routes.OAUTH_RESULT,
    title="Connection · Socializioz",
    on_load=[SessionState.apply_direction, OAuthResultState.load],
)(oauth_result_page)
