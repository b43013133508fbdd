"""The workspace page's comment-moderation card: owners and admins always moderate; the owner
decides whether members may too."""

import reflex as rx

from socializioz.components.text import t
from socializioz.state.comments import CommentSettingsState
from socializioz.state.session import SessionState


def comment_settings_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("comments.setting.title"), size="4"),
            rx.el.label(
                rx.hstack(
                    rx.switch(
                        checked=CommentSettingsState.members_may_moderate,
                        on_change=CommentSettingsState.set_members_may_moderate,
                        disabled=~SessionState.is_owner,
                        id="members-may-moderate",
                    ),
                    rx.text(t("comments.setting.label"), size="2"),
                    spacing="2",
                    align="center",
                ),
            ),
            rx.text(t("comments.setting.help"), size="1", color=rx.color("gray", 11)),
            rx.cond(
                ~SessionState.is_owner,
                rx.text(t("comments.setting_owner_only"), size="1", color=rx.color("gray", 11)),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        id="comment-moderation-settings",
    )
