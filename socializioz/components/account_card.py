"""An account card: avatar (first-letter fallback), name and @username, platform badge, publish
capability, status dot, and its actions: create post, reconnect (when flagged), expand/collapse.
Expanded: followers, connection date, details and (owners and admins) a red Disconnect.

A card reads its facts from ``ConnectionsState.accounts`` (a ``CardView``) and its health from
``ConnectionsState.health`` by account id, so a change of health alone does not resend the cards."""

from dataclasses import dataclass
from typing import Any, cast

import reflex as rx
from reflex.vars import ObjectVar

from socializioz import routes
from socializioz.components.text import isolated, number, t
from socializioz.domain.connect_rules import Intent
from socializioz.domain.platforms import PLATFORMS
from socializioz.services.account_views import CardHealth
from socializioz.state.accounts import AccountsState
from socializioz.state.connections import ConnectionsState
from socializioz.state.session import SessionState

_COLORS = {p.value: info.brand_color for p, info in PLATFORMS.items()}
_NAMES = {p.value: info.display_name for p, info in PLATFORMS.items()}


def platform_name(platform: rx.Var) -> rx.Var:
    return rx.Var.create(_NAMES)[platform.to(str)]


def platform_badge(platform: rx.Var) -> rx.Component:
    return rx.badge(
        platform_name(platform),
        style={"background": rx.Var.create(_COLORS)[platform.to(str)], "color": "white"},
        size="1",
    )


def _dot(color: str) -> rx.Component:
    return rx.box(
        width="0.6rem", height="0.6rem", min_width="0.6rem", border_radius="50%", background=rx.color(color, 9)
    )


def status_indicator(needs_reconnect: rx.Var) -> rx.Component:
    return rx.cond(
        needs_reconnect,
        rx.hstack(
            _dot("amber"),
            rx.text(t("connect.needs_reconnect"), size="1", color=rx.color("amber", 11), white_space="nowrap"),
            align="center",
            spacing="1",
            custom_attrs={"data-status": "needs_reconnect"},
        ),
        rx.hstack(
            _dot("green"),
            rx.text(t("connect.healthy"), size="1", color=rx.color("green", 11)),
            align="center",
            spacing="1",
            custom_attrs={"data-status": "healthy"},
        ),
    )


def publish_badge(account: ObjectVar[Any]) -> rx.Component:
    return rx.cond(
        account["publish_capable"],
        rx.badge(
            rx.icon("send", size=11), t("accounts.publish_capable"), color_scheme="green", variant="soft", size="1"
        ),
        rx.badge(
            rx.icon("ban", size=11),
            t("accounts.not_publish_capable"),
            color_scheme="gray",
            variant="soft",
            size="1",
            custom_attrs={"data-not-publishable": "true"},
        ),
    )


def refresh_paused_badge(account: ObjectVar[Any], refresh_paused: rx.Var) -> rx.Component:
    """Automatic refresh stopped after three failures in a row (spec: "Failure handling")."""
    return rx.cond(
        refresh_paused,
        rx.tooltip(
            rx.badge(
                rx.icon("circle-pause", size=11),
                t("accounts.refresh_paused"),
                color_scheme="amber",
                variant="soft",
                size="1",
                custom_attrs={"data-refresh-paused": account["id"]},
            ),
            content=t("accounts.refresh_paused_hint"),
        ),
    )


def avatar(account: ObjectVar[Any], size: str = "4") -> rx.Component:
    return rx.avatar(src=account["avatar_url"], fallback=account["name"].to(str)[0], radius="full", size=size)


def reconnect_button(account: ObjectVar[Any]) -> rx.Component:
    return rx.button(
        rx.icon("refresh-cw", size=14),
        t("accounts.reconnect"),
        color_scheme="amber",
        size="2",
        on_click=ConnectionsState.begin_oauth(
            account["platform"], Intent.RECONNECT.value, account["id"]
        ).stop_propagation,  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
        custom_attrs={"data-reconnect": account["id"]},
    )


def _health(account: ObjectVar[Any]) -> ObjectVar[CardHealth]:
    """This card's entry in ``ConnectionsState.health``."""
    health = cast(ObjectVar[dict[str, Any]], ConnectionsState.health)  # a dict state var is an ObjectVar on the class
    return cast(ObjectVar[CardHealth], health[account["id"].to_string()])


def _header(account: ObjectVar[Any], health: "_Health") -> rx.Component:
    return rx.hstack(
        avatar(account),
        rx.vstack(
            rx.text(account["name"], weight="medium", trim="both", truncate=True, max_width="100%"),
            rx.cond(
                account["username"] != "",
                rx.text(
                    isolated("@" + account["username"].to(str)),
                    size="2",
                    color=rx.color("gray", 11),
                    truncate=True,
                    max_width="100%",
                    custom_attrs={"data-username": account["id"]},
                ),
            ),
            rx.hstack(
                platform_badge(account["platform"]),
                publish_badge(account),
                refresh_paused_badge(account, health.refresh_paused),
                spacing="1",
                wrap="wrap",
            ),
            spacing="1",
            align="start",
            flex="1",
            min_width="0",
        ),
        status_indicator(health.needs_reconnect),
        align="start",
        spacing="3",
        width="100%",
        cursor="pointer",
        on_click=AccountsState.tap_card(account["id"]),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
        custom_attrs={"data-card-tap": account["id"], "role": "button"},
    )


