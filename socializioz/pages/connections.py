"""The Connections page (the workspace canvas on desktop) and its mobile route with pull-to-refresh;
the set-up wizard's connect step (``pages/onboarding.py``) reuses its sections."""

import reflex as rx

from socializioz import routes
from socializioz.components.account_card import account_card
from socializioz.components.account_details import account_details_sheet
from socializioz.components.account_list_tools import account_tools, no_match, pager
from socializioz.components.connect_dialogs import setup_sheet, upgrade_dialog
from socializioz.components.disconnect_dialog import disconnect_dialog
from socializioz.components.error_banner import connection_error_callout
from socializioz.components.js_widgets import guided_tour, page_return, pull_refresh
from socializioz.components.launch_notice import launch_notices
from socializioz.components.layout import app_page, page_header
from socializioz.components.platform_tile import plan_full, platform_tile
from socializioz.components.text import isolated_in_text, t, t_var
from socializioz.state.accounts import AccountsState
from socializioz.state.connections import ConnectionsState
from socializioz.state.session import SessionState

TOUR_STEPS = (("#accounts-panel", "tour.accounts"), ("#platform-grid", "tour.platforms"), ("#plan-usage", "tour.usage"))


def _subtitle() -> rx.Var:
    return t("connections.subtitle").to(str).replace("{workspace}", isolated_in_text(SessionState.workspace_name))


def _usage() -> rx.Component:
    used = ConnectionsState.account_total.to_string()
    plan_name = t_var("plan." + ConnectionsState.plan).to(str)
    limited = (
        t("connections.plan_usage")
        .to(str)
        .replace("{used}", used)
        .replace("{limit}", ConnectionsState.limit.to_string())
        .replace("{plan}", plan_name)
    )
    unlimited = t("connections.plan_usage_unlimited").to(str).replace("{used}", used).replace("{plan}", plan_name)
    return rx.text(
        rx.cond(ConnectionsState.limit >= 0, limited, unlimited), size="2", color=rx.color("gray", 11), id="plan-usage"
    )


def _panel_header() -> rx.Component:
    return rx.hstack(
        rx.heading(t("connections.accounts"), size="4"),
        rx.cond(plan_full(), rx.badge(t("connections.full"), color_scheme="amber", id="plan-full-badge")),
        rx.spacer(),
        _usage(),
        width="100%",
        align="center",
        wrap="wrap",
        id="accounts-panel",
    )


def _empty_state() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.icon("plug-zap", size=32, color=rx.color("accent", 9)),
            rx.heading(t("connections.empty_title"), size="4"),
            rx.text(t("connections.empty_body"), color=rx.color("gray", 11), text_align="center"),
            align="center",
            spacing="2",
            padding_y="1.5rem",
        ),
        width="100%",
        id="connections-empty",
    )


def _accounts() -> rx.Component:
    return rx.fragment(
        account_tools(),
        rx.cond(
            ConnectionsState.accounts.length() > 0,
            rx.grid(
                rx.foreach(ConnectionsState.accounts, account_card),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="2",
                width="100%",
                id="account-list",
            ),
            rx.cond(
                # The tab's state outlives a page: on a return (e.g. from the platform's consent page
                # in this tab) the session hands back the list read before leaving, and the page's
                # load re-reads it a moment later. Until then "No accounts connected yet" would be
                # a stale claim (spec S240), so the skeleton stays.
                ConnectionsState.loaded & rx.State.is_hydrated,
                rx.cond(ConnectionsState.account_total > 0, no_match(), _empty_state()),
                rx.skeleton(height="6rem", width="100%", id="accounts-loading"),
            ),
        ),
        pager(),
        account_details_sheet(),
        disconnect_dialog(),
    )


