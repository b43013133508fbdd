"""How the post will look on each chosen account: its avatar and name, the caption cut where that
platform's feed cuts it, and the first media."""

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar

from socializioz.components.account_card import avatar, platform_badge
from socializioz.components.text import t
from socializioz.state.compose import ComposeState


def _media(item: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.cond(
        item["kind"] == "video",
        rx.el.video(src=item["url"], muted=True, preload="metadata", controls=True, width="100%"),
        rx.image(src=item["url"], alt=item["name"], width="100%", max_height="16rem", object_fit="cover"),
    )


def _card(preview: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                avatar(preview, "2"),
                rx.vstack(
                    rx.text(preview["name"], weight="medium", size="2", truncate=True, max_width="100%"),
                    rx.cond(
                        preview["username"] != "",
                        rx.text(
                            rx.el.bdi("@" + preview["username"].to(str)),
                            size="1",
                            color=rx.color("gray", 11),
                            truncate=True,
                        ),
                    ),
                    spacing="0",
                    flex="1",
                    min_width="0",
                ),
                platform_badge(preview["platform"]),
                align="center",
                width="100%",
                spacing="2",
            ),
            rx.cond(
                preview["text"] != "",
                rx.text(
                    preview["text"],
                    rx.cond(preview["cut"], rx.text.span("… ", t("compose.preview_more"), color=rx.color("gray", 11))),
                    size="2",
                    white_space="pre-wrap",
                    word_break="break-word",
                    custom_attrs={"dir": "auto"},
                ),
            ),
            rx.cond(
                preview["media"].to(list).length() > 0,
                rx.grid(
                    rx.foreach(preview["media"].to(list[dict[str, Any]]), _media),
                    columns=rx.cond(preview["media"].to(list).length() > 1, "2", "1"),
                    gap="2px",
                    width="100%",
                    overflow="hidden",
                    border_radius="var(--radius-2)",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        custom_attrs={"data-preview": preview["platform"], "data-preview-account": preview["id"]},
    )


def previews() -> rx.Component:
    return rx.vstack(
        rx.text(t("compose.previews"), weight="medium"),
        rx.cond(
            ComposeState.previews.length() > 0,
            rx.vstack(rx.foreach(ComposeState.previews, _card), spacing="3", width="100%"),
            rx.text(t("compose.previews_empty"), size="2", color=rx.color("gray", 11)),
        ),
        spacing="2",
        width="100%",
        id="compose-previews",
    )
