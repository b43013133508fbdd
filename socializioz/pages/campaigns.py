"""The Campaigns page: every campaign with its post count and accounts, a form to start one, and
one campaign (``?campaign=<id>``) with its accounts and posts (the posts page's own list)."""

from typing import Any, cast

import reflex as rx
from reflex.vars import ObjectVar

from socializioz import routes
from socializioz.components.account_card import platform_badge
from socializioz.components.layout import app_page, page_header
from socializioz.components.post_card import post_list
from socializioz.components.text import t, t_var
from socializioz.state.campaigns import CampaignsState


def _account_chip(account: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.hstack(
        platform_badge(account["platform"]),
        rx.text(account["name"], size="2"),
        spacing="1",
        align="center",
        custom_attrs={"data-campaign-account": account["id"]},
    )


def _accounts(accounts: rx.Var) -> rx.Component:
    return rx.cond(
        accounts.to(list).length() > 0,
        rx.flex(rx.foreach(accounts, _account_chip), gap="0.5rem", wrap="wrap"),
        rx.text(t("campaigns.no_accounts"), size="2", color=rx.color("gray", 11)),
    )


def _count(campaign: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.badge(
        t("campaigns.post_count").to(str).replace("{count}", campaign["post_count"].to_string()),
        variant="soft",
        radius="full",
    )


def _row(campaign: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.icon("flag", size=16, color=rx.color("accent", 10)),
                    rx.text(campaign["name"], weight="medium", truncate=True, min_width="0", flex="1"),
                    _count(campaign),
                    align="center",
                    spacing="2",
                    width="100%",
                ),
                _accounts(campaign["accounts"]),
                spacing="2",
                width="100%",
            ),
            width="100%",
        ),
        href=routes.CAMPAIGNS + "?campaign=" + campaign["id"].to_string(),
        underline="none",
        color="inherit",
        width="100%",
        custom_attrs={"data-campaign": campaign["name"]},
    )


def _form_error() -> rx.Component:
    return rx.cond(
        CampaignsState.error != "",
        rx.text(t_var(CampaignsState.error), color=rx.color("red", 11), size="2", role="alert", id="campaign-error"),
    )


def _create_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.hstack(
                rx.input(
                    value=CampaignsState.new_name,
                    on_change=CampaignsState.set_new_name,
                    placeholder=t("campaigns.new_placeholder"),
                    aria_label=t("campaigns.new_placeholder"),
                    max_length=100,
                    flex="1",
                    min_width="0",
                    id="campaign-name",
                ),
                rx.button(rx.icon("plus", size=14), t("campaigns.create"), type="submit", id="campaign-create"),
                width="100%",
                spacing="2",
            ),
            _form_error(),
            spacing="1",
            width="100%",
        ),
        on_submit=lambda _form: CampaignsState.create,
        reset_on_submit=False,
        width="100%",
    )


def _list() -> rx.Component:
    return rx.vstack(
        _create_form(),
        rx.cond(
            CampaignsState.campaigns.length() > 0,
            rx.grid(
                rx.foreach(CampaignsState.campaigns, _row),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="2",
                width="100%",
                id="campaign-list",
            ),
            rx.cond(
                CampaignsState.loaded,
                rx.card(
                    rx.text(t("campaigns.empty"), color=rx.color("gray", 11), text_align="center"),
                    width="100%",
                    id="campaigns-empty",
                ),
                rx.skeleton(height="5rem", width="100%"),
            ),
        ),
        spacing="3",
        width="100%",
    )


def _rename() -> rx.Component:
    return rx.cond(
        CampaignsState.renaming,
        rx.vstack(
            rx.hstack(
                rx.input(
                    value=CampaignsState.rename_to,
                    on_change=CampaignsState.set_rename_to,
                    aria_label=t("campaigns.rename"),
                    max_length=100,
                    flex="1",
                    min_width="0",
                    id="campaign-rename-input",
                ),
                rx.button(t("campaigns.save"), on_click=CampaignsState.rename, id="campaign-rename-save"),
                rx.button(
                    t("common.cancel"), variant="soft", color_scheme="gray", on_click=CampaignsState.cancel_rename
                ),
                spacing="2",
                width="100%",
            ),
            _form_error(),
            spacing="1",
            width="100%",
        ),
        rx.hstack(
            rx.heading(_selected()["name"], size="5", id="campaign-title"),
            _count(_selected()),
            rx.icon_button(
                rx.icon("pencil", size=14),
                variant="ghost",
                size="1",
                aria_label=t("campaigns.rename"),
                on_click=CampaignsState.start_rename,
                id="campaign-rename",
            ),
            align="center",
            spacing="2",
            wrap="wrap",
        ),
    )


def _selected() -> ObjectVar[dict[str, Any]]:
    return cast(
        ObjectVar[dict[str, Any]], CampaignsState.selected
    )  # a dataclass state var is an ObjectVar on the class


def _detail() -> rx.Component:
    selected = _selected()
    return rx.vstack(
        rx.link(
            rx.hstack(
                rx.icon("arrow-left", size=14, class_name="rtl-mirror"),
                rx.text(t("campaigns.back")),
                spacing="1",
                align="center",
            ),
            href=routes.CAMPAIGNS,
            id="campaign-back",
        ),
        _rename(),
        rx.text(t("campaigns.accounts"), weight="medium"),
        _accounts(selected["accounts"]),
        rx.hstack(
            rx.text(t("campaigns.posts"), weight="medium"),
            rx.spacer(),
            rx.link(
                t("campaigns.open_in_posts"),
                href=routes.POSTS + "?campaign=" + selected["id"].to_string(),
                size="2",
                id="campaign-open-posts",
            ),
            width="100%",
            align="center",
        ),
        rx.cond(
            CampaignsState.posts.length() > 0,
            post_list(CampaignsState.posts, can_delete=False),
            rx.text(t("campaigns.no_posts"), size="2", color=rx.color("gray", 11)),
        ),
        rx.cond(
            CampaignsState.has_more,
            rx.button(t("posts.load_more"), variant="soft", on_click=CampaignsState.load_more, width="100%"),
        ),
        spacing="3",
        width="100%",
        id="campaign-detail",
    )


@app_page(routes.CAMPAIGNS, "Campaigns · Socializioz", on_load=[CampaignsState.load])
def campaigns_page() -> rx.Component:
    return rx.vstack(
        page_header("campaigns.title", t("campaigns.subtitle")),
        rx.cond(
            CampaignsState.failed,
            rx.callout(
                t("campaigns.load_failed"),
                icon="triangle-alert",
                color_scheme="red",
                width="100%",
                id="campaigns-error",
            ),
            rx.cond(CampaignsState.showing_one, _detail(), _list()),
        ),
        spacing="3",
        width="100%",
    )
