"""What a person does to queued posts from the posts page: retry a failed (or reviewed) target,
send a scheduled post now, take one account off a post that has not gone out, delete a draft or a
scheduled post.

Every action re-checks on the server that the caller is a member of the workspace and that the
id belongs to it: another workspace's id, a missing one and an outsider all get the same
``NotFound``, so ids cannot be probed. A target in flight or already live is never changed here.
Each runs in the caller's transaction (``unit_of_work.in_transaction``); after the commit the
caller pushes ``notify.POSTS`` and wakes this process's publisher (``publisher.wake``), so a
retried or brought-forward target goes out within a second, not at the next tick.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from socializioz.domain.publishing import RETRYABLE, PostStatus, TargetStatus
from socializioz.models import Post, PostTarget, User
from socializioz.services.errors import NotFound, ValidationError
from socializioz.services.persisted import saved_id
from socializioz.services.posts_view import SENT
from socializioz.services.publish_store import refresh_posts
from socializioz.services.workspaces import role_in


def retry_target(
    db: Session, user: User | None, workspace_id: int, target_id: int, now: datetime | None = None
) -> PostTarget:
    """Failed or needs-review → scheduled, due now, with a fresh set of attempts. For "needs
    review", the person has checked the platform and found no post, so the interrupted attempt is
    forgotten (its lease and start) rather than reconciled again."""
    target, post = _target_in_workspace(db, user, workspace_id, target_id)
    if target.status not in RETRYABLE:
        raise ValidationError("posts.retry_not_allowed")
    now = now or datetime.now(UTC)
    target.status = TargetStatus.SCHEDULED.value
    target.due_at = now
    target.attempts = 0
    target.failure_code = target.failure_detail = None
    target.lease_holder = target.lease_until = target.attempt_started_at = None
    target.updated_at = now
    db.add(target)
    db.flush()
    refresh_posts(db, [saved_id(post)], now)  # the post's status follows its targets (a Core UPDATE)
    db.expire(post)  # so this session reads the status just written, not the one it loaded
    return target


def publish_now(db: Session, user: User | None, workspace_id: int, post_id: int, now: datetime | None = None) -> int:
    """Bring a post's waiting targets forward to now; returns how many."""
    _require_member(db, user, workspace_id)
    post = db.get(Post, post_id) if isinstance(post_id, int) else None
    if post is None or post.workspace_id != workspace_id:
        raise NotFound("posts.not_found")
    now = now or datetime.now(UTC)
    moved = db.connection().execute(
        sa.update(PostTarget)
        .where(col(PostTarget.post_id) == post_id, col(PostTarget.status) == TargetStatus.SCHEDULED.value)
        .values(due_at=now, updated_at=now)
    )
    return int(moved.rowcount)


def cancel_target(db: Session, user: User | None, workspace_id: int, target_id: int) -> Post:
    """Take one account off a post that has not gone out to it. The post itself is kept: its last
    account removed, it becomes a draft with its text and media (nothing the person wrote is lost)."""
    target, post = _target_in_workspace(db, user, workspace_id, target_id)
    if target.status in SENT:
        raise ValidationError("posts.cancel_not_allowed")
    db.delete(target)
    db.flush()
    remaining = db.exec(select(PostTarget.id).where(PostTarget.post_id == saved_id(post))).first()
    if remaining is None:
        post.status = PostStatus.DRAFT.value
        post.blocked_reason = None
        db.add(post)
    return post


def delete_post(db: Session, user: User | None, workspace_id: int, post_id: int) -> None:
    """Delete a draft or a post none of whose targets is in flight or live."""
    _require_member(db, user, workspace_id)
    post = db.get(Post, post_id) if isinstance(post_id, int) else None
    if post is None or post.workspace_id != workspace_id:
        raise NotFound("posts.not_found")
    targets = db.exec(select(PostTarget).where(PostTarget.post_id == saved_id(post))).all()
    if any(t.status in SENT for t in targets):
        raise ValidationError("posts.delete_not_allowed")
    for target in targets:
        db.delete(target)
    db.flush()
    db.delete(post)


def _require_member(db: Session, user: User | None, workspace_id: int) -> None:
    if user is None or role_in(db, user, workspace_id) is None:
        raise NotFound("posts.not_found")


def _target_in_workspace(db: Session, user: User | None, workspace_id: int, target_id: int) -> tuple[PostTarget, Post]:
    _require_member(db, user, workspace_id)
    row = (
        db.exec(
            select(PostTarget, Post)
            .join(Post, col(Post.id) == col(PostTarget.post_id))
            .where(PostTarget.id == target_id, Post.workspace_id == workspace_id)
        ).first()
        if isinstance(target_id, int)
        else None
    )
    if row is None:
        raise NotFound("posts.not_found")
    return row[0], row[1]
