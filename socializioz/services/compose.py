"""Compose: one post (text, uploaded media in order, per-platform choices) for several of the
workspace's accounts, saved as a draft, due now, or due at a time in the workspace's time zone.

Saving only creates rows with the right status and ``due_at``; the publisher sends due targets.
Every check runs again here, whatever the browser showed: the accounts and media belong to the
caller's workspace, each account can publish, and each platform would take the post
(``compose_rules``). ``schedule_post`` is the older quick-compose entry (one media link).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import Session, col, func, select

from socializioz.domain.account_rules import missing_media_scope
from socializioz.domain.health import needs_reconnect
from socializioz.domain.platforms import platform_info
from socializioz.domain.publishing import PostStatus, TargetStatus
from socializioz.integrations.models import MediaItem, PublishOptions
from socializioz.models import Campaign, CampaignAccount, Post, PostTarget, SocialAccount, User, Workspace
from socializioz.services import compose_rules, media_store
from socializioz.services.account_access import workspace_account
from socializioz.services.compose_time import DueTime
from socializioz.services.errors import NotFound, ValidationError
from socializioz.services.persisted import saved_id
from socializioz.services.workspaces import role_in

MAX_TEXT = 5000
MAX_CAMPAIGN_NAME = 80


class Mode(str, enum.Enum):
    NOW = "now"
    SCHEDULE = "schedule"
    DRAFT = "draft"


@dataclass(frozen=True)
class Draft:
    """What the composer sends: ids from the browser, checked against the workspace on save."""

    account_ids: Sequence[int]
    text: str = ""
    media_ids: Sequence[int] = ()
    choices: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # platform -> option -> value
    campaign_id: int | None = None
    campaign_name: str = ""  # a new campaign, created on save (or the existing one of that name)
    post_id: int | None = None  # a draft being edited


def needs_media(platform: str) -> bool:
    """The platform record's rule, which its client enforces too: text alone is not a post there."""
    media = platform_info(platform).media
    return media is not None and not media.text_only


def workspace_zone(db: Session, workspace_id: int) -> str:
    workspace = db.get(Workspace, workspace_id)
    return workspace.timezone if workspace is not None else "UTC"


def _member(db: Session, user: User | None, workspace_id: int) -> User:
    if user is None or role_in(db, user, workspace_id) is None:
        raise NotFound("workspace.not_found")
    return user


# -- checking ---------------------------------------------------------------------------------


def _publishable(db: Session, user: User | None, workspace_id: int, account_ids: Sequence[int]) -> list[SocialAccount]:
    """The chosen accounts, each the workspace's own and able to publish now."""
    accounts = [workspace_account(db, user, workspace_id, i) for i in sorted(set(account_ids))]
    now = datetime.now(UTC)
    for account in accounts:
        blocked = compose_rules.account_block(
            account.platform,
            account.publish_capable,
            needs_reconnect(
                status=account.status,
                token_expires_at=account.token_expires_at,
                last_platform_error=account.last_error,
                now=now,
            ),
        )
        if blocked:  # the composer greys these out and says why; this is the server's own check
            raise ValidationError("compose.account_cannot_publish", name=account.name)
    return accounts


def issues_for(
    platforms: Sequence[str],
    text: str,
    media: Sequence[MediaItem],
    options: Mapping[str, PublishOptions],
    choices: Mapping[str, Mapping[str, str]],
    unavailable: Sequence[str] = (),
) -> list[compose_rules.Issue]:
    """Every platform's objections, once per platform (options keyed by platform too).
    ``unavailable``: platforms whose creator options could not be read, so nothing can be chosen."""
    found: list[compose_rules.Issue] = []
    for platform in dict.fromkeys(platforms):
        if platform in unavailable:
            found.append(compose_rules.Issue(platform, "compose.rule.options_unavailable"))
        found += compose_rules.check(platform, text, media, options.get(platform), choices.get(platform, {}))
    return found


# -- saving -----------------------------------------------------------------------------------


def save_post(
    db: Session,
    user: User | None,
    workspace_id: int,
    draft: Draft,
    mode: Mode,
    due: DueTime | None = None,
    options: Mapping[str, PublishOptions] | None = None,
    now: datetime | None = None,
    unavailable: Sequence[str] = (),
) -> Post:
    """Saves the post and one target per account. A draft keeps whatever is there; "now" and
    "schedule" first pass every rule and get ``due_at``. Commits; returns the post.

    ``options`` are the creators' publish options the server itself fetched (never the browser's)."""
    now = now or datetime.now(UTC)
    member = _member(db, user, workspace_id)
    text = draft.text.strip()
    if len(text) > MAX_TEXT:
        raise ValidationError("compose.too_long")
    assets = media_store.workspace_assets(db, member, workspace_id, list(draft.media_ids))
    if not text and not assets:
        raise ValidationError("compose.empty")
    if mode is Mode.DRAFT:
        accounts = [workspace_account(db, member, workspace_id, i) for i in sorted(set(draft.account_ids))]
    else:
        if not draft.account_ids:
            raise ValidationError("compose.no_accounts")
        accounts = _publishable(db, member, workspace_id, draft.account_ids)
        items = [media_store.media_item(a) for a in assets]
        if issues_for([a.platform for a in accounts], text, items, options or {}, draft.choices, unavailable):
            raise ValidationError("compose.not_valid_for_platforms")
        if any(_media_scope_issues(a, items) for a in accounts):
            raise ValidationError("compose.not_valid_for_platforms")
    due_at = _due_at(mode, due, now)
    post = _post_row(db, member, workspace_id, draft, now)
    post.text, post.media_url, post.media_ids = text, "", json.dumps([saved_id(a) for a in assets])
    post.options = json.dumps(_known_choices(draft.choices, {a.platform for a in accounts}))
    post.campaign_id = _campaign_id(db, workspace_id, draft)
    post.status = PostStatus.DRAFT.value if mode is Mode.DRAFT else PostStatus.SCHEDULED.value
    post.scheduled_at = due.utc if due is not None else due_at
    db.add(post)
    db.flush()
    _replace_targets(db, saved_id(post), accounts, mode, due_at, now)
    if post.campaign_id is not None:
        _join_campaign(db, post.campaign_id, accounts)
    db.commit()
    return post


