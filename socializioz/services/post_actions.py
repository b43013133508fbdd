"""What a person does to a post's sending from the posts page: retry a failed target, send a
scheduled post now. Any member of the workspace may; ids of other workspaces are ``NotFound``.

Both commit, then wake this process's publisher, so the target goes out within a second instead
of at the next tick. Blocking: call them from a worker thread (``run_in_threadpool``).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session, col

from socializioz.db import session_scope
from socializioz.domain.publishing import RETRYABLE, TargetStatus
from socializioz.models import Post, PostTarget, User
from socializioz.services import publisher
from socializioz.services.errors import NotFound, ValidationError
from socializioz.services.publish_store import refresh_posts
from socializioz.services.workspaces import role_in


def _post_of_workspace(db: Session, user: User | None, workspace_id: int, post_id: int) -> Post:
    if user is None or role_in(db, user, workspace_id) is None:
        raise NotFound("posts.action.not_found")
    post = db.get(Post, post_id) if isinstance(post_id, int) else None
    if post is None or post.workspace_id != workspace_id:
        raise NotFound("posts.action.not_found")
    return post


def retry_target(user: User | None, workspace_id: int, target_id: int, now: datetime | None = None) -> None:
    """A failed or needs-review target back to scheduled, due now, with a fresh set of attempts.

    Retrying a target that needs review is the person's decision that the post is not on the
    platform (the catalogue tells them to check), so the interrupted attempt is forgotten."""
    now = now or datetime.now(UTC)
    with session_scope() as db:
        target = db.get(PostTarget, target_id) if isinstance(target_id, int) else None
        if target is None:
            raise NotFound("posts.action.not_found")
        _post_of_workspace(db, user, workspace_id, target.post_id)
        if TargetStatus(target.status) not in RETRYABLE:
            raise ValidationError("posts.action.retry_not_allowed")
        db.connection().execute(
            sa.update(PostTarget)
            .where(col(PostTarget.id) == target_id, col(PostTarget.status).in_([s.value for s in RETRYABLE]))
            .values(
                status=TargetStatus.SCHEDULED.value,
                due_at=now,
                attempts=0,
                attempt_started_at=None,
                failure_code=None,
                failure_detail=None,
                lease_holder=None,
                lease_until=None,
                updated_at=now,
            )
        )
        refresh_posts(db, [target.post_id], now)
    publisher.wake()


def publish_now(user: User | None, workspace_id: int, post_id: int, now: datetime | None = None) -> int:
    """Send a scheduled post's waiting targets now; returns how many were brought forward."""
    now = now or datetime.now(UTC)
    with session_scope() as db:
        _post_of_workspace(db, user, workspace_id, post_id)
        moved = db.connection().execute(
            sa.update(PostTarget)
            .where(col(PostTarget.post_id) == post_id, col(PostTarget.status) == TargetStatus.SCHEDULED.value)
            .values(due_at=now, updated_at=now)
        )
        count = moved.rowcount
    publisher.wake()
    return count
