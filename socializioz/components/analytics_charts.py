"""The analytics charts (recharts): followers as a line, reach and views as lines, engagement and
posts per day as bars. Full width with a fixed height, recharts thins the day ticks to what fits
(so a phone shows fewer), legends sit below, and in Arabic the time axis runs right to left with
the value axis on the right."""

from __future__ import annotations

import reflex as rx

from socializioz.components.text import t
from socializioz.state.analytics import AnalyticsPageState

HEIGHT = 240
_RTL = AnalyticsPageState.rtl


def _axes(*, second_axis: bool = False, from_zero: bool = True) -> list[rx.Component]:
    axes = [
        rx.recharts.x_axis(
            data_key="label",
            reversed=_RTL,
            interval="preserveStartEnd",
            min_tick_gap=24,
            tick_size=6,
            font_size=12,
            padding={"left": 16, "right": 16},
        ),
        rx.recharts.y_axis(
            orientation=rx.cond(_RTL, "right", "left"),
            width=56,
            font_size=12,
            allow_decimals=False,
            y_axis_id="main",
            domain=[0, "auto"] if from_zero else ["auto", "auto"],
        ),
    ]
    if second_axis:
        axes.append(
            rx.recharts.y_axis(
                orientation=rx.cond(_RTL, "left", "right"),
                width=32,
                font_size=12,
                allow_decimals=False,
                y_axis_id="count",
            )
        )
    return [
        *axes,
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
        rx.recharts.graphing_tooltip(),
        rx.recharts.legend(vertical_align="bottom", height=28, icon_size=10),
    ]


def _line(metric: str, label: rx.Var, color: str) -> rx.Component:
    return rx.recharts.line(
        data_key=metric,
        name=label,
        stroke=rx.color(color, 9),
        stroke_width=2,
        dot=False,
        type_="monotone",
        y_axis_id="main",
        is_animation_active=False,
    )


def _frame(title_key: str, chart: rx.Component, chart_id: str, **props) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(t(title_key), weight="medium", size="3"),
            rx.box(chart, width="100%", height=f"{HEIGHT + 40}px", dir="ltr"),
            spacing="2",
            width="100%",
        ),
        width="100%",
        custom_attrs={"data-chart": chart_id},
        **props,
    )


_CHART_PROPS = {
    "data": AnalyticsPageState.chart_rows,
    "width": "100%",
    "height": HEIGHT + 40,
    "margin": {"top": 8, "right": 8, "left": 8, "bottom": 0},
}


def _bar(metric: str, label: rx.Var, color: str, axis: str) -> rx.Component:
    return rx.recharts.bar(
        data_key=metric, name=label, fill=rx.color(color, 9), y_axis_id=axis, is_animation_active=False
    )


def followers_chart() -> rx.Component:
    return _frame(
        "analytics.chart.followers",
        rx.recharts.line_chart(
            _line("followers", t("analytics.metric.followers"), "indigo"),
            *_axes(from_zero=False),  # audience size: the change matters, not the distance from zero
            **_CHART_PROPS,
        ),
        "followers",
    )


def visibility_chart() -> rx.Component:
    return _frame(
        "analytics.chart.visibility",
        rx.recharts.line_chart(
            rx.cond(AnalyticsPageState.offered.contains("reach"), _line("reach", t("analytics.metric.reach"), "teal")),
            rx.cond(
                AnalyticsPageState.offered.contains("views"), _line("views", t("analytics.metric.views"), "orange")
            ),
            *_axes(),
            **_CHART_PROPS,
        ),
        "visibility",
    )


def activity_chart() -> rx.Component:
    return _frame(
        "analytics.chart.activity",
        rx.recharts.bar_chart(
            _bar("engagement", t("analytics.metric.engagement"), "indigo", "main"),
            _bar("posts", t("analytics.metric.posts"), "amber", "count"),
            *_axes(second_axis=True),
            **_CHART_PROPS,
        ),
        "activity",
        grid_column="1 / -1",  # a bar per day needs the width
    )


def charts() -> rx.Component:
    return rx.grid(
        followers_chart(),
        rx.cond(AnalyticsPageState.shows_reach_or_views, visibility_chart()),
        activity_chart(),
        columns=rx.breakpoints(initial="1", lg="2"),
        gap="0.75rem",
        width="100%",
        id="analytics-charts",
    )
