"""The Posts page: the queue (upcoming, published, failed, drafts) and the week/month calendar,
filtered by account, platform and campaign, live while it is open."""

import reflex as rx

from socializioz import routes
from socializioz.components.calendar import calendar_view
from socializioz.components.confirm_dialog import confirm_dialog
from socializioz.components.layout import app_page, page_header
from socializioz.components.load_error import load_error
from socializioz.components.post_card import post_list
from socializioz.components.text import t
from socializioz.domain.platforms import CONNECTABLE_PLATFORMS, PLATFORMS
from socializioz.state.connections import ConnectionsState
from socializioz.state.posts import PostsState

TABS = (
    ("upcoming", "posts.tab.upcoming"),
    ("published", "posts.tab.published"),
    ("failed", "posts.tab.failed"),
    ("drafts", "posts.tab.drafts"),
)
EMPTY_KEYS = (
    ("upcoming", "posts.empty.upcoming"),
    ("published", "posts.empty.published"),
    ("failed", "posts.empty.failed"),
    ("drafts", "posts.empty.drafts"),
)
VIEW_KEYS = (("queue", "posts.view.queue"), ("week", "posts.view.week"), ("month", "posts.view.month"))


def _subtitle() -> rx.Var:
    return t("posts.subtitle").to(str).replace("{zone}", PostsState.timezone)


def _actions() -> rx.Component:
    return rx.hstack(
        rx.link(
            rx.button(rx.icon("flag", size=14), t("posts.campaigns"), variant="soft", size="2"),
            href=routes.CAMPAIGNS,
            id="posts-campaigns-link",
        ),
        rx.link(
            rx.button(rx.icon("square-pen", size=14), t("posts.new"), size="2"),
            href=routes.COMPOSE,
            id="posts-compose-link",
        ),
        spacing="2",
    )


def _select(
    value: rx.Var, on_change, label_key: str, all_key: str, items: rx.Component, element_id: str
) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(placeholder=t(label_key), aria_label=t(label_key), min_width="9rem", max_width="100%"),
        rx.select.content(rx.select.item(t(all_key), value="all"), items),
        value=rx.cond(value == "", "all", value),
        on_change=on_change,
        size="2",
        custom_attrs={"id": element_id},
    )


def _filters() -> rx.Component:
    return rx.flex(
        _select(
            PostsState.account_filter,
            PostsState.set_account_filter,
            "posts.filter.account",
            "posts.filter.all_accounts",
            rx.foreach(PostsState.accounts, lambda a: rx.select.item(a["name"], value=a["id"])),
            "filter-account",
        ),
        _select(
            PostsState.platform_filter,
            PostsState.set_platform_filter,
            "posts.filter.platform",
            "posts.filter.all_platforms",
            rx.fragment(*[rx.select.item(PLATFORMS[p].display_name, value=p.value) for p in CONNECTABLE_PLATFORMS]),
            "filter-platform",
        ),
        _select(
            PostsState.campaign_filter,
            PostsState.set_campaign_filter,
            "posts.filter.campaign",
            "posts.filter.all_campaigns",
            rx.foreach(PostsState.campaigns, lambda c: rx.select.item(c["name"], value=c["id"])),
            "filter-campaign",
        ),
        rx.cond(
            PostsState.filtered,
            rx.button(
                rx.icon("x", size=14),
                t("posts.filter.clear"),
                variant="ghost",
                color_scheme="gray",
                size="2",
                on_click=PostsState.clear_filters,
                id="filter-clear",
            ),
        ),
        gap="0.5rem",
        wrap="wrap",
        align="center",
        width="100%",
    )


def _view_switch() -> rx.Component:
    return rx.segmented_control.root(
        *[rx.segmented_control.item(t(key), value=value) for value, key in VIEW_KEYS],
        value=PostsState.view,
        on_change=PostsState.set_view,
        size="2",
        id="view-switch",
    )


def _tabs() -> rx.Component:
    return rx.tabs.root(
        rx.tabs.list(
            *[rx.tabs.trigger(t(key), value=value, custom_attrs={"data-tab": value}) for value, key in TABS],
            size="2",
        ),
        value=PostsState.tab,
        on_change=PostsState.set_tab,
        width="100%",
    )


def _empty() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.icon("calendar-days", size=28, color=rx.color("accent", 9)),
            rx.cond(
                PostsState.filtered,
                rx.text(t("posts.empty.filtered"), color=rx.color("gray", 11), text_align="center"),
                rx.match(
                    PostsState.tab,
                    *[
                        (value, rx.text(t(key), color=rx.color("gray", 11), text_align="center"))
                        for value, key in EMPTY_KEYS
                    ],
                    rx.fragment(),
                ),
            ),
            align="center",
            spacing="2",
            padding_y="1.25rem",
        ),
        width="100%",
        id="posts-empty",
    )


def _error() -> rx.Component:
    return load_error(
        t("posts.load_failed"),
        t("posts.try_again"),
        PostsState.reload,
        element_id="posts-error",
        retry_id="posts-retry-load",
    )


def _loading() -> rx.Component:
    return rx.vstack(
        *[rx.skeleton(height="7rem", width="100%") for _ in range(3)],
        spacing="2",
        width="100%",
        custom_attrs={"aria-busy": "true"},
        id="posts-loading",
    )


def _queue() -> rx.Component:
    return rx.vstack(
        _tabs(),
        rx.cond(
            PostsState.posts.length() > 0,
            rx.vstack(
                post_list(PostsState.posts),
                rx.cond(
                    PostsState.has_more,
                    rx.button(
                        t("posts.load_more"),
                        variant="soft",
                        on_click=PostsState.load_more,
                        width="100%",
                        id="posts-load-more",
                    ),
                ),
                spacing="2",
                width="100%",
                id="posts-queue",
            ),
            _empty(),
        ),
        spacing="3",
        width="100%",
    )


def _delete_dialog() -> rx.Component:
    return confirm_dialog(
        title=t("posts.delete_title"),
        body=t("posts.delete_body"),
        confirm_label=t("posts.delete"),
        on_confirm=PostsState.confirm_delete_post,
        confirm_id="delete-confirm",
        open=PostsState.confirm_open,
        on_open_change=PostsState.set_confirm_open,
    )


def _connecting() -> rx.Component:
    """A "Reconnect to publish" flow this tab started (the Connections page's own state)."""
    return rx.fragment(
        rx.cond(
            ConnectionsState.connecting != "",
            rx.callout(
                rx.hstack(rx.spinner(size="1"), rx.text(t("connect.waiting")), align="center", spacing="2"),
                color_scheme="blue",
                width="100%",
            ),
        ),
        rx.cond(
            ConnectionsState.notice != "",
            rx.callout(t("connect.account_connected"), icon="circle-check", color_scheme="green", width="100%"),
        ),
    )


@app_page(routes.POSTS, "Posts · Socializioz", on_load=[PostsState.load])
def posts_page() -> rx.Component:
    return rx.vstack(
        page_header("posts.title", _subtitle(), _actions()),
        _connecting(),
        rx.hstack(_view_switch(), width="100%"),
        _filters(),
        rx.cond(
            PostsState.failed,
            _error(),
            rx.cond(
                PostsState.loading & ~PostsState.loaded,
                _loading(),
                rx.cond(PostsState.view == "queue", _queue(), calendar_view()),
            ),
        ),
        _delete_dialog(),
        rx.window_event_listener(on_focus=PostsState.reload),
        spacing="3",
        width="100%",
        id="posts-page",
    )
