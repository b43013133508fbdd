"""The comments page's reads (issue 13): the workspace's Facebook and Instagram comments as
threads, newest first, filtered (unanswered, hidden, by account, by post); what the caller may do
on each account (the workspace's moderation setting and the account's granted scopes); the nav
badge; and the owner's moderation setting.

Everything is scoped to a workspace the caller belongs to: ids from the browser are checked here,
never trusted (``NotFound`` for anything outside it, so ids cannot be probed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from socializioz.domain.comment_rules import comment_capability, has_comment_management, may_moderate
from socializioz.domain.roles import owns
from socializioz.models import EngagementComment, SocialAccount, User, Workspace
from socializioz.services.errors import NotFound, PermissionDenied
from socializioz.services.persisted import saved_id
from socializioz.services.workspaces import role_in

STATUSES = ("all", "unanswered", "hidden")
PAGE_SIZE = 30  # threads per page


@dataclass(frozen=True)
class CommentFilters:
    status: str = "all"
    account_id: int = 0  # 0: every account
    post_id: str = ""  # the platform's post id ("" = every post)

    @classmethod
    def parse(cls, status: str = "", account: str = "", post: str = "") -> CommentFilters:
        """Filters from the browser: unknown values fall back to "everything"."""
        number = int(account) if account.isdigit() and len(account) < 12 else 0
        return cls(status if status in STATUSES else "all", number, post.strip()[:128])


@dataclass(frozen=True)
class AccountComments:
    """An account as the comments page offers it, with what its scopes allow."""

    id: int
    name: str
    platform: str
    can_manage: bool  # scopes allow reply / hide / delete
    can_like: bool
    missing_scope: str  # "" when nothing is missing
    reconnect_platform: str  # whose consent grants it (a Page-linked Instagram: its Facebook Page)
    reconnect_id: int


@dataclass(frozen=True)
class CommentView:
    id: int
    account_id: int
    post_id: str
    author: str
    text: str
    created_at: str  # "YYYY-MM-DD HH:MM" UTC
    hidden: bool
    liked: bool
    by_account: bool
    account_name: str = ""
    platform: str = ""
    can_manage: bool = False  # the caller may moderate and the account's scopes allow it
    can_like: bool = False
    replies: list[CommentView] = field(default_factory=list)


@dataclass(frozen=True)
class CommentsPage:
    threads: list[CommentView]
    has_more: bool
    accounts: list[AccountComments]
    may_moderate: bool  # the caller's role may (the workspace setting)
    unanswered: int


def caller_role(db: Session, user: User | None, workspace_id: int) -> str:
    """The caller's role, or ``NotFound`` when they are not a member."""
    role = role_in(db, user, workspace_id) if user is not None else None
    if role is None:
        raise NotFound("comments.not_found")
    return role


def members_may_moderate(db: Session, workspace_id: int) -> bool:
    workspace = db.get(Workspace, workspace_id)
    return bool(workspace and workspace.members_may_moderate)


def comment_accounts(db: Session, workspace_id: int) -> list[SocialAccount]:
    """The workspace's connected accounts whose comments can be managed."""
    rows = db.exec(
        select(SocialAccount)
        .where(SocialAccount.workspace_id == workspace_id, col(SocialAccount.disconnected_at).is_(None))
        .order_by(col(SocialAccount.name))
    ).all()
    return [a for a in rows if has_comment_management(a.platform, a.connection_method)]


def account_comments(account: SocialAccount) -> AccountComments:
    capability = comment_capability(account.platform, account.connection_method, account.granted_scopes.split())
    via_parent = account.platform == "instagram" and account.connection_method == "facebook_page"
    return AccountComments(
        id=saved_id(account),
        name=account.name,
        platform=account.platform,
        can_manage=capability.manage,
        can_like=capability.like,
        missing_scope=capability.missing_scope,
        reconnect_platform="facebook" if via_parent else account.platform,
        reconnect_id=(account.parent_account_id or saved_id(account)) if via_parent else saved_id(account),
    )


def _top_level(workspace_id: int, account_ids: list[int], filters: CommentFilters) -> SelectOfScalar[EngagementComment]:
    query = select(EngagementComment).where(
        col(EngagementComment.workspace_id) == workspace_id,
        col(EngagementComment.account_id).in_(account_ids),
        col(EngagementComment.parent_external_id).is_(None),
        col(EngagementComment.deleted).is_(False),
    )
    if filters.account_id:
        query = query.where(col(EngagementComment.account_id) == filters.account_id)
    if filters.post_id:
        query = query.where(col(EngagementComment.post_external_id) == filters.post_id)
    if filters.status == "unanswered":
        query = query.where(col(EngagementComment.by_account).is_(False), _unanswered_clause())
    elif filters.status == "hidden":
        query = query.where(col(EngagementComment.hidden).is_(True))
    return query


