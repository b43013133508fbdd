"""The app shell: side navigation on desktop, bottom navigation on mobile, a top bar with the
workspace switcher, language and theme switches, and the sign-out action.

``app_page`` registers a signed-in page; pages return only their content.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from socializioz import routes
from socializioz.components.install_prompt import install_prompt
from socializioz.components.text import t, t_var
from socializioz.state.comments import CommentsBadgeState
from socializioz.state.inbox import InboxBadgeState
from socializioz.state.session import SessionState
from socializioz.state.token_alerts import TokenAlertsState

# What the accounts are for first, then the team and the plan.
NAV_ITEMS = (
    (routes.CONNECTIONS, "nav.connections", "plug"),
    (routes.POSTS, "nav.posts", "calendar-days"),
    (routes.ANALYTICS, "nav.analytics", "chart-line"),
    (routes.COMMENTS, "nav.comments", "message-circle"),
    (routes.INBOX, "nav.inbox", "inbox"),
    (routes.WORKSPACES, "nav.workspaces", "users"),
    (routes.BILLING, "nav.billing", "credit-card"),
    (routes.SUPPORT, "nav.support", "life-buoy"),
)
BOTTOM_NAV_HEIGHT = "4rem"


def _is_current(route: str) -> rx.Var:
    path = SessionState.router.url.path
    return (path == route) | (path == route + "/")  # the production build serves routes with a "/"


def nav_badge(route: str, element_id: str = "") -> rx.Component:
    """The count beside a nav item: unanswered comments on Comments, conversations with unread
    messages on Inbox; nothing elsewhere."""
    if route == routes.COMMENTS:
        count, label = (
            CommentsBadgeState.count,
            t("comments.badge_label").to(str).replace("{count}", CommentsBadgeState.count.to(str)),
        )
    elif route == routes.INBOX:
        count, label = InboxBadgeState.unread, InboxBadgeState.unread.to(str)
    else:
        return rx.fragment()
    return rx.cond(
        count > 0,
        rx.badge(
            count,
            color_scheme="red",
            variant="solid",
            radius="full",
            size="1",
            aria_label=label,
            id=element_id or None,
            custom_attrs={"data-nav-badge": route},
        ),
    )


def _side_link(route: str, key: str, icon: str) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon(icon, size=18),
            rx.text(t(key), size="3"),
            rx.spacer(),
            nav_badge(route, f"nav-{route.strip('/')}-badge"),
            spacing="3",
            align="center",
        ),
        href=route,
        underline="none",
        padding_x="0.75rem",
        padding_y="0.55rem",
        border_radius="var(--radius-3)",
        color=rx.cond(_is_current(route), rx.color("accent", 11), rx.color("gray", 12)),
        background=rx.cond(_is_current(route), rx.color("accent", 3), "transparent"),
        _hover={"background": rx.color("gray", 3)},
        width="100%",
        custom_attrs={"data-nav": route},
    )


def _side_nav() -> rx.Component:
    return rx.desktop_only(
        rx.vstack(
            rx.hstack(
                rx.icon("share-2", size=22, color=rx.color("accent", 10)),
                rx.heading(t("app.name"), size="5"),
                spacing="2",
                align="center",
                padding_x="0.75rem",
                padding_bottom="1rem",
            ),
            *[_side_link(*item) for item in NAV_ITEMS],
            rx.spacer(),
            _sign_out_button("side-sign-out"),
            width="15rem",
            height="100vh",
            position="sticky",
            top="0",
            padding="1.25rem 0.75rem",
            border_inline_end=f"1px solid {rx.color('gray', 5)}",
            background=rx.color("gray", 2),
            spacing="1",
        ),
    )


def _bottom_label(key: str) -> rx.Component:
    """One line whatever the language: five tabs share 390 px, so a long label is cut, not wrapped."""
    return rx.text(
        t(key),
        max_width="100%",
        style={"font_size": "0.7rem", "white_space": "nowrap", "overflow": "hidden", "text_overflow": "ellipsis"},
    )


def _bottom_link(route: str, key: str, icon: str) -> rx.Component:
    return rx.link(
        rx.vstack(rx.icon(icon, size=20), _bottom_label(key), spacing="1", align="center"),
        href=route,
        underline="none",
        color=rx.cond(_is_current(route), rx.color("accent", 11), rx.color("gray", 11)),
        flex="1",
        min_width="0",
        padding_y="0.5rem",
        custom_attrs={"data-bottom-nav": route},
    )


# On phones the Connections tab opens the mobile route (pull-to-refresh); the first three pages get
# tabs with their labels, the rest (comments and the inbox among them) sit behind "More".
BOTTOM_NAV_ITEMS = ((routes.MOBILE_CONNECTIONS, "nav.connections", "plug"), *NAV_ITEMS[1:3])
MORE_NAV_ITEMS = tuple(item for item in NAV_ITEMS[1:] if item not in BOTTOM_NAV_ITEMS)


def _more_menu() -> rx.Component:
    """The bottom bar's last tab: a menu of the pages that have no tab of their own."""
    in_more = rx.Var.create([r for route, _, _ in MORE_NAV_ITEMS for r in (route, route + "/")]).contains(
        SessionState.router.url.path
    )
    return rx.menu.root(
        rx.menu.trigger(
            rx.el.button(
                rx.vstack(
                    rx.box(
                        rx.icon("ellipsis", size=20),
                        rx.cond(  # unanswered comments or unread messages wait behind "More"
                            (CommentsBadgeState.count > 0) | (InboxBadgeState.unread > 0),
                            rx.box(
                                position="absolute",
                                top="-2px",
                                inset_inline_end="-4px",
                                width="8px",
                                height="8px",
                                border_radius="50%",
                                background=rx.color("red", 9),
                                id="more-unread-dot",
                                custom_attrs={"data-more-dot": "true"},
                            ),
                        ),
                        position="relative",
                    ),
                    _bottom_label("nav.more"),
                    spacing="1",
                    align="center",
                ),
                id="bottom-nav-more",
                type="button",
                aria_label=t("nav.more"),
                style={"background": "transparent", "border": "none", "cursor": "pointer", "width": "100%"},
                color=rx.cond(in_more, rx.color("accent", 11), rx.color("gray", 11)),
                padding_y="0.5rem",
            ),
            flex="1",
        ),
        rx.menu.content(
            *[
                rx.menu.item(
                    rx.hstack(
                        rx.icon(icon, size=16),
                        rx.text(t(key)),
                        nav_badge(route, f"more-{route.strip('/')}-badge"),
                        spacing="2",
                        align="center",
                    ),
                    on_click=rx.redirect(route),
                    custom_attrs={"data-bottom-nav": route},
                )
                for route, key, icon in MORE_NAV_ITEMS
            ],
            side="top",
            align="end",
        ),
    )


