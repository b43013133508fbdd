"""The posts calendar: a week or a month as a grid of days (Monday first) from tablet width up, and
on a phone a list of the days that have posts, each under its own day header."""

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar

from socializioz.components.calendar_labels import WEEKDAY_KEYS, date_label, month_name
from socializioz.components.post_card import post_card
from socializioz.components.text import t
from socializioz.services.posts_view import PostView
from socializioz.state.posts import PostsState

# The calendar entry's colour from the post's most pressing target (services.posts_view._summary).
SUMMARY_COLORS = {
    "failed": "red",
    "blocked": "amber",
    "publishing": "blue",
    "scheduled": "gray",
    "published": "green",
}
CELL_POSTS = 3  # entries shown in a month cell before "+n more"
_GRID = {"display": ["none", "none", "block"]}  # from 48em; phones get the list
_LIST = {"display": ["block", "block", "none"]}


def _entry(post: ObjectVar[dict[str, Any]]) -> rx.Component:
    color = rx.match(post["summary"], *[(k, rx.color(v, 9)) for k, v in SUMMARY_COLORS.items()], rx.color("gray", 9))
    return rx.hstack(
        rx.box(width="0.5rem", height="0.5rem", min_width="0.5rem", border_radius="50%", background=color),
        rx.text(post["time"], size="1", weight="medium"),
        rx.text(
            post["excerpt"],
            size="1",
            min_width="0",
            flex="1",
            style={"white_space": "nowrap", "overflow": "hidden", "text_overflow": "ellipsis"},
            custom_attrs={"dir": "auto"},  # a post in another script than the page keeps its own direction
        ),
        spacing="1",
        align="center",
        width="100%",
        padding_x="0.25rem",
        border_radius="var(--radius-1)",
        background=rx.color("gray", 3),
        title=post["excerpt"],
        custom_attrs={"data-calendar-post": post["id"], "data-summary": post["summary"]},
    )


def _cell(day: ObjectVar[dict[str, Any]]) -> rx.Component:
    more = day["posts"].to(list[PostView]).length() - CELL_POSTS
    return rx.vstack(
        rx.text(
            day["day"].to_string(),
            size="1",
            weight=rx.cond(day["is_today"], "bold", "regular"),
            color=rx.cond(
                day["is_today"],
                rx.color("accent", 11),
                rx.cond(day["in_range"], rx.color("gray", 12), rx.color("gray", 9)),
            ),
        ),
        rx.cond(
            PostsState.view == "week",
            rx.foreach(day["posts"], _entry),
            rx.fragment(
                rx.foreach(day["posts"].to(list[PostView])[:CELL_POSTS], _entry),
                rx.cond(
                    more > 0,
                    rx.button(
                        t("posts.calendar.more").to(str).replace("{count}", more.to_string()),
                        size="1",
                        variant="ghost",
                        on_click=PostsState.show_week_of(day["date"]),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                        custom_attrs={"data-more": day["date"]},
                    ),
                ),
            ),
        ),
        spacing="1",
        align="start",
        min_height=rx.cond(PostsState.view == "week", "12rem", "6.5rem"),
        min_width="0",
        padding="0.35rem",
        background=rx.cond(day["in_range"], rx.color("gray", 1), rx.color("gray", 2)),
        border=rx.cond(day["is_today"], f"1px solid {rx.color('accent', 8)}", f"1px solid {rx.color('gray', 4)}"),
        custom_attrs={"data-calendar-day": day["date"]},
    )


def calendar_grid() -> rx.Component:
    return rx.box(
        rx.grid(
            *[
                rx.text(t(key), size="1", weight="medium", color=rx.color("gray", 11), padding_x="0.35rem")
                for key in WEEKDAY_KEYS
            ],
            rx.foreach(PostsState.weeks, lambda week: rx.foreach(week, _cell)),
            columns="7",
            width="100%",
            gap="2px",
        ),
        width="100%",
        id="calendar-grid",
        **_GRID,
    )


def _day_group(day: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.vstack(
        rx.heading(
            date_label(day["weekday"], day["day"], day["month"]),
            size="3",
            color=rx.cond(day["is_today"], rx.color("accent", 11), rx.color("gray", 12)),
            padding_top="0.5rem",
            custom_attrs={"data-day-header": day["date"]},
        ),
        rx.foreach(day["posts"], lambda p: post_card(p)),
        spacing="2",
        width="100%",
    )


def calendar_list() -> rx.Component:
    return rx.box(
        rx.cond(
            PostsState.days.length() > 0,
            rx.vstack(rx.foreach(PostsState.days, _day_group), spacing="2", width="100%"),
            rx.text(t("posts.calendar.empty"), color=rx.color("gray", 11), padding_y="1rem"),
        ),
        width="100%",
        id="calendar-list",
        **_LIST,
    )


def calendar_header() -> rx.Component:
    title = month_name(PostsState.title_month).to(str) + " " + PostsState.title_year.to_string()
    return rx.hstack(
        rx.icon_button(
            rx.icon("chevron-left", size=16, class_name="rtl-mirror"),
            variant="soft",
            size="2",
            aria_label=t("posts.calendar.previous"),
            on_click=PostsState.shift_calendar(-1),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
            id="calendar-previous",
        ),
        rx.button(
            t("posts.calendar.today"),
            variant="soft",
            size="2",
            on_click=PostsState.shift_calendar(0),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
            id="calendar-today",
        ),
        rx.icon_button(
            rx.icon("chevron-right", size=16, class_name="rtl-mirror"),
            variant="soft",
            size="2",
            aria_label=t("posts.calendar.next"),
            on_click=PostsState.shift_calendar(1),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
            id="calendar-next",
        ),
        rx.heading(title, size="4", id="calendar-title"),
        align="center",
        spacing="2",
        width="100%",
        wrap="wrap",
    )


def calendar_view() -> rx.Component:
    return rx.vstack(
        calendar_header(),
        rx.cond(PostsState.truncated, rx.callout(t("posts.calendar.truncated"), icon="info", size="1", width="100%")),
        calendar_grid(),
        calendar_list(),
        spacing="3",
        width="100%",
    )
