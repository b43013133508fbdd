"""A post in a list (the queue, a calendar day on the phone, a campaign): its time in the workspace's
zone, campaign chip, media thumbnail, truncated text and each account's status."""

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar

from socializioz import routes
from socializioz.components.calendar_labels import date_label
from socializioz.components.post_status import target_row
from socializioz.components.text import t
from socializioz.state.posts import PostsState


def _thumbnail(post: ObjectVar[dict[str, Any]]) -> rx.Component:
    """The first image, or a film icon for a video; a text-only post shows none."""
    box = {"width": "4rem", "height": "4rem", "min_width": "4rem", "border_radius": "var(--radius-3)"}
    return rx.cond(
        post["thumbnail_url"] != "",
        rx.image(src=post["thumbnail_url"], alt=t("posts.thumbnail_alt"), object_fit="cover", loading="lazy", **box),
        rx.cond(
            post["media_kind"] == "video",
            rx.center(
                rx.icon("film", size=20, color=rx.color("gray", 10)),
                background=rx.color("gray", 3),
                aria_label=t("posts.media_video"),
                **box,
            ),
        ),
    )


def campaign_chip(post: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.cond(
        post["campaign_id"] != 0,
        rx.link(
            rx.badge(rx.icon("flag", size=11), post["campaign_name"], variant="outline", size="1", radius="full"),
            href=routes.CAMPAIGNS + "?campaign=" + post["campaign_id"].to_string(),
            custom_attrs={"data-campaign-chip": post["campaign_id"]},
        ),
    )


def _when(post: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.cond(
        post["has_time"],
        rx.text(
            date_label(post["weekday"], post["day_of_month"], post["month"]),
            " · ",
            post["time"],
            size="2",
            weight="medium",
        ),
        rx.text(t("posts.no_time"), size="2", color=rx.color("gray", 11)),
    )


def post_card(post: ObjectVar[dict[str, Any]], can_delete: bool = True) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                _when(post),
                campaign_chip(post),
                rx.spacer(),
                *(
                    [
                        rx.cond(
                            post["deletable"],
                            rx.icon_button(
                                rx.icon("trash-2", size=14),
                                size="1",
                                variant="ghost",
                                color_scheme="gray",
                                aria_label=t("posts.delete"),
                                on_click=PostsState.ask_delete(post["id"]),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                                custom_attrs={"data-delete": post["id"]},
                            ),
                        )
                    ]
                    if can_delete
                    else []
                ),
                align="center",
                spacing="2",
                width="100%",
                wrap="wrap",
            ),
            rx.hstack(
                _thumbnail(post),
                rx.text(
                    post["excerpt"],
                    size="2",
                    style={"overflow_wrap": "anywhere"},
                    flex="1",
                    min_width="0",
                    custom_attrs={"dir": "auto"},  # the post's own script decides its direction
                ),
                align="start",
                spacing="3",
                width="100%",
            ),
            rx.vstack(rx.foreach(post["targets"], target_row), spacing="1", width="100%"),
            spacing="2",
            width="100%",
        ),
        width="100%",
        custom_attrs={"data-post": post["id"], "data-day": post["day"]},
    )


def post_list(posts: rx.Var, can_delete: bool = True) -> rx.Component:
    return rx.vstack(rx.foreach(posts, lambda p: post_card(p, can_delete)), spacing="2", width="100%")
