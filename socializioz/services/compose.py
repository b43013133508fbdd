"""Quick-compose: save a scheduled post for some of the workspace's connected accounts.
Publishing itself happens later; here the rules are the accounts, the content and the time."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlmodel import Session

from socializioz.domain.platforms import platform_info
from socializioz.models import Post, PostTarget, User
from socializioz.services.account_access import workspace_account
from socializioz.services.errors import NotFound, ValidationError
from socializioz.services.persisted import saved_id

MAX_TEXT = 5000


def needs_media(platform: str) -> bool:
    """The platform record's rule, which its client enforces too: text alone is not a post there."""
    media = platform_info(platform).media
    return media is not None and not media.text_only


def schedule_post(
    db: Session,
    user: User | None,
    workspace_id: int,
    *,
    account_ids: list[int],
    text: str,
    media_url: str,
    scheduled_at: datetime | None,
    now: datetime | None = None,
) -> Post:
    """Validates, then saves the post and its targets. Commits; returns the post."""
    now = now or datetime.now(UTC)
    if not account_ids:
        raise ValidationError("compose.no_accounts")
    accounts = [workspace_account(db, user, workspace_id, account_id) for account_id in sorted(set(account_ids))]
    if user is None:  # workspace_account already refused it (there is at least one account id)
        raise NotFound("accounts.not_found")
    text, media_url = text.strip(), media_url.strip()
    if media_url and urlsplit(media_url).scheme not in ("http", "https"):
        raise ValidationError("compose.media_invalid")
    if not text and not media_url:
        raise ValidationError("compose.empty")
    if len(text) > MAX_TEXT:
        raise ValidationError("compose.too_long")
    media_needed = next((a.platform for a in accounts if needs_media(a.platform)), None)
    if not media_url and media_needed:
        raise ValidationError(f"compose.{media_needed}_needs_media")
    if scheduled_at is None or scheduled_at <= now:
        raise ValidationError("compose.time_in_past")
    post = Post(
        workspace_id=workspace_id,
        author_id=saved_id(user),
        text=text,
        media_url=media_url,
        status="scheduled",
        scheduled_at=scheduled_at,
        created_at=now,
    )
    db.add(post)
    db.flush()
    post_id = saved_id(post)
    for account in accounts:
        db.add(PostTarget(post_id=post_id, account_id=saved_id(account)))
    db.commit()
    return post
