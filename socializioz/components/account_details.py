"""The account details panel: a side sheet on desktop, full width on mobile, sliding in from the
inline end (right, or left in Arabic). Facebook and Instagram: recent posts with media, caption,
date, engagement and comment previews, Refresh content, the missing-permission banner, and (owners
and admins) the Meta Token Debug section. Other platforms: a placeholder."""

from typing import Any, cast

import reflex as rx
from reflex.vars import ObjectVar

from socializioz import routes
from socializioz.components.account_card import (
    avatar,
    platform_badge,
    platform_name,
    publish_badge,
    reconnect_button,
    status_indicator,
)
from socializioz.components.text import isolated, number, t, t_var
from socializioz.components.token_debug import token_debug_section
from socializioz.services.account_views import AccountView
from socializioz.state.accounts import AccountsState
from socializioz.state.session import SessionState

_RTL = SessionState.text_direction == "rtl"
_SYNC_TONES = {
    "synced": "green",
    "temporary": "gray",
    "needs_reconnect": "amber",
    "missing_permission": "amber",
    "unsupported": "gray",
}


def _header() -> rx.Component:
    account = cast(ObjectVar[AccountView], AccountsState.account)  # a dataclass state var is an ObjectVar on the class
    return rx.hstack(
        avatar(account, "5"),
        rx.vstack(
            rx.heading(account.name.to(str), size="4", truncate=True, max_width="100%"),
            rx.cond(
                account.username.to(str) != "",
                rx.text(isolated("@" + account.username.to(str)), size="2", color=rx.color("gray", 11)),
            ),
            rx.hstack(
                platform_badge(account.platform.to(str)),
                publish_badge(account),
                status_indicator(account.needs_reconnect),
                spacing="2",
                wrap="wrap",
                align="center",
            ),
            spacing="1",
            align="start",
            flex="1",
            min_width="0",
        ),
        rx.drawer.close(
            rx.icon_button(
                rx.icon("x", size=18),
                variant="ghost",
                color_scheme="gray",
                aria_label=t("common.close"),
                id="details-close",
            )
        ),
        align="start",
        spacing="3",
        width="100%",
    )


def _ask_assistant(account: ObjectVar[AccountView]) -> rx.Component:
    """ "Fix with AI Support" for this account: the assistant reads its state (services/support.py)."""
    return rx.link(
        rx.button(rx.icon("sparkles", size=14), t("connect.fix_with_ai"), size="1", variant="soft"),
        href="/support?account=" + account.id.to(str),
        custom_attrs={"data-ask-assistant": account.id},
    )


def _banners() -> rx.Component:
    account = cast(ObjectVar[AccountView], AccountsState.account)  # a dataclass state var is an ObjectVar on the class
    return rx.fragment(
        rx.cond(
            AccountsState.missing_scopes.length() > 0,
            rx.callout(
                rx.vstack(
                    rx.text(t("accounts.missing_scopes_title"), weight="medium"),
                    rx.text(t("accounts.missing_scopes_body")),
                    rx.hstack(
                        rx.foreach(AccountsState.missing_scopes, lambda s: rx.code(s, color_scheme="amber")),
                        spacing="1",
                        wrap="wrap",
                    ),
                    rx.cond(~account.needs_reconnect.to(bool), _ask_assistant(account)),
                    spacing="1",
                    align="start",
                ),
                icon="triangle-alert",
                color_scheme="amber",
                width="100%",
                id="missing-scope-banner",
            ),
        ),
        rx.cond(
            account.needs_reconnect.to(bool),
            rx.callout(
                rx.hstack(
                    rx.text(t("accounts.needs_reconnect_body"), flex="1"),
                    reconnect_button(account),
                    _ask_assistant(account),
                    align="center",
                    wrap="wrap",
                    spacing="2",
                ),
                icon="plug-zap",
                color_scheme="amber",
                width="100%",
                id="details-reconnect",
            ),
        ),
        rx.cond(
            AccountsState.guidance_cause_key != "",
            rx.callout(
                rx.vstack(
                    rx.text(rx.text.strong("IG_DIRECT_NOT_PUBLISHABLE · "), t_var(AccountsState.guidance_cause_key)),
                    rx.text(t_var(AccountsState.guidance_what_key)),
                    spacing="1",
                    align="start",
                ),
                icon="info",
                color_scheme="gray",
                width="100%",
                id="publish-guidance",
            ),
        ),
    )


