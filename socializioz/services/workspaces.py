"""Workspaces, memberships and plans. Every call checks the caller's membership first, so a
workspace id from the browser never reaches another team's data; outsiders get NotFound."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from socializioz.db import session_scope
from socializioz.domain import time_zones
from socializioz.domain.plans import Plan
from socializioz.domain.roles import Role
from socializioz.models import Membership, SocialAccount, User, Workspace
from socializioz.services.accounts_store import active_account_count
from socializioz.services.errors import NotFound, PermissionDenied, ValidationError
from socializioz.services.persisted import saved_id

MAX_WORKSPACE_NAME = 200


@dataclass(frozen=True)
class WorkspaceView:
    id: int
    name: str
    plan: str
    role: str
    account_count: int


@dataclass(frozen=True)
class MemberView:
    user_id: int
    email: str
    name: str
    role: str


def valid_name(name: object) -> str:
    """The workspace name, trimmed, or ValidationError."""
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("workspace.name_required")
    if len(name) > MAX_WORKSPACE_NAME:
        raise ValidationError("workspace.name_too_long")
    return name.strip()


def valid_timezone(name: object) -> str:
    """An IANA time zone name the server knows, or ValidationError: compose and the calendar
    convert with it, so an unknown name must never be stored."""
    name = name.strip() if isinstance(name, str) else ""
    if not time_zones.is_known(name):
        raise ValidationError("workspace.timezone_invalid")
    return name


def workspace_settings(db: Session, user: User, workspace_id: int) -> tuple[str, str]:
    """The workspace's name and time zone, for any member."""
    require_role(db, user, workspace_id)
    workspace = db.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFound("workspace.not_found")
    return workspace.name, workspace.timezone


def update_settings(db: Session, user: User, workspace_id: int, name: object, timezone: object) -> Workspace:
    """Rename the workspace and set its time zone: owners and admins only; both checked first, so a
    bad value changes nothing."""
    require_role(db, user, workspace_id, {Role.OWNER.value, Role.ADMIN.value}, "workspace.admin_only")
    clean_name, clean_zone = valid_name(name), valid_timezone(timezone)
    workspace = db.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFound("workspace.not_found")
    workspace.name, workspace.timezone = clean_name, clean_zone
    db.add(workspace)
    return workspace


def create_workspace(db: Session, owner: User, name: str, plan: Plan = Plan.FREE) -> Workspace:
    """A new workspace owned by ``owner``, who switches to it."""
    name = valid_name(name)
    workspace = Workspace(name=name, plan=Plan(plan).value)
    db.add(workspace)
    db.flush()
    workspace_id = saved_id(workspace)
    db.add(Membership(workspace_id=workspace_id, user_id=saved_id(owner), role=Role.OWNER.value))
    owner.active_workspace_id = workspace_id
    db.add(owner)
    db.flush()
    return workspace


def role_in(db: Session, user: User, workspace_id: int) -> str | None:
    """The user's role in the workspace, or ``None`` when not a member."""
    query = select(Membership.role).where(Membership.workspace_id == workspace_id, Membership.user_id == user.id)
    return db.exec(query).first()


def workspaces_for(db: Session, user: User) -> list[WorkspaceView]:
    """The user's workspaces, oldest first."""
    accounts = (
        select(SocialAccount.workspace_id, func.count().label("n"))
        .where(col(SocialAccount.disconnected_at).is_(None))
        .group_by(col(SocialAccount.workspace_id))
        .subquery()
    )
    query = (
        select(Workspace, Membership.role, func.coalesce(accounts.c.n, 0))
        .join(Membership, col(Membership.workspace_id) == Workspace.id)
        .outerjoin(accounts, accounts.c.workspace_id == Workspace.id)
        .where(Membership.user_id == user.id)
        .order_by(col(Workspace.id))
    )
    return [WorkspaceView(saved_id(w), w.name, w.plan, role, count) for w, role, count in db.exec(query).all()]


