"""The set-up wizard (``/onboarding``): 1 the workspace (name, time zone, language), 2 a first
connected account (the spec's "Connections during onboarding"), 3 what to do next. Skippable at
every step; the step is remembered per user (``state/onboarding.py``)."""

from __future__ import annotations

import reflex as rx

from socializioz import routes
from socializioz.components.layout import app_page, page_header
from socializioz.components.text import t, t_var
from socializioz.components.time_zone_select import time_zone_select
from socializioz.domain import onboarding as steps
from socializioz.pages.connections import connect_sections
from socializioz.state.connections import ConnectionsState
from socializioz.state.onboarding import OnboardingState
from socializioz.state.session import SessionState

STEP_KEYS = {
    steps.WORKSPACE: "onboarding.step.workspace",
    steps.CONNECT: "onboarding.step.connect",
    steps.DONE: "onboarding.step.done",
}


def _progress() -> rx.Component:
    def marker(step: int) -> rx.Component:
        reached = OnboardingState.step >= step
        return rx.hstack(
            rx.box(
                rx.text(str(step), size="1", weight="bold"),
                width="1.5rem",
                height="1.5rem",
                border_radius="9999px",
                display="flex",
                align_items="center",
                justify_content="center",
                flex_shrink="0",
                background=rx.cond(reached, rx.color("accent", 9), rx.color("gray", 4)),
                color=rx.cond(reached, "white", rx.color("gray", 11)),
            ),
            rx.text(t(STEP_KEYS[step]), size="2", weight=rx.cond(OnboardingState.step == step, "bold", "regular")),
            align="center",
            spacing="2",
            custom_attrs={
                "data-step-marker": str(step),
                "aria-current": rx.cond(OnboardingState.step == step, "step", "false"),
            },
        )

    return rx.flex(
        *[marker(step) for step in steps.STEPS],
        spacing="4",
        wrap="wrap",
        width="100%",
        id="onboarding-progress",
        custom_attrs={"role": "list"},
    )


def _step_counter() -> rx.Var:
    return t("onboarding.step_of").to(str).replace("{step}", OnboardingState.step.to_string())


def _field(label_key: str, control: rx.Component, field_id: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(rx.text(t(label_key), size="2", weight="medium"), html_for=field_id),
        control,
        spacing="1",
        width="100%",
    )


def _language_choice() -> rx.Component:
    return rx.radio_group.root(
        rx.flex(
            rx.radio_group.item(value="en", id="onboarding-language-en"),
            rx.el.label(t("onboarding.language.en"), html_for="onboarding-language-en", lang="en"),
            rx.radio_group.item(value="ar", id="onboarding-language-ar"),
            rx.el.label(t("onboarding.language.ar"), html_for="onboarding-language-ar", lang="ar"),
            spacing="2",
            align="center",
        ),
        name="language",
        default_value=SessionState.lang,
        id="onboarding-language",
    )


def _workspace_step() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(t("onboarding.workspace.title"), size="5"),
                rx.text(t("onboarding.workspace.body"), color=rx.color("gray", 11)),
                _field(
                    "workspace.name",
                    rx.input(
                        name="name",
                        default_value=OnboardingState.workspace_name,
                        max_length=200,
                        size="3",
                        width="100%",
                        disabled=~OnboardingState.can_edit_workspace,
                        id="onboarding-workspace-name",
                    ),
                    "onboarding-workspace-name",
                ),
                _field(
                    "workspace.timezone",
                    time_zone_select(
                        OnboardingState.timezone,
                        OnboardingState.set_timezone,
                        "onboarding-timezone",
                        disabled=~OnboardingState.can_edit_workspace,
                    ),
                    "onboarding-timezone",
                ),
                rx.cond(
                    ~OnboardingState.can_edit_workspace,
                    rx.text(t("onboarding.workspace.member_note"), size="2", color=rx.color("gray", 11)),
                ),
                rx.vstack(rx.text(t("nav.language_label"), size="2", weight="medium"), _language_choice(), spacing="1"),
                rx.cond(
                    OnboardingState.error_key != "",
                    rx.text(
                        t_var(OnboardingState.error_key),
                        color=rx.color("red", 11),
                        size="2",
                        role="alert",
                        id="onboarding-error",
                    ),
                ),
                rx.hstack(
                    rx.button(
                        t("common.continue"),
                        rx.icon("arrow-right", size=16),
                        type="submit",
                        size="3",
                        id="onboarding-save",
                    ),
                    justify="end",
                    width="100%",
                ),
                spacing="4",
                width="100%",
            ),
            on_submit=OnboardingState.save_workspace,
            width="100%",
        ),
        width="100%",
        max_width="36rem",
        id="onboarding-workspace",
    )