def _sync_result() -> rx.Component:
    status = AccountsState.sync_status
    message = rx.cond(
        status == "synced",
        t("accounts.sync.synced")
        .to(str)
        .replace("{count}", AccountsState.posts.length().to_string())
        .replace("{new}", AccountsState.sync_new.to_string()),
        rx.cond(
            status == "missing_permission",
            t("accounts.sync.missing_permission").to(str).replace("{scope}", AccountsState.sync_scope),
            t_var("accounts.sync." + status),
        ),
    )
    return rx.cond(
        status != "",
        rx.callout(
            message,
            icon=rx.cond(status == "synced", "circle-check", "info"),
            color_scheme=rx.Var.create(_SYNC_TONES)[status].to(str),
            size="1",
            width="100%",
            id="sync-result",
            custom_attrs={"data-sync-status": status},
        ),
    )


def _toolbar() -> rx.Component:
    return rx.hstack(
        rx.heading(t("accounts.recent_posts"), size="3"),
        rx.spacer(),
        rx.button(
            rx.cond(AccountsState.syncing, rx.spinner(size="1"), rx.icon("refresh-cw", size=14)),
            rx.cond(AccountsState.syncing, t("accounts.syncing"), t("accounts.refresh_content")),
            on_click=AccountsState.refresh_content,
            disabled=AccountsState.syncing,
            variant="soft",
            size="2",
            id="refresh-content",
        ),
        width="100%",
        align="center",
    )


def _stat(icon: str, value: rx.Var, key: str) -> rx.Component:
    return rx.hstack(
        rx.icon(icon, size=14),
        rx.text(number(value), size="2"),
        spacing="1",
        align="center",
        title=t(key),
        color=rx.color("gray", 11),
    )


def _manage_comments(post: ObjectVar[dict[str, Any]]) -> rx.Component:
    """Facebook and Instagram posts: their comments on the comments page (issue 13)."""
    account = cast(ObjectVar[AccountView], AccountsState.account)
    platform = account.platform.to(str)
    return rx.cond(
        (platform == "facebook") | (platform == "instagram"),
        rx.link(
            rx.icon("reply", size=14, class_name="rtl-mirror"),
            t("comments.manage_post"),
            href=routes.COMMENTS + "?account=" + account.id.to(str) + "&post=" + post["id"].to(str),
            size="1",
            display="inline-flex",
            align_items="center",
            gap="0.25rem",
            custom_attrs={"data-manage-comments": post["id"]},
        ),
    )


def _post(post: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.cond(
                    post["media_url"].to(str) != "",
                    rx.image(
                        src=post["media_url"].to(str),
                        width="4.5rem",
                        height="4.5rem",
                        min_width="4.5rem",
                        object_fit="cover",
                        border_radius="var(--radius-2)",
                        alt="",
                    ),
                ),
                rx.vstack(
                    rx.text(post["caption"].to(str), size="2", style={"overflowWrap": "anywhere"}),
                    rx.text(post["published"].to(str), size="1", color=rx.color("gray", 10)),
                    spacing="1",
                    align="start",
                    flex="1",
                    min_width="0",
                ),
                spacing="3",
                width="100%",
                align="start",
            ),
            rx.hstack(
                _stat("heart", post["reactions"], "accounts.reactions"),
                _stat("message-circle", post["comments"], "accounts.comments"),
                _stat("repeat-2", post["shares"], "accounts.shares"),
                spacing="4",
            ),
            rx.foreach(
                post["comment_preview"].to(list[dict[str, str]]),
                lambda c: rx.box(
                    rx.text(rx.text.strong(c["author"] + " "), c["text"], size="1"),
                    background=rx.color("gray", 3),
                    padding="0.35rem 0.6rem",
                    border_radius="var(--radius-2)",
                    width="100%",
                ),
            ),
            rx.cond(
                post["permalink"].to(str) != "",
                rx.link(
                    t("accounts.all_comments")
                    .to(str)
                    .replace(
                        "{platform}",
                        platform_name(cast(ObjectVar[AccountView], AccountsState.account).platform.to(str)).to(str),
                    ),
                    href=post["permalink"].to(str),
                    is_external=True,
                    size="1",
                ),
            ),
            _manage_comments(post),
            spacing="2",
            width="100%",
        ),
        width="100%",
        custom_attrs={"data-post": post["id"]},
    )


