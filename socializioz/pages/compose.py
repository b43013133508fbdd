"""The composer: accounts, text with live per-platform counts, media, the creators' options, a
campaign and a time in the workspace's zone; what each platform objects to; previews; and
Post now / Schedule / Save draft. One column on a phone, editor and previews side by side wider."""

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar

from socializioz import routes
from socializioz.components.account_card import avatar
from socializioz.components.compose_media import media_section
from socializioz.components.compose_preview import previews
from socializioz.components.layout import app_page, page_header
from socializioz.components.platform_tile import platform_mark
from socializioz.components.text import t, t_var
from socializioz.domain.connect_rules import Intent
from socializioz.domain.platforms import PLATFORMS
from socializioz.state.compose import ComposeState
from socializioz.state.connections import ConnectionsState

_COLORS = {p.value: info.brand_color for p, info in PLATFORMS.items()}


def _chip(account: ObjectVar[dict[str, Any]]) -> rx.Component:
    chosen = ComposeState.selected.contains(account["id"])
    blocked = account["blocked"] != ""
    return rx.el.button(
        rx.hstack(
            rx.box(
                avatar(account, "2"),
                rx.box(
                    platform_mark(
                        account["platform_name"], rx.Var.create(_COLORS)[account["platform"].to(str)], "1rem"
                    ),
                    position="absolute",
                    bottom="-3px",
                    inset_inline_end="-3px",
                    font_size="0.6rem",
                ),
                position="relative",
            ),
            rx.vstack(
                rx.text(account["name"], size="2", weight="medium", truncate=True, max_width="12rem"),
                rx.cond(
                    blocked,
                    rx.text(t_var(account["blocked"].to(str)), size="1", color=rx.color("gray", 11), max_width="14rem"),
                    rx.text(account["platform_name"], size="1", color=rx.color("gray", 11)),
                ),
                spacing="0",
                align="start",
            ),
            rx.cond(chosen, rx.icon("check", size=16, color=rx.color("accent", 11))),
            align="center",
            spacing="2",
        ),
        type="button",
        disabled=blocked,
        on_click=ComposeState.toggle_account(account["id"]),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
        padding="0.4rem 0.6rem",
        border_radius="var(--radius-4)",
        border=rx.cond(chosen, f"2px solid {rx.color('accent', 9)}", f"1px solid {rx.color('gray', 6)}"),
        background=rx.cond(chosen, rx.color("accent", 3), rx.color("gray", 1)),
        opacity=rx.cond(blocked, "0.6", "1"),
        cursor=rx.cond(blocked, "not-allowed", "pointer"),
        text_align="start",
        custom_attrs={
            "role": "checkbox",
            "aria-checked": chosen.to_string(),
            "data-compose-account": account["id"],
            "data-platform": account["platform"],
            "data-selected": chosen.to_string(),
            "data-blocked": blocked.to_string(),
        },
    )


def _accounts() -> rx.Component:
    return rx.vstack(
        rx.text(t("compose.accounts"), weight="medium"),
        rx.cond(
            ComposeState.accounts.length() > 0,
            rx.flex(rx.foreach(ComposeState.accounts, _chip), wrap="wrap", gap="0.5rem", width="100%"),
            rx.text(t("compose.no_accounts_connected"), color=rx.color("gray", 11)),
        ),
        spacing="2",
        width="100%",
    )


def _counter(counter: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.badge(
        counter["name"],
        " ",
        rx.el.bdi(counter["count"].to_string() + " / " + counter["limit"].to_string()),
        color_scheme=rx.cond(counter["over"], "red", "gray"),
        variant=rx.cond(counter["over"], "solid", "soft"),
        custom_attrs={"data-counter": counter["platform"], "data-over": counter["over"].to_string()},
    )


def _text() -> rx.Component:
    return rx.vstack(
        rx.text_area(
            value=ComposeState.text,
            on_change=ComposeState.set_text,
            placeholder=t("compose.text_placeholder"),
            aria_label=t("compose.text_placeholder"),
            rows="6",
            width="100%",
            id="compose-text",
            custom_attrs={"dir": "auto"},
        ),
        rx.flex(rx.foreach(ComposeState.counters, _counter), wrap="wrap", gap="0.4rem", id="compose-counters"),
        spacing="2",
        width="100%",
    )


def _privacy(entry: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.vstack(
        rx.text(t("compose.privacy_label"), " ", entry["name"], weight="medium", size="2"),
        rx.select.root(
            rx.select.trigger(
                placeholder=t("compose.privacy_placeholder"), width="100%", aria_label=t("compose.privacy_placeholder")
            ),
            rx.select.content(
                rx.foreach(
                    entry["levels"].to(list[dict[str, str]]),
                    lambda level: rx.select.item(level["label"], value=level["value"]),
                )
            ),
            value=entry["chosen"].to(str),
            on_change=lambda value: ComposeState.set_privacy(entry["platform"], value),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
        ),
        spacing="1",
        width="100%",
        max_width="20rem",
        custom_attrs={"data-privacy": entry["platform"]},
    )


def _campaign() -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.text(t("compose.campaign"), weight="medium", size="2"),
            rx.select.root(
                rx.select.trigger(
                    placeholder=t("compose.campaign_none"), width="100%", aria_label=t("compose.campaign")
                ),
                rx.select.content(
                    rx.select.item(t("compose.campaign_none"), value="none"),
                    rx.foreach(ComposeState.campaigns, lambda c: rx.select.item(c["name"], value=c["id"].to_string())),
                ),
                value=rx.cond(ComposeState.campaign == "", "none", ComposeState.campaign),
                on_change=ComposeState.set_campaign,
            ),
            spacing="1",
            flex="1",
            min_width="12rem",
        ),
        rx.vstack(
            rx.el.label(rx.text(t("compose.campaign_new"), weight="medium", size="2"), html_for="compose-new-campaign"),
            rx.input(
                value=ComposeState.new_campaign,
                on_change=ComposeState.set_new_campaign,
                placeholder=t("compose.campaign_new_placeholder"),
                id="compose-new-campaign",
                width="100%",
            ),
            spacing="1",
            flex="1",
            min_width="12rem",
        ),
        gap="0.75rem",
        wrap="wrap",
        width="100%",
    )