def _bottom_nav() -> rx.Component:
    return rx.mobile_and_tablet(
        rx.hstack(
            *[_bottom_link(*item) for item in BOTTOM_NAV_ITEMS],
            _more_menu(),
            position="fixed",
            bottom="0",
            left="0",
            right="0",
            height=BOTTOM_NAV_HEIGHT,
            padding_bottom="env(safe-area-inset-bottom)",
            background=rx.color("gray", 1),
            border_top=f"1px solid {rx.color('gray', 5)}",
            justify="between",
            z_index="20",
            spacing="0",
            custom_attrs={"role": "navigation"},
        ),
    )


def workspace_switcher(on_switched: list) -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.icon("building-2", size=16),
                rx.text(
                    SessionState.workspace_name,
                    # No leading trim: with overflow hidden it cut the tops of Latin capitals under
                    # the Arabic font's metrics ("Test" read "Iest").
                    line_height="1.5",
                    max_width=["6rem", "9rem", "11rem"],
                    white_space="nowrap",
                    overflow="hidden",
                    text_overflow="ellipsis",
                    display="block",
                    dir="auto",  # a Latin name in Arabic: cut at its own end
                    min_width="1.5rem",
                    flex_shrink="1",
                    id="workspace-switcher-name",
                ),
                rx.badge(t_var("plan." + SessionState.plan), variant="soft", radius="full"),
                rx.icon("chevrons-up-down", size=14),
                variant="soft",
                color_scheme="gray",
                id="workspace-switcher",
                aria_label=t("nav.workspace_switcher"),
                min_width="0",
                max_width="100%",
                flex_shrink="1",
                overflow="hidden",
            ),
        ),
        rx.menu.content(
            rx.foreach(
                SessionState.workspaces,
                lambda w: rx.menu.item(
                    rx.hstack(
                        rx.text(w["name"]),
                        rx.badge(t_var("workspace.role." + w["role"]), variant="outline"),
                        justify="between",
                        width="100%",
                        spacing="3",
                    ),
                    on_click=[SessionState.switch_workspace(w["id"]), *on_switched],  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                    custom_attrs={"data-workspace": w["name"]},
                ),
            ),
            rx.menu.separator(),
            rx.menu.item(t("workspace.create"), on_click=rx.redirect(routes.WORKSPACES + "?create=1")),
        ),
    )


