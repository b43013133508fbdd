"""Workspaces: switch, create, see who is in the active one, invite people and answer invitations."""

import reflex as rx

from socializioz import routes
from socializioz.components.comment_settings import comment_settings_card
from socializioz.components.layout import app_page, page_header
from socializioz.components.text import isolated, t, t_var
from socializioz.components.time_zone_select import time_zone_select
from socializioz.domain.roles import Role
from socializioz.state.comments import CommentSettingsState
from socializioz.state.session import SessionState
from socializioz.state.workspaces import WorkspacesState


def _workspace_row(w: dict) -> rx.Component:
    is_active = w["id"] == SessionState.workspace_id.to_string()
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.text(w["name"], weight="medium"),
                rx.hstack(
                    rx.badge(t_var("plan." + w["plan"]), variant="soft"),
                    rx.badge(t_var("workspace.role." + w["role"]), variant="outline"),
                    spacing="2",
                ),
                spacing="1",
                align="start",
            ),
            rx.spacer(),
            rx.cond(
                is_active,
                rx.badge(t("workspace.active"), color_scheme="green", size="2"),
                rx.button(
                    t("workspace.switch"),
                    variant="soft",
                    on_click=[SessionState.switch_workspace(w["id"]), WorkspacesState.load],  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                    custom_attrs={"data-switch": w["name"]},
                ),
            ),
            align="center",
            width="100%",
        ),
        width="100%",
        custom_attrs={"data-workspace-row": w["name"]},
    )


def _create_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("workspace.create_title")),
            rx.form(
                rx.vstack(
                    rx.el.label(rx.text(t("workspace.name"), size="2"), html_for="workspace-name"),
                    rx.input(name="name", id="workspace-name", size="3", width="100%", auto_focus=True),
                    rx.cond(
                        WorkspacesState.error_key != "",
                        rx.text(t_var(WorkspacesState.error_key), color=rx.color("red", 11), size="2", role="alert"),
                    ),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button(t("common.cancel"), variant="soft", color_scheme="gray", type="button")
                        ),
                        rx.button(t("workspace.create"), type="submit", id="workspace-create-submit"),
                        justify="end",
                        spacing="2",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=WorkspacesState.create,
                reset_on_submit=True,
            ),
            max_width="26rem",
        ),
        open=WorkspacesState.create_open,
        on_open_change=WorkspacesState.set_create_open,
    )


def _member_row(m: dict) -> rx.Component:
    return rx.hstack(
        rx.avatar(fallback=m["name"].to(str)[0], size="2", radius="full"),
        rx.vstack(
            rx.text(m["name"], size="2", weight="medium"),
            rx.text(isolated(m["email"]), size="1", color=rx.color("gray", 11)),
            spacing="0",
        ),
        rx.spacer(),
        rx.cond(
            SessionState.is_owner,
            rx.select.root(
                rx.select.trigger(
                    variant="ghost", aria_label=t("workspace.role_of").to(str).replace("{name}", m["name"].to(str))
                ),
                rx.select.content(
                    *[rx.select.item(t(f"workspace.role.{r}"), value=r) for r in (role.value for role in Role)]
                ),
                value=m["role"],
                on_change=lambda role: WorkspacesState.set_member_role(m["user_id"], role),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                custom_attrs={"data-role-of": m["email"]},
            ),
            rx.badge(t_var("workspace.role." + m["role"]), variant="outline"),
        ),
        width="100%",
        align="center",
        custom_attrs={"data-member": m["email"]},
    )


def _invite_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.flex(
                rx.input(
                    name="email",
                    type="email",
                    max_length=254,
                    placeholder=t("workspace.member_email"),
                    aria_label=t("workspace.member_email"),
                    flex="1",
                    min_width="12rem",
                    id="invite-email",
                ),
                rx.select.root(
                    rx.select.trigger(aria_label=t("workspace.role_label")),
                    rx.select.content(
                        rx.select.item(t("workspace.role.member"), value="member"),
                        rx.select.item(t("workspace.role.admin"), value="admin"),
                    ),
                    name="role",
                    default_value="member",
                ),
                rx.button(rx.icon("mail-plus", size=16), t("invite.button"), type="submit", id="invite-submit"),
                width="100%",
                wrap="wrap",
                spacing="2",
            ),
            rx.cond(
                WorkspacesState.member_error_key != "",
                rx.text(t_var(WorkspacesState.member_error_key), color=rx.color("red", 11), size="2", role="alert"),
            ),
            width="100%",
        ),
        on_submit=WorkspacesState.invite,
        reset_on_submit=True,
        width="100%",
    )


def _new_invite_link() -> rx.Component:
    """The link, once, right after inviting: there is no e-mail sending, the inviter passes it on."""
    return rx.cond(
        WorkspacesState.new_invite_link != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("link")),
            rx.vstack(
                rx.callout.text(WorkspacesState.new_invite_message, id="invite-sent"),
                rx.text(t("invite.share_hint"), size="2"),
                rx.flex(
                    rx.input(
                        value=WorkspacesState.new_invite_link,
                        read_only=True,
                        flex="1",
                        min_width="0",
                        width="100%",
                        aria_label=t("invite.link_label"),
                        id="invite-link",
                    ),
                    rx.flex(
                        rx.button(
                            rx.icon("copy", size=16),
                            t("invite.copy"),
                            type="button",
                            variant="soft",
                            on_click=[
                                rx.set_clipboard(WorkspacesState.new_invite_link),
                                rx.toast.success(t("invite.copied")),
                            ],
                            id="invite-copy",
                        ),
                        rx.button(
                            t("common.close"),
                            type="button",
                            variant="soft",
                            color_scheme="gray",
                            on_click=WorkspacesState.dismiss_invite_link,
                        ),
                        spacing="2",
                    ),
                    spacing="2",
                    width="100%",
                    direction=rx.breakpoints(initial="column", sm="row"),
                ),
                spacing="2",
                width="100%",
            ),
            color_scheme="green",
            width="100%",
        ),
    )


