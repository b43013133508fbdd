"""The Comments page (issue 13): the workspace's Facebook and Instagram comments as threads,
newest first, filtered by status, account and post, with the moderator's actions; live while open."""

import reflex as rx

from socializioz import routes
from socializioz.components.comment_thread import comment_thread
from socializioz.components.confirm_dialog import confirm_dialog
from socializioz.components.layout import app_page, page_header
from socializioz.components.load_error import load_error
from socializioz.components.text import isolated_in_text, t
from socializioz.domain.connect_rules import Intent
from socializioz.state.comments import CommentsState
from socializioz.state.connections import ConnectionsState

STATUS_KEYS = (
    ("all", "comments.filter.all"),
    ("unanswered", "comments.filter.unanswered"),
    ("hidden", "comments.filter.hidden"),
)


def _filters() -> rx.Component:
    return rx.flex(
        rx.segmented_control.root(
            *[rx.segmented_control.item(t(key), value=value) for value, key in STATUS_KEYS],
            value=CommentsState.status,
            on_change=CommentsState.set_status,
            size="2",
            id="comments-status",
        ),
        rx.select.root(
            rx.select.trigger(
                placeholder=t("comments.filter.account"),
                aria_label=t("comments.filter.account"),
                min_width="10rem",
                max_width="100%",
            ),
            rx.select.content(
                rx.select.item(t("comments.filter.any_account"), value="all"),
                rx.foreach(CommentsState.accounts, lambda a: rx.select.item(a.name, value=a.id.to_string())),
            ),
            value=rx.cond(CommentsState.account_filter == "", "all", CommentsState.account_filter),
            on_change=CommentsState.set_account,
            size="2",
            custom_attrs={"id": "comments-account"},
        ),
        gap="0.5rem",
        wrap="wrap",
        align="center",
        width="100%",
    )


def _post_filter() -> rx.Component:
    return rx.cond(
        CommentsState.post_filter != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("filter")),
            rx.hstack(
                rx.callout.text(t("comments.filter.post")),
                rx.button(
                    t("comments.filter.clear_post"),
                    size="1",
                    variant="soft",
                    on_click=CommentsState.clear_post,
                    id="comments-clear-post",
                ),
                align="center",
                spacing="3",
                wrap="wrap",
            ),
            color_scheme="blue",
            width="100%",
            id="comments-post-filter",
        ),
    )


def _problems() -> rx.Component:
    """Accounts whose permissions do not allow moderation, with the way to grant them."""
    return rx.cond(
        CommentsState.may_moderate,
        rx.foreach(
            CommentsState.problems,
            lambda a: rx.callout.root(
                rx.callout.icon(rx.icon("shield-alert")),
                rx.flex(
                    rx.callout.text(
                        t("comments.missing_permission")
                        .to(str)
                        .replace("{account}", isolated_in_text(a.name))
                        .to(str)
                        .replace("{scope}", a.missing_scope),
                        flex="1",
                    ),
                    rx.button(
                        rx.icon("refresh-cw", size=14),
                        t("comments.reconnect"),
                        size="1",
                        color_scheme="amber",
                        on_click=ConnectionsState.begin_oauth(
                            a.reconnect_platform, Intent.RECONNECT.value, a.reconnect_id
                        ),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                        custom_attrs={"data-comments-reconnect": a.id},
                    ),
                    gap="0.75rem",
                    align="center",
                    wrap="wrap",
                    width="100%",
                ),
                color_scheme="amber",
                width="100%",
                custom_attrs={"data-comments-problem": a.id},
            ),
        ),
        rx.cond(
            CommentsState.accounts.length() > 0,
            rx.callout(
                t("comments.not_moderator"),
                icon="info",
                color_scheme="gray",
                width="100%",
                id="comments-not-moderator",
            ),
        ),
    )


def _empty() -> rx.Component:
    return rx.card(
        rx.cond(
            CommentsState.accounts.length() == 0,
            rx.vstack(
                rx.icon("message-circle", size=28, color=rx.color("accent", 9)),
                rx.heading(t("comments.empty_accounts_title"), size="4", text_align="center"),
                rx.text(t("comments.empty_accounts_body"), color=rx.color("gray", 11), text_align="center"),
                rx.link(rx.button(t("comments.connect"), size="2"), href=routes.CONNECTIONS),
                align="center",
                spacing="2",
                padding_y="1.25rem",
            ),
            rx.vstack(
                rx.icon("message-circle", size=28, color=rx.color("accent", 9)),
                rx.cond(
                    CommentsState.filtered,
                    rx.text(t("comments.empty_filtered"), color=rx.color("gray", 11), text_align="center"),
                    rx.fragment(
                        rx.heading(t("comments.empty_title"), size="4", text_align="center"),
                        rx.text(t("comments.empty_body"), color=rx.color("gray", 11), text_align="center"),
                    ),
                ),
                align="center",
                spacing="2",
                padding_y="1.25rem",
            ),
        ),
        width="100%",
        id="comments-empty",
    )


def _error() -> rx.Component:
    return load_error(
        t("comments.error_body"),
        t("comments.try_again"),
        CommentsState.reload,
        element_id="comments-error",
        retry_id="comments-retry",
        title=t("comments.error_title"),
    )


def _loading() -> rx.Component:
    return rx.vstack(
        *[rx.skeleton(height="6rem", width="100%") for _ in range(3)],
        spacing="2",
        width="100%",
        custom_attrs={"aria-busy": "true", "aria-label": t("comments.loading")},
        id="comments-loading",
    )


def _list() -> rx.Component:
    return rx.cond(
        CommentsState.threads.length() > 0,
        rx.vstack(
            rx.foreach(CommentsState.threads, comment_thread),
            rx.cond(
                CommentsState.has_more,
                rx.button(
                    t("comments.load_more"),
                    variant="soft",
                    on_click=CommentsState.load_more,
                    width="100%",
                    id="comments-load-more",
                ),
            ),
            spacing="2",
            width="100%",
            id="comments-list",
        ),
        _empty(),
    )


def _delete_dialog() -> rx.Component:
    return confirm_dialog(
        title=t("comments.confirm_delete_title"),
        body=t("comments.confirm_delete_body"),
        confirm_label=t("comments.confirm_delete"),
        on_confirm=CommentsState.confirm_delete_comment,
        confirm_id="comment-delete-confirm",
        cancel_label=t("comments.cancel"),
        open=CommentsState.confirm_open,
        on_open_change=CommentsState.cancel_delete,
    )


@app_page(routes.COMMENTS, "Comments · Socializioz", on_load=[CommentsState.load])
def comments_page() -> rx.Component:
    return rx.vstack(
        page_header("comments.title", t("comments.subtitle")),
        _problems(),
        _filters(),
        _post_filter(),
        rx.cond(
            CommentsState.failed,
            _error(),
            rx.cond(CommentsState.loading & ~CommentsState.loaded, _loading(), _list()),
        ),
        _delete_dialog(),
        spacing="3",
        width="100%",
        id="comments-page",
    )