def _sign_out_button(element_id: str) -> rx.Component:
    return rx.button(
        rx.icon("log-out", size=16),
        t("nav.sign_out"),
        variant="ghost",
        color_scheme="gray",
        on_click=SessionState.sign_out,
        id=element_id,
    )


def _top_bar(on_switched: list) -> rx.Component:
    return rx.hstack(
        workspace_switcher(on_switched),
        rx.spacer(),
        rx.button(
            rx.icon("languages", size=16),
            t("nav.language"),
            variant="ghost",
            on_click=[SessionState.toggle_language, *on_switched],
            id="language-switch",
            aria_label=t("nav.language_label"),
        ),
        rx.color_mode.button(variant="ghost", aria_label=t("nav.theme"), id="theme-switch"),
        rx.mobile_and_tablet(
            rx.icon_button(
                rx.icon("log-out", size=16),
                variant="ghost",
                color_scheme="gray",
                on_click=SessionState.sign_out,
                id="mobile-sign-out",
                aria_label=t("nav.sign_out"),
            )
        ),
        align="center",
        width="100%",
        padding_y="0.75rem",
        spacing="2",
        wrap="nowrap",  # a long workspace name truncates; the icons never drop to a second row
        id="top-bar",
    )


def loading_screen() -> rx.Component:
    return rx.center(rx.spinner(size="3"), height="100vh", custom_attrs={"aria-busy": "true"})


def app_page(route: str, title: str, on_load: list | None = None) -> Callable:
    """Register a signed-in page: the shell around ``content``, a spinner until the user is known."""
    page_loads = list(on_load or [])

    def decorator(content: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        def page() -> rx.Component:
            return rx.cond(
                SessionState.signed_in,
                rx.hstack(
                    _side_nav(),
                    rx.box(
                        _top_bar(page_loads),
                        rx.box(content(), padding_bottom="2rem"),
                        flex="1",
                        min_width="0",
                        padding_x=["1rem", "1rem", "1.5rem", "2rem"],
                        padding_bottom=[BOTTOM_NAV_HEIGHT, BOTTOM_NAV_HEIGHT, BOTTOM_NAV_HEIGHT, "0"],
                        max_width="72rem",
                    ),
                    _bottom_nav(),
                    install_prompt(),
                    spacing="0",
                    align="start",
                    width="100%",
                    min_height="100vh",
                ),
                loading_screen(),
            )

        rx.page(
            route=route,
            title=title,
            on_load=[
                SessionState.require_user,
                *page_loads,
                TokenAlertsState.check,
                CommentsBadgeState.refresh,
                InboxBadgeState.load,
            ],
        )(page)
        return content

    return decorator


def page_header(title_key: str, subtitle: rx.Var | str | None = None, *actions: rx.Component) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.heading(t(title_key), size="7"),
            *([rx.text(subtitle, color=rx.color("gray", 11))] if subtitle is not None else []),
            spacing="1",
            align="start",
        ),
        rx.spacer(),
        *actions,
        width="100%",
        align="center",
        padding_y="0.75rem",
        wrap="wrap",
        spacing="3",
    )
