"""The sheets shown before OAuth (Facebook, Instagram) and the upgrade prompt."""

from __future__ import annotations

import base64
import functools
from typing import Any

import qrcode
import qrcode.image.svg
import reflex as rx
from reflex.vars import ObjectVar

from socializioz.components.text import isolated_in_text, t, t_var
from socializioz.state.connections import READINESS_CHECKING, ConnectionsState

FACEBOOK_CREATE_PAGE_URL = "https://www.facebook.com/pages/create"
FACEBOOK_YOUR_PAGES_URL = "https://www.facebook.com/pages/?category=your_pages"
INSTAGRAM_LOGIN_URL = "https://www.instagram.com/accounts/login/"
INSTAGRAM_APP_URL = "instagram://app"  # Instagram's iPhone Hooks: opens the app (no hook reaches settings)
INSTAGRAM_PATH = ("profile", "menu", "settings", "account_type", "switch")
# What the readiness list is read from, and what only the consent itself can show, per sheet.
READINESS_SOURCE = {"facebook": "connect.ready.source_facebook", "instagram": "connect.ready.source_instagram"}
AFTER_CONSENT = {"facebook": "connect.ready.after_facebook", "instagram": "connect.ready.after_instagram"}


@functools.lru_cache(maxsize=4)
def qr_data_uri(url: str) -> str:
    """An SVG QR code, rendered once on the server (no image service involved)."""
    svg = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _requirement(number: str, title_key: str, body_key: str) -> rx.Component:
    return rx.hstack(
        rx.center(
            rx.text(number, size="2", weight="bold"),
            width="1.75rem",
            height="1.75rem",
            min_width="1.75rem",
            border_radius="50%",
            background=rx.color("accent", 4),
            color=rx.color("accent", 11),
        ),
        rx.vstack(
            rx.text(t(title_key), weight="medium"),
            rx.text(t(body_key), size="2", color=rx.color("gray", 11)),
            spacing="1",
        ),
        align="start",
        spacing="3",
    )


def _phone_qr(url: str, alt_key: str, hint_key: str, element_id: str) -> rx.Component:
    """On a computer: a QR code that carries the setup over to the phone, where the person is
    signed in to the platform's app (on a phone the sheet links straight there instead)."""
    return rx.desktop_only(
        rx.hstack(
            rx.image(
                src=qr_data_uri(url),
                width="7.5rem",
                height="7.5rem",
                alt=t(alt_key),
                id=element_id,
                background="white",
                border_radius="var(--radius-2)",
            ),
            rx.text(t(hint_key), size="2", color=rx.color("gray", 11)),
            align="center",
            spacing="4",
        ),
    )


def _readiness_mark(icon: str, color: str, label_key: str) -> rx.Component:
    """A readiness item's ✓ or ⚠, named for screen readers."""
    return rx.icon(
        icon,
        size=16,
        color=rx.color(color, 10),
        flex_shrink="0",
        margin_top="0.15rem",
        custom_attrs={"role": "img", "aria-label": t(label_key)},
    )


def _readiness_item(item: ObjectVar[Any]) -> rx.Component:
    """✓ or ⚠, the sentence about one Page (its name and @handle isolated for Arabic), the fix link."""
    ready = item["mark"] == "ready"
    sentence = (
        t_var(item["message"])
        .to(str)
        .replace("{page}", isolated_in_text(item["page"]))
        .to(str)
        .replace("{instagram}", isolated_in_text(rx.Var.create("@").to(str) + item["instagram"].to(str)))
    )
    return rx.el.li(
        rx.hstack(
            rx.cond(
                ready,
                _readiness_mark("circle-check", "grass", "connect.ready.mark_ready"),
                _readiness_mark("triangle-alert", "amber", "connect.ready.mark_warn"),
            ),
            rx.text(
                sentence,
                rx.cond(
                    item["fix_url"] != "",
                    rx.fragment(
                        " ",
                        rx.link(
                            t_var(item["fix_label"]),
                            rx.icon("external-link", size=12, margin_inline_start="0.2rem"),
                            href=item["fix_url"],
                            is_external=True,
                            weight="medium",
                            display="inline-flex",
                            align_items="center",
                            white_space="nowrap",
                            custom_attrs={"data-fix": ""},
                        ),
                    ),
                ),
                size="2",
            ),
            align="start",
            spacing="2",
        ),
        custom_attrs={"data-mark": item["mark"]},
    )