def _sent_invitation_row(i: dict) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.text(i["email"], size="2", weight="medium"),
            rx.text(
                t("invite.expires").to(str).replace("{date}", i["expires"].to(str)),
                size="1",
                color=rx.color("gray", 11),
            ),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        rx.badge(t_var("workspace.role." + i["role"]), variant="outline"),
        rx.button(
            t("invite.revoke"),
            size="1",
            variant="soft",
            color_scheme="red",
            on_click=WorkspacesState.revoke_invitation(i["id"]),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
            custom_attrs={"data-revoke": i["email"]},
        ),
        width="100%",
        align="center",
        spacing="2",
        wrap="wrap",
        custom_attrs={"data-sent-invitation": i["email"]},
    )


def _my_invitation_row(i: dict) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.text(
                t("invite.from")
                .to(str)
                .replace("{inviter}", i["inviter"].to(str))
                .replace("{workspace}", i["workspace"].to(str)),
                size="2",
                flex="1",
                min_width="12rem",
            ),
            rx.flex(
                rx.button(
                    t("invite.accept"),
                    size="2",
                    on_click=WorkspacesState.respond(i["id"], True),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                    custom_attrs={"data-accept": i["workspace"]},
                ),
                rx.button(
                    t("invite.decline"),
                    size="2",
                    variant="soft",
                    color_scheme="gray",
                    on_click=WorkspacesState.respond(i["id"], False),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                    custom_attrs={"data-decline": i["workspace"]},
                ),
                spacing="2",
            ),
            width="100%",
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        width="100%",
        custom_attrs={"data-my-invitation": i["workspace"]},
    )


def _my_invitations() -> rx.Component:
    return rx.cond(
        WorkspacesState.my_invitations.length() > 0,
        rx.vstack(
            rx.heading(t("invite.yours"), size="4", padding_top="0.5rem"),
            rx.foreach(WorkspacesState.my_invitations, _my_invitation_row),
            spacing="2",
            width="100%",
            id="my-invitations",
        ),
    )


def _admin_tools() -> rx.Component:
    return rx.fragment(
        rx.separator(size="4"),
        rx.text(t("invite.title"), size="2", weight="medium"),
        _invite_form(),
        _new_invite_link(),
        rx.cond(
            WorkspacesState.sent_invitations.length() > 0,
            rx.vstack(
                rx.text(t("invite.pending"), size="2", weight="medium"),
                rx.foreach(WorkspacesState.sent_invitations, _sent_invitation_row),
                spacing="2",
                width="100%",
                id="sent-invitations",
            ),
        ),
    )


def _settings_card() -> rx.Component:
    """The active workspace's name and time zone (owners and admins), and the set-up wizard again."""
    read_only = ~SessionState.is_admin
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(t("workspace.settings"), size="4"),
                rx.el.label(rx.text(t("workspace.name"), size="2", weight="medium"), html_for="settings-name"),
                rx.input(
                    name="name",
                    default_value=WorkspacesState.settings_name,
                    key=WorkspacesState.settings_name,
                    max_length=200,
                    width="100%",
                    disabled=read_only,
                    id="settings-name",
                ),
                rx.el.label(rx.text(t("workspace.timezone"), size="2", weight="medium"), html_for="settings-timezone"),
                time_zone_select(
                    WorkspacesState.settings_timezone,
                    WorkspacesState.set_settings_timezone,
                    "settings-timezone",
                    disabled=read_only,
                ),
                rx.text(t("workspace.timezone_hint"), size="1", color=rx.color("gray", 11)),
                rx.cond(
                    WorkspacesState.settings_error_key != "",
                    rx.text(
                        t_var(WorkspacesState.settings_error_key),
                        color=rx.color("red", 11),
                        size="2",
                        role="alert",
                        id="settings-error",
                    ),
                ),
                rx.flex(
                    rx.link(
                        rx.button(
                            rx.icon("wand-sparkles", size=16), t("workspace.run_setup"), variant="soft", type="button"
                        ),
                        href=routes.ONBOARDING + "?step=1",
                        id="run-setup-again",
                    ),
                    rx.cond(SessionState.is_admin, rx.button(t("workspace.save"), type="submit", id="settings-save")),
                    justify="between",
                    width="100%",
                    gap="2",
                    wrap="wrap",
                ),
                spacing="2",
                width="100%",
            ),
            on_submit=WorkspacesState.save_settings,
            width="100%",
        ),
        width="100%",
        id="workspace-settings",
    )


@app_page(
    routes.WORKSPACES,
    "Workspaces · Socializioz",
    on_load=[WorkspacesState.dismiss_invite_link, WorkspacesState.load, CommentSettingsState.load],
)
def workspaces_page() -> rx.Component:
    return rx.vstack(
        page_header(
            "workspace.title",
            t("workspace.subtitle"),
            rx.button(
                rx.icon("plus", size=16),
                t("workspace.create"),
                on_click=WorkspacesState.set_create_open(True),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                id="workspace-create",
            ),
        ),
        _my_invitations(),
        rx.vstack(rx.foreach(SessionState.workspaces, _workspace_row), width="100%", spacing="2"),
        _settings_card(),
        comment_settings_card(),
        rx.heading(t("workspace.members"), size="4", padding_top="1rem"),
        rx.card(
            rx.vstack(
                rx.foreach(WorkspacesState.members, _member_row),
                rx.cond(SessionState.is_admin, _admin_tools()),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
        _create_dialog(),
        spacing="3",
        width="100%",
    )
