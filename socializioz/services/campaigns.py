"""Campaigns: a name that groups posts, with the accounts it runs on. The list with post counts,
one campaign's posts and accounts, and creating or renaming one (any member of the workspace).

A campaign's accounts are the ones assigned to it (``CampaignAccount``, kept across a reconnect)
together with the accounts its posts go to, so a campaign never looks empty of accounts it uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, col, select

from socializioz.models import Campaign, CampaignAccount, Post, PostTarget, SocialAccount, User
from socializioz.services.errors import NotFound, ValidationError
from socializioz.services.persisted import saved_id
from socializioz.services.posts_view import PAGE_SIZE, PostView, post_views, workspace_zone
from socializioz.services.workspaces import role_in

MAX_NAME = 100


@dataclass(frozen=True)
class CampaignAccountView:
    id: int
    name: str
    platform: str


@dataclass(frozen=True)
class CampaignView:
    id: int
    name: str
    post_count: int
    accounts: list[CampaignAccountView] = field(default_factory=list)


@dataclass(frozen=True)
class CampaignDetail:
    campaign: CampaignView
    posts: list[PostView]
    has_more: bool
    timezone: str


def list_campaigns(db: Session, user: User | None, workspace_id: int) -> list[CampaignView]:
    """Every campaign of the workspace, by name, with its post count and accounts (members only)."""
    _require_member(db, user, workspace_id)
    campaigns = db.exec(
        select(Campaign).where(Campaign.workspace_id == workspace_id).order_by(col(Campaign.name), col(Campaign.id))
    ).all()
    ids = [saved_id(c) for c in campaigns]
    counts = _post_counts(db, ids)
    accounts = _accounts_of(db, ids)
    return [
        CampaignView(id=cid, name=c.name, post_count=counts.get(cid, 0), accounts=accounts.get(cid, []))
        for c in campaigns
        for cid in [saved_id(c)]
    ]


def campaign_detail(
    db: Session, user: User | None, workspace_id: int, campaign_id: int, limit: int = PAGE_SIZE
) -> CampaignDetail:
    """One campaign with its posts, newest first; another workspace's id is ``NotFound``."""
    _require_member(db, user, workspace_id)
    campaign = _campaign(db, workspace_id, campaign_id)
    cid = saved_id(campaign)
    when = sa.func.coalesce(col(Post.scheduled_at), col(Post.published_at), col(Post.created_at))
    rows = list(
        db.exec(
            select(Post)
            .where(Post.workspace_id == workspace_id, Post.campaign_id == cid)
            .order_by(when.desc(), col(Post.id).desc())
            .limit(limit + 1)
        ).all()
    )
    zone = workspace_zone(db, workspace_id)
    view = CampaignView(
        id=cid,
        name=campaign.name,
        post_count=_post_counts(db, [cid]).get(cid, 0),
        accounts=_accounts_of(db, [cid]).get(cid, []),
    )
    return CampaignDetail(
        campaign=view, posts=post_views(db, rows[:limit], zone), has_more=len(rows) > limit, timezone=zone.key
    )


def create_campaign(db: Session, user: User | None, workspace_id: int, name: str) -> Campaign:
    _require_member(db, user, workspace_id)
    campaign = Campaign(workspace_id=workspace_id, name=_valid_name(db, workspace_id, name))
    db.add(campaign)
    db.flush()
    return campaign


def rename_campaign(db: Session, user: User | None, workspace_id: int, campaign_id: int, name: str) -> Campaign:
    _require_member(db, user, workspace_id)
    campaign = _campaign(db, workspace_id, campaign_id)
    campaign.name = _valid_name(db, workspace_id, name, keep=saved_id(campaign))
    db.add(campaign)
    return campaign


def _require_member(db: Session, user: User | None, workspace_id: int) -> None:
    if user is None or role_in(db, user, workspace_id) is None:
        raise NotFound("workspace.not_found")


def _campaign(db: Session, workspace_id: int, campaign_id: int) -> Campaign:
    campaign = db.get(Campaign, campaign_id) if isinstance(campaign_id, int) else None
    if campaign is None or campaign.workspace_id != workspace_id:
        raise NotFound("campaigns.not_found")
    return campaign


def _valid_name(db: Session, workspace_id: int, name: str, keep: int = 0) -> str:
    name = " ".join(str(name).split())
    if not name:
        raise ValidationError("campaigns.name_required")
    if len(name) > MAX_NAME:
        raise ValidationError("campaigns.name_too_long")
    clash = db.exec(
        select(Campaign.id).where(
            Campaign.workspace_id == workspace_id,
            sa.func.lower(col(Campaign.name)) == name.lower(),
            col(Campaign.id) != keep,
        )
    ).first()
    if clash is not None:
        raise ValidationError("campaigns.name_taken")
    return name


def _post_counts(db: Session, campaign_ids: list[int]) -> dict[int, int]:
    if not campaign_ids:
        return {}
    rows = db.exec(
        select(Post.campaign_id, sa.func.count(col(Post.id)))
        .where(col(Post.campaign_id).in_(campaign_ids))
        .group_by(col(Post.campaign_id))
    ).all()
    return {cid: n for cid, n in rows if cid is not None}


def _accounts_of(db: Session, campaign_ids: list[int]) -> dict[int, list[CampaignAccountView]]:
    """Assigned accounts and the accounts its posts go to, connected ones only, in one statement."""
    if not campaign_ids:
        return {}
    assigned = select(CampaignAccount.campaign_id, CampaignAccount.account_id).where(
        col(CampaignAccount.campaign_id).in_(campaign_ids)
    )
    targeted = (
        select(Post.campaign_id, PostTarget.account_id)
        .join(PostTarget, col(PostTarget.post_id) == col(Post.id))
        .where(col(Post.campaign_id).in_(campaign_ids))
    )
    pairs = sa.union(assigned, targeted).subquery()
    rows = db.exec(
        select(pairs.c[0], SocialAccount)
        .join(SocialAccount, col(SocialAccount.id) == pairs.c[1])
        .where(col(SocialAccount.disconnected_at).is_(None))
        .order_by(pairs.c[0], col(SocialAccount.platform), col(SocialAccount.name))
    ).all()
    out: dict[int, list[CampaignAccountView]] = {}
    for cid, account in rows:
        out.setdefault(cid, []).append(
            CampaignAccountView(id=saved_id(account), name=account.name, platform=account.platform)
        )
    return out