def _content() -> rx.Component:
    return rx.vstack(
        _toolbar(),
        rx.cond(
            AccountsState.last_synced != "",
            rx.text(t("accounts.last_synced"), " ", AccountsState.last_synced, size="1", color=rx.color("gray", 10)),
        ),
        _sync_result(),
        rx.cond(
            AccountsState.posts.length() > 0,
            rx.vstack(rx.foreach(AccountsState.posts, _post), spacing="2", width="100%", id="details-posts"),
            rx.cond(
                AccountsState.syncing,
                rx.vstack(
                    rx.hstack(rx.spinner(size="1"), rx.text(t("accounts.loading_posts"), size="2"), spacing="2"),
                    rx.skeleton(height="5rem", width="100%"),
                    rx.skeleton(height="5rem", width="100%"),
                    spacing="2",
                    width="100%",
                    id="details-posts-loading",
                    custom_attrs={"aria-busy": "true"},
                ),
                rx.text(t("accounts.no_posts_yet"), size="2", color=rx.color("gray", 11), id="details-no-posts"),
            ),
        ),
        rx.cond(SessionState.is_admin, token_debug_section()),
        spacing="3",
        width="100%",
    )


def _placeholder() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("hourglass", size=28, color=rx.color("gray", 9)),
            rx.text(t("accounts.details_coming_soon"), color=rx.color("gray", 11), text_align="center"),
            align="center",
            spacing="2",
        ),
        padding_y="2rem",
        width="100%",
        id="details-placeholder",
    )


def account_details_sheet() -> rx.Component:
    return rx.drawer.root(
        rx.drawer.portal(
            rx.drawer.overlay(background="rgba(0,0,0,0.35)", position="fixed", inset="0", z_index="40"),
            rx.drawer.content(
                rx.drawer.title(
                    t("accounts.details_title"),
                    class_name="sr-only",
                    style={
                        "position": "absolute",
                        "width": "1px",
                        "height": "1px",
                        "overflow": "hidden",
                        "clip": "rect(0,0,0,0)",
                    },
                ),
                rx.vstack(
                    _header(),
                    _banners(),
                    rx.cond(AccountsState.has_content, _content(), _placeholder()),
                    spacing="4",
                    width="100%",
                    padding="1.25rem",
                    padding_bottom="2.5rem",
                ),
                position="fixed",
                top="0",
                bottom="0",
                right=rx.cond(_RTL, "auto", "0"),
                left=rx.cond(_RTL, "0", "auto"),
                width=["100vw", "100vw", "32rem"],
                max_width="100vw",
                height="100%",
                overflow_y="auto",
                background=rx.color("gray", 1),
                z_index="50",
                box_shadow="var(--shadow-6)",
                outline="none",
                id="account-details",
                custom_attrs={"data-details-account": AccountsState.details_id},
            ),
        ),
        open=AccountsState.details_open,
        on_open_change=AccountsState.set_details_open,
        direction=rx.cond(_RTL, "left", "right"),
    )
