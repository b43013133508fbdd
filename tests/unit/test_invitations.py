"""Invitations (finding 6): the invitee consents, the inviter learns nothing about accounts, the
token is stored hashed and works once, for 7 days, for the invited e-mail only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from socializioz.domain.plans import Plan
from socializioz.models import Invitation, Membership
from socializioz.services import invitations as inv
from socializioz.services import workspaces as ws
from socializioz.services.auth import sign_up
from socializioz.services.errors import NotFound, PermissionDenied, ValidationError

PW = "long-enough-pw"


@pytest.fixture
def owner(db, clock):
    return sign_up(db, "owner@example.com", "Olive", PW)


@pytest.fixture
def team(db, owner):
    return ws.create_workspace(db, owner, "Team", Plan.STARTER)


@pytest.fixture
def bob(db, clock):
    return sign_up(db, "bob@example.com", "Bob", PW)


def _members(db, owner, team):
    return {(m.email, m.role) for m in ws.members(db, owner, team.id)}


def test_inviting_answers_the_same_for_registered_and_unknown_emails(db, owner, team, bob):
    known = inv.invite(db, owner, team.id, " Bob@Example.com ", "member")
    unknown = inv.invite(db, owner, team.id, "nobody@example.com", "member")
    assert known[1] == "bob@example.com" and unknown[1] == "nobody@example.com"
    assert _members(db, owner, team) == {("owner@example.com", "owner")}  # nobody added without consent
    rows = db.exec(select(Invitation)).all()
    assert all(row.token_hash not in (known[0], unknown[0]) and len(row.token_hash) == 64 for row in rows)
    assert {r.expires_at - r.created_at for r in rows} == {timedelta(days=7)}


def test_the_invitee_accepts_through_the_link(db, owner, team, clock):
    raw, _ = inv.invite(db, owner, team.id, "carol@example.com", "admin")
    clock.shift(timedelta(seconds=1))
    carol = sign_up(db, "carol@example.com", "Carol", PW)  # signs up after the invitation
    assert inv.pending_for_user(db, carol) == []  # a later account needs the link (unverified e-mails)
    assert inv.by_token(db, raw).workspace_name == "Team"
    inv.respond_by_token(db, carol, raw, accept=True)
    assert ("carol@example.com", "admin") in _members(db, owner, team)
    with pytest.raises(NotFound):  # single use
        inv.respond_by_token(db, carol, raw, accept=True)
    assert inv.by_token(db, raw) is None


def test_an_existing_user_sees_and_answers_invitations_on_the_workspaces_page(db, owner, team, bob, clock):
    clock.shift(timedelta(seconds=1))
    inv.invite(db, owner, team.id, "bob@example.com", "member")
    [view] = inv.pending_for_user(db, bob)
    assert (view.workspace_name, view.inviter_name, view.role) == ("Team", "Olive", "member")
    inv.respond_by_id(db, bob, view.id, accept=False)
    assert inv.pending_for_user(db, bob) == [] and ("bob@example.com", "member") not in _members(db, owner, team)


def test_another_account_cannot_use_the_link_or_the_id(db, owner, team, bob):
    raw, _ = inv.invite(db, owner, team.id, "carol@example.com", "member")
    with pytest.raises(PermissionDenied) as excinfo:
        inv.respond_by_token(db, bob, raw, accept=True)
    assert excinfo.value.code == "invite.wrong_account"
    invitation_id = db.exec(select(Invitation.id)).one()
    with pytest.raises(NotFound):
        inv.respond_by_id(db, bob, invitation_id, accept=True)
    assert (
        db.exec(select(Membership).where(Membership.user_id == bob.id, Membership.workspace_id == team.id)).first()
        is None
    )


def test_invitations_expire_after_7_days(db, owner, team, bob, clock):
    raw, _ = inv.invite(db, owner, team.id, "bob@example.com", "member")
    clock.shift(timedelta(days=7, seconds=1))
    assert inv.by_token(db, raw) is None and inv.pending_for_user(db, bob) == []
    with pytest.raises(NotFound):
        inv.respond_by_token(db, bob, raw, accept=True)


def test_managers_revoke_and_roles_are_checked(db, owner, team, bob):
    member = sign_up(db, "member@example.com", "Mem", PW)
    db.add(Membership(workspace_id=team.id, user_id=member.id, role="member"))
    admin = sign_up(db, "admin@example.com", "Ada", PW)
    db.add(Membership(workspace_id=team.id, user_id=admin.id, role="admin"))
    db.flush()
    with pytest.raises(PermissionDenied):
        inv.invite(db, member, team.id, "x@example.com", "member")
    with pytest.raises(PermissionDenied):
        inv.invite(db, admin, team.id, "x@example.com", "owner")
    with pytest.raises(ValidationError):
        inv.invite(db, admin, team.id, "a@" + "." * 5000 + "@", "member")
    raw, _ = inv.invite(db, admin, team.id, "bob@example.com", "member")
    [view] = inv.pending_for_workspace(db, owner, team.id)
    with pytest.raises(PermissionDenied):
        inv.revoke(db, member, team.id, view.id)
    other = ws.create_workspace(db, bob, "Elsewhere")
    with pytest.raises(NotFound):  # an id from another workspace
        inv.revoke(db, bob, other.id, view.id)
    inv.revoke(db, admin, team.id, view.id)
    assert inv.by_token(db, raw) is None and inv.pending_for_workspace(db, owner, team.id) == []


def test_a_new_invitation_replaces_the_pending_one(db, owner, team, bob):
    first, _ = inv.invite(db, owner, team.id, "bob@example.com", "member")
    second, _ = inv.invite(db, owner, team.id, "bob@example.com", "admin")
    assert inv.by_token(db, first) is None and inv.by_token(db, second).role == "admin"