def _readiness(platform: str) -> rx.Component:
    """The sheet's "Account readiness": what the workspace's stored Facebook connection says now
    (services/connect_readiness.py), or why nothing can be checked before consent; then what is
    checked right after consent. Never blocks Continue."""
    status = ConnectionsState.readiness_status
    shown = ConnectionsState.readiness_platform == platform
    note = {"size": "2", "color": rx.color("gray", 11)}
    return rx.box(
        rx.flex(
            rx.hstack(
                rx.icon("shield-check", size=16, color=rx.color("accent", 11), aria_hidden="true"),
                rx.text(t("connect.ready.title"), weight="medium"),
                spacing="2",
                align="center",
            ),
            rx.cond(
                shown & ((status == "checked") | (status == "failed")),
                rx.button(
                    rx.icon("refresh-cw", size=12),
                    t("connect.ready.check_again"),
                    variant="ghost",
                    size="1",
                    on_click=ConnectionsState.check_readiness(platform),  # type: ignore[misc]  # Reflex: mypy sees a background @rx.event as EventCallback
                    id="readiness-recheck",
                ),
            ),
            justify="between",
            align="center",
            gap="0.5rem",
        ),
        rx.cond(
            ~shown | (status == READINESS_CHECKING),
            rx.hstack(rx.spinner(size="1"), rx.text(t("connect.ready.checking"), **note), spacing="2", align="center"),
        ),
        rx.cond(shown & (status == "none"), rx.text(t("connect.ready.none"), **note)),
        rx.cond(shown & (status == "stale"), rx.text(t("connect.ready.stale"), **note)),
        rx.cond(
            shown & (status == "checked"),
            rx.vstack(
                rx.text(t(READINESS_SOURCE[platform]), **note),
                rx.el.ul(
                    rx.foreach(ConnectionsState.readiness_items, _readiness_item),
                    style={"display": "grid", "gap": "0.4rem", "list_style": "none", "padding": "0", "margin": "0"},
                    id="readiness-items",
                ),
                rx.cond(
                    ConnectionsState.readiness_more > 0,
                    rx.text(
                        t("connect.ready.more").to(str).replace("{count}", ConnectionsState.readiness_more.to(str)),
                        **note,
                    ),
                ),
                spacing="2",
                width="100%",
            ),
        ),
        rx.cond(
            shown & (ConnectionsState.readiness_problem != ""),
            rx.hstack(
                rx.icon("info", size=16, color=rx.color("amber", 10), flex_shrink="0", aria_hidden="true"),
                rx.text(t_var(ConnectionsState.readiness_problem), size="2", id="readiness-problem"),
                spacing="2",
                align="start",
            ),
        ),
        rx.text(t(AFTER_CONSENT[platform]), size="1", color=rx.color("gray", 11), id="readiness-after"),
        display="grid",
        gap="0.5rem",
        width="100%",
        padding="0.75rem",
        border=f"1px solid {rx.color('gray', 6)}",
        border_radius="var(--radius-3)",
        id="sheet-readiness",
        custom_attrs={
            "role": "status",
            "aria-live": "polite",
            "data-status": rx.cond(shown, status, READINESS_CHECKING),
        },
    )


def _facebook_body() -> rx.Component:
    return rx.vstack(
        _requirement("1", "connect.fb.req1_title", "connect.fb.req1_body"),
        _requirement("2", "connect.fb.req2_title", "connect.fb.req2_body"),
        _readiness("facebook"),
        rx.link(
            rx.button(rx.icon("external-link", size=14), t("connect.fb.create_page"), variant="soft"),
            href=FACEBOOK_CREATE_PAGE_URL,
            is_external=True,
            id="fb-create-page",
        ),
        rx.accordion.root(
            rx.accordion.item(
                header=t("connect.fb.guide"),
                content=rx.el.ol(
                    rx.el.li(t("connect.fb.guide1")),
                    rx.el.li(t("connect.fb.guide2")),
                    rx.el.li(t("connect.fb.guide3")),
                    padding_inline_start="1.25rem",
                    style={"display": "grid", "gap": "0.4rem"},
                ),
                value="guide",
            ),
            collapsible=True,
            type="single",
            variant="ghost",
            width="100%",
            id="fb-quick-guide",
        ),
        _phone_qr(FACEBOOK_YOUR_PAGES_URL, "connect.fb.qr_alt", "connect.fb.qr_hint", "fb-qr"),
        spacing="4",
        width="100%",
    )


