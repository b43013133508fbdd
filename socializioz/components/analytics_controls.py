"""The analytics page's controls: the date range (7/30/90 days or custom days), what to show (all
accounts, one platform, one account) and the CSV export."""

from __future__ import annotations

import reflex as rx

from socializioz.components.text import t
from socializioz.state.analytics import CUSTOM, AnalyticsPageState

_PRESETS = (("7", "analytics.range.7"), ("30", "analytics.range.30"), ("90", "analytics.range.90"))


def _date_input(key: str, value: rx.Var, on_change, element_id: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(rx.text(t(key), size="1", color=rx.color("gray", 11)), html_for=element_id),
        rx.input(value=value, on_change=on_change, type="date", id=element_id, size="2"),
        spacing="1",
    )


def range_picker() -> rx.Component:
    return rx.vstack(
        rx.segmented_control.root(
            *[rx.segmented_control.item(t(key), value=value) for value, key in _PRESETS],
            rx.segmented_control.item(t("analytics.range.custom"), value=CUSTOM),
            value=AnalyticsPageState.preset,
            on_change=AnalyticsPageState.set_preset,
            id="analytics-range",
            size="2",
        ),
        rx.cond(
            AnalyticsPageState.preset == CUSTOM,
            rx.hstack(
                _date_input(
                    "analytics.range.from",
                    AnalyticsPageState.custom_start,
                    AnalyticsPageState.set_custom_start,
                    "analytics-from",
                ),
                _date_input(
                    "analytics.range.to",
                    AnalyticsPageState.custom_end,
                    AnalyticsPageState.set_custom_end,
                    "analytics-to",
                ),
                rx.button(t("analytics.range.apply"), on_click=AnalyticsPageState.apply_custom, id="analytics-apply"),
                align="end",
                spacing="2",
                wrap="wrap",
            ),
        ),
        spacing="2",
        align="start",
    )


def scope_picker() -> rx.Component:
    return rx.hstack(
        rx.text(t("analytics.scope.label"), size="2", color=rx.color("gray", 11)),
        rx.select.root(
            rx.select.trigger(id="analytics-scope", max_width="18rem", aria_label=t("analytics.scope.label")),
            rx.select.content(
                rx.foreach(
                    AnalyticsPageState.scope_options,
                    lambda option: rx.select.item(
                        option["label"], value=option["value"], custom_attrs={"data-scope-option": option["value"]}
                    ),
                )
            ),
            value=AnalyticsPageState.scope,
            on_change=AnalyticsPageState.set_scope,
        ),
        align="center",
        spacing="2",
    )


def export_button() -> rx.Component:
    return rx.button(
        rx.icon("download", size=16),
        t("analytics.export"),
        variant="soft",
        on_click=AnalyticsPageState.export_csv,
        id="analytics-export",
        disabled=~AnalyticsPageState.loaded,
    )


def refresh_button() -> rx.Component:
    """ "Refresh analytics" for the account shown alone: read it from the platform now."""
    return rx.cond(
        AnalyticsPageState.scope_account > 0,
        rx.button(
            rx.icon("rotate-cw", size=16),
            t("analytics.refresh_account"),
            variant="soft",
            loading=AnalyticsPageState.refreshing == AnalyticsPageState.scope_account,
            on_click=AnalyticsPageState.refresh_account(AnalyticsPageState.scope_account),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
            id="analytics-refresh",
        ),
    )


def controls() -> rx.Component:
    return rx.flex(
        range_picker(),
        rx.spacer(),
        scope_picker(),
        refresh_button(),
        export_button(),
        width="100%",
        gap="0.75rem",
        wrap="wrap",
        align="center",
    )
