"""Workspace roles and who may do what (spec: Workspaces & roles). Services check these on the
server; the UI reads the same predicates only to hide what a role cannot do."""

from __future__ import annotations

import enum


class Role(str, enum.Enum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


# Owners and admins manage the workspace's accounts and invitations.
MANAGERS = frozenset({Role.OWNER.value, Role.ADMIN.value})


def manages(role: Role | str | None) -> bool:
    """Connect, disconnect, refresh, token debug, invite and revoke invitations."""
    return getattr(role, "value", role) in MANAGERS


def owns(role: Role | str | None) -> bool:
    """Change the plan and members' roles; invite another owner."""
    return getattr(role, "value", role) == Role.OWNER.value


def may_invite_as(actor_role: Role | str | None, invited_role: Role | str) -> bool:
    """A manager invites members and admins; only an owner invites an owner."""
    return manages(actor_role) and (owns(actor_role) or not owns(invited_role))
