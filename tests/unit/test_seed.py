"""The demo seed: the issue's shape, sign-in with the printed credentials, idempotence."""

from __future__ import annotations

from sqlmodel import func, select

from socializioz.cli import main
from socializioz.db import session_scope
from socializioz.models import Membership, User, Workspace
from socializioz.services import auth, workspaces
from socializioz.services.seed import seed_demo
from socializioz.settings import get_settings


def _counts(db) -> tuple[int, int, int]:
    return tuple(db.exec(select(func.count()).select_from(t)).one() for t in (User, Workspace, Membership))


def test_demo_user_is_admin_on_free_and_member_on_professional(db):
    credentials = seed_demo(db)
    user = auth.check_sign_in(db, credentials.email, credentials.password)
    views = {v.name: (v.plan, v.role) for v in workspaces.workspaces_for(db, user)}
    assert views == {"Acme Studio": ("free", "admin"), "Northwind Media": ("professional", "member")}
    assert workspaces.active_workspace(db, user).name == "Acme Studio"


def test_seed_twice_changes_nothing(db):
    seed_demo(db)
    before = _counts(db)
    seed_demo(db)
    assert _counts(db) == before == (2, 2, 4)


def test_seed_follows_a_changed_demo_password(db, monkeypatch):
    seed_demo(db)
    monkeypatch.setenv("SOCIALIZIOZ_DEMO_PASSWORD", "another-password-42")
    get_settings.cache_clear()
    credentials = seed_demo(db)
    assert credentials.password == "another-password-42"
    assert auth.check_sign_in(db, credentials.email, "another-password-42").email == credentials.email


def test_cli_migrate_then_seed_prints_url_and_credentials(capsys):
    main(["migrate"])
    main(["seed"])
    out = capsys.readouterr().out
    assert "http://localhost:3000" in out and "demo@socializioz.local" in out and "demo-password-123" in out
    with session_scope() as db:
        assert _counts(db) == (2, 2, 4)
