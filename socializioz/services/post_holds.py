"""Holding scheduled posts while an account is gone, and releasing them when it comes back
(docs/architecture.md, "Hold, don't lose" and "Publishing": nothing the user made is deleted by a
connection problem).

Per target: a disconnect blocks the account's scheduled targets with the reason
``account_disconnected`` (a catalogue code in ``failure_code``); at their time the publisher fails
the ones whose account is still gone (spec: "Any posts scheduled for that account will fail to
publish"). A reconnect puts every blocked target of the account back to scheduled, due now if its
time has passed (spec: "Reconnecting preserves your scheduled posts"). The post keeps
``blocked_reason`` (an i18n key) while any of its accounts is disconnected. Published posts and
targets are never touched.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from socializioz.domain.publishing import ACCOUNT_DISCONNECTED as DISCONNECTED_CODE
from socializioz.domain.publishing import TargetStatus
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


def hold_posts(db: Session, account_id: int, now: datetime | None = None) -> int:
    """Block the account's scheduled targets and mark their posts; returns how many posts."""
    db.connection().execute(
        sa.update(PostTarget)
        .where(col(PostTarget.account_id) == account_id, col(PostTarget.status) == TargetStatus.SCHEDULED.value)
        .values(status=TargetStatus.BLOCKED.value, failure_code=DISCONNECTED_CODE, updated_at=now or datetime.now(UTC))
    )
    posts = _scheduled_posts_of(db, account_id)
    for post in posts:
        post.blocked_reason = ACCOUNT_DISCONNECTED
        db.add(post)
    return len(posts)


def release_posts(db: Session, account_id: int, now: datetime | None = None) -> int:
    """Back to scheduled: the account's blocked targets (due now when overdue); clears the posts'
    mark unless another of their accounts is still disconnected. Returns how many posts."""
    now = now or datetime.now(UTC)
    blocked = (col(PostTarget.account_id) == account_id, col(PostTarget.status) == TargetStatus.BLOCKED.value)
    db.connection().execute(
        sa.update(PostTarget)
        .where(*blocked)
        .values(
            status=TargetStatus.SCHEDULED.value,
            failure_code=None,
            failure_detail=None,
            due_at=sa.case((col(PostTarget.due_at) < now, now), else_=col(PostTarget.due_at)),
            updated_at=now,
        )
    )
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
