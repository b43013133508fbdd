"""KPI cards: the period's figure and its change against the previous period of the same length
(an arrow, green for a rise and red for a fall, the change and its percentage)."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar

from socializioz.components.text import t
from socializioz.state.analytics import AnalyticsPageState


def _trend(kpi: ObjectVar[dict[str, Any]]) -> rx.Component:
    color = rx.match(kpi["trend"], ("up", rx.color("green", 11)), ("down", rx.color("red", 11)), rx.color("gray", 11))
    return rx.cond(
        kpi["comparable"],
        rx.hstack(
            rx.match(
                kpi["trend"],
                ("up", rx.icon("arrow-up-right", size=16)),
                ("down", rx.icon("arrow-down-right", size=16)),
                rx.icon("arrow-right", size=16),
            ),
            rx.text(kpi["pct"], weight="medium", size="2", dir="ltr"),
            rx.text("(", kpi["delta"], ")", size="1", dir="ltr"),
            spacing="1",
            align="center",
            color=color,
            custom_attrs={"data-trend": kpi["trend"]},
        ),
        rx.text(t("analytics.no_previous"), size="1", color=rx.color("gray", 11)),
    )


def _card(kpi: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(kpi["label"], size="2", color=rx.color("gray", 11)),
            rx.heading(kpi["value"], size="7", custom_attrs={"data-kpi-value": kpi["metric"]}),
            _trend(kpi),
            rx.text(AnalyticsPageState.compare_label, size="1", color=rx.color("gray", 10)),
            spacing="1",
            align="start",
        ),
        custom_attrs={"data-kpi": kpi["metric"]},
        width="100%",
    )


def kpi_cards() -> rx.Component:
    return rx.grid(
        rx.foreach(AnalyticsPageState.kpis, _card),
        columns=rx.breakpoints(initial="2", sm="3", lg="5"),
        gap="0.75rem",
        width="100%",
        id="analytics-kpis",
    )
