"""The analytics page's lists: figures per platform and per account, the accounts that show no
analytics and why (with Reconnect where that is the fix), and the top posts: a table sortable by
clicking its headers on wide screens, cards with a sort menu on phones."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar

from socializioz.components.account_card import platform_badge
from socializioz.components.text import t
from socializioz.domain.connect_rules import Intent
from socializioz.state.analytics import AnalyticsPageState
from socializioz.state.connections import ConnectionsState

_MUTED = rx.color("gray", 11)
_DIR = rx.cond(AnalyticsPageState.rtl, "rtl", "ltr")  # a day name between numbers keeps its reading order
FIGURE_COLUMNS = (
    ("followers", "analytics.metric.followers"),
    ("growth", "analytics.col.growth"),
    ("engagement", "analytics.metric.engagement"),
    ("views", "analytics.metric.views"),
    ("posts", "analytics.metric.posts"),
)
# (sort key, header key, row field) of the top posts' number columns.
POST_COLUMNS = (
    ("likes", "analytics.col.likes", "likes"),
    ("comments", "analytics.col.comments", "comments"),
    ("shares", "analytics.col.shares", "shares"),
    ("views", "analytics.metric.views", "views"),
    ("engagement", "analytics.metric.engagement", "engagement"),
)


def _number(value: rx.Var, metric: str = "") -> rx.Component:
    attrs = {"data-metric": metric} if metric else {}
    return rx.table.cell(rx.text(value, dir="ltr"), text_align="end", white_space="nowrap", custom_attrs=attrs)


def _figures_table(rows: rx.Var, first_key: str, first_cell, table_id: str, row_attr: str) -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(t(first_key)),
                    *[rx.table.column_header_cell(t(key), text_align="end") for _, key in FIGURE_COLUMNS],
                )
            ),
            rx.table.body(
                rx.foreach(
                    rows,
                    lambda row: rx.table.row(
                        rx.table.cell(first_cell(row)),
                        *[_number(row[field]) for field, _ in FIGURE_COLUMNS],
                        custom_attrs={row_attr: row["platform"]},
                    ),
                )
            ),
            size="1",
            width="100%",
            id=table_id,
        ),
        width="100%",
        overflow_x="auto",
    )


def _account_cell(row: ObjectVar[dict[str, Any]]) -> rx.Component:
    """The account's name drills the page down to it (the picker lists only this page's accounts)."""
    return rx.hstack(
        platform_badge(row["platform"]),
        rx.button(
            rx.text(row["name"], truncate=True, max_width=["7rem", "11.5rem", "15.5rem"]),
            variant="ghost",
            size="1",
            title=t("analytics.show_account"),
            on_click=AnalyticsPageState.show_account(row["id"]),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
            custom_attrs={"data-show-account": row["id"]},
            max_width=["7.5rem", "12rem", "16rem"],  # phones: the name is cut, not drawn over the numbers
            overflow="hidden",
            justify_content="start",
        ),
        spacing="2",
        align="center",
    )


def _account_pager() -> rx.Component:
    """Previous / "1–25 of 500" / next, under the per-account table (only when there is more than a page)."""
    right, left = rx.icon("chevron-right", size=16), rx.icon("chevron-left", size=16)
    back = rx.cond(AnalyticsPageState.rtl, right, left)  # "previous" points to where the text starts
    forward = rx.cond(AnalyticsPageState.rtl, rx.icon("chevron-left", size=16), rx.icon("chevron-right", size=16))
    return rx.cond(
        AnalyticsPageState.account_pages > 1,
        rx.hstack(
            rx.icon_button(
                back,
                variant="soft",
                size="2",
                aria_label=t("analytics.accounts_previous"),
                title=t("analytics.accounts_previous"),
                on_click=AnalyticsPageState.previous_accounts,
                disabled=AnalyticsPageState.account_page <= 0,
                id="analytics-accounts-previous",
            ),
            rx.text(AnalyticsPageState.account_range, size="2", color=_MUTED, id="analytics-accounts-range"),
            rx.icon_button(
                forward,
                variant="soft",
                size="2",
                aria_label=t("analytics.accounts_next"),
                title=t("analytics.accounts_next"),
                on_click=AnalyticsPageState.next_accounts,
                disabled=AnalyticsPageState.account_page + 1 >= AnalyticsPageState.account_pages,
                id="analytics-accounts-next",
            ),
            spacing="3",
            align="center",
            justify="end",
            width="100%",
        ),
    )


def breakdown() -> rx.Component:
    return rx.grid(
        rx.card(
            rx.vstack(
                rx.text(t("analytics.platforms"), weight="medium"),
                _figures_table(
                    AnalyticsPageState.platform_rows,
                    "analytics.col.platform",
                    lambda row: platform_badge(row["platform"]),
                    "analytics-platforms",
                    "data-platform-row",
                ),
                spacing="2",
                width="100%",
            ),
            width="100%",
        ),
        rx.card(
            rx.vstack(
                rx.text(t("analytics.accounts"), weight="medium"),
                _figures_table(
                    AnalyticsPageState.account_rows,
                    "analytics.col.account",
                    _account_cell,
                    "analytics-accounts",
                    "data-account-row",
                ),
                _account_pager(),
                spacing="2",
                width="100%",
            ),
            width="100%",
        ),
        columns="1",
        gap="0.75rem",
        width="100%",
    )


def _problem(problem: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.flex(
        rx.hstack(
            platform_badge(problem["platform"]),
            rx.text(problem["name"], weight="medium"),
            spacing="2",
            align="center",
        ),
        rx.text(problem["reason"], size="2", color=_MUTED, flex="1", custom_attrs={"data-reason": problem["id"]}),
        rx.cond(
            problem["reconnect"],
            rx.button(
                rx.icon("refresh-cw", size=14),
                t("accounts.reconnect"),
                size="1",
                color_scheme="amber",
                on_click=ConnectionsState.begin_oauth(problem["platform"], Intent.RECONNECT.value, problem["id"]),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                custom_attrs={"data-analytics-reconnect": problem["id"]},
            ),
        ),
        rx.button(
            rx.icon("rotate-cw", size=14),
            t("analytics.refresh_account"),
            size="1",
            variant="soft",
            loading=AnalyticsPageState.refreshing == problem["id"],
            on_click=AnalyticsPageState.refresh_account(problem["id"]),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
            custom_attrs={"data-analytics-refresh": problem["id"]},
        ),
        gap="0.5rem",
        align="center",
        wrap="wrap",
        width="100%",
        padding_y="0.4rem",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        custom_attrs={"data-problem": problem["id"]},
    )


def problems() -> rx.Component:
    return rx.cond(
        AnalyticsPageState.problems.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("info", size=16)),
            rx.vstack(
                rx.text(t("analytics.problems"), weight="medium"),
                rx.foreach(AnalyticsPageState.problems, _problem),
                spacing="1",
                width="100%",
            ),
            color_scheme="amber",
            variant="surface",
            width="100%",
            id="analytics-problems",
        ),
    )


def _sort_header(key: str, label_key: str) -> rx.Component:
    active = AnalyticsPageState.sort == key
    return rx.table.column_header_cell(
        rx.el.button(
            rx.hstack(
                rx.text(t(label_key)),
                rx.cond(active, rx.icon("arrow-down", size=14)),
                spacing="1",
                align="center",
                justify="end",
            ),
            on_click=AnalyticsPageState.set_sort(key),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
            type="button",
            style={
                "background": "transparent",
                "border": "none",
                "cursor": "pointer",
                "font": "inherit",
                "padding": "0",
            },
            color=rx.cond(active, rx.color("accent", 11), rx.color("gray", 12)),
            custom_attrs={"data-sort": key, "aria-pressed": active.to_string()},
        ),
        text_align="end",
    )


def _thumbnail(post: ObjectVar[dict[str, Any]], size: str) -> rx.Component:
    return rx.cond(
        post["thumbnail"] != "",
        rx.image(
            src=post["thumbnail"],
            width=size,
            height=size,
            min_width=size,
            object_fit="cover",
            border_radius="var(--radius-2)",
            alt="",
            loading="lazy",
        ),
        rx.box(
            width=size, height=size, min_width=size, border_radius="var(--radius-2)", background=rx.color("gray", 4)
        ),
    )


def _post_link(post: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.cond(
        post["link"] != "",
        rx.link(
            rx.icon("external-link", size=16),
            href=post["link"],
            is_external=True,
            aria_label=t("analytics.open_post"),
            title=t("analytics.open_post"),
        ),
    )


def _post_row(post: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.hstack(
                _thumbnail(post, "2.5rem"),
                rx.vstack(
                    rx.text(post["caption"], size="2", trim="both", max_width="22rem", truncate=True),
                    rx.hstack(
                        platform_badge(post["platform"]),
                        rx.text(post["account"], size="1", color=_MUTED, truncate=True),
                        rx.text(post["published"], size="1", color=_MUTED, white_space="nowrap", dir=_DIR),
                        spacing="2",
                        align="center",
                    ),
                    spacing="1",
                ),
                spacing="2",
                align="center",
            )
        ),
        *[_number(post[field], field) for _, _, field in POST_COLUMNS],
        rx.table.cell(_post_link(post)),
        custom_attrs={"data-top-post": post["id"]},
    )


def _posts_table() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(t("analytics.col.caption")),
                    *[_sort_header(key, label) for key, label, _ in POST_COLUMNS],
                    rx.table.column_header_cell(rx.text(t("analytics.col.link"), class_name="rt-sr-only")),
                )
            ),
            rx.table.body(rx.foreach(AnalyticsPageState.top_posts, _post_row)),
            size="1",
            width="100%",
        ),
        width="100%",
        overflow_x="auto",
        id="analytics-top-posts-table",
    )


def _stat(label_key: str, value: rx.Var, metric: str) -> rx.Component:
    return rx.vstack(
        rx.text(t(label_key), size="1", color=_MUTED),
        rx.text(value, weight="medium", size="2", dir="ltr", custom_attrs={"data-metric": metric}),
        spacing="0",
        align="start",
    )


def _post_card(post: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                _thumbnail(post, "3.5rem"),
                rx.vstack(
                    rx.text(post["caption"], size="2", trim="both", custom_attrs={"data-caption": "1"}),
                    rx.hstack(
                        platform_badge(post["platform"]),
                        rx.text(post["account"], size="1", color=_MUTED, truncate=True),
                        spacing="2",
                        align="center",
                    ),
                    rx.text(post["published"], size="1", color=_MUTED, dir=_DIR),
                    spacing="1",
                    flex="1",
                    min_width="0",
                ),
                _post_link(post),
                spacing="3",
                align="start",
                width="100%",
            ),
            rx.grid(
                *[_stat(label, post[field], field) for _, label, field in POST_COLUMNS],
                columns="3",
                width="100%",
                gap="0.5rem",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        custom_attrs={"data-top-post-card": post["id"]},
    )


def _posts_cards() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(t("analytics.sort_by"), size="2", color=_MUTED),
            rx.select.root(
                rx.select.trigger(id="analytics-sort", aria_label=t("analytics.sort_by")),
                rx.select.content(
                    *[rx.select.item(t(label), value=key) for key, label, _ in POST_COLUMNS],
                    rx.select.item(t("analytics.col.published"), value="published_at"),
                ),
                value=AnalyticsPageState.sort,
                on_change=AnalyticsPageState.set_sort,
            ),
            align="center",
            spacing="2",
        ),
        rx.foreach(AnalyticsPageState.top_posts, _post_card),
        spacing="2",
        width="100%",
        id="analytics-top-posts-cards",
    )


def top_posts() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(t("analytics.top_posts"), weight="medium", size="3"),
            rx.text(t("analytics.top_posts_hint"), size="1", color=_MUTED),
            rx.cond(
                AnalyticsPageState.top_posts.length() > 0,
                rx.fragment(
                    rx.desktop_only(_posts_table(), width="100%"), rx.mobile_and_tablet(_posts_cards(), width="100%")
                ),
                rx.text(t("analytics.top_posts_empty"), color=_MUTED, id="analytics-top-posts-empty"),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        id="analytics-top-posts",
    )