def _notices() -> rx.Component:
    return rx.fragment(
        rx.cond(
            ConnectionsState.sandbox,
            rx.callout(t("connect.sandbox_notice"), icon="flask-conical", size="1", color_scheme="gray", width="100%"),
        ),
        rx.cond(
            ~ConnectionsState.storage_ok,
            rx.callout(
                t("auth.storage_unavailable"),
                icon="hard-drive",
                color_scheme="amber",
                width="100%",
                id="storage-warning",
            ),
        ),
        connection_error_callout(),
        launch_notices(),  # "Telegram is now available." for a launched platform the user asked about
        rx.cond(  # "Account connected!" as a toast (spec), shown once when the notice arrives
            ConnectionsState.notice != "",
            rx.box(on_mount=ConnectionsState.announce_notice, display="none", id="connect-notice"),
        ),
        rx.cond(
            ConnectionsState.connecting != "",
            rx.callout(
                rx.hstack(rx.spinner(size="1"), rx.text(t("connect.waiting")), align="center", spacing="2"),
                color_scheme="blue",
                width="100%",
                id="connecting-notice",
            ),
        ),
    )


def _tour() -> rx.Component:
    steps = [
        {"element": selector, "popover": {"title": t(f"{key}.title"), "description": t(f"{key}.body")}}
        for selector, key in TOUR_STEPS
    ]
    return guided_tour(
        run=ConnectionsState.show_tour,
        steps=steps,
        next_label=t("tour.next"),
        prev_label=t("tour.previous"),
        done_label=t("tour.done"),
        on_finish=ConnectionsState.finish_tour,
    )


def _platforms() -> rx.Component:
    return rx.fragment(
        rx.heading(t("connections.platforms"), size="4", padding_top="0.75rem"),
        rx.grid(
            rx.foreach(ConnectionsState.tiles, platform_tile),
            columns=rx.breakpoints(initial="1", sm="2", lg="3"),
            spacing="2",
            width="100%",
            id="platform-grid",
        ),
        setup_sheet(),
        upgrade_dialog(),
        rx.window_event_listener(on_focus=ConnectionsState.reload, on_visibility_change=ConnectionsState.on_visibility),
        page_return(on_return=ConnectionsState.reload),
    )


def _plan_limit() -> rx.Component:
    """The spec's "You reached the current plan limit." and the way forward: the owner sees the
    plans, anyone else is told who can upgrade."""
    return rx.callout.root(
        rx.callout.icon(rx.icon("info")),
        rx.flex(
            rx.callout.text(t("connections.limit_reached"), id="plan-limit-message"),
            rx.cond(
                SessionState.is_owner,
                rx.link(
                    rx.button(rx.icon("sparkles", size=14), t("connections.see_plans"), size="2"),
                    href=routes.BILLING,
                    id="plan-limit-upgrade",
                ),
                rx.callout.text(
                    t("connections.ask_owner").to(str).replace("{owners}", ConnectionsState.owners),
                    id="plan-limit-ask-owner",
                ),
            ),
            direction="column",
            gap="2",
            align="start",
        ),
        color_scheme="amber",
        width="100%",
        id="plan-limit",
    )


def _connections_body(*extra: rx.Component, **props) -> rx.Component:
    return rx.vstack(
        page_header("connections.title", _subtitle()),
        _notices(),
        _panel_header(),
        rx.cond(plan_full(), _plan_limit()),
        _accounts(),
        _platforms(),
        *extra,
        spacing="3",
        width="100%",
        **props,
    )


@app_page(
    routes.CONNECTIONS, "Connections · Socializioz", on_load=[ConnectionsState.load, AccountsState.open_from_query]
)
def connections_page() -> rx.Component:
    return _connections_body(_tour())


_IS_DESKTOP = "window.matchMedia('(min-width: 62em)').matches"


@app_page(
    routes.MOBILE_CONNECTIONS,
    "Connections · Socializioz",
    on_load=[
        rx.call_script(_IS_DESKTOP, callback=ConnectionsState.leave_mobile_route_on_desktop),
        ConnectionsState.load,
        AccountsState.open_from_query,
    ],
)
def mobile_connections_page() -> rx.Component:
    return pull_refresh(_connections_body(min_height="80vh"), on_refresh=ConnectionsState.reload)


def connect_sections() -> rx.Component:
    """Notices, the account list and the platform tiles: the set-up wizard's step 2 reuses them."""
    return rx.fragment(_notices(), _accounts(), _platforms())
