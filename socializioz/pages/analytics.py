"""The analytics page: range and scope, KPI cards against the previous period, charts, the
breakdown per platform and account, the accounts without analytics and why, and the top posts."""

import reflex as rx

from socializioz import routes
from socializioz.components.analytics_charts import charts
from socializioz.components.analytics_controls import controls
from socializioz.components.analytics_kpis import kpi_cards
from socializioz.components.analytics_tables import breakdown, problems, top_posts
from socializioz.components.layout import app_page, page_header
from socializioz.components.text import t
from socializioz.state.analytics import AnalyticsPageState
from socializioz.state.session import SessionState


def _subtitle() -> rx.Var:
    return t("analytics.subtitle").to(str).replace("{timezone}", AnalyticsPageState.timezone)


def _empty(icon: str, title_key: str, body_key: str, element_id: str, *actions: rx.Component) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.icon(icon, size=32, color=rx.color("accent", 9)),
            rx.heading(t(title_key), size="4"),
            rx.text(t(body_key), color=rx.color("gray", 11), text_align="center", max_width="32rem"),
            *actions,
            align="center",
            spacing="3",
            padding_y="2rem",
        ),
        width="100%",
        id=element_id,
    )


def _no_accounts() -> rx.Component:
    return _empty(
        "plug",
        "analytics.empty_accounts_title",
        "analytics.empty_accounts_body",
        "analytics-empty-accounts",
        rx.link(rx.button(rx.icon("plus", size=16), t("analytics.connect")), href=routes.CONNECTIONS),
    )


def _loading() -> rx.Component:
    return rx.center(
        rx.hstack(rx.spinner(size="3"), rx.text(t("analytics.loading")), spacing="3", align="center"),
        width="100%",
        padding_y="4rem",
        id="analytics-loading",
        custom_attrs={"aria-busy": "true"},
    )


def _figures() -> rx.Component:
    return rx.vstack(
        rx.cond(
            AnalyticsPageState.has_data,
            rx.fragment(),
            _empty("hourglass", "analytics.empty_data_title", "analytics.empty_data_body", "analytics-empty-data"),
        ),
        problems(),
        rx.cond(AnalyticsPageState.has_data, rx.fragment(kpi_cards(), charts(), top_posts(), breakdown())),
        spacing="3",
        width="100%",
        opacity=rx.cond(AnalyticsPageState.loading, "0.6", "1"),
        custom_attrs={"aria-busy": AnalyticsPageState.loading.to_string()},
    )


@app_page(routes.ANALYTICS, "Analytics · Socializioz", on_load=[AnalyticsPageState.load])
def analytics_page() -> rx.Component:
    return rx.vstack(
        page_header("analytics.title", _subtitle()),
        rx.cond(
            AnalyticsPageState.loaded,
            rx.cond(
                AnalyticsPageState.has_accounts,
                rx.vstack(
                    controls(),
                    rx.text(
                        AnalyticsPageState.range_label,
                        size="2",
                        color=rx.color("gray", 11),
                        id="analytics-range-label",
                    ),
                    rx.cond(
                        AnalyticsPageState.error != "",
                        rx.callout(
                            SessionState.messages[AnalyticsPageState.error],
                            icon="circle-alert",
                            color_scheme="red",
                            width="100%",
                            id="analytics-error",
                        ),
                    ),
                    _figures(),
                    spacing="3",
                    width="100%",
                ),
                _no_accounts(),
            ),
            _loading(),
        ),
        spacing="3",
        width="100%",
        id="analytics-page",
    )
