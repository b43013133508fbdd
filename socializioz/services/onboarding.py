"""The set-up wizard's server side: where a user is in it, and what each step saves.

Each function is its own unit of work, run in a worker thread, and takes the user's id from the
caller's freshly checked session (``SessionState.member``), never from the browser. The steps
themselves are in ``domain/onboarding.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from socializioz import i18n
from socializioz.db import session_scope
from socializioz.domain import onboarding, roles
from socializioz.models import User
from socializioz.services import workspaces
from socializioz.services.errors import NotFound, ValidationError


@dataclass(frozen=True)
class WizardView:
    step: int
    workspace_name: str
    timezone: str
    can_edit_workspace: bool  # owners and admins rename the workspace; a member only picks a language


def _user(db: Session, user_id: int) -> User:
    user: User | None = db.get(User, user_id)
    if user is None:
        raise NotFound("workspace.not_found")
    return user


def open_wizard(user_id: int, workspace_id: int, requested_step: object = None) -> WizardView:
    """The wizard as the user should see it: the step asked for in the URL (an OAuth return, a
    link), else the remembered one. Opening it after finishing (the workspace settings' "Run
    setup again") starts over at step 1."""
    with session_scope() as db:
        user = _user(db, user_id)
        if requested_step is not None:
            step = onboarding.clamp(requested_step)
        elif onboarding.is_pending(user.onboarding_step):
            step = user.onboarding_step
        else:
            step = onboarding.WORKSPACE
        user.onboarding_step = step
        db.add(user)
        role = workspaces.require_role(db, user, workspace_id)
        name, timezone = workspaces.workspace_settings(db, user, workspace_id)
        return WizardView(step, name, timezone, roles.manages(role))


def go_to(user_id: int, step: int) -> int:
    """Remember the step the user moved to (Back/Continue), so a later visit resumes there."""
    step = onboarding.clamp(step)
    with session_scope() as db:
        user = _user(db, user_id)
        user.onboarding_step = step
        db.add(user)
    return step


def finish(user_id: int) -> None:
    """Done or skipped: the wizard is not shown again unless the user reopens it."""
    with session_scope() as db:
        user = _user(db, user_id)
        user.onboarding_step = onboarding.FINISHED
        db.add(user)


def save_workspace_step(user_id: int, workspace_id: int, form: object) -> str:
    """Step 1: the workspace's name and time zone (owners and admins; a member's are left as they
    are) and the user's language; all checked before anything is written, so a bad value loses
    nothing. Returns the language kept."""
    fields = form if isinstance(form, dict) else {}
    language = fields.get("language")
    if language not in i18n.LANGUAGES:
        raise ValidationError("onboarding.language_invalid")
    with session_scope() as db:
        user = _user(db, user_id)
        if roles.manages(workspaces.require_role(db, user, workspace_id)):
            workspaces.update_settings(db, user, workspace_id, fields.get("name"), fields.get("timezone"))
        user.language = language
        user.onboarding_step = onboarding.CONNECT
        db.add(user)
    return str(language)
