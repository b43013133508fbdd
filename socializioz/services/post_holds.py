"""Holding scheduled posts while an account is gone, and releasing them when it comes back
(docs/architecture.md, "Hold, don't lose": nothing the user made is deleted by a connection problem).

A held post keeps its targets and its schedule; ``blocked_reason`` (an i18n key) says why it
will fail at publish time. Published posts are never touched.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from socializioz.models import Post, PostTarget, SocialAccount
from socializioz.services.persisted import saved_id

ACCOUNT_DISCONNECTED = "posts.blocked.account_disconnected"


def _scheduled_posts_of(db: Session, account_id: int) -> list[Post]:
    return list(
        db.exec(
            select(Post)
            .join(PostTarget, col(PostTarget.post_id) == col(Post.id))
            .where(PostTarget.account_id == account_id, Post.status == "scheduled")
        ).all()
    )


def hold_posts(db: Session, account_id: int) -> int:
    """Mark the account's scheduled posts blocked; returns how many."""
    posts = _scheduled_posts_of(db, account_id)
    for post in posts:
        post.blocked_reason = ACCOUNT_DISCONNECTED
        db.add(post)
    return len(posts)


def release_posts(db: Session, account_id: int) -> int:
    """Unblock the account's held posts whose other targets are all connected; returns how many."""
    released = 0
    for post in _scheduled_posts_of(db, account_id):
        if post.blocked_reason != ACCOUNT_DISCONNECTED or _has_disconnected_target(db, saved_id(post), account_id):
            continue
        post.blocked_reason = None
        db.add(post)
        released += 1
    return released


def _has_disconnected_target(db: Session, post_id: int, except_account: int) -> bool:
    return (
        db.exec(
            select(SocialAccount.id)
            .join(PostTarget, col(PostTarget.account_id) == col(SocialAccount.id))
            .where(
                PostTarget.post_id == post_id,
                SocialAccount.id != except_account,
                col(SocialAccount.disconnected_at).is_not(None),
            )
        ).first()
        is not None
    )
