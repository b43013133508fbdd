"""The Meta Token Debug section (owners and admins): scopes as green or red badges, connected
Pages with a valid-token mark, token timestamps, last refresh attempt, a token fingerprint, and
Refresh. The header shield is green when every required scope is granted, amber otherwise."""

from typing import Any, cast

import reflex as rx
from reflex.vars import ObjectVar

from socializioz.components.text import t, t_var
from socializioz.state.accounts import AccountsState

_DEBUG = cast(ObjectVar[dict[str, Any]], AccountsState.debug)  # a dict state var is an ObjectVar on the class


def _shield() -> rx.Component:
    ok = _DEBUG["all_granted"].to(bool)
    return rx.cond(
        _DEBUG["found"].to(bool) & ok,
        rx.icon("shield-check", size=18, color=rx.color("green", 10), custom_attrs={"data-shield": "green"}),
        rx.cond(
            _DEBUG.contains("found"),
            rx.icon("shield-alert", size=18, color=rx.color("amber", 10), custom_attrs={"data-shield": "amber"}),
            rx.icon("shield", size=18, color=rx.color("gray", 10)),
        ),
    )


def _row(label_key: str, value: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(t(label_key), size="1", color=rx.color("gray", 11), min_width="8rem"),
        rx.text(value, size="1", weight="medium", style={"overflowWrap": "anywhere"}),
        spacing="2",
        width="100%",
        wrap="wrap",
        custom_attrs={"data-debug-row": label_key},
    )


def _scopes() -> rx.Component:
    return rx.vstack(
        rx.text(t("debug.scopes"), size="2", weight="medium"),
        rx.flex(
            rx.foreach(
                _DEBUG["scopes"].to(list[dict[str, str]]),
                lambda b: rx.badge(
                    rx.cond(b["granted"].to(bool), rx.icon("check", size=11), rx.icon("x", size=11)),
                    b["scope"],
                    color_scheme=rx.cond(b["granted"].to(bool), "green", "red"),
                    variant="soft",
                    custom_attrs={"data-scope": b["scope"], "data-granted": b["granted"].to_string()},
                ),
            ),
            wrap="wrap",
            gap="0.35rem",
        ),
        spacing="1",
        width="100%",
    )


def _pages() -> rx.Component:
    pages = _DEBUG["pages"].to(list[dict[str, str]])
    return rx.cond(
        pages.length() > 0,
        rx.vstack(
            rx.text(t("debug.pages"), size="2", weight="medium"),
            rx.foreach(
                pages,
                lambda p: rx.hstack(
                    rx.cond(
                        p["valid"].to(bool),
                        rx.icon("circle-check", size=14, color=rx.color("green", 10)),
                        rx.icon("circle-x", size=14, color=rx.color("red", 10)),
                    ),
                    rx.text(p["name"], size="2"),
                    rx.text(
                        rx.cond(p["valid"].to(bool), t("debug.token_valid"), t("debug.token_invalid")),
                        size="1",
                        color=rx.color("gray", 11),
                    ),
                    spacing="2",
                    align="center",
                    custom_attrs={"data-debug-page": p["name"]},
                ),
            ),
            spacing="1",
            width="100%",
        ),
    )


def _details() -> rx.Component:
    return rx.vstack(
        rx.cond(
            _DEBUG["error"].to(str) != "",
            rx.callout(t("debug.fetch_failed"), icon="cloud-off", color_scheme="gray", size="1", width="100%"),
        ),
        rx.cond(
            _DEBUG["refresh_paused"].to(bool),
            rx.callout(
                t("debug.refresh_paused"),
                icon="circle-pause",
                color_scheme="amber",
                size="1",
                width="100%",
                id="debug-refresh-paused",
            ),
        ),
        rx.text(
            t_var(_DEBUG["method_key"].to(str)),
            size="2",
            color=rx.color("gray", 11),
            id="debug-method",
        ),
        _scopes(),
        _pages(),
        rx.vstack(
            _row(
                "debug.token_state", rx.cond(_DEBUG["valid"].to(bool), t("debug.token_valid"), t("debug.token_invalid"))
            ),
            _row("debug.connected_at", _DEBUG["connected_at"].to(str)),
            _row(
                "debug.expires_at",
                rx.cond(_DEBUG["expires_at"].to(str) != "", _DEBUG["expires_at"].to(str), t("debug.never")),
            ),
            _row(
                "debug.last_refresh",
                rx.cond(
                    _DEBUG["last_refresh_at"].to(str) != "",
                    _DEBUG["last_refresh_at"].to(str)
                    + " · "
                    + t_var("debug.result." + _DEBUG["last_refresh_result"].to(str)).to(str),
                    t("debug.no_refresh_yet"),
                ),
            ),
            _row("debug.fingerprint", rx.code(_DEBUG["fingerprint"].to(str), size="1")),
            spacing="1",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def _body() -> rx.Component:
    return rx.vstack(
        rx.cond(
            AccountsState.debug_loading & ~_DEBUG.contains("found"),
            rx.hstack(rx.spinner(size="1"), rx.text(t("common.loading"), size="2"), spacing="2"),
            rx.cond(
                _DEBUG["found"].to(bool),
                _details(),
                rx.callout(
                    t("debug.no_token"),
                    icon="key-round",
                    color_scheme="amber",
                    size="1",
                    width="100%",
                    id="debug-no-token",
                ),
            ),
        ),
        rx.hstack(
            rx.button(
                rx.cond(AccountsState.debug_loading, rx.spinner(size="1"), rx.icon("refresh-cw", size=14)),
                t("debug.refresh"),
                on_click=AccountsState.load_debug,
                disabled=AccountsState.debug_loading,
                variant="soft",
                size="1",
                id="debug-refresh",
            ),
            rx.button(
                rx.icon("key-round", size=14),
                t("debug.refresh_now"),
                on_click=AccountsState.refresh_token_now,
                disabled=AccountsState.debug_loading,
                variant="outline",
                size="1",
                id="debug-refresh-now",
            ),
            spacing="2",
            wrap="wrap",
        ),
        spacing="3",
        width="100%",
        padding_top="0.5rem",
    )


def token_debug_section() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                _shield(),
                rx.text(t("debug.title"), weight="medium"),
                rx.spacer(),
                rx.cond(AccountsState.debug_open, rx.icon("chevron-up", size=16), rx.icon("chevron-down", size=16)),
                width="100%",
                align="center",
                spacing="2",
                cursor="pointer",
                on_click=AccountsState.toggle_debug,
                id="debug-toggle",
                custom_attrs={"role": "button"},
            ),
            rx.cond(AccountsState.debug_open, _body()),
            spacing="1",
            width="100%",
        ),
        width="100%",
        id="token-debug",
    )