def _breadcrumbs() -> rx.Component:
    chips = []
    for index, step in enumerate(INSTAGRAM_PATH):
        if index:
            chips.append(rx.icon("chevron-right", size=14, class_name="rtl-mirror", color=rx.color("gray", 9)))
        chips.append(rx.badge(t(f"connect.ig.path.{step}"), variant="surface", radius="full", size="2"))
    return rx.flex(*chips, wrap="wrap", gap="0.35rem", align="center", id="ig-breadcrumbs")


def _instagram_body() -> rx.Component:
    return rx.vstack(
        _requirement("1", "connect.ig.req1_title", "connect.ig.req1_body"),
        _requirement("2", "connect.ig.req2_title", "connect.ig.req2_body"),
        _readiness("instagram"),
        rx.text(t("connect.ig.path_label"), size="2", weight="medium"),
        _breadcrumbs(),
        rx.mobile_and_tablet(
            rx.link(
                rx.button(rx.icon("smartphone", size=14), t("connect.ig.open_app"), variant="soft", width="100%"),
                href=INSTAGRAM_APP_URL,
                id="ig-deep-link",
                width="100%",
            ),
            width="100%",
        ),
        _phone_qr(INSTAGRAM_LOGIN_URL, "connect.ig.qr_alt", "connect.ig.qr_hint", "ig-qr"),
        spacing="4",
        width="100%",
    )


def setup_sheet() -> rx.Component:
    platform = ConnectionsState.sheet_platform
    name = rx.cond(platform == "facebook", "Facebook", "Instagram")
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("connect.setup_title").to(str).replace("{platform}", name)),
            rx.box(rx.cond(platform == "facebook", _facebook_body(), _instagram_body()), padding_y="0.5rem"),
            rx.flex(
                rx.dialog.close(rx.button(t("common.cancel"), variant="soft", color_scheme="gray", id="sheet-cancel")),
                rx.button(
                    t("connect.continue_to").to(str).replace("{platform}", name),
                    on_click=ConnectionsState.begin_oauth(platform, ConnectionsState.intent, 0),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                    id="sheet-continue",
                ),
                justify="end",
                gap="0.5rem",
                wrap="wrap-reverse",
                # Continue stays in view while the sheet scrolls (a long readiness list on a phone).
                position="sticky",
                bottom="calc(-1 * var(--dialog-content-padding))",  # the sheet's own edge, not its padding's
                margin_bottom="calc(-1 * var(--dialog-content-padding))",
                padding_top="0.75rem",
                padding_bottom="var(--dialog-content-padding)",
                background="var(--color-panel-solid)",
                border_top=f"1px solid {rx.color('gray', 4)}",
                z_index="1",
                id="sheet-actions",
            ),
            max_width="34rem",
            # Within the screen (Radix's scroll padding above and below), so the sheet scrolls
            # inside itself and its sticky actions stay in view.
            max_height="calc(100dvh - var(--space-6) - max(var(--space-6), 6vh))",
            id="setup-sheet",
        ),
        open=ConnectionsState.sheet_open,
        on_open_change=ConnectionsState.close_sheet,
    )


def upgrade_dialog() -> rx.Component:
    plan_name = t_var("plan." + ConnectionsState.upgrade_plan)
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("connect.upgrade_title").to(str).replace("{platform}", ConnectionsState.upgrade_name)),
            rx.text(t("connect.upgrade_body").to(str).replace("{plan}", plan_name.to(str)), id="upgrade-body"),
            rx.flex(
                rx.dialog.close(rx.button(t("common.cancel"), variant="soft", color_scheme="gray")),
                rx.link(rx.button(t("connect.upgrade_cta"), id="upgrade-cta"), href="/billing"),
                justify="end",
                gap="0.5rem",
                padding_top="1rem",
            ),
            max_width="28rem",
            id="upgrade-dialog",
        ),
        open=ConnectionsState.upgrade_open,
        on_open_change=ConnectionsState.close_upgrade,
    )
