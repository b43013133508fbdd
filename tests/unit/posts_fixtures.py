"""Posts in every status for the posts page's tests, made straight as rows (as the composer and
the publisher would leave them), and a counter of the SQL statements a reader sends."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import datetime

import sqlalchemy as sa

from socializioz import db as database
from socializioz.models import Campaign, MediaAsset, Post, PostTarget, SocialAccount


def make_post(
    db,
    workspace_id: int,
    author_id: int,
    targets: list[tuple[SocialAccount, str]],
    *,
    text: str = "Hello",
    status: str = "scheduled",
    scheduled_at: datetime | None = None,
    published_at: datetime | None = None,
    campaign: Campaign | None = None,
    media: MediaAsset | None = None,
    **target_fields,
) -> Post:
    post = Post(
        workspace_id=workspace_id,
        author_id=author_id,
        text=text,
        status=status,
        scheduled_at=scheduled_at,
        published_at=published_at,
        campaign_id=campaign.id if campaign else None,
        media_ids=json.dumps([media.id] if media else []),
    )
    db.add(post)
    db.flush()
    for account, target_status in targets:
        db.add(PostTarget(post_id=post.id, account_id=account.id, status=target_status, **target_fields))
    db.flush()
    return post


def make_campaign(db, workspace_id: int, name: str) -> Campaign:
    campaign = Campaign(workspace_id=workspace_id, name=name)
    db.add(campaign)
    db.flush()
    return campaign


def make_image(db, workspace_id: int, user_id: int, token: str = "tok-image") -> MediaAsset:
    asset = MediaAsset(
        workspace_id=workspace_id,
        uploaded_by=user_id,
        token=token,
        storage_key=f"media/{token}",
        mime_type="image/png",
        kind="image",
    )
    db.add(asset)
    db.flush()
    return asset


@contextlib.contextmanager
def count_statements() -> Iterator[list[str]]:
    """Every statement sent to the database inside the block."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    engine = database.engine()
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