def _media_scope_issues(account: SocialAccount, media: Sequence[MediaItem]) -> list[compose_rules.Issue]:
    lacks = missing_media_scope(account.platform, account.connection_method, account.granted_scopes.split())
    return compose_rules.media_scope_issues(account.platform, bool(lacks), media)


def _known_choices(choices: Mapping[str, Mapping[str, str]], platforms: set[str]) -> dict[str, dict[str, str]]:
    """Only the options the composer offers, for the chosen platforms: nothing else from the browser is kept."""
    kept = {p: str(v.get(compose_rules.PRIVACY_OPTION, ""))[:64] for p, v in choices.items() if p in platforms}
    return {p: {compose_rules.PRIVACY_OPTION: v} for p, v in kept.items() if v}


def _due_at(mode: Mode, due: DueTime | None, now: datetime) -> datetime | None:
    if mode is Mode.NOW:
        return now
    if mode is Mode.SCHEDULE and (due is None or due.utc <= now):
        raise ValidationError("compose.time_in_past")
    return due.utc if mode is Mode.SCHEDULE and due is not None else None


def _post_row(db: Session, member: User, workspace_id: int, draft: Draft, now: datetime) -> Post:
    if draft.post_id is None:
        return Post(workspace_id=workspace_id, author_id=saved_id(member), created_at=now)
    post = db.get(Post, draft.post_id)
    if post is None or post.workspace_id != workspace_id:
        raise NotFound("compose.post_not_found")
    if post.status != PostStatus.DRAFT.value:
        raise ValidationError("compose.not_a_draft")
    return post


def _replace_targets(
    db: Session, post_id: int, accounts: list[SocialAccount], mode: Mode, due_at: datetime | None, now: datetime
) -> None:
    for old in db.exec(select(PostTarget).where(PostTarget.post_id == post_id)).all():
        db.delete(old)
    db.flush()
    status = TargetStatus.DRAFT if mode is Mode.DRAFT else TargetStatus.SCHEDULED
    for account in accounts:
        db.add(
            PostTarget(
                post_id=post_id, account_id=saved_id(account), status=status.value, due_at=due_at, updated_at=now
            )
        )


# -- campaigns --------------------------------------------------------------------------------


def list_campaigns(db: Session, user: User | None, workspace_id: int) -> list[dict[str, object]]:
    _member(db, user, workspace_id)
    rows = db.exec(select(Campaign).where(Campaign.workspace_id == workspace_id).order_by(col(Campaign.name))).all()
    return [{"id": saved_id(c), "name": c.name} for c in rows]


def _campaign_id(db: Session, workspace_id: int, draft: Draft) -> int | None:
    name = " ".join(draft.campaign_name.split())
    if name:
        if len(name) > MAX_CAMPAIGN_NAME:
            raise ValidationError("compose.campaign_name_too_long", limit=MAX_CAMPAIGN_NAME)
        same = db.exec(
            select(Campaign).where(Campaign.workspace_id == workspace_id, func.lower(Campaign.name) == name.lower())
        ).first()
        if same is not None:
            return saved_id(same)
        campaign = Campaign(workspace_id=workspace_id, name=name)
        db.add(campaign)
        db.flush()
        return saved_id(campaign)
    if draft.campaign_id is None:
        return None
    chosen = db.get(Campaign, draft.campaign_id)
    if chosen is None or chosen.workspace_id != workspace_id:
        raise NotFound("compose.campaign_not_found")
    return saved_id(chosen)


def _join_campaign(db: Session, campaign_id: int, accounts: list[SocialAccount]) -> None:
    known = set(db.exec(select(CampaignAccount.account_id).where(CampaignAccount.campaign_id == campaign_id)).all())
    for account in accounts:
        if saved_id(account) not in known:
            db.add(CampaignAccount(campaign_id=campaign_id, account_id=saved_id(account)))


# -- editing a draft --------------------------------------------------------------------------


def load_draft(db: Session, user: User | None, workspace_id: int, post_id: int) -> dict[str, Any]:
    """A saved draft as the composer's fields; another workspace's post or a sent one is not a draft."""
    _member(db, user, workspace_id)
    post = db.get(Post, post_id)
    if post is None or post.workspace_id != workspace_id:
        raise NotFound("compose.post_not_found")
    if post.status != PostStatus.DRAFT.value:
        raise ValidationError("compose.not_a_draft")
    accounts = db.exec(select(PostTarget.account_id).where(PostTarget.post_id == post_id)).all()
    return {
        "post_id": post_id,
        "account_ids": sorted(accounts),
        "text": post.text,
        "media_ids": json.loads(post.media_ids or "[]"),
        "media_url": post.media_url,  # a legacy quick-compose post's one link
        "choices": json.loads(post.options or "{}"),
        "campaign_id": post.campaign_id,
        "scheduled_at": post.scheduled_at,
    }


# -- the older quick compose (one media link) -------------------------------------------------


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
        db.add(PostTarget(post_id=post_id, account_id=saved_id(account), due_at=scheduled_at))
    db.commit()
    return post
