"""Sign-in and sign-up pages: a centred card that works at 390 px and at 1280 px."""

import reflex as rx

from socializioz import routes
from socializioz.components.text import t, t_var
from socializioz.security.input_limits import MAX_EMAIL, MAX_NAME, MAX_PASSWORD
from socializioz.state.auth_forms import AuthFormState
from socializioz.state.session import SessionState

_MAX_LENGTH = {"email": MAX_EMAIL, "name": MAX_NAME, "password": MAX_PASSWORD}


def _field(label_key: str, name: str, input_type: str, autocomplete: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(rx.text(t(label_key), size="2", weight="medium"), html_for=name),
        rx.input(
            name=name,
            id=name,
            type=input_type,
            required=True,
            auto_complete=autocomplete,
            size="3",
            width="100%",
            max_length=_MAX_LENGTH[name],
        ),
        spacing="1",
        width="100%",
    )


def _error_callout() -> rx.Component:
    return rx.cond(
        AuthFormState.error_key != "",
        rx.callout(
            t_var(AuthFormState.error_key),
            icon="triangle-alert",
            color_scheme="red",
            role="alert",
            id="auth-error",
            width="100%",
        ),
    )


def _card(title_key: str, form: rx.Component, footer: rx.Component) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.hstack(
                rx.icon("share-2", size=26, color=rx.color("accent", 10)),
                rx.heading(t("app.name"), size="6"),
                spacing="2",
                align="center",
            ),
            rx.text(t("app.tagline"), color=rx.color("gray", 11), size="2", text_align="center"),
            rx.card(
                rx.vstack(rx.heading(t(title_key), size="5"), _error_callout(), form, spacing="4", width="100%"),
                width="100%",
                size="3",
            ),
            footer,
            rx.button(t("nav.language"), variant="ghost", on_click=SessionState.toggle_language, id="language-switch"),
            spacing="4",
            align="center",
            width="100%",
            max_width="26rem",
        ),
        min_height="100vh",
        padding="1.5rem",
    )


def _footer(question_key: str, link_key: str, href: str) -> rx.Component:
    return rx.hstack(
        rx.text(t(question_key), size="2", color=rx.color("gray", 11)),
        rx.link(t(link_key), href=href + AuthFormState.next_query, size="2"),
        spacing="2",
    )


def sign_in_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            _field("auth.email", "email", "email", "username"),
            _field("auth.password", "password", "password", "current-password"),
            rx.button(
                rx.cond(AuthFormState.busy, t("auth.signing_in"), t("auth.sign_in")),
                type="submit",
                size="3",
                width="100%",
                loading=AuthFormState.busy,
                id="sign-in-submit",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=AuthFormState.sign_in,
        width="100%",
    )
    return _card("auth.sign_in_title", form, _footer("auth.no_account", "auth.go_sign_up", routes.SIGN_UP))


def sign_up_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            _field("auth.name", "name", "text", "name"),
            _field("auth.email", "email", "email", "username"),
            _field("auth.password", "password", "password", "new-password"),
            rx.button(
                t("auth.sign_up"),
                type="submit",
                size="3",
                width="100%",
                loading=AuthFormState.busy,
                id="sign-up-submit",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=AuthFormState.sign_up,
        width="100%",
    )
    return _card("auth.sign_up_title", form, _footer("auth.have_account", "auth.go_sign_in", routes.SIGN_IN))


_PUBLIC_LOAD = [AuthFormState.reset_form, SessionState.redirect_if_signed_in]
rx.page(route=routes.SIGN_IN, title="Sign in · Socializioz", on_load=_PUBLIC_LOAD)(sign_in_page)
rx.page(route=routes.SIGN_UP, title="Sign up · Socializioz", on_load=_PUBLIC_LOAD)(sign_up_page)
