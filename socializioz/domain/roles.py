"""Workspace roles and who may do what, in one place (spec: "Workspaces and roles").

Services check these; the UI shows or hides controls with the same predicates.
"""

from __future__ import annotations

import enum


class Role(str, enum.Enum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


MANAGERS = frozenset({Role.OWNER.value, Role.ADMIN.value})


def can_manage(role: Role | str | None) -> bool:
    """Owners and admins: connect/disconnect accounts, invite, refresh tokens, the token debug panel."""
    return str(getattr(role, "value", role)) in MANAGERS


def is_owner(role: Role | str | None) -> bool:
    """Owners alone: plan, renaming the workspace, changing roles."""
    return str(getattr(role, "value", role)) == Role.OWNER.value
