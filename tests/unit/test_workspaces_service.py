"""Workspaces: creation, switching, plans, members and roles, and that nothing crosses teams."""

from __future__ import annotations

import pytest
from sqlmodel import select

from socializioz.domain.plans import Plan
from socializioz.models import Membership, SocialAccount, utcnow
from socializioz.services import invitations
from socializioz.services import workspaces as ws
from socializioz.services.auth import sign_up
from socializioz.services.errors import NotFound, PermissionDenied, ValidationError


@pytest.fixture
def owner(db):
    return sign_up(db, "owner@example.com", "Olive", "long-enough-pw")


@pytest.fixture
def outsider(db):
    return sign_up(db, "outsider@example.com", "Oscar", "long-enough-pw")


@pytest.fixture
def team(db, owner):
    return ws.create_workspace(db, owner, "Team", Plan.STARTER)


def _join(db, user, workspace, role):
    db.add(Membership(workspace_id=workspace.id, user_id=user.id, role=role))
    db.flush()


def _code(excinfo) -> str:
    return excinfo.value.code


def test_create_workspace_makes_owner_and_switches(db, owner, team):
    assert ws.role_in(db, owner, team.id) == "owner"
    assert ws.active_workspace(db, owner) == ws.WorkspaceView(team.id, "Team", "starter", "owner", 0)
    assert [v.name for v in ws.workspaces_for(db, owner)] == ["Olive", "Team"]


def test_blank_workspace_name_is_refused(db, owner):
    with pytest.raises(ValidationError):
        ws.create_workspace(db, owner, "  ")


def test_account_count_ignores_disconnected_accounts(db, owner, team):
    db.add(SocialAccount(workspace_id=team.id, platform="x", external_id="1", name="a"))
    db.add(SocialAccount(workspace_id=team.id, platform="x", external_id="2", name="b", disconnected_at=utcnow()))
    db.flush()
    counts = {v.name: v.account_count for v in ws.workspaces_for(db, owner)}
    assert counts == {"Olive": 0, "Team": 1}


def test_switching_is_remembered(db, owner, team):
    personal = ws.workspaces_for(db, owner)[0]
    ws.set_active_workspace(db, owner, personal.id)
    assert ws.active_workspace(db, owner).id == personal.id


def test_active_falls_back_when_membership_is_gone(db, owner, outsider, team):
    _join(db, outsider, team, "member")
    ws.set_active_workspace(db, outsider, team.id)
    membership = db.exec(
        select(Membership).where(Membership.user_id == outsider.id, Membership.workspace_id == team.id)
    ).one()
    db.delete(membership)
    db.flush()
    fallback = ws.active_workspace(db, outsider)
    assert fallback.name == "Oscar" and outsider.active_workspace_id == fallback.id


def test_outsider_cannot_read_switch_or_change_anything(db, owner, outsider, team):
    calls = [
        lambda: ws.set_active_workspace(db, outsider, team.id),
        lambda: ws.change_plan(db, outsider, team.id, Plan.ENTERPRISE),
        lambda: ws.members(db, outsider, team.id),
        lambda: invitations.invite(db, outsider, team.id, "outsider@example.com", "member"),
        lambda: invitations.pending_for_workspace(db, outsider, team.id),
        lambda: ws.set_role(db, outsider, team.id, owner.id, "member"),
    ]
    for call in calls:
        with pytest.raises(NotFound) as excinfo:
            call()
        assert _code(excinfo) == "workspace.not_found"
    assert ws.role_in(db, outsider, team.id) is None
    assert team.id not in {v.id for v in ws.workspaces_for(db, outsider)}
    assert outsider.active_workspace_id != team.id and team.plan == "starter"


@pytest.mark.parametrize("role", ["member", "admin"])
def test_only_the_owner_changes_the_plan(db, owner, outsider, team, role):
    _join(db, outsider, team, role)
    with pytest.raises(PermissionDenied) as excinfo:
        ws.change_plan(db, outsider, team.id, Plan.ENTERPRISE)
    assert _code(excinfo) == "workspace.owner_only" and team.plan == "starter"
    ws.change_plan(db, owner, team.id, "professional")
    assert ws.active_workspace(db, owner).plan == "professional"


def test_unknown_plan_is_refused(db, owner, team):
    with pytest.raises(ValidationError):
        ws.change_plan(db, owner, team.id, "platinum")


def test_workspace_names_are_capped(db, owner):
    with pytest.raises(ValidationError) as excinfo:
        ws.create_workspace(db, owner, "W" * 201)
    assert _code(excinfo) == "workspace.name_too_long"


def test_roles_owner_only_and_last_owner_stays(db, owner, outsider, team):
    _join(db, outsider, team, "admin")
    with pytest.raises(PermissionDenied):
        ws.set_role(db, outsider, team.id, owner.id, "member")
    with pytest.raises(ValidationError) as excinfo:
        ws.set_role(db, owner, team.id, owner.id, "admin")
    assert _code(excinfo) == "workspace.last_owner"
    with pytest.raises(ValidationError):
        ws.set_role(db, owner, team.id, outsider.id, "boss")
    ws.set_role(db, owner, team.id, outsider.id, "owner")
    ws.set_role(db, owner, team.id, owner.id, "member")
    assert ws.role_in(db, owner, team.id) == "member"


def test_set_role_for_a_non_member_is_not_found(db, owner, outsider, team):
    with pytest.raises(NotFound) as excinfo:
        ws.set_role(db, owner, team.id, outsider.id, "admin")
    assert _code(excinfo) == "workspace.member_not_found"