def active_workspace(db: Session, user: User) -> WorkspaceView:
    """The remembered workspace, or the first one when that membership is gone."""
    views = workspaces_for(db, user)
    if not views:
        raise NotFound("workspace.none")
    chosen = next((v for v in views if v.id == user.active_workspace_id), views[0])
    if chosen.id != user.active_workspace_id:
        user.active_workspace_id = chosen.id
        db.add(user)
    return chosen


def set_active_workspace(db: Session, user: User, workspace_id: int) -> None:
    require_role(db, user, workspace_id)
    user.active_workspace_id = workspace_id
    db.add(user)


def change_plan(db: Session, user: User, workspace_id: int, plan: Plan | str) -> Workspace:
    require_role(db, user, workspace_id, {Role.OWNER.value}, "workspace.owner_only")
    try:
        plan = Plan(plan)
    except ValueError as exc:
        raise ValidationError("workspace.invalid_plan") from exc
    workspace = db.get(Workspace, workspace_id)
    if workspace is None:  # the membership above says it exists
        raise NotFound("workspace.not_found")
    workspace.plan = plan.value
    db.add(workspace)
    return workspace


def change_plan_counting(user_id: int, workspace_id: int, plan: Plan) -> int:
    """The owner-only plan change in its own unit of work, then the workspace's connected count
    (the billing page warns when it is over the new plan's limit; nothing is disconnected)."""
    with session_scope() as db:
        user = db.get(User, user_id)
        if user is None:
            raise NotFound("workspace.not_found")
        change_plan(db, user, workspace_id, plan)
        return active_account_count(db, workspace_id)


def members(db: Session, user: User, workspace_id: int) -> list[MemberView]:
    require_role(db, user, workspace_id)
    query = (
        select(User, Membership.role)
        .join(Membership, col(Membership.user_id) == User.id)
        .where(Membership.workspace_id == workspace_id)
        .order_by(col(User.email))
    )
    return [MemberView(saved_id(u), u.email, u.name, role) for u, role in db.exec(query).all()]


def set_role(db: Session, actor: User, workspace_id: int, user_id: int, role: Role | str) -> None:
    require_role(db, actor, workspace_id, {Role.OWNER.value}, "workspace.owner_only")
    role = valid_role(role)
    membership = db.exec(
        select(Membership).where(Membership.workspace_id == workspace_id, Membership.user_id == user_id)
    ).first()
    if membership is None:
        raise NotFound("workspace.member_not_found")
    if membership.role == Role.OWNER.value and role != Role.OWNER.value and _owner_count(db, workspace_id) == 1:
        raise ValidationError("workspace.last_owner")
    membership.role = role
    db.add(membership)


def require_role(
    db: Session, user: User, workspace_id: int, allowed: frozenset[str] | set[str] | None = None, code: str = ""
) -> str:
    """The caller's role; NotFound for outsiders, PermissionDenied(code) for a role not allowed."""
    role = role_in(db, user, workspace_id)
    if role is None:
        raise NotFound("workspace.not_found")
    if allowed is not None and role not in allowed:
        raise PermissionDenied(code)
    return role


def valid_role(role: Role | str) -> str:
    try:
        return Role(role).value
    except ValueError as exc:
        raise ValidationError("workspace.invalid_role") from exc


def owner_names(workspace_id: int) -> list[str]:
    """Who can change the plan (the "ask an owner" line at the plan limit); the caller already
    proved membership. Its own unit of work."""
    with session_scope() as db:
        query = (
            select(User.name)
            .join(Membership, col(Membership.user_id) == User.id)
            .where(Membership.workspace_id == workspace_id, Membership.role == Role.OWNER.value)
            .order_by(col(User.name))
        )
        return list(db.exec(query).all())


def _owner_count(db: Session, workspace_id: int) -> int:
    query = select(func.count()).where(Membership.workspace_id == workspace_id, Membership.role == Role.OWNER.value)
    return db.exec(query).one()