def _when() -> rx.Component:
    return rx.vstack(
        rx.text(t("compose.when"), weight="medium"),
        rx.flex(
            rx.input(
                value=ComposeState.day,
                on_change=ComposeState.set_day,
                type="date",
                id="compose-day",
                aria_label=t("compose.day"),
            ),
            rx.input(
                value=ComposeState.clock,
                on_change=ComposeState.set_clock,
                type="time",
                id="compose-time",
                aria_label=t("compose.time"),
            ),
            rx.badge(rx.icon("globe", size=12), rx.el.bdi(ComposeState.zone), variant="soft", id="compose-zone"),
            gap="0.5rem",
            wrap="wrap",
            align="center",
        ),
        rx.cond(
            ComposeState.time_note != "",
            rx.callout(
                ComposeState.time_note,
                icon=rx.cond(ComposeState.time_ok, "info", "circle-alert"),
                color_scheme=rx.cond(ComposeState.time_ok, "amber", "red"),
                size="1",
                id="compose-time-note",
            ),
        ),
        spacing="2",
        width="100%",
    )


def _issues() -> rx.Component:
    return rx.cond(
        ComposeState.issues.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("triangle-alert")),
            rx.vstack(
                rx.text(t("compose.issues_title"), weight="medium", size="2"),
                rx.foreach(
                    ComposeState.issues,
                    lambda issue: rx.flex(
                        rx.text(
                            rx.text.strong(issue["name"]),
                            ": ",
                            issue["text"],
                            size="2",
                            custom_attrs={"data-issue": issue["platform"]},
                        ),
                        rx.cond(issue["reconnect"].to(int) != 0, _issue_reconnect(issue)),
                        gap="2",
                        align="center",
                        wrap="wrap",
                    ),
                ),
                spacing="1",
            ),
            color_scheme="amber",
            width="100%",
            id="compose-issues",
        ),
    )


def _issue_reconnect(issue) -> rx.Component:
    """The fix beside an account's own issue (X connected without ``media.write``): reconnect it."""
    return rx.button(
        rx.icon("refresh-cw", size=14),
        t("accounts.reconnect"),
        color_scheme="amber",
        size="1",
        on_click=ConnectionsState.begin_oauth(issue["platform"], Intent.RECONNECT.value, issue["reconnect"]),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
        custom_attrs={"data-issue-reconnect": issue["reconnect"]},
    )


_STACKED = ["100%", "100%", "auto"]  # a phone: one full-width button per line, the main one on top


def _buttons() -> rx.Component:
    return rx.flex(
        rx.link(
            rx.button(t("common.cancel"), variant="ghost", color_scheme="gray", width="100%"),
            href=routes.POSTS,
            width=_STACKED,
        ),
        rx.spacer(display=["none", "none", "block"]),
        rx.button(
            rx.icon("file-pen-line", size=16),
            t("compose.save_draft"),
            variant="soft",
            color_scheme="gray",
            loading=ComposeState.busy == "draft",
            disabled=~ComposeState.has_content | (ComposeState.busy != ""),
            on_click=ComposeState.submit("draft"),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
            width=_STACKED,
            id="compose-draft",
        ),
        rx.button(
            rx.icon("send", size=16, class_name="rtl-mirror"),
            t("compose.post_now"),
            variant="soft",
            loading=ComposeState.busy == "now",
            disabled=~ComposeState.can_send,
            on_click=ComposeState.submit("now"),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
            width=_STACKED,
            id="compose-now",
        ),
        rx.button(
            rx.icon("calendar-clock", size=16),
            t("compose.schedule"),
            loading=ComposeState.busy == "schedule",
            disabled=~ComposeState.can_send | ~ComposeState.time_ok,
            on_click=ComposeState.submit("schedule"),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
            width=_STACKED,
            id="compose-save",
        ),
        direction=rx.breakpoints(initial="column-reverse", md="row"),
        gap="0.5rem",
        width="100%",
        align=rx.breakpoints(initial="stretch", md="center"),
    )


def _editor() -> rx.Component:
    return rx.vstack(
        _accounts(),
        _text(),
        media_section(),
        rx.foreach(ComposeState.privacy, _privacy),
        _campaign(),
        _when(),
        _issues(),
        rx.cond(
            ComposeState.error != "",
            rx.callout(ComposeState.error, icon="circle-alert", color_scheme="red", width="100%", id="compose-error"),
        ),
        _buttons(),
        spacing="4",
        width="100%",
        min_width="0",
    )


@app_page(routes.COMPOSE, "Compose · Socializioz", on_load=[ComposeState.load])
def compose_page() -> rx.Component:
    return rx.vstack(
        page_header(
            "compose.title",
            t("compose.subtitle"),
            rx.cond(ComposeState.post_id > 0, rx.badge(t("compose.editing_draft"), size="2", id="compose-editing")),
        ),
        rx.grid(
            _editor(),
            previews(),
            columns=rx.breakpoints(initial="1", md="2"),
            gap="1.5rem",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )
