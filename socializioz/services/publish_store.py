"""The publisher's short transactions: read what one target sends (and start its attempt), save a
step's platform ids, and write each outcome with its post's derived status.

Every write but "published" is conditional on this worker still holding the target's lease, so
a worker that lost its lease never overwrites its successor's work. A success is written
whatever the lease says (short of an earlier success): the post is live, and forgetting that
would be how a post goes out twice.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from socializioz.db import session_scope
from socializioz.domain.account_rules import SCOPE_MISSING_CODE, publish_block_code
from socializioz.domain.health import NEEDS_RECONNECT_STATUSES
from socializioz.domain.publishing import ACCOUNT_DISCONNECTED, TargetStatus, post_status
from socializioz.integrations.models import MediaItem, PublishRequest, PublishResult
from socializioz.models import MediaAsset, Post, PostTarget, SocialAccount
from socializioz.security.credentials import load_tokens
from socializioz.services import published_counts
from socializioz.services.account_tokens import ActingAccount, acting_account, mark_needs_reconnect
from socializioz.services.media_store import media_item
from socializioz.services.persisted import saved_id


@dataclass(frozen=True)
class Job:
    """One target, ready to send. ``stop`` (a catalogue code) with ``stop_status`` means: do not
    call the platform, the target ends here (blocked, or failed)."""

    target_id: int
    post_id: int
    workspace_id: int
    account_id: int
    platform: str
    attempts: int
    attempt_started_at: datetime | None
    acting: ActingAccount | None = None
    request: PublishRequest | None = None
    stop: str = ""
    stop_status: TargetStatus = TargetStatus.BLOCKED
    stop_detail: str = ""


def load_job(target_id: int, holder: str, *, begin: bool, now: datetime, lease: timedelta) -> Job | None:
    """Read the target under our lease (one joined read, then its credential and media); with
    ``begin``, also record a new attempt (status publishing, attempts + 1, ``attempt_started_at``)
    and commit it before the platform is called (the claim records first attempts itself). None:
    the lease is no longer ours."""
    with session_scope() as db:
        found = db.exec(
            select(PostTarget, Post, SocialAccount)
            .join(Post, col(Post.id) == col(PostTarget.post_id))
            .join(SocialAccount, col(SocialAccount.id) == col(PostTarget.account_id))
            .where(col(PostTarget.id) == target_id, col(PostTarget.lease_holder) == holder)
        ).first()
        if found is None:
            return None
        job = _job(db, *found)
        if begin and not job.stop:
            db.connection().execute(
                sa.update(PostTarget)
                .where(col(PostTarget.id) == target_id, col(PostTarget.lease_holder) == holder)
                .values(
                    status=TargetStatus.PUBLISHING.value,
                    attempts=col(PostTarget.attempts) + 1,
                    attempt_started_at=now,
                    lease_until=now + lease,
                    updated_at=now,
                )
            )
            return replace(job, attempts=job.attempts + 1, attempt_started_at=now)
        return job


def _job(db: Session, target: PostTarget, post: Post, account: SocialAccount) -> Job:
    job = Job(
        target_id=saved_id(target),
        post_id=saved_id(post),
        workspace_id=post.workspace_id,
        account_id=saved_id(account),
        platform=account.platform,
        attempts=target.attempts,
        attempt_started_at=target.attempt_started_at,
    )
    if account.disconnected_at is not None:  # claimed, so its time has come: the spec's failure
        return replace(job, stop=ACCOUNT_DISCONNECTED, stop_status=TargetStatus.FAILED)
    if account.status in NEEDS_RECONNECT_STATUSES:  # amber: the reconnect releases it
        return replace(job, stop=account.last_error or "token_invalid")
    if not account.publish_capable:
        code = publish_block_code(account.platform, account.connection_method, account.granted_scopes.split())
        return replace(job, stop=code or SCOPE_MISSING_CODE)
    tokens = load_tokens(db, job.account_id)
    acting = acting_account(account, tokens) if tokens else None
    if acting is None:
        code = "token_invalid" if not tokens else publish_block_code(account.platform, account.connection_method, ())
        return replace(job, stop=code)
    media = _media(db, post)
    if media is None:
        return replace(
            job, stop="content_rejected", stop_status=TargetStatus.FAILED, stop_detail="an attached file is gone"
        )
    request = PublishRequest(
        text=post.text,
        media=media,
        options=_json(post.options).get(account.platform) or {},
        handles={str(k): str(v) for k, v in _json(target.handles).items()},
    )
    return replace(job, acting=acting, request=request)


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _media(db: Session, post: Post) -> tuple[MediaItem, ...] | None:
    """The post's files in the composer's order; None when one of them no longer exists."""
    try:
        ids = [int(i) for i in json.loads(post.media_ids or "[]")]
    except (ValueError, TypeError):
        return None
    if not ids:
        return (_legacy_item(post.media_url),) if post.media_url else ()
    rows = db.exec(
        select(MediaAsset).where(col(MediaAsset.id).in_(ids), MediaAsset.workspace_id == post.workspace_id)
    ).all()
    by_id = {row.id: row for row in rows}
    if any(i not in by_id for i in ids):
        return None
    return tuple(media_item(by_id[i]) for i in ids)


def _legacy_item(url: str) -> MediaItem:
    """Quick compose's single URL, from before uploads: its kind from the file name."""
    mime = mimetypes.guess_type(url.split("?", 1)[0])[0] or "image/jpeg"
    return MediaItem(url=url, kind="video" if mime.startswith("video/") else "image", mime_type=mime)


def save_handles(target_id: int, holder: str, handles: Mapping[str, str], lease_until: datetime) -> bool:
    """A publish step's platform ids, merged into the target's, and the lease extended; False when
    the lease is no longer ours."""
    with session_scope() as db:
        target = db.get(PostTarget, target_id)
        if target is None or target.lease_holder != holder:
            return False
        target.handles = json.dumps({**_json(target.handles), **{str(k): str(v) for k, v in handles.items()}})
        target.lease_until = lease_until
        db.add(target)
        return True


# -- outcomes --------------------------------------------------------------------------------


# The two statements every published target runs, built once (building a statement costs more
# CPU than SQLite takes to run it; benchmarks/publish_dispatch).
_PUBLISHED = (
    sa.update(PostTarget)
    .where(col(PostTarget.id) == sa.bindparam("target_id"), col(PostTarget.status) != TargetStatus.PUBLISHED.value)
    .values(
        status=TargetStatus.PUBLISHED.value,
        external_id=sa.bindparam("external_id"),
        permalink=sa.bindparam("permalink"),
        published_at=sa.bindparam("now"),
        failure_code=None,
        failure_detail=None,
        lease_holder=None,
        lease_until=None,
        updated_at=sa.bindparam("now"),
    )
    .returning(col(PostTarget.post_id), col(PostTarget.account_id))
)
_POST_AND_TARGETS: Any = (  # a typed 4-column Select; the rows are read by name
    sa.select(
        col(Post.status).label("post_status"),
        col(Post.published_at).label("post_published_at"),
        col(PostTarget.status),
        col(PostTarget.published_at),
    )
    .join(Post, col(Post.id) == col(PostTarget.post_id))
    .where(col(PostTarget.post_id) == sa.bindparam("post_id"))
)
_SET_POST = (
    sa.update(Post)
    .where(col(Post.id) == sa.bindparam("post_id"))
    .values(status=sa.bindparam("status"), published_at=sa.bindparam("published_at"))
)


def record_published(target_id: int, result: PublishResult, now: datetime) -> bool:
    """Published (or in the TikTok inbox), whoever holds the lease; False when it already was."""
    values = {"target_id": target_id, "external_id": result.external_id, "permalink": result.permalink, "now": now}
    with session_scope() as db:
        updated = db.connection().execute(_PUBLISHED, values).first()
        if updated is not None:
            published_counts.count_published(db, updated.account_id, now)
            refresh_posts(db, [updated.post_id], now)
        return updated is not None


def record_end(
    target_id: int,
    holder: str,
    status: TargetStatus,
    *,
    now: datetime,
    code: str | None,
    detail: str = "",
    due_at: datetime | None = None,
    keep_attempt: bool = True,
    undo_attempt: bool = False,
) -> bool:
    """Any other outcome of our attempt: back to scheduled (``due_at``), failed, needs review or
    blocked; ``keep_attempt`` False forgets the attempt (it certainly did not post, so the next
    one need not reconcile); ``undo_attempt`` takes back an attempt the claim recorded but that
    never called the platform. False when the lease is no longer ours."""
    values: dict[str, object] = dict(
        status=status.value, failure_code=code, failure_detail=detail[:500] or None, lease_holder=None, lease_until=None
    )
    values["updated_at"] = now
    if due_at is not None:
        values["due_at"] = due_at
    if not keep_attempt:
        values["attempt_started_at"] = None
    if undo_attempt:  # the platform was never called
        values["attempts"] = col(PostTarget.attempts) - 1
    with session_scope() as db:
        row = (
            db.connection()
            .execute(
                sa.update(PostTarget)
                .where(col(PostTarget.id) == target_id, col(PostTarget.lease_holder) == holder)
                .values(**values)
                .returning(col(PostTarget.post_id))
            )
            .first()
        )
        if row is not None:
            refresh_posts(db, [row.post_id], now)
        return row is not None


def block_account(job: Job, holder: str, code: str, detail: str, now: datetime) -> None:
    """The platform says the token no longer works: the account turns amber (as the token sweep
    does it) and this target and the account's other queued ones are blocked with the reason."""
    with session_scope() as db:
        mark_needs_reconnect(db, job.account_id, code)
        queued = sa.or_(
            col(PostTarget.status) == TargetStatus.SCHEDULED.value,
            sa.and_(col(PostTarget.id) == job.target_id, col(PostTarget.lease_holder) == holder),
        )
        posts = db.connection().execute(
            sa.update(PostTarget)
            .where(col(PostTarget.account_id) == job.account_id, queued)
            .values(
                status=TargetStatus.BLOCKED.value,
                failure_code=code,
                failure_detail=detail[:500] or None,
                lease_holder=None,
                lease_until=None,
                updated_at=now,
            )
            .returning(col(PostTarget.post_id))
        )
        refresh_posts(db, set(posts.scalars()), now)


def refresh_posts(db: Session, post_ids: Iterable[int], now: datetime) -> None:
    """Each post's status from its targets (``domain.publishing.post_status``); a post whose
    status and first publication time did not change is not written."""
    for post_id in sorted(set(post_ids)):
        rows = db.connection().execute(_POST_AND_TARGETS, {"post_id": post_id}).all()
        if not rows:
            continue
        status = post_status(r.status for r in rows).value
        published = [r.published_at for r in rows if r.published_at is not None]
        first = min(published) if published else None
        if (status, first) != (rows[0].post_status, rows[0].post_published_at):
            db.connection().execute(_SET_POST, {"post_id": post_id, "status": status, "published_at": first})


def workspaces_of(post_ids: Iterable[int]) -> list[int]:
    """The workspaces of some posts (to push their pages a change)."""
    with session_scope() as db:
        query = sa.select(col(Post.workspace_id)).where(col(Post.id).in_(list(post_ids))).distinct()
        return sorted(db.connection().execute(query).scalars())
