"""One comment thread on the comments page: the top-level comment, its replies, the actions a
moderator has on each (reply, hide / unhide, like on Facebook, delete) and the reply box.

Actions render only when ``can_manage`` (the caller's role may moderate and the account's scopes
allow it); the server checks the same again for every event."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from socializioz.components.account_card import platform_name
from socializioz.components.text import isolated, t
from socializioz.services.comments import CommentView
from socializioz.state.comments import CommentsState

# Icons that point along the reading direction turn around in Arabic (``.rtl-mirror``).
_DIRECTIONAL = frozenset({"reply"})


def _action(icon: str, key: str, on_click, name: str, comment: ObjectVar[CommentView], **props) -> rx.Component:
    return rx.button(
        rx.icon(icon, size=14, class_name="rtl-mirror" if icon in _DIRECTIONAL else ""),
        t(key),
        size="1",
        variant="ghost",
        on_click=on_click,
        loading=CommentsState.busy == comment.id,
        custom_attrs={"data-comment-action": name, "data-comment-id": comment.id},
        **props,
    )


def _actions(comment: ObjectVar[CommentView], top_level: bool) -> rx.Component:
    return rx.cond(
        comment.can_manage,
        rx.hstack(
            _action("reply", "comments.reply", CommentsState.open_reply(comment.id), "reply", comment)  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
            if top_level
            else rx.fragment(),
            rx.cond(
                comment.by_account,
                rx.fragment(),
                rx.cond(
                    comment.hidden,
                    _action("eye", "comments.unhide", CommentsState.unhide(comment.id), "unhide", comment),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                    _action("eye-off", "comments.hide", CommentsState.hide(comment.id), "hide", comment),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                ),
            ),
            rx.cond(
                comment.can_like & ~comment.by_account,
                rx.cond(
                    comment.liked,
                    _action("thumbs-up", "comments.unlike", CommentsState.unlike(comment.id), "unlike", comment),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                    _action("thumbs-up", "comments.like", CommentsState.like(comment.id), "like", comment),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                ),
            ),
            _action(
                "trash-2",
                "comments.delete",
                CommentsState.ask_delete(comment.id),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                "delete",
                comment,
                color_scheme="red",
            ),
            spacing="3",
            wrap="wrap",
            padding_top="0.25rem",
        ),
    )


def _body(comment: ObjectVar[CommentView], top_level: bool) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(
                rx.cond(comment.by_account, comment.account_name, comment.author),
                weight="medium",
                size="2",
            ),
            rx.cond(comment.by_account, rx.badge(t("comments.by_you"), variant="soft", size="1")),
            rx.cond(
                comment.hidden,
                rx.badge(
                    rx.icon("eye-off", size=12),
                    t("comments.hidden_badge"),
                    color_scheme="amber",
                    size="1",
                    custom_attrs={"data-hidden-badge": "true"},
                ),
            ),
            rx.text(isolated(comment.created_at), size="1", color=rx.color("gray", 10)),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.text(
            comment.text,
            size="2",
            color=rx.cond(comment.hidden, rx.color("gray", 10), rx.color("gray", 12)),
            style={"white_space": "pre-wrap", "overflow_wrap": "anywhere"},
        ),
        _actions(comment, top_level),
        spacing="1",
        width="100%",
        align="start",
    )


def _reply_box(comment: ObjectVar[CommentView]) -> rx.Component:
    return rx.cond(
        CommentsState.reply_to == comment.id,
        rx.vstack(
            rx.text_area(
                value=CommentsState.reply_text,
                on_change=CommentsState.set_reply_text,
                placeholder=t("comments.reply_placeholder"),
                aria_label=t("comments.reply_placeholder"),
                auto_focus=True,
                rows="3",
                width="100%",
                id="comment-reply-text",
            ),
            rx.hstack(
                rx.button(
                    t("comments.cancel"),
                    size="2",
                    variant="soft",
                    color_scheme="gray",
                    on_click=CommentsState.cancel_reply,
                ),
                rx.button(
                    rx.icon("send", size=14),
                    t("comments.send_reply"),
                    size="2",
                    on_click=CommentsState.send_reply,
                    loading=CommentsState.busy == comment.id,
                    disabled=CommentsState.reply_text.strip() == "",
                    id="comment-reply-send",
                ),
                spacing="2",
                justify="end",
                width="100%",
            ),
            width="100%",
            spacing="2",
            padding_top="0.5rem",
        ),
    )


def comment_thread(comment: ObjectVar[CommentView]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.match(
                    comment.platform,
                    (
                        "facebook",
                        rx.badge(platform_name(comment.platform), color_scheme="blue", variant="soft", size="1"),
                    ),
                    (
                        "instagram",
                        rx.badge(platform_name(comment.platform), color_scheme="pink", variant="soft", size="1"),
                    ),
                    rx.fragment(),
                ),
                rx.text(comment.account_name, size="1", color=rx.color("gray", 11), truncate=True),
                spacing="2",
                align="center",
                width="100%",
            ),
            _body(comment, True),
            rx.cond(
                comment.replies.length() > 0,
                rx.vstack(
                    rx.foreach(
                        comment.replies,
                        lambda reply: rx.box(
                            _body(reply, False),
                            custom_attrs={"data-comment": reply.id, "data-reply": "true"},
                            width="100%",
                        ),
                    ),
                    spacing="3",
                    width="100%",
                    padding_inline_start="1rem",
                    border_inline_start=f"2px solid {rx.color('gray', 5)}",
                ),
            ),
            _reply_box(comment),
            spacing="2",
            width="100%",
        ),
        width="100%",
        custom_attrs={"data-comment": comment.id, "data-thread": "true"},
    )
