"""A post's per-account status: one row per target with its chip, and under it what the person can
do: the live post's link, the failure's reason in words (catalogue) with Retry, what "needs
review" means and where to check, or "Reconnect to publish" (the Connections page's own flow)."""

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar

from socializioz.components.account_card import platform_badge, platform_name
from socializioz.components.text import t, t_var
from socializioz.domain.connect_rules import Intent
from socializioz.state.connections import ConnectionsState
from socializioz.state.posts import PostsState

# status -> (label key, colour, icon); "publishing" shows a spinner instead of an icon.
STATUS_LOOK = {
    "scheduled": ("posts.status.scheduled", "gray", "clock"),
    "publishing": ("posts.status.publishing", "blue", ""),
    "published": ("posts.status.published", "green", "circle-check"),
    "failed": ("posts.status.failed", "red", "circle-x"),
    "needs_review": ("posts.status.needs_review", "amber", "circle-help"),
    "blocked": ("posts.status.blocked", "amber", "unplug"),
    "draft": ("posts.status.draft", "gray", "pencil"),
}


def _chip(status: str) -> rx.Component:
    key, color, icon = STATUS_LOOK[status]
    return rx.badge(
        rx.spinner(size="1") if not icon else rx.icon(icon, size=12),
        t(key),
        color_scheme=color,
        variant="soft",
        size="1",
        radius="full",
        custom_attrs={"data-chip": status},
    )


def status_chip(status: rx.Var) -> rx.Component:
    return rx.match(status, *[(name, _chip(name)) for name in STATUS_LOOK], _chip("scheduled"))


def _small(text: rx.Var | str, **props: Any) -> rx.Component:
    return rx.text(text, size="1", color=rx.color("gray", 11), **props)


def _retry(target: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.button(
        rx.icon("rotate-ccw", size=12),
        t("posts.retry"),
        size="1",
        variant="soft",
        loading=PostsState.busy_target == target["id"],
        on_click=PostsState.retry(target["id"]),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
        custom_attrs={"data-retry": target["id"]},
    )


def _failed(target: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.vstack(
        rx.text(
            t_var(target["failure_cause_key"]), size="2", color=rx.color("red", 11), custom_attrs={"data-reason": ""}
        ),
        rx.cond(target["failure_what_key"] != "", _small(t_var(target["failure_what_key"]))),
        rx.cond(
            target["failure_detail"] != "",
            rx.code(
                target["failure_detail"],
                size="1",
                variant="ghost",
                color_scheme="gray",
                custom_attrs={"data-detail": ""},
            ),
        ),
        _retry(target),
        spacing="1",
        align="start",
        width="100%",
    )


def _needs_review(target: ObjectVar[dict[str, Any]]) -> rx.Component:
    where = platform_name(target["platform"])
    return rx.vstack(
        rx.text(t("posts.review.what"), size="2", color=rx.color("amber", 11)),
        _small(t("posts.review.check").to(str).replace("{platform}", where)),
        rx.hstack(
            rx.cond(
                target["profile_url"] != "",
                rx.link(
                    rx.hstack(
                        rx.text(t("posts.review.open").to(str).replace("{platform}", where), size="1"),
                        rx.icon("external-link", size=12),
                        spacing="1",
                        align="center",
                    ),
                    href=target["profile_url"],
                    is_external=True,
                    rel="noopener noreferrer",
                    custom_attrs={"data-profile-link": target["id"]},
                ),
            ),
            _retry(target),
            rx.button(
                t("posts.remove"),
                size="1",
                variant="ghost",
                color_scheme="gray",
                on_click=PostsState.remove_target(target["id"]),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                custom_attrs={"data-remove": target["id"]},
            ),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        spacing="1",
        align="start",
        width="100%",
    )


def _blocked(target: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.vstack(
        _small(t("posts.blocked.why")),
        rx.button(
            rx.icon("refresh-cw", size=12),
            t("posts.blocked.reconnect"),
            size="1",
            color_scheme="amber",
            on_click=ConnectionsState.begin_oauth(target["platform"], Intent.RECONNECT.value, target["account_id"]),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
            custom_attrs={"data-reconnect-target": target["id"]},
        ),
        spacing="1",
        align="start",
        width="100%",
    )


def _published(target: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.cond(
        target["permalink"] != "",
        rx.link(
            rx.hstack(
                rx.text(t("posts.view_live"), size="1"), rx.icon("external-link", size=12), spacing="1", align="center"
            ),
            href=target["permalink"],
            is_external=True,
            rel="noopener noreferrer",
            custom_attrs={"data-live-link": target["id"]},
        ),
    )


def target_row(target: ObjectVar[dict[str, Any]]) -> rx.Component:
    """One account of a post: who, its chip, and what to do about it."""
    return rx.vstack(
        rx.hstack(
            platform_badge(target["platform"]),
            rx.text(target["account_name"], size="2", weight="medium", truncate=True, min_width="0", flex="1"),
            status_chip(target["status"]),
            rx.match(target["status"], ("published", _published(target)), rx.fragment()),
            align="center",
            spacing="2",
            width="100%",
        ),
        rx.match(
            target["status"],
            ("failed", _failed(target)),
            ("needs_review", _needs_review(target)),
            ("blocked", _blocked(target)),
            rx.fragment(),
        ),
        spacing="1",
        width="100%",
        padding="0.4rem 0.5rem",
        border_radius="var(--radius-2)",
        background=rx.match(
            target["status"],
            ("failed", rx.color("red", 2)),
            ("needs_review", rx.color("amber", 2)),
            ("blocked", rx.color("amber", 2)),
            "transparent",
        ),
        custom_attrs={
            "data-target": target["id"],
            "data-status": target["status"],
            "data-account": target["account_name"],
        },
    )
