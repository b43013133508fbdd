"""The one gate for every per-account action: the caller is a member of the workspace (with the
role the action needs) and the account is one of that workspace's connected accounts.

Outsiders, other workspaces' ids and disconnected accounts all get the same ``NotFound``, so an
id from the browser can neither read nor change another team's data nor be probed.
"""

from __future__ import annotations

from sqlmodel import Session

from socializioz.domain.roles import manages
from socializioz.models import SocialAccount, User
from socializioz.services.errors import NotFound, PermissionDenied
from socializioz.services.workspaces import role_in


def workspace_account(
    db: Session, user: User | None, workspace_id: int, account_id: int, *, managers_only: bool = False
) -> SocialAccount:
    role = role_in(db, user, workspace_id) if user is not None else None
    if role is None:
        raise NotFound("accounts.not_found")
    account = db.get(SocialAccount, account_id) if isinstance(account_id, int) else None
    if account is None or account.workspace_id != workspace_id or account.disconnected_at is not None:
        raise NotFound("accounts.not_found")
    if managers_only and not manages(role):
        raise PermissionDenied("accounts.admin_only")
    return account