def _back_button(step: int) -> rx.Component:
    return rx.button(
        rx.icon("arrow-left", size=16),
        t("onboarding.back"),
        variant="soft",
        color_scheme="gray",
        on_click=OnboardingState.go_to(step),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
        id="onboarding-back",
    )


def _connect_step() -> rx.Component:
    has_account = ConnectionsState.account_total > 0
    return rx.vstack(
        rx.heading(t("onboarding.connect.title"), size="5"),
        rx.text(t("onboarding.subtitle"), color=rx.color("gray", 11)),
        rx.callout(
            rx.cond(has_account, t("onboarding.ready"), t("onboarding.connect_first")),
            icon=rx.cond(has_account, "circle-check", "info"),
            color_scheme=rx.cond(has_account, "green", "blue"),
            width="100%",
            id="onboarding-prompt",
        ),
        rx.flex(
            _back_button(steps.WORKSPACE),
            rx.cond(
                has_account,
                rx.button(
                    t("connect.result.continue_onboarding"),
                    rx.icon("arrow-right", size=16),
                    size="3",
                    on_click=OnboardingState.go_to(steps.DONE),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                    id="continue-onboarding",
                ),
            ),
            justify="between",
            align="center",
            width="100%",
            gap="2",
        ),
        connect_sections(),
        spacing="3",
        width="100%",
        id="onboarding-connect",
    )


def _next_card(place: str, icon: str, title_key: str, body_key: str) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.icon(icon, size=22, color=rx.color("accent", 10), flex_shrink="0"),
            rx.vstack(
                rx.text(t(title_key), weight="bold"),
                rx.text(t(body_key), size="2", color=rx.color("gray", 11)),
                spacing="1",
                align="start",
            ),
            spacing="3",
            align="start",
        ),
        as_child=False,
        on_click=OnboardingState.leave(place),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
        cursor="pointer",
        width="100%",
        _hover={"background": rx.color("gray", 3)},
        role="link",
        tab_index=0,
        id=f"onboarding-next-{place}",
    )


def _done_step() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("party-popper", size=28, color=rx.color("green", 10)),
            rx.heading(t("onboarding.done.title"), size="5"),
            align="center",
            spacing="2",
        ),
        rx.text(t("onboarding.done.body"), color=rx.color("gray", 11)),
        rx.grid(
            _next_card("compose", "square-pen", "onboarding.next.compose.title", "onboarding.next.compose.body"),
            _next_card("connections", "plug", "onboarding.next.connections.title", "onboarding.next.connections.body"),
            _next_card("workspaces", "users", "onboarding.next.workspaces.title", "onboarding.next.workspaces.body"),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="3",
            width="100%",
        ),
        rx.flex(
            _back_button(steps.CONNECT),
            rx.button(
                t("onboarding.done.finish"),
                size="3",
                on_click=OnboardingState.leave("connections"),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                id="onboarding-finish",
            ),
            justify="between",
            width="100%",
            gap="2",
        ),
        spacing="4",
        width="100%",
        id="onboarding-done",
    )


@app_page(routes.ONBOARDING, "Get started · Socializioz", on_load=[OnboardingState.load, ConnectionsState.load])
def onboarding_page() -> rx.Component:
    return rx.vstack(
        page_header(
            "onboarding.title",
            _step_counter(),
            rx.button(
                t("onboarding.skip"),
                variant="ghost",
                color_scheme="gray",
                on_click=OnboardingState.leave("connections"),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                id="onboarding-skip",
            ),
        ),
        _progress(),
        rx.cond(
            OnboardingState.loaded,
            rx.match(
                OnboardingState.step,
                (steps.CONNECT, _connect_step()),
                (steps.DONE, _done_step()),
                _workspace_step(),
            ),
            rx.skeleton(height="12rem", width="100%"),
        ),
        spacing="4",
        width="100%",
    )