def _actions(account: ObjectVar[Any], is_open: rx.Var, health: "_Health") -> rx.Component:
    return rx.hstack(
        rx.link(
            rx.button(rx.icon("square-pen", size=14), t("accounts.create_post"), variant="soft", size="2"),
            href=routes.COMPOSE + "?account=" + account["id"].to_string(),
            custom_attrs={"data-compose": account["id"]},
        ),
        rx.cond(
            # the spec: "Reconnect the account from the Connections page to enable publishing"
            health.needs_reconnect | health.refresh_paused | account["media_reconnect"] | ~account["publish_capable"],
            reconnect_button(account),
        ),
        rx.spacer(),
        rx.icon_button(
            rx.cond(is_open, rx.icon("chevron-up", size=16), rx.icon("chevron-down", size=16)),
            variant="ghost",
            color_scheme="gray",
            on_click=rx.cond(is_open, AccountsState.collapse, AccountsState.tap_card(account["id"])),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
            aria_label=rx.cond(is_open, t("accounts.collapse"), t("accounts.expand")),
            custom_attrs={"data-expand": account["id"]},
        ),
        width="100%",
        align="center",
        spacing="2",
    )


def _fact(icon: str, label_key: str, value: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.icon(icon, size=14, color=rx.color("gray", 10)),
        rx.text(t(label_key), size="2", color=rx.color("gray", 11)),
        rx.text(value, size="2", weight="medium"),
        spacing="2",
        align="center",
    )


def _expanded(account: ObjectVar[Any], health: "_Health") -> rx.Component:
    return rx.vstack(
        rx.separator(size="4"),
        rx.cond(
            health.refresh_paused,
            rx.text(t("accounts.refresh_paused_hint"), size="2", color=rx.color("amber", 11)),
        ),
        rx.hstack(
            _fact("users", "accounts.followers", number(account["followers"])),
            _fact("calendar", "accounts.connected_on", account["connected_at"]),
            spacing="4",
            wrap="wrap",
        ),
        rx.hstack(
            rx.button(
                rx.icon("panel-right-open", size=14),
                t("accounts.view_details"),
                variant="outline",
                size="2",
                on_click=AccountsState.open_details(account["id"]),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                custom_attrs={"data-details": account["id"]},
            ),
            rx.spacer(),
            rx.cond(
                SessionState.is_admin,
                rx.button(
                    rx.icon("unplug", size=14),
                    t("accounts.disconnect"),
                    color_scheme="red",
                    variant="soft",
                    size="2",
                    on_click=AccountsState.ask_disconnect(account["id"], account["name"]),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                    custom_attrs={"data-disconnect": account["id"]},
                ),
            ),
            width="100%",
            align="center",
        ),
        spacing="3",
        width="100%",
        custom_attrs={"data-expanded": account["id"]},
    )


def media_reconnect_note(account: ObjectVar[Any]) -> rx.Component:
    """Text posts work, images and video need a scope the account was connected without (X's
    ``media.write``): said on the card, beside the Reconnect that fixes it."""
    return rx.cond(
        account["media_reconnect"],
        rx.hstack(
            rx.icon("image-off", size=14, color=rx.color("amber", 11), flex_shrink="0"),
            rx.text(
                t("accounts.media_reconnect").to(str).replace("{platform}", platform_name(account["platform"])),
                size="2",
                color=rx.color("amber", 11),
            ),
            spacing="2",
            align="center",
            custom_attrs={"data-media-reconnect": account["id"]},
        ),
    )


@dataclass(frozen=True)
class _Health:
    """A card's health flags, as the memoized card receives them (plain booleans: compared by value)."""

    needs_reconnect: rx.Var
    refresh_paused: rx.Var


@rx.memo
def _card(
    account: rx.Var[dict[str, Any]],
    is_open: rx.Var[bool],
    needs_reconnect: rx.Var[bool],
    refresh_paused: rx.Var[bool],
) -> rx.Component:
    """One card as a component of its own that re-renders only when its props change: expanding a
    card, or one card's health changing, re-renders that card, not the page's others (issue 15)."""
    card = cast(ObjectVar[Any], account)
    health = _Health(needs_reconnect, refresh_paused)
    return rx.card(
        rx.vstack(
            _header(card, health),
            media_reconnect_note(card),
            _actions(card, is_open, health),
            rx.cond(is_open, _expanded(card, health)),
            spacing="3",
            width="100%",
        ),
        width="100%",
        border_inline_start=rx.cond(
            needs_reconnect,
            f"3px solid {rx.color('amber', 9)}",
            f"3px solid {rx.color('green', 9)}",
        ),
        custom_attrs={
            "data-account": card["name"],
            "data-platform": card["platform"],
            "data-account-id": card["id"],
        },
    )


def account_card(account: ObjectVar[Any]) -> rx.Component:
    """The card of ``account`` (a ``CardView`` of ``ConnectionsState.accounts``), with its health
    from ``ConnectionsState.health`` and whether it is the expanded one."""
    health = _health(account)
    return _card(
        account=account,
        is_open=AccountsState.expanded == account["id"],
        needs_reconnect=health.needs_reconnect,
        refresh_paused=health.refresh_paused,
    )