def _unanswered_clause() -> sa.ColumnElement[bool]:
    """No reply by the account (not deleted) under this comment."""
    reply = sa.orm.aliased(EngagementComment)
    answered: sa.Exists = (
        sa.select(sa.literal(1))
        .where(
            col(reply.account_id) == col(EngagementComment.account_id),
            col(reply.parent_external_id) == col(EngagementComment.external_id),
            col(reply.by_account).is_(True),
            col(reply.deleted).is_(False),
        )
        .exists()
    )
    return sa.not_(answered)


def _view(
    row: EngagementComment, replies: list[CommentView], account: AccountComments | None, moderator: bool
) -> CommentView:
    return CommentView(
        id=saved_id(row),
        account_id=row.account_id,
        post_id=row.post_external_id,
        author=row.author_name or row.author_external_id,
        text=row.text,
        created_at=row.created_at.strftime("%Y-%m-%d %H:%M"),
        hidden=row.hidden,
        liked=row.liked,
        by_account=row.by_account,
        account_name=account.name if account else "",
        platform=account.platform if account else "",
        can_manage=bool(moderator and account and account.can_manage),
        can_like=bool(moderator and account and account.can_like),
        replies=replies,
    )


def read_comments(
    db: Session, user: User | None, workspace_id: int, filters: CommentFilters, limit: int = PAGE_SIZE
) -> CommentsPage:
    """Threads of the workspace's comments, newest top-level comment first, replies oldest first."""
    role = caller_role(db, user, workspace_id)
    accounts = comment_accounts(db, workspace_id)
    ids = [saved_id(a) for a in accounts]
    views = {saved_id(a): account_comments(a) for a in accounts}
    moderator = may_moderate(role, members_may_moderate(db, workspace_id))
    top = list(
        db.exec(
            _top_level(workspace_id, ids, filters)
            .order_by(col(EngagementComment.created_at).desc(), col(EngagementComment.id).desc())
            .limit(limit + 1)
        ).all()
    )
    has_more, top = len(top) > limit, top[:limit]
    replies: dict[tuple[int, str], list[CommentView]] = {}
    if top:
        rows = db.exec(
            select(EngagementComment)
            .where(
                col(EngagementComment.workspace_id) == workspace_id,
                col(EngagementComment.account_id).in_({r.account_id for r in top}),
                col(EngagementComment.parent_external_id).in_({r.external_id for r in top}),
                col(EngagementComment.deleted).is_(False),
            )
            .order_by(col(EngagementComment.created_at), col(EngagementComment.id))
        ).all()
        for r in rows:
            replies.setdefault((r.account_id, r.parent_external_id or ""), []).append(
                _view(r, [], views.get(r.account_id), moderator)
            )
    return CommentsPage(
        threads=[
            _view(r, replies.get((r.account_id, r.external_id), []), views.get(r.account_id), moderator) for r in top
        ],
        has_more=has_more,
        accounts=list(views.values()),
        may_moderate=moderator,
        unanswered=unanswered_count(db, workspace_id),
    )


def unanswered_count(db: Session, workspace_id: int) -> int:
    """Top-level comments of the workspace nobody has answered (the nav badge)."""
    ids = [saved_id(a) for a in comment_accounts(db, workspace_id)]
    if not ids:
        return 0
    query = _top_level(workspace_id, ids, CommentFilters(status="unanswered"))
    return int(db.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one())


def badge_count(db: Session, user: User | None, workspace_id: int) -> int:
    """The nav badge for a member; 0 for anyone else."""
    if user is None or role_in(db, user, workspace_id) is None:
        return 0
    return unanswered_count(db, workspace_id)


def set_members_may_moderate(db: Session, user: User | None, workspace_id: int, allowed: bool) -> None:
    """The owner's setting: may members (not only owners and admins) moderate comments?"""
    role = caller_role(db, user, workspace_id)
    if not owns(role):
        raise PermissionDenied("comments.setting_owner_only")
    workspace = db.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFound("comments.not_found")
    workspace.members_may_moderate = bool(allowed)
    db.add(workspace)


def comment_in_workspace(db: Session, workspace_id: int, comment_id: int) -> EngagementComment:
    """A comment of one of the workspace's connected accounts, or ``NotFound``."""
    row = db.get(EngagementComment, comment_id) if isinstance(comment_id, int) and comment_id > 0 else None
    if row is None or row.workspace_id != workspace_id or row.deleted:
        raise NotFound("comments.not_found")
    account = db.get(SocialAccount, row.account_id)
    if account is None or account.workspace_id != workspace_id or account.disconnected_at is not None:
        raise NotFound("comments.not_found")
    return row
