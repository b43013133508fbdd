"""The demo data a fresh install starts with: real memberships in two workspaces on two plans.

The demo user is admin of "Acme Studio" (Free, where they start) and a member of "Northwind
Media" (Professional); a teammate owns both. Running it again changes nothing, except that the
demo password follows ``SOCIALIZIOZ_DEMO_PASSWORD`` so the printed credentials always work.
The teammate signs in with the same password, to try the owner's view.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from socializioz.domain.plans import Plan
from socializioz.domain.roles import Role
from socializioz.models import Membership, User
from socializioz.security import passwords
from socializioz.services.persisted import saved_id
from socializioz.services.workspaces import create_workspace
from socializioz.settings import get_settings

DEMO_EMAIL = "demo@socializioz.local"
TEAMMATE_EMAIL = "teammate@socializioz.local"
ADMIN_WORKSPACE = ("Acme Studio", Plan.FREE)
MEMBER_WORKSPACE = ("Northwind Media", Plan.PROFESSIONAL)


@dataclass(frozen=True)
class DemoCredentials:
    email: str
    password: str


def seed_demo(db: Session) -> DemoCredentials:
    """Create the demo data once; both demo users sign in with the configured demo password."""
    password = get_settings().demo_password.get_secret_value()
    teammate, _ = _ensure_user(db, TEAMMATE_EMAIL, "Sam Teammate", password)
    demo, created = _ensure_user(db, DEMO_EMAIL, "Demo User", password)
    if created:
        _create_workspaces(db, demo, teammate)
    return DemoCredentials(DEMO_EMAIL, password)


def _ensure_user(db: Session, email: str, name: str, password: str) -> tuple[User, bool]:
    """(user, created); an existing user's password is reset if it no longer matches."""
    user = db.exec(select(User).where(User.email == email)).first()
    created = user is None
    if user is None:
        user = User(email=email, name=name, password_hash=passwords.hash_password(password))
    elif not passwords.verify_password(password, user.password_hash)[0]:
        user.password_hash = passwords.hash_password(password)
    db.add(user)
    db.flush()
    return user, created


def _create_workspaces(db: Session, demo: User, teammate: User) -> None:
    member_ws = create_workspace(db, teammate, *MEMBER_WORKSPACE)
    admin_ws = create_workspace(db, teammate, *ADMIN_WORKSPACE)
    demo_id = saved_id(demo)
    db.add(Membership(workspace_id=saved_id(member_ws), user_id=demo_id, role=Role.MEMBER.value))
    db.add(Membership(workspace_id=saved_id(admin_ws), user_id=demo_id, role=Role.ADMIN.value))
    demo.active_workspace_id = admin_ws.id
    db.add(demo)
    db.flush()
