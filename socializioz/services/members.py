"""Who is calling, as the database sees them right now: the session behind a cookie, the caller's
membership and role, their profile, and the settings they change about themselves.

``SessionState`` passes how it finds the user (``find_user(db)``, from the socket's session cookie);
each function here is its own unit of work, run in a worker thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlmodel import Session

from socializioz.db import session_scope
from socializioz.models import User, Workspace
from socializioz.services import auth, live_tabs, workspaces
from socializioz.services.errors import ServiceError
from socializioz.services.persisted import saved_id

UserLookup = Callable[[Session], "User | None"]


@dataclass(frozen=True)
class Member:
    """The caller as the database sees them right now: never taken from cached tab state."""

    user: User
    workspace_id: int
    role: str
    plan: str
    session_token: str  # the cookie value, for binding a live tab to this session (backend only)

    @property
    def user_id(self) -> int:
        """The user's primary key (a signed-in user is always a stored row)."""
        return saved_id(self.user)


@contextlib.contextmanager
def user_scope(find_user: UserLookup) -> Iterator[tuple[Session, User | None]]:
    """A database session and the signed-in user (``None`` once the session has ended)."""
    with session_scope() as db:
        yield db, find_user(db)


def current_member(find_user: UserLookup, session_token: str, wanted: int) -> Member | None:
    """The membership and role in the workspace the tab shows (or the user's active one when that
    membership is gone); ``None`` when the session has ended."""
    with session_scope() as db:
        user = find_user(db)
        if user is None:
            return None
        role = workspaces.role_in(db, user, wanted) if wanted else None
        if role is None:
            try:
                active = workspaces.active_workspace(db, user)
            except ServiceError:
                return None
            wanted, role = active.id, active.role
        workspace = db.get(Workspace, wanted)
        return Member(
            user=user,
            workspace_id=wanted,
            role=role,
            plan=workspace.plan if workspace else "free",
            session_token=session_token,
        )


def profile_of(db: Session, user: User) -> dict[str, object]:
    """The user's name, language, active workspace and every workspace they belong to."""
    active = workspaces.active_workspace(db, user)
    return {
        "user_name": user.name,
        "user_email": user.email,
        "tour_done": user.tour_done,
        "onboarding_step": user.onboarding_step,
        "language": user.language,
        "workspace_id": active.id,
        "workspace_name": active.name,
        "plan": active.plan,
        "role": active.role,
        "workspaces": [
            {"id": str(w.id), "name": w.name, "plan": w.plan, "role": w.role}
            for w in workspaces.workspaces_for(db, user)
        ],
    }


def profile(find_user: UserLookup) -> dict[str, object] | None:
    """The signed-in user's profile, or ``None`` once the session has ended."""
    with user_scope(find_user) as (db, user):
        return None if user is None else profile_of(db, user)


def save_language(find_user: UserLookup, lang: str) -> None:
    with user_scope(find_user) as (db, user):
        if user is not None:
            user.language = lang
            db.add(user)


def switch_workspace(find_user: UserLookup, workspace_id: str) -> str:
    """An empty string when switched, else what went wrong (``signed_out`` or a message key)."""
    with user_scope(find_user) as (db, user):
        if user is None:
            return "signed_out"
        try:
            workspaces.set_active_workspace(db, user, int(workspace_id))
        except (ServiceError, ValueError):
            return "workspace.not_found"
    return ""


def mark_tour_done(user_id: int) -> None:
    """Finished or skipped: the guided tour is not shown again to this user."""
    with session_scope() as db:
        user = db.get(User, user_id)
        if user is not None:
            user.tour_done = True
            db.add(user)


def register_tab(client_token: str, member: Member) -> None:
    """Record that this tab now shows ``member``'s workspace data, so it gets pushes and a later
    handshake without this session wipes it (``state.live``)."""
    with session_scope() as db:
        live_tabs.register(db, client_token, member.workspace_id, saved_id(member.user), member.session_token)


def session_has_ended(session_token: str) -> bool:
    with session_scope() as db:
        return auth.user_for_session(db, session_token) is None
