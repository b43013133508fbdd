"""Workspace invitations the invitee accepts (pen-test finding 6).

An owner or admin invites any e-mail and always gets the same answer, so inviting reveals
nothing about who has an account. The invitation is a row with the SHA-256 of an unguessable
token (the raw token exists only in the link shown once to the inviter), a 7-day expiry, the role
and the inviter. The invitee accepts or declines:

* through the link ``/invite/<token>``, signed in with the invited e-mail;
* on the Workspaces page, for invitations made *after* her account existed. E-mails are not
  verified in this self-hosted app, so an address registered after the invitation (perhaps by
  someone squatting it) must hold the link to join.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from socializioz.domain.roles import MANAGERS, Role, may_invite_as
from socializioz.models import Invitation, Membership, User, Workspace, utcnow
from socializioz.security.input_limits import MAX_EMAIL, is_valid_email
from socializioz.security.tokens import hash_token, new_token
from socializioz.services.errors import NotFound, PermissionDenied, ValidationError
from socializioz.services.input_caps import capped
from socializioz.services.persisted import saved_id
from socializioz.services.workspaces import require_role, valid_role

LIFETIME = timedelta(days=7)
PENDING, ACCEPTED, DECLINED, REVOKED = "pending", "accepted", "declined", "revoked"


@dataclass(frozen=True)
class InvitationView:
    id: int
    workspace_id: int
    workspace_name: str
    email: str
    role: str
    inviter_name: str
    expires_at: datetime


def invite(
    db: Session, actor: User, workspace_id: int, email: str, role: Role | str = Role.MEMBER, now: datetime | None = None
) -> tuple[str, str]:
    """(raw token, normalised e-mail); a new invitation replaces a pending one for the same e-mail."""
    now = now or utcnow()
    actor_role = require_role(db, actor, workspace_id, MANAGERS, "workspace.admin_only")
    email = capped(email, MAX_EMAIL + 64, "auth.email_too_long").strip().lower()
    if not is_valid_email(email):
        raise ValidationError("auth.invalid_email")
    role = valid_role(role)
    if not may_invite_as(actor_role, role):
        raise PermissionDenied("workspace.owner_only")
    db.exec(
        sa.update(Invitation)
        .where(
            col(Invitation.workspace_id) == workspace_id,
            col(Invitation.email) == email,
            col(Invitation.status) == PENDING,
        )
        .values(status=REVOKED, closed_at=now)
    )
    raw = new_token()
    db.add(
        Invitation(
            workspace_id=workspace_id,
            email=email,
            role=role,
            token_hash=hash_token(raw),
            invited_by=saved_id(actor),
            created_at=now,
            expires_at=now + LIFETIME,
        )
    )
    db.flush()
    return raw, email


def pending_for_workspace(
    db: Session, actor: User, workspace_id: int, now: datetime | None = None
) -> list[InvitationView]:
    """Open invitations of a workspace, for its owners and admins."""
    require_role(db, actor, workspace_id, MANAGERS, "workspace.admin_only")
    return _views(db, col(Invitation.workspace_id) == workspace_id, now=now)


def pending_for_user(db: Session, user: User, now: datetime | None = None) -> list[InvitationView]:
    """Open invitations to the user's e-mail made after her account existed (see module doc)."""
    return _views(db, *_addressed_to(user), now=now)


def by_token(db: Session, raw_token: str, now: datetime | None = None) -> InvitationView | None:
    """The open invitation behind a link, or ``None`` (unknown, expired, used or revoked)."""
    views = _views(db, col(Invitation.token_hash) == hash_token(raw_token or ""), now=now)
    return views[0] if views else None


def revoke(db: Session, actor: User, workspace_id: int, invitation_id: int, now: datetime | None = None) -> None:
    require_role(db, actor, workspace_id, MANAGERS, "workspace.admin_only")
    invitation = _open(db, col(Invitation.id) == invitation_id, col(Invitation.workspace_id) == workspace_id, now=now)
    _close(db, invitation, REVOKED, now)


def respond_by_token(
    db: Session, user: User, raw_token: str, accept: bool, now: datetime | None = None
) -> InvitationView:
    """Accept or decline through the link; only the invited e-mail's account may."""
    invitation = _open(db, col(Invitation.token_hash) == hash_token(raw_token or ""), now=now)
    if invitation.email != user.email:
        raise PermissionDenied("invite.wrong_account", email=invitation.email)
    return _respond(db, user, invitation, accept, now)


def respond_by_id(
    db: Session, user: User, invitation_id: int, accept: bool, now: datetime | None = None
) -> InvitationView:
    """Accept or decline from the Workspaces page; only invitations ``pending_for_user`` lists."""
    invitation = _open(db, col(Invitation.id) == invitation_id, *_addressed_to(user), now=now)
    return _respond(db, user, invitation, accept, now)


def _respond(db: Session, user: User, invitation: Invitation, accept: bool, now: datetime | None) -> InvitationView:
    view = _views(db, col(Invitation.id) == invitation.id, now=now)[0]
    if accept:
        exists = db.exec(
            select(Membership.id).where(
                Membership.workspace_id == invitation.workspace_id, Membership.user_id == user.id
            )
        ).first()
        if exists is None:
            db.add(Membership(workspace_id=invitation.workspace_id, user_id=saved_id(user), role=invitation.role))
    _close(db, invitation, ACCEPTED if accept else DECLINED, now)
    return view


def _addressed_to(user: User) -> tuple[sa.ColumnElement[bool], sa.ColumnElement[bool]]:
    return col(Invitation.email) == user.email, col(Invitation.created_at) > user.created_at


def _open(db: Session, *conditions: sa.ColumnElement[bool], now: datetime | None) -> Invitation:
    now = now or utcnow()
    query = select(Invitation).where(*conditions, col(Invitation.status) == PENDING, col(Invitation.expires_at) > now)
    invitation = db.exec(query).first()
    if invitation is None:
        raise NotFound("invite.not_found")
    return invitation


def _close(db: Session, invitation: Invitation, status: str, now: datetime | None) -> None:
    """Close once: the status check in the UPDATE makes a double accept a no-op."""
    changed = db.exec(
        sa.update(Invitation)
        .where(col(Invitation.id) == invitation.id, col(Invitation.status) == PENDING)
        .values(status=status, closed_at=now or utcnow())
    ).rowcount
    if changed != 1:
        raise NotFound("invite.not_found")
    db.flush()


def _views(db: Session, *conditions: sa.ColumnElement[bool], now: datetime | None = None) -> list[InvitationView]:
    now = now or utcnow()
    query = (
        select(Invitation, Workspace.name, User.name)
        .join(Workspace, col(Workspace.id) == Invitation.workspace_id)
        .join(User, col(User.id) == Invitation.invited_by)
        .where(*conditions, col(Invitation.status) == PENDING, col(Invitation.expires_at) > now)
        .order_by(col(Invitation.id))
    )
    return [
        InvitationView(saved_id(i), i.workspace_id, ws_name, i.email, i.role, inviter, i.expires_at)
        for i, ws_name, inviter in db.exec(query).all()
    ]
